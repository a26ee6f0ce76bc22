package postgres

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
)

// The statements that start WithTx's and WithSnapshotTx's transactions.
const (
	beginSerializable = "begin isolation level serializable"
	beginSnapshot     = "begin isolation level repeatable read"
)

// lazyTx is a WithTx transaction whose BEGIN travels with its first
// statement, in one pipelined round trip, instead of in a round trip of
// its own: a task report's transaction is a handful of statements, so the
// saved round trip is a large share of its cost. PostgreSQL runs a
// pipeline's statements in order and skips the rest after an error, so a
// statement never runs outside the transaction when BEGIN fails.
type lazyTx struct {
	conn   *pgxpool.Conn
	begin  string // beginSerializable or beginSnapshot
	begun  bool
	ended  bool
	nested int // savepoints made, to name the next one
}

// ensure starts the transaction alone, for the calls that cannot carry
// it (COPY, savepoints).
func (t *lazyTx) ensure(ctx context.Context) error {
	if t.begun {
		return nil
	}
	if _, err := t.conn.Exec(ctx, t.begin); err != nil {
		return fmt.Errorf("postgres: begin: %w", err)
	}
	t.begun = true
	return nil
}

// withBegin sends BEGIN and sql in one batch and returns the results
// positioned at sql's; the caller must close them.
func (t *lazyTx) withBegin(ctx context.Context, sql string, args []any) (pgx.BatchResults, error) {
	b := &pgx.Batch{}
	b.Queue(t.begin)
	b.Queue(sql, args...)
	br := t.conn.SendBatch(ctx, b)
	if _, err := br.Exec(); err != nil {
		_ = br.Close()
		return nil, fmt.Errorf("postgres: begin: %w", err)
	}
	t.begun = true
	return br, nil
}

// Exec implements dbtx.
func (t *lazyTx) Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error) {
	if t.begun {
		return t.conn.Exec(ctx, sql, args...)
	}
	br, err := t.withBegin(ctx, sql, args)
	if err != nil {
		return pgconn.CommandTag{}, err
	}
	tag, err := br.Exec()
	return tag, errors.Join(err, br.Close())
}

// Query implements dbtx.
func (t *lazyTx) Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error) {
	if t.begun {
		return t.conn.Query(ctx, sql, args...)
	}
	br, err := t.withBegin(ctx, sql, args)
	if err != nil {
		return nil, err
	}
	rows, err := br.Query()
	if err != nil {
		_ = br.Close()
		return nil, err
	}
	return &batchRows{Rows: rows, br: br}, nil
}

// QueryRow implements dbtx.
func (t *lazyTx) QueryRow(ctx context.Context, sql string, args ...any) pgx.Row {
	if t.begun {
		return t.conn.QueryRow(ctx, sql, args...)
	}
	rows, err := t.Query(ctx, sql, args...)
	return &lazyRow{rows: rows, err: err}
}

// CopyFrom implements dbtx.
func (t *lazyTx) CopyFrom(ctx context.Context, table pgx.Identifier, cols []string, src pgx.CopyFromSource) (int64, error) {
	if err := t.ensure(ctx); err != nil {
		return 0, err
	}
	return t.conn.CopyFrom(ctx, table, cols, src)
}

// sendBatch sends a batch of statements in one round trip: in the
// transaction (which begins first) for a lazyTx, else as db runs them.
func sendBatch(ctx context.Context, db dbtx, b *pgx.Batch) (pgx.BatchResults, error) {
	switch d := db.(type) {
	case *lazyTx:
		if err := d.ensure(ctx); err != nil {
			return nil, err
		}
		return d.conn.SendBatch(ctx, b), nil
	case interface {
		SendBatch(context.Context, *pgx.Batch) pgx.BatchResults
	}:
		return d.SendBatch(ctx, b), nil
	}
	return nil, fmt.Errorf("postgres: %T cannot send a batch", db)
}

// Begin implements dbtx: a savepoint in the transaction.
func (t *lazyTx) Begin(ctx context.Context) (pgx.Tx, error) {
	if err := t.ensure(ctx); err != nil {
		return nil, err
	}
	t.nested++
	name := "sp_" + strconv.Itoa(t.nested)
	if _, err := t.conn.Exec(ctx, "savepoint "+name); err != nil {
		return nil, err
	}
	return &savepoint{lazyTx: t, name: name}, nil
}

// commit commits the transaction, if it began: an aborted transaction,
// which PostgreSQL ends with ROLLBACK, is pgx.ErrTxCommitRollback.
func (t *lazyTx) commit(ctx context.Context) error {
	t.ended = true
	if !t.begun {
		return nil
	}
	tag, err := t.conn.Exec(ctx, "commit")
	if err != nil {
		return fmt.Errorf("postgres: commit: %w", err)
	}
	if tag.String() == "ROLLBACK" {
		return fmt.Errorf("postgres: commit: %w", pgx.ErrTxCommitRollback)
	}
	return nil
}

// rollback ends the transaction if it is still open. When that fails the
// connection is closed, so the pool never hands out one inside a
// transaction.
func (t *lazyTx) rollback(ctx context.Context) {
	if t.ended || !t.begun {
		return
	}
	t.ended = true
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	if _, err := t.conn.Exec(ctx, "rollback"); err != nil {
		_ = t.conn.Conn().Close(ctx)
	}
}

// batchRows are a pipelined query's rows; closing them closes the batch.
type batchRows struct {
	pgx.Rows
	br     pgx.BatchResults
	closed bool
}

// Close implements pgx.Rows.
func (r *batchRows) Close() {
	r.Rows.Close()
	if !r.closed {
		r.closed = true
		_ = r.br.Close()
	}
}

// lazyRow is QueryRow's row over Query, as pgx builds its own.
type lazyRow struct {
	rows pgx.Rows
	err  error
}

// Scan implements pgx.Row: pgx.ErrNoRows when the query returned none.
func (r *lazyRow) Scan(dest ...any) error {
	if r.err != nil {
		return r.err
	}
	defer r.rows.Close()
	if !r.rows.Next() {
		if err := r.rows.Err(); err != nil {
			return err
		}
		return pgx.ErrNoRows
	}
	if err := r.rows.Scan(dest...); err != nil {
		return err
	}
	r.rows.Close()
	return r.rows.Err()
}

// savepoint is a nested transaction of a lazyTx. Only the methods the
// queries use are implemented; the embedded nil pgx.Tx fills out the
// interface.
type savepoint struct {
	pgx.Tx
	*lazyTx
	name string
	done bool
}

// Exec, Query, QueryRow, CopyFrom and Begin run in the enclosing
// transaction.
func (s *savepoint) Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error) {
	return s.lazyTx.Exec(ctx, sql, args...)
}

// Query implements pgx.Tx.
func (s *savepoint) Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error) {
	return s.lazyTx.Query(ctx, sql, args...)
}

// QueryRow implements pgx.Tx.
func (s *savepoint) QueryRow(ctx context.Context, sql string, args ...any) pgx.Row {
	return s.lazyTx.QueryRow(ctx, sql, args...)
}

// CopyFrom implements pgx.Tx.
func (s *savepoint) CopyFrom(ctx context.Context, table pgx.Identifier, cols []string, src pgx.CopyFromSource) (int64, error) {
	return s.lazyTx.CopyFrom(ctx, table, cols, src)
}

// Begin implements pgx.Tx.
func (s *savepoint) Begin(ctx context.Context) (pgx.Tx, error) { return s.lazyTx.Begin(ctx) }

// Commit releases the savepoint.
func (s *savepoint) Commit(ctx context.Context) error {
	if s.done {
		return pgx.ErrTxClosed
	}
	s.done = true
	_, err := s.lazyTx.conn.Exec(ctx, "release savepoint "+s.name)
	return err
}

// Rollback rolls back to the savepoint; after Commit it does nothing.
func (s *savepoint) Rollback(ctx context.Context) error {
	if s.done {
		return pgx.ErrTxClosed
	}
	s.done = true
	_, err := s.lazyTx.conn.Exec(ctx, "rollback to savepoint "+s.name)
	return err
}

// Conn implements pgx.Tx.
func (s *savepoint) Conn() *pgx.Conn { return s.lazyTx.conn.Conn() }
