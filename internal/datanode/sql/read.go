package sql

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/datapipe/datapipe/internal/datanode"
	"github.com/datapipe/datapipe/internal/datanode/format"
)

// Read runs the node's selectQuery, else SELECT * of the table, and
// streams its rows as records named after the result columns. Numeric
// columns give Number values, booleans Bool, binary columns Binary,
// everything else String (timestamps as "2006-01-02 15:04:05.999999").
func (n *Node) Read(ctx context.Context) (datanode.RecordReader, error) {
	query := n.selectQuery
	if query == "" {
		query = "SELECT * FROM " + n.QualifiedTable()
	}
	rows, err := n.db.QueryContext(ctx, query)
	if err != nil {
		return nil, n.dbErr("read", err)
	}
	r, err := newRowReader(n.name, rows)
	if err != nil {
		rows.Close()
		return nil, n.dbErr("read", err)
	}
	return r, nil
}

// rowReader turns sql.Rows into records.
type rowReader struct {
	node  string
	rows  *sql.Rows
	names []string
	types []string
	kinds []format.Kind
	vals  []any
	ptrs  []any
	row   int64
}

// newRowReader reads the result's columns.
func newRowReader(node string, rows *sql.Rows) (*rowReader, error) {
	cts, err := rows.ColumnTypes()
	if err != nil {
		return nil, err
	}
	r := &rowReader{node: node, rows: rows, vals: make([]any, len(cts)), ptrs: make([]any, len(cts))}
	for i, ct := range cts {
		typ := strings.ToUpper(ct.DatabaseTypeName())
		r.names = append(r.names, ct.Name())
		r.types = append(r.types, typ)
		r.kinds = append(r.kinds, format.TypeKind(typ))
		r.ptrs[i] = &r.vals[i]
	}
	return r, nil
}

// Read returns the next row.
func (r *rowReader) Read() (format.Record, error) {
	if !r.rows.Next() {
		if err := r.rows.Err(); err != nil {
			return nil, fmt.Errorf("%s: read row %d: %w", r.node, r.row+1, err)
		}
		return nil, io.EOF
	}
	r.row++
	if err := r.rows.Scan(r.ptrs...); err != nil {
		return nil, &format.RowError{Source: r.node, Row: r.row, Err: err}
	}
	rec := make(format.Record, len(r.vals))
	for i, v := range r.vals {
		rec[i] = format.Field{Name: r.names[i], Value: toValue(v, r.kinds[i], r.types[i])}
	}
	return rec, nil
}

// Close closes the rows.
func (r *rowReader) Close() error { return r.rows.Close() }

// toValue converts a scanned driver value.
func toValue(v any, kind format.Kind, typ string) format.Value {
	switch x := v.(type) {
	case nil:
		return format.Value{}
	case bool:
		return format.Value{Kind: format.Bool, Bool: x}
	case int64:
		return format.Num(strconv.FormatInt(x, 10))
	case float64:
		return format.Num(strconv.FormatFloat(x, 'g', -1, 64))
	case time.Time:
		return format.Str(formatTime(x, typ))
	case []byte:
		return textValue(string(x), kind)
	case string:
		return textValue(x, kind)
	}
	return textValue(fmt.Sprint(v), kind)
}

// textValue types text by the column kind.
func textValue(s string, kind format.Kind) format.Value {
	switch kind {
	case format.Number:
		return format.Num(s)
	case format.Binary:
		return format.Value{Kind: format.Binary, Str: s}
	case format.Bool:
		switch s {
		case "t", "true", "1":
			return format.Value{Kind: format.Bool, Bool: true}
		case "f", "false", "0":
			return format.Value{Kind: format.Bool}
		}
	}
	return format.Str(s)
}

// formatTime writes dates as 2006-01-02, zoned timestamps with their
// offset, others as 2006-01-02 15:04:05[.fraction].
func formatTime(t time.Time, typ string) string {
	switch {
	case typ == "DATE":
		return t.Format(time.DateOnly)
	case strings.Contains(typ, "TZ"):
		return t.Format("2006-01-02 15:04:05.999999999Z07:00")
	}
	return t.Format("2006-01-02 15:04:05.999999999")
}

// errDone is returned by session methods after Commit or Rollback.
var errDone = errors.New("the session is already committed or rolled back")
