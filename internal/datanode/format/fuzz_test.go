package format_test

import (
	"errors"
	"io"
	"reflect"
	"strings"
	"testing"

	"github.com/datapipe/datapipe/internal/datanode/format"
	"github.com/datapipe/datapipe/internal/pipeline"
)

// pipelineObject is a format object.
type pipelineObject = pipeline.Object

// fuzzFormatsReal are the layouts the fuzzer reads.
func fuzzFormatsReal(f *testing.F) []*format.Format {
	var out []*format.Format
	for _, o := range []pipelineObject{
		obj("T", "CSV", "column", "a INT", "column", "b BOOLEAN", "column", "c BINARY"),
		obj("E", "CSV", "escapeChar", `\`),
		obj("C", "Custom", "columnSeparator", "||", "recordSeparator", ";"),
		obj("R", "RegEx", "inputRegEx", `(\d+) (.*)`, "outputFormat", "%2$s %1$s"),
		obj("D", format.TypeDynamoDBExport),
	} {
		fm, err := format.New(o)
		if err != nil {
			f.Fatal(err)
		}
		out = append(out, fm)
	}
	return append(out, format.CSV(), format.TSV())
}

// FuzzReader reads arbitrary bytes with every layout: errors are fine,
// panics are not, and whatever reads back is written and read again
// unchanged.
func FuzzReader(f *testing.F) {
	for _, s := range []string{"a,b\n", "\"x\"\"y\",\n", "a\\tb\t\\N\n", "1 x\n", `{"a":{"s":"x"}}` + "\n", "id\x03{\"n\":\"1\"}\n", "\"open", "a||b;c"} {
		f.Add(s)
	}
	formats := fuzzFormatsReal(f)
	f.Fuzz(func(t *testing.T, data string) {
		for _, fm := range formats {
			recs, err := readAll(fm, data)
			if err != nil || len(recs) == 0 || fm.Type == format.TypeRegEx {
				continue // RegEx output need not match its input pattern
			}
			var b strings.Builder
			w := fm.NewWriter(&b, "out")
			ok := true
			for _, r := range recs {
				if w.Write(r) != nil {
					ok = false
					break
				}
			}
			if !ok || w.Flush() != nil {
				continue
			}
			again, err := readAll(fm, b.String())
			if err != nil && !errors.Is(err, io.EOF) {
				t.Fatalf("%s: rewritten data %q does not read: %v", fm.Name(), b.String(), err)
			}
			if !reflect.DeepEqual(texts(again), texts(recs)) {
				t.Fatalf("%s: %q read %q, rewritten as %q read %q", fm.Name(), data, texts(recs), b.String(), texts(again))
			}
		}
	})
}
