package definition

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

// fuzzSeeds adds every sample and every load fixture to the corpus.
func fuzzSeeds(f *testing.F) {
	for _, s := range loadSamples(f) {
		f.Add(s.data)
	}
	paths, _ := filepath.Glob(filepath.Join("testdata", "load", "*.json"))
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte(encodeExampleFile))
	f.Add([]byte(encodeExampleBody))
}

// FuzzLoad checks that Load never panics, that every error is a
// *SyntaxError with a position, and that a CLI-format document survives
// EncodeCLI and a strict reload unchanged.
func FuzzLoad(f *testing.F) {
	fuzzSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, lenient := range []bool{false, true} {
			doc, err := Load("fuzz.json", data, LoadOptions{Lenient: lenient})
			if err != nil {
				var se *SyntaxError
				if !errors.As(err, &se) || se.Line < 1 || se.Col < 1 || se.File != "fuzz.json" {
					t.Fatalf("lenient=%v: error %#v is not a positioned *SyntaxError", lenient, err)
				}
				continue
			}
			fuzzCheckDocument(t, doc)
		}
	})
}

// fuzzCheckDocument checks the invariants of a loaded document.
func fuzzCheckDocument(t *testing.T, doc *Document) {
	for _, o := range doc.Objects {
		if _, ok := doc.ObjectPos[o.ID]; !ok {
			t.Fatalf("object %q has no position", o.ID)
		}
	}
	out, err := EncodeCLI(doc.Definition)
	if err != nil {
		t.Fatal(err)
	}
	back, err := Load("encoded.json", out, LoadOptions{})
	d := doc.Definition
	if doc.Format != FormatCLI || len(d.Objects)+len(d.Parameters)+len(d.Values) == 0 {
		return // wire fields keyed "id" or "name", and empty output, do not reload
	}
	if err != nil {
		t.Fatalf("EncodeCLI output does not load: %v\n%s", err, out)
	}
	if !reflect.DeepEqual(back.Definition, doc.Definition) {
		t.Fatalf("CLI round trip differs:\n got %+v\nwant %+v", back.Definition, doc.Definition)
	}
}

// FuzzJSONTree checks that the JSON parser never panics, positions every
// error, and agrees with encoding/json.
func FuzzJSONTree(f *testing.F) {
	fuzzSeeds(f)
	for _, s := range []string{`[1,]`, `{"a":1,"a":2}`, `"\ud83d\ude00"`, "\"a\nb\"", "\xef\xbb\xbf{}", `-0.0e-0`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, lenient := range []bool{false, true} {
			_, _, err := parseJSON(data, lenient)
			if se, ok := err.(*SyntaxError); err != nil && (!ok || se.Line < 1 || se.Col < 1) {
				t.Fatalf("lenient=%v: error %#v is not a positioned *SyntaxError", lenient, err)
			}
		}
		jsonAgreesWithStdlib(t, data)
	})
}
