package sqlite

import (
	"context"
	"strings"
)

// insertChunk is how many rows one INSERT statement writes. SQLite runs
// a statement of many rows in a fraction of the time of as many
// single-row statements (each costs a bind, a step and a reset through
// the driver), and 32 rows of the widest table bind 416 parameters, well
// within its limit.
const insertChunk = 32

// insertRows runs head (`INSERT INTO t (cols)`) for every row, with
// VALUES built from row, a parenthesized tuple of placeholders, one
// statement per insertChunk rows. args gives row i's arguments. When a
// chunk fails, its rows are inserted one at a time, so that the error is
// the failing row's, as named by each.
func insertRows(ctx context.Context, x querier, head, row string, n int, args func(i int) ([]any, error), each func(i int, err error) error) error {
	for start := 0; start < n; start += insertChunk {
		end := min(start+insertChunk, n)
		if err := insertChunkRows(ctx, x, head, row, start, end, args); err == nil {
			continue
		}
		for i := start; i < end; i++ {
			if err := insertChunkRows(ctx, x, head, row, i, i+1, args); err != nil {
				return each(i, err)
			}
		}
	}
	return nil
}

// insertChunkRows inserts rows [start, end) in one statement; the
// statement changes nothing when it fails.
func insertChunkRows(ctx context.Context, x querier, head, row string, start, end int, args func(i int) ([]any, error)) error {
	var all []any
	for i := start; i < end; i++ {
		a, err := args(i)
		if err != nil {
			return err
		}
		all = append(all, a...)
	}
	_, err := x.ExecContext(ctx, head+" VALUES "+strings.TrimSuffix(strings.Repeat(row+", ", end-start), ", "), all...)
	return classify(err)
}
