package definition

import (
	"cmp"
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

// catLoadSample reads the objects of a sample file with the loader, in
// lenient mode (two AWS samples are not strict JSON).
func catLoadSample(path string) ([]catSampleObject, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	doc, err := Load(path, data, LoadOptions{Lenient: true})
	if err != nil {
		return nil, err
	}
	objs := make([]catSampleObject, 0, len(doc.Objects))
	for _, o := range doc.Objects {
		so := catSampleObject{id: o.ID, typ: o.Type(), fields: map[string][]catSampleValue{}}
		for _, f := range o.Fields {
			so.fields[f.Key] = append(so.fields[f.Key], catSampleValue{text: f.Value, ref: f.Ref})
		}
		objs = append(objs, so)
	}
	return objs, nil
}
