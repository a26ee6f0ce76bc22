package sql

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/datapipe/datapipe/internal/datanode"
	"github.com/datapipe/datapipe/internal/datanode/format"
)

// CopyOptions describe the bytes CopyFrom loads: PostgreSQL COPY's
// options.
type CopyOptions struct {
	// CSV selects FORMAT csv; otherwise FORMAT text.
	CSV bool
	// Delimiter is the single-byte column separator (default: tab for
	// text, comma for CSV).
	Delimiter byte
	// Null is the null marker ("" keeps COPY's default: \N for text, an
	// unquoted empty field for CSV).
	Null string
	// Header skips the first line (CSV only).
	Header bool
	// Escape is the CSV escape character (0: the quote, as RFC 4180).
	Escape byte
}

// CopyOptionsFor returns the COPY options that load f's bytes exactly as
// f's reader would read them; ok is false when COPY cannot (RegEx, item
// formats, multi-byte separators, Custom without escaping…), and the
// caller then goes record by record.
func CopyOptionsFor(f *format.Format) (CopyOptions, bool) {
	if f == nil || len(f.ColumnSeparator) != 1 || f.RecordSeparator != '\n' {
		return CopyOptions{}, false
	}
	sep := f.ColumnSeparator[0]
	switch {
	case f.Type == format.TypeCSV && f.Quote:
		return CopyOptions{CSV: true, Delimiter: sep, Header: f.Header, Escape: f.EscapeChar}, f.EscapeChar == 0 || f.EscapeChar == '"'
	case (f.Type == format.TypeTSV || f.Type == format.TypeCustom) && f.EscapeChar == '\\' && f.NullMarker == `\N` && !f.Header:
		return CopyOptions{Delimiter: sep}, true
	}
	return CopyOptions{}, false
}

// statement builds COPY table (columns) FROM STDIN WITH (…).
func (o CopyOptions) statement(table string, columns []string) string {
	var b strings.Builder
	b.WriteString("COPY " + table)
	if len(columns) > 0 {
		b.WriteString(" (" + strings.Join(columns, ", ") + ")")
	}
	var opts []string
	if o.CSV {
		opts = append(opts, "FORMAT csv")
	} else {
		opts = append(opts, "FORMAT text")
	}
	if o.Delimiter != 0 {
		opts = append(opts, "DELIMITER "+quoteLiteral(string(o.Delimiter)))
	}
	if o.Null != "" {
		opts = append(opts, "NULL "+quoteLiteral(o.Null))
	}
	if o.CSV && o.Header {
		opts = append(opts, "HEADER true")
	}
	if o.CSV && o.Escape != 0 {
		opts = append(opts, "ESCAPE "+quoteLiteral(string(o.Escape)))
	}
	b.WriteString(" FROM STDIN WITH (" + strings.Join(opts, ", ") + ")")
	return b.String()
}

// quoteLiteral quotes a SQL string literal (E” for backslashes and
// control characters).
func quoteLiteral(s string) string {
	if !strings.ContainsAny(s, "\\\t\n\r") {
		return "'" + strings.ReplaceAll(s, "'", "''") + "'"
	}
	r := strings.NewReplacer(`\`, `\\`, "'", `\'`, "\t", `\t`, "\n", `\n`, "\r", `\r`)
	return "E'" + r.Replace(s) + "'"
}

// ErrNoCopy is returned by CopyFrom on databases other than PostgreSQL.
var ErrNoCopy = errors.New("bulk COPY needs PostgreSQL")

// CopyFrom bulk-loads r into table (SQL, see QualifiedTable) in the
// session's transaction with COPY … FROM STDIN, streaming: memory stays
// bounded whatever r's size. columns, when given, are the target columns
// (as SQL identifiers). It returns the rows loaded. A row PostgreSQL
// rejects fails the whole COPY with an error naming the line.
func (s *Session) CopyFrom(ctx context.Context, table string, columns []string, r io.Reader, opts CopyOptions) (int64, error) {
	if s.node.conn.Dialect != PostgreSQL {
		return 0, fmt.Errorf("%s: %w (this is %s)", s.node.name, ErrNoCopy, s.node.conn.Dialect)
	}
	if s.done {
		return 0, fmt.Errorf("%s: %w", s.node.name, errDone)
	}
	var rows int64
	err := s.conn.Raw(func(dc any) error {
		c, ok := dc.(*stdlib.Conn)
		if !ok {
			return fmt.Errorf("the connection is a %T, not pgx", dc)
		}
		tag, err := c.Conn().PgConn().CopyFrom(ctx, r, opts.statement(table, columns))
		rows = tag.RowsAffected()
		return err
	})
	return rows, s.copyErr(table, err)
}

// copyErr names the node, table and (from PostgreSQL's context) line.
func (s *Session) copyErr(table string, err error) error {
	var pe *pgconn.PgError
	if errors.As(err, &pe) && pe.Where != "" && !isMissingTable(err) {
		return &format.RowError{Source: s.node.name + " " + table, Err: fmt.Errorf("%s (%s)", pe.Message, pe.Where)}
	}
	if err != nil {
		return s.node.dbErr("copy into "+table, err)
	}
	return nil
}

// Load bulk-loads r into the node's table in a new transaction (emptying
// it first for Replace) and commits. It is the COPY path of CopyActivity
// and RedshiftCopyActivity into PostgreSQL.
func (n *Node) Load(ctx context.Context, mode datanode.WriteMode, r io.Reader, opts CopyOptions) (int64, error) {
	s, err := n.Begin(ctx)
	if err != nil {
		return 0, err
	}
	if err := n.Prepare(ctx, s, mode); err != nil {
		return 0, errors.Join(err, s.Rollback(ctx))
	}
	rows, err := s.CopyFrom(ctx, n.QualifiedTable(), nil, r, opts)
	if err != nil {
		return 0, errors.Join(err, s.Rollback(ctx))
	}
	return rows, s.Commit(ctx)
}
