package postgres

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/datapipe/datapipe/internal/store"
)

// maxTxAttempts bounds how often WithTx runs a transaction that keeps
// losing serialization races.
const maxTxAttempts = 8

// WithTx runs fn in a SERIALIZABLE transaction on one connection: the
// Queries given to fn run on it, and its writes commit together when fn
// returns nil, or not at all when fn returns an error, which WithTx
// returns unchanged. fn must not use its Queries from several goroutines
// at once, nor after it returns.
//
// PostgreSQL may abort a serializable transaction that raced another one
// (a serialization failure or a deadlock, seen by fn or at commit). WithTx
// then rolls back and runs fn again, up to 8 times with a short random
// backoff, so fn must be safe to re-run: it should assign its results to
// captured variables rather than append to them, and have no side effects
// outside the store. After the last attempt the failure is returned.
func (db *DB) WithTx(ctx context.Context, fn func(store.Queries) error) error {
	return db.retryTx(ctx, beginSerializable, fn)
}

// WithSnapshotTx is WithTx at REPEATABLE READ (snapshot isolation; see
// store.Store): PostgreSQL fails it (and it is re-run) only when a row it
// updates or locks was changed by a transaction that committed after its
// snapshot was taken.
func (db *DB) WithSnapshotTx(ctx context.Context, fn func(store.Queries) error) error {
	return db.retryTx(ctx, beginSnapshot, fn)
}

// retryTx runs fn in a transaction started by begin, re-running it after
// serialization failures (see WithTx).
func (db *DB) retryTx(ctx context.Context, begin string, fn func(store.Queries) error) error {
	for attempt := 1; ; attempt++ {
		err := db.runTx(ctx, begin, fn)
		if err == nil || !retryable(err) || attempt == maxTxAttempts {
			return err
		}
		db.log.Debug("retrying transaction", "attempt", attempt, "err", err)
		if err := backoff(ctx, attempt); err != nil {
			return err
		}
	}
}

// runTx runs fn once in a new transaction started by begin (see lazyTx).
func (db *DB) runTx(ctx context.Context, begin string, fn func(store.Queries) error) error {
	conn, err := db.pool.Acquire(ctx)
	if err != nil {
		return fmt.Errorf("postgres: begin: %w", err)
	}
	// The pool destroys a released connection that is still inside a
	// transaction (a rollback that failed, a canceled context).
	defer conn.Release()
	tx := &lazyTx{conn: conn, begin: begin}
	defer tx.rollback(ctx)
	if err := fn(&queries{db: tx, inTx: true}); err != nil {
		return err
	}
	return tx.commit(ctx)
}

// backoff sleeps a random few milliseconds, growing with attempt, or
// until ctx ends.
func backoff(ctx context.Context, attempt int) error {
	d := time.Duration(attempt)*time.Millisecond + rand.N(time.Duration(attempt)*2*time.Millisecond)
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return fmt.Errorf("postgres: retry transaction: %w", ctx.Err())
	case <-t.C:
		return nil
	}
}

// atomic runs fn so that its statements take effect together: in a
// transaction of its own on the pool, or in a savepoint inside a
// transaction, so that a failure (such as a unique violation mapped to
// store.ErrConflict) leaves the enclosing transaction usable.
func (q *queries) atomic(ctx context.Context, fn func(q *queries) error) error {
	return pgx.BeginFunc(ctx, q.db, func(tx pgx.Tx) error {
		return fn(&queries{db: tx, inTx: true})
	})
}

// guarded runs one statement-level write fn: directly on the pool (a
// single statement is atomic already), in a savepoint inside a
// transaction (see atomic).
func (q *queries) guarded(ctx context.Context, fn func(q *queries) error) error {
	if !q.inTx {
		return fn(q)
	}
	return q.atomic(ctx, fn)
}

// copyIn inserts rows (values of cols, in order) into table with one COPY,
// all or none, guarded as a single write (see guarded).
func (q *queries) copyIn(ctx context.Context, table string, cols []string, rows [][]any) error {
	return q.guarded(ctx, func(q *queries) error {
		_, err := q.db.CopyFrom(ctx, pgx.Identifier{table}, cols, pgx.CopyFromRows(rows))
		return err
	})
}
