package format_test

import (
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/datapipe/datapipe/internal/datanode/format"
)

func TestItemFormat_Read(t *testing.T) {
	f := mustNew(t, obj("E", format.TypeDynamoDBExport))
	t.Run("OKRoundTrip", func(t *testing.T) {
		golden, err := os.ReadFile("testdata/export_v1.json")
		if err != nil {
			t.Fatal(err)
		}
		recs, err := readAll(f, string(golden))
		if err != nil {
			t.Fatal(err)
		}
		if len(recs) != 2 || recs[0][0].Value.Str != "a\"b\\c\x01 \u2028" || recs[0][1].Value.Kind != format.NumberSet || recs[0][3].Value.Str != "\x00\x01" {
			t.Fatalf("got %+v", recs)
		}
		if got := writeAll(t, f, recs); got != string(golden) {
			t.Errorf("rewritten:\n%s\nwant:\n%s", got, golden)
		}
	})
	t.Run("OKOtherSpellings", func(t *testing.T) {
		want := format.Record{{Name: "id", Value: format.Str("Seattle")}, {Name: "scores", Value: format.Value{Kind: format.NumberSet, List: []format.Value{format.Num("100"), format.Num("30")}}}}
		for _, line := range []string{
			`{"id":{"S":"Seattle"},"scores":{"NS":["100","30"]}}`,
			"id\x03{\"s\":\"Seattle\"}\x02scores\x03{\"nS\":[\"100\",\"30\"]}",
			`{"id":{"s":"Seattle"},"scores":{"ns":[100,30]}}`,
		} {
			got, err := format.ParseItemJSON([]byte(line))
			if err != nil || !reflect.DeepEqual(got, want) {
				t.Errorf("%q: got %+v, %v", line, got, err)
			}
		}
	})
	t.Run("ErrMalformed", func(t *testing.T) {
		tests := map[string]string{
			`{"a":{"s":"x"}}` + "\n" + `{"a":{"x":"y"}}`: "in.json row 2: attribute a: x: unknown attribute type",
			`{"a":{"n":"abc"}}`:                          `in.json row 1: attribute a: n: "abc" is not a number`,
			`{"a":{"s":"x"}`:                             "in.json row 1: unexpected EOF",
			`{"a":{}}`:                                   "in.json row 1: attribute a: an attribute value without a type",
		}
		for in, want := range tests {
			r := f.NewReader(strings.NewReader(in), "in.json")
			var err error
			for err == nil {
				_, err = r.Read()
			}
			if err.Error() != want {
				t.Errorf("%q: got %v, want %q", in, err, want)
			}
		}
	})
}

func TestItemFormat_Write(t *testing.T) {
	f := mustNew(t, obj("E", format.TypeDynamoDBExport))
	t.Run("ErrUnnamed", func(t *testing.T) {
		w := f.NewWriter(&strings.Builder{}, "out")
		if err := w.Write(format.Record{{Value: format.Str("x")}}); err == nil || !strings.Contains(err.Error(), "out row 1 column 1: a field without a name") {
			t.Errorf("got %v", err)
		}
	})
}

func TestExportManifest(t *testing.T) {
	var b strings.Builder
	if err := format.WriteExportManifest(&b, []string{"s3://b/p/1", "s3://b/p/2"}); err != nil {
		t.Fatal(err)
	}
	want := "{\"name\":\"DynamoDB-export\",\"version\":3,\n\"entries\": [\n{\"url\":\"s3://b/p/1\",\"mandatory\":true},\n{\"url\":\"s3://b/p/2\",\"mandatory\":true}\n]}"
	if b.String() != want {
		t.Errorf("got %q", b.String())
	}
	m, err := format.ReadManifest(strings.NewReader(b.String()))
	if err != nil || m.Version != 3 || len(m.Entries) != 2 || m.Entries[1].URL != "s3://b/p/2" {
		t.Errorf("ReadManifest: %+v, %v", m, err)
	}
	if _, err := format.ReadManifest(strings.NewReader(`{"entries":[{"mandatory":true}]}`)); err == nil {
		t.Error("want an error for an entry without url")
	}
}

func TestRegEx(t *testing.T) {
	f := mustNew(t, obj("R", "RegEx", "inputRegEx", `(\S+) - \[(\d+)\] (.*)`, "outputFormat", "%2$s|%1$s|%3$s%%", "column", "host", "column", "code INT", "column", "rest"))
	t.Run("OK", func(t *testing.T) {
		recs, err := readAll(f, "a.com - [200] GET /\nb.org - [404] x y\n")
		if err != nil {
			t.Fatal(err)
		}
		if got := writeAll(t, f, recs); got != "200|a.com|GET /%\n404|b.org|x y%\n" {
			t.Errorf("got %q", got)
		}
	})
	t.Run("ErrNoMatch", func(t *testing.T) {
		_, err := readAll(f, "a.com - [200] GET /\nnope\n")
		if err == nil || err.Error() != "test.csv row 2: the line does not match inputRegEx" {
			t.Errorf("got %v", err)
		}
	})
	t.Run("ErrBadFormat", func(t *testing.T) {
		g := mustNew(t, obj("R", "RegEx", "inputRegEx", `(a)`, "outputFormat", "%d"))
		w := g.NewWriter(&strings.Builder{}, "o")
		if err := w.Write(format.Record{{Value: format.Str("a")}}); err == nil || !strings.Contains(err.Error(), "%d is not supported") {
			t.Errorf("got %v", err)
		}
	})
}

func TestParseItemJSON_ErrDeep(t *testing.T) {
	line := `{"a":` + strings.Repeat(`{"l":[`, 40) + `{"s":"x"}` + strings.Repeat(`]}`, 40) + `}`
	if _, err := format.ParseItemJSON([]byte(line)); err == nil || !strings.Contains(err.Error(), "deeper than 32 levels") {
		t.Errorf("got %v", err)
	}
}

func TestItemFormat_WriteTyped(t *testing.T) {
	f := mustNew(t, obj("E", format.TypeDynamoDBExport, "column", "id BIGINT", "column", "ok BOOLEAN", "column", "name STRING"))
	t.Run("OK", func(t *testing.T) {
		rec := format.Record{{Name: "id", Value: format.Str("5")}, {Name: "ok", Value: format.Str("true")}, {Name: "name", Value: format.Str("x")}, {Name: "gone", Value: format.Value{}}}
		if got := writeAll(t, f, []format.Record{rec}); got != `{"id":{"n":"5"},"ok":{"bOOL":true},"name":{"s":"x"}}`+"\n" {
			t.Errorf("got %q", got)
		}
	})
	t.Run("ErrMalformed", func(t *testing.T) {
		w := f.NewWriter(&strings.Builder{}, "out")
		err := w.Write(format.Record{{Name: "id", Value: format.Str("five")}})
		if err == nil || err.Error() != `out row 1 column id: "five" is not a number` {
			t.Errorf("got %v", err)
		}
	})
}
