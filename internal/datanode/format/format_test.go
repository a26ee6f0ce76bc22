package format_test

import (
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/datapipe/datapipe/internal/datanode/format"
	"github.com/datapipe/datapipe/internal/pipeline"
)

// obj builds a pipeline object from key/value pairs; "column" may repeat.
func obj(id, typ string, kv ...string) pipeline.Object {
	o := pipeline.Object{ID: id, Name: id, Fields: []pipeline.Field{pipeline.String("type", typ)}}
	for i := 0; i+1 < len(kv); i += 2 {
		o.Fields = append(o.Fields, pipeline.String(kv[i], kv[i+1]))
	}
	return o
}

// mustNew parses a format object or fails the test.
func mustNew(t *testing.T, o pipeline.Object) *format.Format {
	t.Helper()
	f, err := format.New(o)
	if err != nil {
		t.Fatalf("New(%s): %v", o.ID, err)
	}
	return f
}

// readAll reads every record of data.
func readAll(f *format.Format, data string) ([]format.Record, error) {
	r := f.NewReader(strings.NewReader(data), "test.csv")
	var out []format.Record
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return out, err
		}
		out = append(out, rec)
	}
}

// writeAll writes records and returns the bytes.
func writeAll(t *testing.T, f *format.Format, recs []format.Record) string {
	t.Helper()
	var b strings.Builder
	w := f.NewWriter(&b, "out")
	for _, r := range recs {
		if err := w.Write(r); err != nil {
			t.Fatalf("Write: %v", err)
		}
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// texts renders records as [][]string, Null as "<nil>".
func texts(recs []format.Record) [][]string {
	var out [][]string
	for _, r := range recs {
		var row []string
		for _, f := range r {
			if f.Value.IsNull() {
				row = append(row, "<nil>")
				continue
			}
			row = append(row, f.Value.Text())
		}
		out = append(out, row)
	}
	return out
}

func TestNew(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		tests := []struct {
			obj     pipeline.Object
			sep     string
			rec     byte
			esc     byte
			columns int
		}{
			{obj("c", "CSV", "column", "a STRING", "column", "b INT"), ",", '\n', 0, 2},
			{obj("t", "TSV"), "\t", '\n', '\\', 0},
			{obj("t2", "TSV", "columnSeparator", "|", "recordSeparator", `\n`, "escapeChar", "!"), "|", '\n', '!', 0},
			{obj("cu", "Custom", "columnSeparator", `\u0001`), "\x01", '\n', 0, 0},
			{obj("cu2", "Custom", "columnSeparator", "||", "recordSeparator", ";"), "||", ';', 0, 0},
		}
		for _, tt := range tests {
			f := mustNew(t, tt.obj)
			if f.ColumnSeparator != tt.sep || f.RecordSeparator != tt.rec || f.EscapeChar != tt.esc || len(f.Columns) != tt.columns {
				t.Errorf("%s: got sep %q rec %q esc %q cols %d", tt.obj.ID, f.ColumnSeparator, f.RecordSeparator, f.EscapeChar, len(f.Columns))
			}
		}
	})
	t.Run("ErrInvalid", func(t *testing.T) {
		tests := []struct {
			obj  pipeline.Object
			want string
		}{
			{obj("X", "Parquet"), `Parquet X: "Parquet" is not a data format type`},
			{obj("C", "Custom"), "Custom C: columnSeparator is required"},
			{obj("T", "TSV", "recordSeparator", "ab"), `TSV T: recordSeparator "ab" is not a single character`},
			{obj("R", "RegEx", "inputRegEx", "(a"), "RegEx R: inputRegEx: error parsing regexp"},
			{obj("R2", "RegEx", "inputRegEx", "(a)(b)", "column", "x"), "RegEx R2: inputRegEx has 2 groups but the format lists 1 columns"},
			{obj("D", "CSV", "column", "a", "column", "a INT"), `CSV D: column 2: "a" is listed twice`},
			{obj("S", "TSV", "columnSeparator", `\n`), `TSV S: columnSeparator "\n" contains the recordSeparator`},
		}
		for _, tt := range tests {
			_, err := format.New(tt.obj)
			if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
				t.Errorf("%s: got %v, want %q", tt.obj.ID, err, tt.want)
			}
		}
	})
}

func TestSame(t *testing.T) {
	a := mustNew(t, obj("a", "CSV", "column", "x INT"))
	b := mustNew(t, obj("b", "CSV", "column", "x INT"))
	c := mustNew(t, obj("c", "TSV", "column", "x INT"))
	if !format.Same(a, b) || format.Same(a, c) || !format.Same(nil, nil) || format.Same(a, nil) {
		t.Error("Same is wrong")
	}
}
