package datanode

import (
	"strconv"
	"strings"

	"github.com/datapipe/datapipe/internal/datanode/format"
	"github.com/datapipe/datapipe/internal/pipeline"
)

// Lookup returns a referenced object by id (activity.Task.Objects).
type Lookup func(id string) (pipeline.Object, bool)

// MapLookup returns a Lookup over objects by id.
func MapLookup(objects map[string]pipeline.Object) Lookup {
	return func(id string) (pipeline.Object, bool) {
		o, ok := objects[id]
		return o, ok
	}
}

// Str returns obj's first string value of key, trimmed; "" when absent.
func Str(obj pipeline.Object, key string) string {
	v, _ := obj.StringValue(key)
	return strings.TrimSpace(v)
}

// Ref resolves obj's reference field key. ok is false when the field is
// absent; a reference to an object lookup does not know is ErrInvalid.
func Ref(obj pipeline.Object, key string, lookup Lookup) (ref pipeline.Object, ok bool, err error) {
	f, found := obj.Get(key)
	if !found || f.Value == "" {
		return pipeline.Object{}, false, nil
	}
	if lookup != nil {
		if o, known := lookup(f.Value); known {
			return o, true, nil
		}
	}
	return pipeline.Object{}, false, Invalidf(Name(obj), "%s refers to %q, which the task does not include", key, f.Value)
}

// FormatOf returns the node's dataFormat, or def when it names none.
func FormatOf(obj pipeline.Object, lookup Lookup, def *format.Format) (*format.Format, error) {
	ref, ok, err := Ref(obj, "dataFormat", lookup)
	if err != nil || !ok {
		return def, err
	}
	f, err := format.New(ref)
	if err != nil {
		return nil, Invalidf(Name(obj), "dataFormat: %v", err)
	}
	return f, nil
}

// Percent reads a throughput ratio field (readThroughputPercent): def
// when absent; a number in (0, 1.5] otherwise (values above 1 are
// allowed, as AWS allows bursting up to 1.5).
func Percent(obj pipeline.Object, key string, def float64) (float64, error) {
	s := Str(obj, key)
	if s == "" {
		return def, nil
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || v <= 0 || v > 1.5 {
		return 0, Invalidf(Name(obj), "%s %q is not a ratio between 0.1 and 1.0", key, s)
	}
	return v, nil
}
