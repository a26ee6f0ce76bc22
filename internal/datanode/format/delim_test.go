package format_test

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/datapipe/datapipe/internal/datanode/format"
)

func TestReader_Read(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		tests := []struct {
			name string
			f    *format.Format
			in   string
			want [][]string
		}{
			{"csv plain", format.CSV(), "a,b,c\n1,2,3\n", [][]string{{"a", "b", "c"}, {"1", "2", "3"}}},
			{"csv no final newline", format.CSV(), "a,b\n1,2", [][]string{{"a", "b"}, {"1", "2"}}},
			{"csv crlf", format.CSV(), "a,b\r\n1,2\r\n", [][]string{{"a", "b"}, {"1", "2"}}},
			{"csv quoted", format.CSV(), "\"a,1\",\"say \"\"hi\"\"\",\"x\ny\"\n", [][]string{{"a,1", `say "hi"`, "x\ny"}}},
			{"csv null and empty", format.CSV(), "a,,\"\"\n", [][]string{{"a", "<nil>", ""}}},
			{"csv blank lines", format.CSV(), "a\n\n\nb\n", [][]string{{"a"}, {"b"}}},
			{"tsv escapes", format.TSV(), "a\\tb\t\\N\tx\\\\y\\nz\n", [][]string{{"a\tb", "<nil>", "x\\y\nz"}}},
			{"tsv escaped newline", format.TSV(), "a\\\nb\tc\n", [][]string{{"a\nb", "c"}}},
			{"custom", mustNew(t, obj("c", "Custom", "columnSeparator", "||", "recordSeparator", ";")), "a||b;c||\\N;", [][]string{{"a", "b"}, {"c", "<nil>"}}},
			{"csv escapeChar", mustNew(t, obj("e", "CSV", "escapeChar", `\`)), "a\\,b,c\n", [][]string{{"a,b", "c"}}},
			{"csv long line", format.CSV(), strings.Repeat("x", 200000) + ",y\n", [][]string{{strings.Repeat("x", 200000), "y"}}},
		}
		for _, tt := range tests {
			got, err := readAll(tt.f, tt.in)
			if err != nil {
				t.Fatalf("%s: %v", tt.name, err)
			}
			if !reflect.DeepEqual(texts(got), tt.want) {
				t.Errorf("%s: got %q, want %q", tt.name, texts(got), tt.want)
			}
		}
	})
	t.Run("OKTyped", func(t *testing.T) {
		f := mustNew(t, obj("F", "CSV", "column", "id INT", "column", "name", "column", "ok BOOLEAN"))
		got, err := readAll(f, "1,ann,true\n2.5e3,bob,0\n")
		if err != nil {
			t.Fatal(err)
		}
		want := format.Record{{Name: "id", Value: format.Num("2.5e3")}, {Name: "name", Value: format.Str("bob")}, {Name: "ok", Value: format.Value{Kind: format.Bool}}}
		if !reflect.DeepEqual(got[1], want) {
			t.Errorf("got %+v, want %+v", got[1], want)
		}
	})
	t.Run("OKHeader", func(t *testing.T) {
		f := format.CSV()
		f.Header = true
		got, err := readAll(f, "h1,h2\n1,2\n")
		if err != nil || !reflect.DeepEqual(texts(got), [][]string{{"1", "2"}}) {
			t.Errorf("got %q, %v", texts(got), err)
		}
	})
	t.Run("ErrMalformed", func(t *testing.T) {
		typedCSV := mustNew(t, obj("F", "CSV", "column", "id INT", "column", "name"))
		tests := []struct {
			name string
			f    *format.Format
			in   string
			want string
		}{
			{"not a number", typedCSV, "1,a\nx,b\n", `test.csv row 2 column id: "x" is not a number`},
			{"field count", typedCSV, "1,a\n2,b,c\n", "test.csv row 2: 3 fields, but CSV F lists 2 columns"},
			{"open quote", format.CSV(), "a\n\"b,c\n", "test.csv row 2: a quoted field is not closed"},
		}
		for _, tt := range tests {
			_, err := readAll(tt.f, tt.in)
			if err == nil || err.Error() != tt.want || !errors.Is(err, format.ErrMalformed) {
				t.Errorf("%s: got %v, want %q", tt.name, err, tt.want)
			}
		}
	})
}

func TestWriter_Write(t *testing.T) {
	rec := format.Record{
		{Name: "a", Value: format.Str("x,y")}, {Name: "b", Value: format.Value{}},
		{Name: "c", Value: format.Str("")}, {Name: "d", Value: format.Str("tab\there \"q\"\n")},
		{Name: "e", Value: format.Num("12")}, {Name: "f", Value: format.Str(`\N`)},
	}
	t.Run("OK", func(t *testing.T) {
		tests := []struct {
			name string
			f    *format.Format
			want string
		}{
			{"csv", format.CSV(), "\"x,y\",,\"\",\"tab\there \"\"q\"\"\n\",12,\\N\n"},
			{"tsv", format.TSV(), "x,y\t\\N\t\ttab\\there \"q\"\\n\t12\t\\\\N\n"},
			{"csv columns", mustNew(t, obj("C", "CSV", "column", "e", "column", "zz", "column", "a")), "12,,\"x,y\"\n"},
		}
		for _, tt := range tests {
			if got := writeAll(t, tt.f, []format.Record{rec}); got != tt.want {
				t.Errorf("%s: got %q, want %q", tt.name, got, tt.want)
			}
		}
	})
	t.Run("OKHeader", func(t *testing.T) {
		f := mustNew(t, obj("C", "CSV", "column", "e", "column", "a"))
		f.Header = true
		if got := writeAll(t, f, []format.Record{rec, rec}); got != "e,a\n12,\"x,y\"\n12,\"x,y\"\n" {
			t.Errorf("got %q", got)
		}
	})
	t.Run("ErrSeparator", func(t *testing.T) {
		f := mustNew(t, obj("C", "Custom", "columnSeparator", ","))
		w := f.NewWriter(&strings.Builder{}, "out.txt")
		err := w.Write(rec)
		if err == nil || err.Error() != `out.txt row 1 column a: the value "x,y" holds a separator and Custom C has no escapeChar` {
			t.Errorf("got %v", err)
		}
	})
}

// TestRoundTrip writes awkward values with each delimited format and
// reads them back unchanged.
func TestRoundTrip(t *testing.T) {
	values := []string{"", "plain", "a,b", "a\tb", "line\nbreak", "cr\rlf\r\n", `back\slash`, `\N`, `"quoted"`, "ünïcødé", "|;|"}
	var recs []format.Record
	for _, v := range values {
		recs = append(recs, format.Record{{Value: format.Str(v)}, {Value: format.Value{}}, {Value: format.Str(v + "2")}})
	}
	fs := map[string]*format.Format{
		"csv":        format.CSV(),
		"tsv":        format.TSV(),
		"csv escape": mustNew(t, obj("e", "CSV", "escapeChar", `\`)),
		"custom esc": mustNew(t, obj("c", "TSV", "columnSeparator", "|", "recordSeparator", ";")),
	}
	for name, f := range fs {
		data := writeAll(t, f, recs)
		got, err := readAll(f, data)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if !reflect.DeepEqual(texts(got), texts(recs)) {
			t.Errorf("%s: got %q, want %q\ndata %q", name, texts(got), texts(recs), data)
		}
	}
}
