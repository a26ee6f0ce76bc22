package format

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// regexReader reads RegEx records: one per line, split by inputRegEx's
// groups (the whole line must match).
type regexReader struct {
	f      *Format
	br     *bufio.Reader
	source string
	row    int64
}

// newRegexReader returns a RegEx reader.
func newRegexReader(f *Format, r io.Reader, source string) *regexReader {
	return &regexReader{f: f, br: bufio.NewReaderSize(r, readBufferSize), source: source}
}

// Read returns the next line's groups as a record; a line that does not
// match is a RowError.
func (r *regexReader) Read() (Record, error) {
	if r.f.InputRegEx == nil {
		return nil, fmt.Errorf("%s: %s has no inputRegEx to read with", r.source, r.f.Name())
	}
	for {
		line, err := readLine(r.br, r.f.RecordSeparator)
		if err != nil {
			return nil, wrapSource(r.source, err)
		}
		r.row++
		if line == "" || (r.f.Header && r.row == 1) {
			continue
		}
		m := r.f.InputRegEx.FindStringSubmatchIndex(line)
		if m == nil {
			return nil, &RowError{Source: r.source, Row: r.row, Err: fmt.Errorf("the line does not match inputRegEx")}
		}
		return r.record(line, m)
	}
}

// record builds the record of one match.
func (r *regexReader) record(line string, m []int) (Record, error) {
	cols := r.f.Columns
	n := len(m)/2 - 1
	rec := make(Record, n)
	for i := range n {
		rec[i].Name = colName(cols, i)
		if m[2*i+2] < 0 {
			continue
		}
		v, err := typed(line[m[2*i+2]:m[2*i+3]], colKind(cols, i))
		if err != nil {
			return nil, &RowError{Source: r.source, Row: r.row, Column: colLabel(cols, i), Err: err}
		}
		rec[i].Value = v
	}
	return rec, nil
}

// regexWriter writes RegEx records with outputFormat.
type regexWriter struct {
	f      *Format
	bw     *bufio.Writer
	source string
	row    int64
	parts  []formatPart
	err    error
}

// formatPart is a literal, or the 0-based argument index to insert.
type formatPart struct {
	lit string
	arg int
}

// newRegexWriter returns a RegEx writer.
func newRegexWriter(f *Format, w io.Writer, source string) *regexWriter {
	rw := &regexWriter{f: f, bw: bufio.NewWriterSize(w, writeBufferSize), source: source}
	rw.parts, rw.err = parseJavaFormat(f.OutputFormat)
	if f.OutputFormat == "" {
		rw.err = fmt.Errorf("%s has no outputFormat to write with", f.Name())
	}
	return rw
}

// Write formats one record (in column order) with outputFormat.
func (w *regexWriter) Write(rec Record) error {
	if w.err != nil {
		return fmt.Errorf("%s: %w", w.source, w.err)
	}
	w.row++
	vals := ordered(w.f.Columns, rec)
	for _, p := range w.parts {
		if p.arg < 0 {
			w.bw.WriteString(p.lit)
			continue
		}
		if p.arg >= len(vals) {
			return &RowError{Source: w.source, Row: w.row, Err: fmt.Errorf("outputFormat refers to field %d of %d", p.arg+1, len(vals))}
		}
		w.bw.WriteString(vals[p.arg].Text())
	}
	return w.bw.WriteByte(w.f.RecordSeparator)
}

// Flush writes buffered records.
func (w *regexWriter) Flush() error { return w.bw.Flush() }

// parseJavaFormat parses the subset of java.util.Formatter syntax that
// outputFormat uses: %1$s (explicit index), %s (next), %% and %n.
func parseJavaFormat(s string) ([]formatPart, error) {
	var parts []formatPart
	next := 0
	for {
		i := strings.IndexByte(s, '%')
		if i < 0 {
			return appendLit(parts, s), nil
		}
		parts = appendLit(parts, s[:i])
		spec, rest, err := cutSpec(s[i+1:])
		if err != nil {
			return nil, fmt.Errorf("outputFormat: %w", err)
		}
		s = rest
		switch {
		case spec == "%":
			parts = appendLit(parts, "%")
		case spec == "n":
			parts = appendLit(parts, "\n")
		case spec == "s" || spec == "S":
			parts = append(parts, formatPart{arg: next})
			next++
		default:
			idx, err := strconv.Atoi(strings.TrimSuffix(strings.TrimSuffix(spec, "s"), "$"))
			if err != nil || idx < 1 {
				return nil, fmt.Errorf("outputFormat: %%%s is not supported (use %%1$s)", spec)
			}
			parts = append(parts, formatPart{arg: idx - 1})
		}
	}
}

// cutSpec splits a conversion ("1$s", "s", "%") off the text after a %.
func cutSpec(s string) (spec, rest string, err error) {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '%' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') {
			return s[:i+1], s[i+1:], nil
		}
	}
	return "", "", fmt.Errorf("a %% conversion is not finished")
}

// appendLit appends a literal part unless it is empty.
func appendLit(parts []formatPart, s string) []formatPart {
	if s == "" {
		return parts
	}
	return append(parts, formatPart{lit: s, arg: -1})
}

// readLine reads one record-separated line without its separator (and
// without a \r before a \n); io.EOF only when nothing is left.
func readLine(br *bufio.Reader, sep byte) (string, error) {
	b, err := br.ReadBytes(sep)
	if err != nil && !errors.Is(err, io.EOF) {
		return "", err
	}
	if len(b) == 0 && err != nil {
		return "", io.EOF
	}
	b = trimSep(b, sep)
	return string(b), nil
}

// trimSep drops the separator (and \r before \n) from a line's end.
func trimSep(b []byte, sep byte) []byte {
	if len(b) > 0 && b[len(b)-1] == sep {
		b = b[:len(b)-1]
	}
	if sep == '\n' && len(b) > 0 && b[len(b)-1] == '\r' {
		b = b[:len(b)-1]
	}
	return b
}

// wrapSource prefixes a read error with the source, leaving io.EOF as is.
func wrapSource(source string, err error) error {
	if errors.Is(err, io.EOF) {
		return io.EOF
	}
	return fmt.Errorf("%s: %w", source, err)
}
