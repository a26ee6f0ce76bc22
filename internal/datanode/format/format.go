package format

import (
	"fmt"
	"io"
	"regexp"
	"slices"
	"strings"

	"github.com/datapipe/datapipe/internal/pipeline"
)

// The data format object types (objects.md §5.6).
const (
	TypeCSV            = "CSV"
	TypeTSV            = "TSV"
	TypeCustom         = "Custom"
	TypeRegEx          = "RegEx"
	TypeDynamoDB       = "DynamoDBDataFormat"
	TypeDynamoDBExport = "DynamoDBExportDataFormat"
)

// Format is a parsed data format object: how records are laid out in a
// byte stream. Build one with New (from a pipeline object) or CSV/TSV;
// a Format is immutable once built and safe for concurrent use.
type Format struct {
	// ID is the data format object's id ("" for a built-in default).
	ID string
	// Type is one of the Type… constants.
	Type string
	// Columns is the column list; nil when the object declares none.
	Columns []Column

	// ColumnSeparator separates fields (CSV ",", TSV "\t").
	ColumnSeparator string
	// RecordSeparator ends records ('\n'). A "\r\n" ending is accepted
	// when it is '\n'.
	RecordSeparator byte
	// EscapeChar escapes the next character (0: none). In TSV it also
	// gives \t, \n, \r and \N (null) their PostgreSQL text meaning.
	EscapeChar byte
	// Quote enables RFC 4180 double-quote quoting (CSV).
	Quote bool
	// NullMarker is the raw field text that reads as Null (TSV and Custom:
	// \N). CSV reads an unquoted empty field as Null instead.
	NullMarker string
	// Header makes readers skip the first record and writers write the
	// column names first. Data format objects never set it; callers do
	// (RedshiftCopyActivity IGNOREHEADER, for instance).
	Header bool

	// InputRegEx and OutputFormat are the RegEx format's fields.
	InputRegEx   *regexp.Regexp
	OutputFormat string
}

// Reader reads records from one byte stream. Read returns io.EOF after
// the last record and a *RowError (matching ErrMalformed) for a record
// that cannot be parsed; the returned Record is the caller's to keep.
type Reader interface {
	Read() (Record, error)
}

// Writer writes records to one byte stream. Write buffers; Flush writes
// what is buffered to the underlying writer. A record that cannot be
// represented fails with a *RowError.
type Writer interface {
	Write(Record) error
	Flush() error
}

// New parses a data format object. Errors name the object and field
// ("CSV MyFormat: columnSeparator …"). Unknown types fail.
func New(obj pipeline.Object) (*Format, error) {
	f, err := build(obj)
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", obj.Type(), obj.ID, err)
	}
	return f, nil
}

// build does the work of New.
func build(obj pipeline.Object) (*Format, error) {
	cols, err := ParseColumns(stringValues(obj, "column"))
	if err != nil {
		return nil, err
	}
	if len(cols) == 0 {
		cols = nil
	}
	f := &Format{ID: obj.ID, Type: obj.Type(), Columns: cols, RecordSeparator: '\n'}
	switch f.Type {
	case TypeCSV:
		f.ColumnSeparator, f.Quote = ",", true
	case TypeTSV:
		f.ColumnSeparator, f.EscapeChar, f.NullMarker = "\t", '\\', `\N`
	case TypeCustom:
		f.NullMarker = `\N`
		if _, ok := obj.StringValue("columnSeparator"); !ok {
			return nil, fmt.Errorf("columnSeparator is required")
		}
	case TypeRegEx:
		return f, f.setRegEx(obj)
	case TypeDynamoDB, TypeDynamoDBExport:
		return f, nil
	default:
		return nil, fmt.Errorf("%q is not a data format type", f.Type)
	}
	return f, f.setSeparators(obj)
}

// setSeparators reads columnSeparator, recordSeparator and escapeChar.
func (f *Format) setSeparators(obj pipeline.Object) error {
	if v, ok := obj.StringValue("columnSeparator"); ok {
		sep := unescape(v)
		if sep == "" {
			return fmt.Errorf("columnSeparator is empty")
		}
		f.ColumnSeparator = sep
	}
	if v, ok := obj.StringValue("recordSeparator"); ok {
		b, err := singleChar("recordSeparator", v)
		if err != nil {
			return err
		}
		f.RecordSeparator = b
	}
	if v, ok := obj.StringValue("escapeChar"); ok {
		b, err := singleChar("escapeChar", v)
		if err != nil {
			return err
		}
		f.EscapeChar = b
	}
	if strings.IndexByte(f.ColumnSeparator, f.RecordSeparator) >= 0 {
		return fmt.Errorf("columnSeparator %q contains the recordSeparator", f.ColumnSeparator)
	}
	return nil
}

// setRegEx reads inputRegEx and outputFormat.
func (f *Format) setRegEx(obj pipeline.Object) error {
	f.OutputFormat, _ = obj.StringValue("outputFormat")
	re, ok := obj.StringValue("inputRegEx")
	if !ok {
		return nil
	}
	rx, err := regexp.Compile(`^(?:` + re + `)$`)
	if err != nil {
		return fmt.Errorf("inputRegEx: %w", err)
	}
	if f.Columns != nil && rx.NumSubexp() != len(f.Columns) {
		return fmt.Errorf("inputRegEx has %d groups but the format lists %d columns", rx.NumSubexp(), len(f.Columns))
	}
	f.InputRegEx = rx
	return nil
}

// CSV returns the default CSV format (no columns), used for nodes that
// name no dataFormat.
func CSV() *Format {
	return &Format{Type: TypeCSV, ColumnSeparator: ",", RecordSeparator: '\n', Quote: true}
}

// TSV returns the default TSV format (no columns).
func TSV() *Format {
	return &Format{Type: TypeTSV, ColumnSeparator: "\t", RecordSeparator: '\n', EscapeChar: '\\', NullMarker: `\N`}
}

// Name names the format in messages: "CSV MyFormat", or "CSV".
func (f *Format) Name() string {
	if f.ID == "" {
		return f.Type
	}
	return f.Type + " " + f.ID
}

// Same reports whether a and b lay records out identically, so that
// bytes can be copied from one to the other unchanged.
func Same(a, b *Format) bool {
	if a == nil || b == nil {
		return a == b
	}
	rxA, rxB := "", ""
	if a.InputRegEx != nil {
		rxA = a.InputRegEx.String()
	}
	if b.InputRegEx != nil {
		rxB = b.InputRegEx.String()
	}
	return a.Type == b.Type && a.ColumnSeparator == b.ColumnSeparator &&
		a.RecordSeparator == b.RecordSeparator && a.EscapeChar == b.EscapeChar &&
		a.Quote == b.Quote && a.NullMarker == b.NullMarker && a.Header == b.Header &&
		rxA == rxB && a.OutputFormat == b.OutputFormat && slices.Equal(a.Columns, b.Columns)
}

// IsItemFormat reports whether f is one of the DynamoDB formats, whose
// files hold one JSON item per line.
func (f *Format) IsItemFormat() bool {
	return f.Type == TypeDynamoDB || f.Type == TypeDynamoDBExport
}

// NewReader returns a Reader over r. source names the data in errors
// ("S3DataNode In s3://bucket/key").
func (f *Format) NewReader(r io.Reader, source string) Reader {
	switch {
	case f.IsItemFormat():
		return newItemReader(f, r, source)
	case f.Type == TypeRegEx:
		return newRegexReader(f, r, source)
	}
	return newDelimReader(f, r, source)
}

// NewWriter returns a Writer onto w. source names the data in errors.
func (f *Format) NewWriter(w io.Writer, source string) Writer {
	switch {
	case f.IsItemFormat():
		return newItemWriter(f, w, source)
	case f.Type == TypeRegEx:
		return newRegexWriter(f, w, source)
	}
	return newDelimWriter(f, w, source)
}

// stringValues returns every string value of key.
func stringValues(obj pipeline.Object, key string) []string {
	var out []string
	for _, fl := range obj.All(key) {
		if !fl.Ref {
			out = append(out, fl.Value)
		}
	}
	return out
}

// singleChar reads a one-character field value (after unescaping).
func singleChar(field, v string) (byte, error) {
	s := unescape(v)
	if len(s) != 1 {
		return 0, fmt.Errorf("%s %q is not a single character", field, v)
	}
	return s[0], nil
}

// unescape turns the escapes people write in separators (\t, \n, \r,
// \\, \0, \u0001) into the characters they stand for.
func unescape(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != '\\' || i+1 == len(s) {
			b.WriteByte(s[i])
			continue
		}
		i++
		switch s[i] {
		case 't':
			b.WriteByte('\t')
		case 'n':
			b.WriteByte('\n')
		case 'r':
			b.WriteByte('\r')
		case '0':
			b.WriteByte(0)
		case 'u':
			i += writeUnicodeEscape(&b, s[i+1:]) // consumes the 4 hex digits
		default:
			b.WriteByte(s[i])
		}
	}
	return b.String()
}

// writeUnicodeEscape writes the rune of the 4 hex digits at the start of
// s and returns 4, or writes "u" and returns 0 when they are not there.
func writeUnicodeEscape(b *strings.Builder, s string) int {
	var r rune
	if len(s) < 4 {
		b.WriteByte('u')
		return 0
	}
	for _, c := range s[:4] {
		d := strings.IndexRune("0123456789abcdef", c|0x20)
		if d < 0 {
			b.WriteByte('u')
			return 0
		}
		r = r*16 + rune(d)
	}
	b.WriteRune(r)
	return 4
}
