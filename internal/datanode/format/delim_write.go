package format

import (
	"bufio"
	"fmt"
	"io"
	"strings"
)

// writeBufferSize is the buffer of every writer.
const writeBufferSize = 64 << 10

// delimWriter writes CSV, TSV and Custom records.
type delimWriter struct {
	f      *Format
	bw     *bufio.Writer
	source string
	row    int64
	// special holds the bytes that need quoting or escaping.
	special string
}

// newDelimWriter returns a writer of f's delimited layout.
func newDelimWriter(f *Format, w io.Writer, source string) *delimWriter {
	special := f.ColumnSeparator + string(f.RecordSeparator) + "\r\n"
	if f.Quote {
		special += `"`
	}
	if f.EscapeChar != 0 {
		special += string(f.EscapeChar)
	}
	return &delimWriter{f: f, bw: bufio.NewWriterSize(w, writeBufferSize), source: source, special: special}
}

// Write writes one record: its fields in column order when the format
// has columns (a missing field is Null), else in record order.
func (w *delimWriter) Write(rec Record) error {
	if w.row == 0 && w.f.Header {
		if err := w.writeHeader(rec); err != nil {
			return err
		}
	}
	w.row++
	n := len(rec)
	if w.f.Columns != nil {
		n = len(w.f.Columns)
	}
	for i := range n {
		if i > 0 {
			w.bw.WriteString(w.f.ColumnSeparator)
		}
		if err := w.writeValue(fieldAt(w.f.Columns, rec, i)); err != nil {
			return &RowError{Source: w.source, Row: w.row, Column: colLabelRec(w.f.Columns, rec, i), Err: err}
		}
	}
	return w.bw.WriteByte(w.f.RecordSeparator)
}

// writeHeader writes the column names (or the first record's names).
func (w *delimWriter) writeHeader(rec Record) error {
	names := rec.Names()
	if w.f.Columns != nil {
		names = columnNames(w.f.Columns)
	}
	for i, n := range names {
		if i > 0 {
			w.bw.WriteString(w.f.ColumnSeparator)
		}
		if err := w.writeValue(Str(n)); err != nil {
			return &RowError{Source: w.source, Row: 0, Column: n, Err: err}
		}
	}
	return w.bw.WriteByte(w.f.RecordSeparator)
}

// writeValue writes one field.
func (w *delimWriter) writeValue(v Value) error {
	if v.Kind == Null {
		if !w.f.Quote {
			w.bw.WriteString(w.f.NullMarker)
		}
		return nil
	}
	s := v.Text()
	switch {
	case w.f.Quote && w.f.EscapeChar == 0:
		w.writeQuoted(s)
	case w.f.Quote && s == "":
		w.bw.WriteString(`""`)
	case w.f.EscapeChar != 0:
		w.writeEscaped(s)
	case strings.ContainsAny(s, w.special) || (s == w.f.NullMarker && s != ""):
		return fmt.Errorf("the value %q holds a separator and %s has no escapeChar", s, w.f.Name())
	default:
		w.bw.WriteString(s)
	}
	return nil
}

// writeQuoted writes s as an RFC 4180 field, quoted when needed (and
// always when empty, which tells it from Null).
func (w *delimWriter) writeQuoted(s string) {
	if s != "" && !strings.ContainsAny(s, w.special) {
		w.bw.WriteString(s)
		return
	}
	w.bw.WriteByte('"')
	w.bw.WriteString(strings.ReplaceAll(s, `"`, `""`))
	w.bw.WriteByte('"')
}

// writeEscaped writes s with the escape character before every special
// byte; without quoting, tab, newline and carriage return become \t, \n
// and \r (PostgreSQL text format), and a value that would read back as
// the null marker is escaped.
func (w *delimWriter) writeEscaped(s string) {
	esc := w.f.EscapeChar
	if !w.f.Quote && s == w.f.NullMarker && s != "" && !strings.ContainsAny(s, w.special) {
		w.bw.WriteByte(esc)
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if strings.IndexByte(w.special, c) < 0 {
			w.bw.WriteByte(c)
			continue
		}
		w.bw.WriteByte(esc)
		w.bw.WriteByte(w.escapeLetter(c))
	}
}

// escapeLetter is what follows the escape character for c.
func (w *delimWriter) escapeLetter(c byte) byte {
	if w.f.Quote {
		return c
	}
	switch c {
	case '\t':
		return 't'
	case '\n':
		return 'n'
	case '\r':
		return 'r'
	}
	return c
}

// Flush writes buffered records.
func (w *delimWriter) Flush() error { return w.bw.Flush() }

// fieldAt is output field i: rec's field i without columns, else the
// value of column i (by name, or by position for unnamed fields; Null
// when missing).
func fieldAt(cols []Column, rec Record, i int) Value {
	if cols == nil {
		return rec[i].Value
	}
	if i < len(rec) && (rec[i].Name == cols[i].Name || rec[i].Name == "") {
		return rec[i].Value
	}
	v, _ := rec.Get(cols[i].Name)
	return v
}

// ordered returns rec's values in column order (by name, Null when
// missing), or in record order without columns.
func ordered(cols []Column, rec Record) []Value {
	out := make([]Value, 0, max(len(cols), len(rec)))
	if cols == nil {
		for _, f := range rec {
			out = append(out, f.Value)
		}
		return out
	}
	for i, c := range cols {
		if i < len(rec) && (rec[i].Name == c.Name || rec[i].Name == "") {
			out = append(out, rec[i].Value)
			continue
		}
		v, _ := rec.Get(c.Name)
		out = append(out, v)
	}
	return out
}

// colLabelRec names output field i in errors.
func colLabelRec(cols []Column, rec Record, i int) string {
	if cols == nil && i < len(rec) && rec[i].Name != "" {
		return rec[i].Name
	}
	return colLabel(cols, i)
}
