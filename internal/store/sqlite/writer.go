package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"sync"
)

// writer is the write connection, pinned, with a cache of its prepared
// statements. SQLite parses a statement in about as long as it takes to
// run a small write, and the driver does not cache them, so with every
// write serialised on this one connection, reusing prepared statements
// is most of what a write costs.
//
// database/sql cannot reuse a statement prepared on the pool inside a
// transaction of a one-connection pool (preparing would wait for the
// connection the transaction holds), so the writer takes the connection
// out of the pool for good and runs BEGIN IMMEDIATE / COMMIT itself.
type writer struct {
	pool  *sql.DB
	mu    sync.Mutex // guards conn and stmts between transactions
	conn  *sql.Conn
	stmts stmtCache
	// qmu guards the queue of transactions waiting for the connection
	// and running, set while a caller drains it (groupcommit.go).
	qmu     sync.Mutex
	queue   []*txRequest
	running bool
}

func newWriter(pool *sql.DB) *writer {
	return &writer{pool: pool, stmts: stmtCache{}}
}

// pin returns the pinned connection, taking one from the pool if needed.
func (w *writer) pin(ctx context.Context) (*sql.Conn, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.conn != nil {
		return w.conn, nil
	}
	conn, err := w.pool.Conn(ctx)
	if err != nil {
		return nil, err
	}
	w.conn = conn
	return conn, nil
}

// rollback ends a failed transaction; if even that fails the connection
// is dropped, so the next transaction starts on a fresh one.
func (w *writer) rollback() {
	w.mu.Lock()
	conn := w.conn
	w.mu.Unlock()
	if conn == nil {
		return
	}
	if _, err := conn.ExecContext(context.Background(), "ROLLBACK"); err != nil && !isNoTx(err) {
		w.unpin()
	}
}

// isNoTx reports SQLite's "no transaction is active", which a ROLLBACK
// after SQLite already rolled back (on some errors it does) returns.
func isNoTx(err error) bool {
	return err != nil && strings.Contains(strings.ToLower(err.Error()), "no transaction is active")
}

// unpinOnBadConn drops the connection when err says it is unusable.
func (w *writer) unpinOnBadConn(err error) {
	if errors.Is(err, sql.ErrConnDone) {
		w.unpin()
	}
}

// unpin closes the pinned connection and its statements.
func (w *writer) unpin() {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.stmts.close()
	if w.conn != nil {
		_ = w.conn.Close()
		w.conn = nil
	}
}

// close releases the connection (Close of the DB).
func (w *writer) close() { w.unpin() }

// stmt returns the prepared statement for query, preparing it on first
// use; nil when the cache is full (run it unprepared).
func (w *writer) stmt(ctx context.Context, query string) (*sql.Stmt, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.conn == nil {
		return nil, nil
	}
	return w.stmts.get(query, func(q string) (*sql.Stmt, error) { return w.conn.PrepareContext(ctx, q) })
}

// ExecContext implements querier inside the current transaction.
func (w *writer) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	s, err := w.stmt(ctx, query)
	if err != nil {
		return nil, err
	}
	if s == nil {
		return w.conn.ExecContext(ctx, query, args...)
	}
	return s.ExecContext(ctx, args...)
}

// QueryContext implements querier inside the current transaction.
func (w *writer) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	s, err := w.stmt(ctx, query)
	if err != nil {
		return nil, err
	}
	if s == nil {
		return w.conn.QueryContext(ctx, query, args...)
	}
	return s.QueryContext(ctx, args...)
}

// QueryRowContext implements querier inside the current transaction. A
// statement that fails to prepare reports its error from Scan.
func (w *writer) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	s, err := w.stmt(ctx, query)
	if err != nil || s == nil {
		return w.conn.QueryRowContext(ctx, query, args...)
	}
	return s.QueryRowContext(ctx, args...)
}
