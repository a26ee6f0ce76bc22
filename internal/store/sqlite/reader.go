package sqlite

import (
	"context"
	"database/sql"
	"sync"
)

// reader is the read pool with a cache of prepared statements, for the
// same reason as the writer's (writer.go): SQLite parses a statement in
// about as long as a small read by primary key takes to run. A statement
// prepared on the pool is prepared again on each connection the first
// time it runs there; database/sql keeps those per-connection handles.
type reader struct {
	pool  *sql.DB
	mu    sync.Mutex
	stmts stmtCache
}

func newReader(pool *sql.DB) *reader {
	return &reader{pool: pool, stmts: stmtCache{}}
}

// stmt returns the prepared statement for query, preparing it on first
// use; nil when the cache is full or preparing failed (run it unprepared,
// which reports the same error).
func (r *reader) stmt(ctx context.Context, query string) *sql.Stmt {
	r.mu.Lock()
	defer r.mu.Unlock()
	s, _ := r.stmts.get(query, func(q string) (*sql.Stmt, error) { return r.pool.PrepareContext(ctx, q) })
	return s
}

// ExecContext implements querier; the read pool refuses writes, so it is
// never prepared.
func (r *reader) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	return r.pool.ExecContext(ctx, query, args...)
}

// QueryContext implements querier.
func (r *reader) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if s := r.stmt(ctx, query); s != nil {
		return s.QueryContext(ctx, args...)
	}
	return r.pool.QueryContext(ctx, query, args...)
}

// QueryRowContext implements querier.
func (r *reader) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	if s := r.stmt(ctx, query); s != nil {
		return s.QueryRowContext(ctx, args...)
	}
	return r.pool.QueryRowContext(ctx, query, args...)
}

// close closes the cached statements (Close of the DB, before the pool).
func (r *reader) close() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.stmts.close()
}
