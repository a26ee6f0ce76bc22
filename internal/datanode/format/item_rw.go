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
	bw     *bufio.Writer
	row    int64
	source string
	b      strings.Builder
}

// newItemWriter returns an export-format writer.
func newItemWriter(_ *Format, w io.Writer, source string) *itemWriter {
	return &itemWriter{bw: bufio.NewWriterSize(w, writeBufferSize), source: source}
}

// Write writes rec as one item line. Unnamed fields cannot be attributes
// and fail.
func (w *itemWriter) Write(rec Record) error {
	w.row++
	for i, f := range rec {
		if f.Name == "" {
			return &RowError{Source: w.source, Row: w.row, Column: colLabel(nil, i), Err: errors.New("a field without a name cannot be an item attribute; give the input format a column list")}
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
