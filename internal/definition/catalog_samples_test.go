package definition

import (
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// catSampleDir is the repository's copy of the AWS data-pipeline-samples;
// DATAPIPE_SAMPLES overrides the location.
const catSampleDir = "../../testdata/samples/aws-samples"

// catSampleValue is one value of a sample field: a string or a reference.
type catSampleValue struct {
	text string
	ref  bool
}

// catSampleObject is one object of a sample file, in either file format.
type catSampleObject struct {
	id     string
	typ    string
	fields map[string][]catSampleValue
}

// TestNewCatalog_Samples checks that every field the AWS samples set on a
// typed object is known to its type (documented or legacy), holds several
// values only when multi-valued, and refers to allowed target types.
func TestNewCatalog_Samples(t *testing.T) {
	dir := cmp.Or(os.Getenv("DATAPIPE_SAMPLES"), catSampleDir)
	files, _ := filepath.Glob(filepath.Join(dir, "*.json"))
	if len(files) == 0 {
		t.Fatalf("no AWS samples in %s", dir)
	}
	c := NewCatalog()
	var misses []string
	for _, path := range files {
		objs, err := catLoadSample(path)
		if err != nil {
			t.Errorf("%s: %v", filepath.Base(path), err)
			continue
		}
		types := map[string]string{}
		for _, o := range objs {
			types[o.id] = o.typ
		}
		for _, o := range objs {
			for _, m := range catSampleMisses(c, o, types) {
				misses = append(misses, filepath.Base(path)+": "+m)
			}
		}
	}
	if len(misses) > 0 {
		t.Errorf("sample fields the catalog does not accept:\n%s", strings.Join(misses, "\n"))
	}
}

// catSampleMisses lists what the catalog does not accept on one object.
func catSampleMisses(c *Catalog, o catSampleObject, types map[string]string) []string {
	if o.typ == "" {
		return nil // Default or an abstract parent
	}
	ts, ok := c.Type(o.typ)
	if !ok {
		return []string{fmt.Sprintf("%s: unknown type %s", o.id, o.typ)}
	}
	var misses []string
	for key, values := range o.fields {
		if key == "id" || key == "name" || key == "type" || strings.HasPrefix(key, "my") {
			continue
		}
		if msg := catSampleFieldMiss(ts, key, values, types); msg != "" {
			misses = append(misses, fmt.Sprintf("%s (%s).%s: %s", o.id, o.typ, key, msg))
		}
	}
	return misses
}

func catSampleFieldMiss(ts *TypeSpec, key string, values []catSampleValue, types map[string]string) string {
	f, ok := ts.Field(key)
	switch {
	case !ok:
		return "unknown field"
	case f.NotAllowed:
		return "not allowed"
	case strings.HasPrefix(key, "*") && !f.Secret:
		return "star on a non-secret field"
	case len(values) > 1 && !f.Multi:
		return "several values on a single-valued field"
	}
	for _, v := range values {
		if v.ref != (f.Kind == KindRef) {
			return fmt.Sprintf("value %q does not match kind %s", v.text, f.Kind)
		}
		target := types[v.text]
		if v.ref && target != "" && len(f.Targets) > 0 && !slices.Contains(f.Targets, target) {
			return fmt.Sprintf("target %s has type %s, not among %v", v.text, target, f.Targets)
		}
	}
	return ""
}

// catLoadSample reads the objects of a sample file. Two AWS samples are not
// strict JSON (raw newlines in strings, trailing commas); they are relaxed
// and read again.
func catLoadSample(path string) ([]catSampleObject, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var doc struct {
		Objects []map[string]json.RawMessage `json:"objects"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		if err := json.Unmarshal(catRelaxJSON(data), &doc); err != nil {
			return nil, err
		}
	}
	objs := make([]catSampleObject, 0, len(doc.Objects))
	for _, raw := range doc.Objects {
		o, err := catDecodeSampleObject(raw)
		if err != nil {
			return nil, err
		}
		objs = append(objs, o)
	}
	return objs, nil
}

// catDecodeSampleObject decodes a CLI-format object, or a wire-format one
// (id, name and a "fields" list of key/stringValue/refValue).
func catDecodeSampleObject(raw map[string]json.RawMessage) (catSampleObject, error) {
	o := catSampleObject{fields: map[string][]catSampleValue{}}
	if wire, ok := raw["fields"]; ok {
		var fields []struct{ Key, StringValue, RefValue string }
		if err := json.Unmarshal(wire, &fields); err != nil {
			return o, err
		}
		for _, f := range fields {
			v := catSampleValue{text: cmp.Or(f.RefValue, f.StringValue), ref: f.RefValue != ""}
			o.fields[f.Key] = append(o.fields[f.Key], v)
		}
		raw = map[string]json.RawMessage{"id": raw["id"]}
	}
	for key, msg := range raw {
		values, err := catDecodeSampleValues(msg)
		if err != nil {
			return o, fmt.Errorf("field %s: %w", key, err)
		}
		o.fields[key] = values
	}
	o.id = catFirstText(o.fields["id"])
	o.typ = catFirstText(o.fields["type"])
	return o, nil
}

// catDecodeSampleValues decodes "s", {"ref": "id"} or a list of those.
func catDecodeSampleValues(msg json.RawMessage) ([]catSampleValue, error) {
	var list []json.RawMessage
	if err := json.Unmarshal(msg, &list); err != nil {
		list = []json.RawMessage{msg}
	}
	var out []catSampleValue
	for _, item := range list {
		var s string
		if json.Unmarshal(item, &s) == nil {
			out = append(out, catSampleValue{text: s})
			continue
		}
		var ref struct{ Ref string }
		if err := json.Unmarshal(item, &ref); err != nil || ref.Ref == "" {
			return nil, fmt.Errorf("unexpected value %s", item)
		}
		out = append(out, catSampleValue{text: ref.Ref, ref: true})
	}
	return out, nil
}

func catFirstText(values []catSampleValue) string {
	if len(values) == 0 {
		return ""
	}
	return values[0].text
}

// catRelaxJSON turns control characters inside strings into spaces and drops
// commas that directly precede a closing bracket.
func catRelaxJSON(data []byte) []byte {
	out := make([]byte, 0, len(data))
	inString, escaped := false, false
	for i, b := range data {
		switch {
		case escaped:
			escaped = false
		case inString && b == '\\':
			escaped = true
		case b == '"':
			inString = !inString
		case inString && b < 0x20:
			b = ' '
		case !inString && b == ',' && catClosesNext(data[i+1:]):
			continue
		}
		out = append(out, b)
	}
	return out
}

func catClosesNext(rest []byte) bool {
	rest = bytes.TrimLeft(rest, " \t\r\n")
	return len(rest) > 0 && (rest[0] == '}' || rest[0] == ']')
}
