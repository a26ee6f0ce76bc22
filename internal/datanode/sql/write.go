package sql

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/datapipe/datapipe/internal/datanode"
	"github.com/datapipe/datapipe/internal/datanode/format"
)

// Write starts a transaction that writes records into the table: with
// the node's insertQuery (JDBC ? placeholders, bound to each record's
// fields in order) or else with generated multi-row INSERTs naming the
// records' fields (the table's columns, in order, for unnamed fields).
// The table is created with createTableSql when it does not exist.
// Replace empties it first (TRUNCATE on PostgreSQL, DELETE elsewhere) in
// the same transaction. Nothing is visible to others before Commit, and a
// failure or Abort leaves the table as it was.
func (n *Node) Write(ctx context.Context, mode datanode.WriteMode) (datanode.RecordWriter, error) {
	s, err := n.Begin(ctx)
	if err != nil {
		return nil, err
	}
	if err := n.Prepare(ctx, s, mode); err != nil {
		return nil, errors.Join(err, s.Rollback(ctx))
	}
	return &tableWriter{s: s, ins: s.NewInserter(n.QualifiedTable(), n.insertQuery)}, nil
}

// Prepare readies the table for a write in session s: it runs
// createTableSql when the table is missing (a missing table without one
// matches datanode.ErrNotFound) and empties it for Replace, in s's
// transaction.
func (n *Node) Prepare(ctx context.Context, s *Session, mode datanode.WriteMode) error {
	if n.table == "" {
		return datanode.Invalidf(n.name, "table is not set; cannot write")
	}
	ok, err := s.TableExists(ctx, n.schema, n.table)
	if err != nil {
		return err
	}
	if !ok && n.createTable == "" {
		return datanode.NotFoundf(n.name, "table %s does not exist and the node has no createTableSql", n.QualifiedTable())
	}
	if !ok {
		if _, err := s.Exec(ctx, n.createTable); err != nil {
			return fmt.Errorf("createTableSql: %w", err)
		}
	}
	if mode != datanode.Replace {
		return nil
	}
	empty := "DELETE FROM " + n.QualifiedTable()
	if n.conn.Dialect == PostgreSQL {
		empty = "TRUNCATE " + n.QualifiedTable()
	}
	_, err = s.Exec(ctx, empty)
	return err
}

// tableWriter is a RecordWriter over a session.
type tableWriter struct {
	s   *Session
	ins *Inserter
}

// Write buffers or inserts one record.
func (w *tableWriter) Write(ctx context.Context, rec format.Record) error {
	return w.ins.Write(ctx, rec)
}

// Commit flushes and commits.
func (w *tableWriter) Commit(ctx context.Context) (int64, error) {
	if err := w.ins.Flush(ctx); err != nil {
		return 0, errors.Join(err, w.s.Rollback(ctx))
	}
	return w.ins.Count(), w.s.Commit(ctx)
}

// Abort rolls back.
func (w *tableWriter) Abort(ctx context.Context) error { return w.s.Rollback(ctx) }

// Inserter inserts records into a table within a session, in batches.
// A record the database rejects fails with a *format.RowError naming its
// number (1-based, in Write order).
type Inserter struct {
	s       *Session
	table   string
	query   string
	columns []string
	batch   []format.Record
	args    []any
	count   int64
	full    string // the statement of a full batch
}

// NewInserter returns an inserter into table (as SQL, see
// QualifiedTable). insertQuery, when not "", is run once per record.
func (s *Session) NewInserter(table, insertQuery string) *Inserter {
	return &Inserter{s: s, table: table, query: s.node.conn.Dialect.Rebind(insertQuery)}
}

// Count returns the records inserted so far (flushed or not).
func (i *Inserter) Count() int64 { return i.count + int64(len(i.batch)) }

// Write adds one record, inserting a batch when it is full.
func (i *Inserter) Write(ctx context.Context, rec format.Record) error {
	if i.query != "" {
		i.count++
		if _, err := i.s.conn.ExecContext(ctx, i.query, args(rec, nil)...); err != nil {
			return i.rowErr(i.count, err)
		}
		return nil
	}
	if i.columns == nil {
		if err := i.setColumns(ctx, rec); err != nil {
			return err
		}
	}
	aligned, err := i.align(rec)
	if err != nil {
		return err
	}
	i.batch = append(i.batch, aligned)
	if len(i.batch) >= i.batchRows() {
		return i.Flush(ctx)
	}
	return nil
}

// align puts a named record's fields in column order (missing ones
// Null); a field that is not a column fails.
func (i *Inserter) align(rec format.Record) (format.Record, error) {
	if len(rec) == len(i.columns) && (rec[0].Name == "" || sameNames(rec, i.columns)) {
		return rec, nil
	}
	if len(rec) > 0 && rec[0].Name == "" {
		return nil, i.rowErr(i.Count()+1, fmt.Errorf("%d fields, but the first record had %d", len(rec), len(i.columns)))
	}
	out := make(format.Record, len(i.columns))
	for k, c := range i.columns {
		out[k].Name = c
		out[k].Value, _ = rec.Get(c)
	}
	for _, f := range rec {
		if _, ok := out.Get(f.Name); !ok {
			return nil, i.rowErr(i.Count()+1, fmt.Errorf("field %s is not among the columns of the first record (%s)", f.Name, strings.Join(i.columns, ", ")))
		}
	}
	return out, nil
}

// sameNames reports whether rec's names are columns, in order.
func sameNames(rec format.Record, columns []string) bool {
	for k, f := range rec {
		if f.Name != columns[k] {
			return false
		}
	}
	return true
}

// batchRows is the rows per INSERT.
func (i *Inserter) batchRows() int {
	return max(1, min(i.s.node.cfg.BatchRows, i.s.node.conn.Dialect.maxParams()/max(1, len(i.columns))))
}

// setColumns takes the column list from the first record's names, or
// from the table when its fields are unnamed.
func (i *Inserter) setColumns(ctx context.Context, rec format.Record) error {
	named := len(rec) > 0
	for _, f := range rec {
		named = named && f.Name != ""
	}
	if named {
		i.columns = rec.Names()
		return nil
	}
	cols, err := i.tableColumns(ctx)
	if err != nil {
		return err
	}
	if len(cols) < len(rec) {
		return i.rowErr(i.count+1, fmt.Errorf("%d fields, but the table has %d columns", len(rec), len(cols)))
	}
	i.columns = cols[:len(rec)]
	return nil
}

// tableColumns reads the table's column names.
func (i *Inserter) tableColumns(ctx context.Context) ([]string, error) {
	rows, err := i.s.Query(ctx, "SELECT * FROM "+i.table+" WHERE 1 = 0")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	return rows.Columns()
}

// Flush inserts the buffered batch. A failed batch is retried row by row
// (under savepoints) to name the row at fault.
func (i *Inserter) Flush(ctx context.Context) error {
	if len(i.batch) == 0 {
		return nil
	}
	if err := i.exec(ctx, "SAVEPOINT dp_batch"); err != nil {
		return err
	}
	if err := i.insert(ctx, i.batch); err != nil {
		return i.findBadRow(ctx, err)
	}
	i.count += int64(len(i.batch))
	i.batch = i.batch[:0]
	return i.exec(ctx, "RELEASE SAVEPOINT dp_batch")
}

// insert runs one multi-row INSERT for recs.
func (i *Inserter) insert(ctx context.Context, recs []format.Record) error {
	i.args = i.args[:0]
	for _, r := range recs {
		i.args = args(r, i.args)
	}
	_, err := i.s.conn.ExecContext(ctx, i.statement(len(recs)), i.args...)
	return err
}

// statement is the INSERT of n rows (the full batch's is built once).
func (i *Inserter) statement(n int) string {
	if n == i.batchRows() && i.full != "" {
		return i.full
	}
	d := i.s.node.conn.Dialect
	var b strings.Builder
	b.WriteString("INSERT INTO " + i.table + " (")
	for k, c := range i.columns {
		if k > 0 {
			b.WriteString(", ")
		}
		b.WriteString(i.s.node.Ident(c))
	}
	b.WriteString(") VALUES ")
	p := 0
	for r := range n {
		if r > 0 {
			b.WriteString(", ")
		}
		b.WriteByte('(')
		for k := range i.columns {
			if k > 0 {
				b.WriteString(", ")
			}
			p++
			b.WriteString(d.Placeholder(p))
		}
		b.WriteByte(')')
	}
	if n == i.batchRows() {
		i.full = b.String()
	}
	return b.String()
}

// findBadRow rolls the batch back and inserts its rows one at a time to
// find the first the database rejects.
func (i *Inserter) findBadRow(ctx context.Context, batchErr error) error {
	if err := i.exec(ctx, "ROLLBACK TO SAVEPOINT dp_batch"); err != nil {
		return errors.Join(batchErr, err)
	}
	for k, rec := range i.batch {
		if err := i.exec(ctx, "SAVEPOINT dp_row"); err != nil {
			return err
		}
		if err := i.insert(ctx, []format.Record{rec}); err != nil {
			return i.rowErr(i.count+int64(k)+1, err)
		}
	}
	return i.rowErr(i.count+1, batchErr)
}

// exec runs a statement without arguments.
func (i *Inserter) exec(ctx context.Context, q string) error {
	_, err := i.s.conn.ExecContext(ctx, q)
	return i.s.node.dbErr("insert", err)
}

// rowErr names the node and record.
func (i *Inserter) rowErr(row int64, err error) error {
	if isMissingTable(err) {
		return i.s.node.dbErr("insert", err)
	}
	return &format.RowError{Source: i.s.node.name + " " + i.table, Row: row, Err: err}
}

// args appends the driver arguments of rec's values.
func args(rec format.Record, out []any) []any {
	for _, f := range rec {
		out = append(out, arg(f.Value))
	}
	return out
}

// arg is the driver argument of one value.
func arg(v format.Value) any {
	switch v.Kind {
	case format.Null:
		return nil
	case format.Bool:
		return v.Bool
	case format.Binary:
		return []byte(v.Str)
	case format.String, format.Number:
		return v.Str
	}
	return v.Text()
}
