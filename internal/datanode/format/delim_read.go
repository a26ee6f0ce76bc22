package format

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
)

// readBufferSize is the buffer of every reader; records may be longer.
const readBufferSize = 64 << 10

// delimReader reads CSV, TSV and Custom records.
type delimReader struct {
	f      *Format
	br     *bufio.Reader
	source string
	row    int64
	sep    []byte
	line   []byte  // raw bytes of the record being read
	out    []byte  // unescaped field contents
	fields []field // field boundaries in out
	slab   []Field // preallocated fields that records are cut from
}

// field is one parsed field: out[start:end], or Null.
type field struct {
	start, end int
	null       bool
}

// errIncomplete means the record continues past the record separator
// (an open quote or an escaped separator).
var errIncomplete = errors.New("incomplete record")

// newDelimReader returns a reader of f's delimited layout.
func newDelimReader(f *Format, r io.Reader, source string) *delimReader {
	return &delimReader{f: f, br: bufio.NewReaderSize(r, readBufferSize), source: source, sep: []byte(f.ColumnSeparator)}
}

// Read returns the next record, skipping empty lines (and the header when
// f.Header is set).
func (r *delimReader) Read() (Record, error) {
	for {
		if err := r.readRecord(); err != nil {
			return nil, err
		}
		r.row++
		if len(r.fields) == 1 && r.fields[0].start == r.fields[0].end && len(r.line) <= 2 {
			continue // an empty line
		}
		if r.f.Header && r.row == 1 {
			continue
		}
		return r.record()
	}
}

// readRecord reads raw lines until they form a complete record, parsed
// into r.out and r.fields.
func (r *delimReader) readRecord() error {
	r.line = r.line[:0]
	sep := r.f.RecordSeparator
	for {
		chunk, err := r.br.ReadSlice(sep)
		r.line = append(r.line, chunk...)
		switch {
		case errors.Is(err, bufio.ErrBufferFull):
			continue
		case errors.Is(err, io.EOF):
			if len(r.line) == 0 {
				return io.EOF
			}
			if perr := r.parse(r.trimmed(r.line), true); perr != nil {
				return r.rowErr(r.row+1, perr)
			}
			return nil
		case err != nil:
			return fmt.Errorf("%s: %w", r.source, err)
		}
		body := r.trimmed(r.line[:len(r.line)-1])
		perr := r.parse(body, false)
		if perr == nil {
			return nil
		}
		if !errors.Is(perr, errIncomplete) {
			return r.rowErr(r.row+1, perr)
		}
	}
}

// trimmed drops the \r of a \r\n record end, unless it is escaped.
func (r *delimReader) trimmed(b []byte) []byte {
	if r.f.RecordSeparator != '\n' || len(b) == 0 || b[len(b)-1] != '\r' {
		return b
	}
	escapes := 0
	for i := len(b) - 2; i >= 0 && r.f.EscapeChar != 0 && b[i] == r.f.EscapeChar; i-- {
		escapes++
	}
	if escapes%2 == 1 {
		return b
	}
	return b[:len(b)-1]
}

// parse splits body into fields. final says no more input follows, so
// an open quote is an error rather than errIncomplete.
func (r *delimReader) parse(body []byte, final bool) error {
	r.out, r.fields = r.out[:0], r.fields[:0]
	i := 0
	for {
		next, fl, err := r.parseField(body, i, final)
		if err != nil {
			return err
		}
		r.fields = append(r.fields, fl)
		if next >= len(body) {
			return nil
		}
		i = next + len(r.sep)
	}
}

// parseField parses the field starting at body[i] and returns the index
// of the separator after it (len(body) at the end).
func (r *delimReader) parseField(body []byte, i int, final bool) (int, field, error) {
	fl := field{start: len(r.out)}
	raw := i
	quoted := false
	if r.f.Quote && i < len(body) && body[i] == '"' {
		var err error
		if i, err = r.parseQuoted(body, i+1, final); err != nil {
			return 0, fl, err
		}
		quoted = true
	}
	for i < len(body) {
		if k := r.plainRun(body[i:]); k > 0 {
			r.out = append(r.out, body[i:i+k]...)
			i += k
			continue
		}
		if bytes.HasPrefix(body[i:], r.sep) {
			break
		}
		c := body[i]
		if c != r.f.EscapeChar || r.f.EscapeChar == 0 {
			r.out = append(r.out, c)
			i++
			continue
		}
		if i+1 == len(body) {
			if !final {
				return 0, fl, errIncomplete // the record separator is escaped
			}
			r.out = append(r.out, c)
			i++
			continue
		}
		r.out = append(r.out, r.escaped(body[i+1]))
		i += 2
	}
	fl.end = len(r.out)
	fl.null = r.isNull(body[raw:i], quoted)
	return i, fl, nil
}

// plainRun returns how many leading bytes of b hold neither the
// separator's first byte nor the escape character.
func (r *delimReader) plainRun(b []byte) int {
	k := bytes.IndexByte(b, r.sep[0])
	if k < 0 {
		k = len(b)
	}
	if r.f.EscapeChar != 0 {
		if e := bytes.IndexByte(b[:k], r.f.EscapeChar); e >= 0 {
			k = e
		}
	}
	return k
}

// parseQuoted parses a quoted field's contents from body[i] (after the
// opening quote) and returns the index after the closing quote.
func (r *delimReader) parseQuoted(body []byte, i int, final bool) (int, error) {
	for {
		if i >= len(body) {
			if final {
				return 0, fmt.Errorf("a quoted field is not closed")
			}
			return 0, errIncomplete
		}
		c := body[i]
		switch {
		case c == '"' && i+1 < len(body) && body[i+1] == '"':
			r.out = append(r.out, '"')
			i += 2
		case c == '"':
			return i + 1, nil
		case c == r.f.EscapeChar && r.f.EscapeChar != 0 && i+1 < len(body):
			r.out = append(r.out, body[i+1])
			i += 2
		default:
			r.out = append(r.out, c)
			i++
		}
	}
}

// escaped is what an escaped character stands for: TSV (no quoting)
// gives t, n and r their PostgreSQL text meaning; any other character
// stands for itself.
func (r *delimReader) escaped(c byte) byte {
	if r.f.Quote {
		return c
	}
	switch c {
	case 't':
		return '\t'
	case 'n':
		return '\n'
	case 'r':
		return '\r'
	}
	return c
}

// isNull reports whether a field's raw text reads as Null.
func (r *delimReader) isNull(raw []byte, quoted bool) bool {
	if r.f.Quote {
		return !quoted && len(raw) == 0
	}
	return r.f.NullMarker != "" && string(raw) == r.f.NullMarker
}

// record turns the parsed fields into a Record, typed by the columns.
func (r *delimReader) record() (Record, error) {
	cols := r.f.Columns
	if cols != nil && len(r.fields) != len(cols) {
		return nil, r.rowErr(r.row, fmt.Errorf("%d fields, but %s lists %d columns", len(r.fields), r.f.Name(), len(cols)))
	}
	text := string(r.out)
	rec := r.newRecord(len(r.fields))
	for i, fl := range r.fields {
		if fl.null {
			rec[i].Name = colName(cols, i)
			continue
		}
		v, err := typed(text[fl.start:fl.end], colKind(cols, i))
		if err != nil {
			return nil, &RowError{Source: r.source, Row: r.row, Column: colLabel(cols, i), Err: err}
		}
		rec[i] = Field{Name: colName(cols, i), Value: v}
	}
	return rec, nil
}

// slabRecords is how many records' fields one slab holds.
const slabRecords = 128

// newRecord cuts a record of n fields from the slab (one allocation per
// slabRecords records instead of one per record).
func (r *delimReader) newRecord(n int) Record {
	if len(r.slab) < n {
		r.slab = make([]Field, n*slabRecords)
	}
	rec := Record(r.slab[:n:n])
	r.slab = r.slab[n:]
	return rec
}

// rowErr wraps err as the RowError of row n.
func (r *delimReader) rowErr(n int64, err error) error {
	return &RowError{Source: r.source, Row: n, Err: err}
}

// colName is column i's name, or "" without columns.
func colName(cols []Column, i int) string {
	if i < len(cols) {
		return cols[i].Name
	}
	return ""
}

// colLabel names column i in errors: its name, else its 1-based number.
func colLabel(cols []Column, i int) string {
	if i < len(cols) {
		return cols[i].Name
	}
	return fmt.Sprint(i + 1)
}

// colKind is column i's kind (String without columns).
func colKind(cols []Column, i int) Kind {
	if i < len(cols) {
		return cols[i].Kind
	}
	return String
}
