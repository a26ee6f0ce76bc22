package format

import (
	"bufio"
	"errors"
	"io"
	"strings"
)

// itemReader reads DynamoDB export files: one JSON item per line.
type itemReader struct {
	f      *Format
	br     *bufio.Reader
	source string
	row    int64
}

// newItemReader returns an export-format reader.
func newItemReader(f *Format, r io.Reader, source string) *itemReader {
	return &itemReader{f: f, br: bufio.NewReaderSize(r, readBufferSize), source: source}
}

// Read returns the next item, skipping blank lines.
func (r *itemReader) Read() (Record, error) {
	for {
		line, err := r.br.ReadBytes('\n')
		if err != nil && !errors.Is(err, io.EOF) {
			return nil, wrapSource(r.source, err)
		}
		if len(line) == 0 && err != nil {
			return nil, io.EOF
		}
		r.row++
		line = trimSep(line, '\n')
		if len(strings.TrimSpace(string(line))) == 0 {
			continue
		}
		rec, perr := ParseItemJSON(line)
		if perr != nil {
			return nil, &RowError{Source: r.source, Row: r.row, Err: perr}
		}
		return rec, nil
	}
}

// itemWriter writes DynamoDB export files.
type itemWriter struct {
	f      *Format
	bw     *bufio.Writer
	row    int64
	source string
	b      strings.Builder
}

// newItemWriter returns an export-format writer.
func newItemWriter(f *Format, w io.Writer, source string) *itemWriter {
	return &itemWriter{f: f, bw: bufio.NewWriterSize(w, writeBufferSize), source: source}
}

// Write writes rec as one item line. Unnamed fields cannot be attributes
// and fail. With a column list, String values of Number, Bool and Binary
// columns are converted (a CSV field "5" of a "count BIGINT" column
// becomes {"n":"5"}), and Null fields are left out, as Hive writes them.
func (w *itemWriter) Write(rec Record) error {
	w.row++
	for i, f := range rec {
		if f.Name == "" {
			return &RowError{Source: w.source, Row: w.row, Column: colLabel(nil, i), Err: errors.New("a field without a name cannot be an item attribute; give the input format a column list")}
		}
	}
	if w.f.Columns != nil {
		var err error
		if rec, err = w.typed(rec); err != nil {
			return err
		}
	}
	w.b.Reset()
	AppendItemJSON(&w.b, rec)
	w.b.WriteByte('\n')
	_, err := w.bw.WriteString(w.b.String())
	return err
}

// Flush writes buffered items.
func (w *itemWriter) Flush() error { return w.bw.Flush() }

// typed converts rec's String values to their columns' kinds and drops
// Null fields.
func (w *itemWriter) typed(rec Record) (Record, error) {
	out := make(Record, 0, len(rec))
	for _, f := range rec {
		if f.Value.Kind == Null {
			continue
		}
		if c, ok := w.column(f.Name); ok && f.Value.Kind == String && c.Kind != String {
			v, err := typed(f.Value.Str, c.Kind)
			if err != nil {
				return nil, &RowError{Source: w.source, Row: w.row, Column: f.Name, Err: err}
			}
			f.Value = v
		}
		out = append(out, f)
	}
	return out, nil
}

// column finds a column by name.
func (w *itemWriter) column(name string) (Column, bool) {
	for _, c := range w.f.Columns {
		if c.Name == name {
			return c, true
		}
	}
	return Column{}, false
}
