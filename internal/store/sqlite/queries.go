package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/datapipe/datapipe/internal/store"
)

// querier is what queries run on: a write transaction or the read pool.
type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// queries implements store.Queries on a querier. Its write methods assume
// that the querier is a transaction: they may run several statements and
// rely on them committing together.
type queries struct{ x querier }

var _ store.Queries = queries{}

// scanner is a *sql.Row or *sql.Rows.
type scanner interface{ Scan(dest ...any) error }

// collect scans every row of rows with scan and closes rows.
func collect[T any](rows *sql.Rows, scan func(scanner) (T, error)) ([]T, error) {
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// queryAll runs a query and scans every row with scan.
func queryAll[T any](ctx context.Context, x querier, scan func(scanner) (T, error), query string, args ...any) ([]T, error) {
	rows, err := x.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	return collect(rows, scan)
}

// exists reports whether query returns a row.
func exists(ctx context.Context, x querier, query string, args ...any) (bool, error) {
	var one int
	err := x.QueryRowContext(ctx, query, args...).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	return err == nil, err
}

// execCount runs a statement and returns the number of rows it changed.
func execCount(ctx context.Context, x querier, query string, args ...any) (int, error) {
	res, err := x.ExecContext(ctx, query, args...)
	if err != nil {
		return 0, err
	}
	n, err := res.RowsAffected()
	return int(n), err
}

// classify maps SQLite constraint failures to the store's sentinels: a
// duplicate key is store.ErrConflict, a missing referenced pipeline
// store.ErrNotFound. Other errors are returned unchanged.
func classify(err error) error {
	var se *sqlite.Error
	if !errors.As(err, &se) {
		return err
	}
	switch se.Code() {
	case sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY, sqlite3.SQLITE_CONSTRAINT_UNIQUE:
		return fmt.Errorf("%w: %w", store.ErrConflict, err)
	case sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY:
		return fmt.Errorf("%w: no such pipeline: %w", store.ErrNotFound, err)
	}
	return err
}

// placeholders returns "?, ?, …" for n parameters.
func placeholders(n int) string {
	if n <= 0 {
		return ""
	}
	return strings.Repeat("?, ", n-1) + "?"
}

// chunks splits ids into slices of at most maxParams, so that no statement
// binds more parameters than SQLite allows.
func chunks(ids []string) [][]string {
	const maxParams = 500
	var out [][]string
	for len(ids) > maxParams {
		out = append(out, ids[:maxParams])
		ids = ids[maxParams:]
	}
	return append(out, ids)
}

// anys converts strings to query arguments.
func anys(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}

// sqlLimit converts a page size to a LIMIT: zero or negative means none.
func sqlLimit(n int) int {
	if n <= 0 {
		return -1
	}
	return n
}

// savepoint runs fn inside a savepoint of the enclosing transaction: when
// fn fails, none of its writes remain and fn's error is returned.
func (q queries) savepoint(ctx context.Context, name string, fn func() error) error {
	if _, err := q.x.ExecContext(ctx, "SAVEPOINT "+name); err != nil {
		return err
	}
	if err := fn(); err != nil {
		_, rerr := q.x.ExecContext(ctx, "ROLLBACK TO "+name)
		_, lerr := q.x.ExecContext(ctx, "RELEASE "+name)
		return errors.Join(err, rerr, lerr)
	}
	_, err := q.x.ExecContext(ctx, "RELEASE "+name)
	return err
}
