package scheduler

import (
	"maps"
	"slices"

	"github.com/datapipe/datapipe/internal/pipeline"
)

// fieldValue is the first string value of key.
func fieldValue(fs []pipeline.Field, key string) string {
	for _, f := range fs {
		if f.Key == key {
			return f.Value
		}
	}
	return ""
}

// refValues are the values of key, in order.
func refValues(fs []pipeline.Field, key string) []string {
	var out []string
	for _, f := range fs {
		if f.Key == key {
			out = append(out, f.Value)
		}
	}
	return out
}

// setFields replaces (or appends) string fields, keeping order.
func setFields(fs []pipeline.Field, kv map[string]string) []pipeline.Field {
	out := append([]pipeline.Field(nil), fs...)
	for _, k := range slices.Sorted(maps.Keys(kv)) {
		out = setOne(out, pipeline.String(k, kv[k]))
	}
	return out
}

// setRef replaces (or appends) a single reference field.
func setRef(fs []pipeline.Field, key, id string) []pipeline.Field {
	return setOne(append([]pipeline.Field(nil), fs...), pipeline.Reference(key, id))
}

func setOne(fs []pipeline.Field, f pipeline.Field) []pipeline.Field {
	fs = dropKey(fs, f.Key)
	return append(fs, f)
}

// dropKey removes every field with key.
func dropKey(fs []pipeline.Field, key string) []pipeline.Field {
	out := fs[:0:0]
	for _, f := range fs {
		if f.Key != key {
			out = append(out, f)
		}
	}
	return out
}
