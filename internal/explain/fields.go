package explain

import (
	"strconv"
	"time"

	"github.com/datapipe/datapipe/internal/definition"
	"github.com/datapipe/datapipe/internal/pipeline"
)

// field is a component's static value of key, "" when unset or dynamic.
func (f Facts) field(comp, key string) string {
	if f.Graph == nil {
		return ""
	}
	v, _ := f.Graph.EvalString(comp, key, nil)
	return v
}

func (f Facts) intField(comp, key string, def int) int {
	if n, err := strconv.Atoi(f.field(comp, key)); err == nil {
		return n
	}
	return def
}

func (f Facts) category(comp string) definition.Category {
	if f.Graph == nil {
		return ""
	}
	c, ok := f.Graph.Component(comp)
	if !ok {
		return ""
	}
	return c.Category()
}

func fieldValue(fs []pipeline.Field, key string) string {
	for _, f := range fs {
		if f.Key == key {
			return f.Value
		}
	}
	return ""
}

func refValue(fs []pipeline.Field, key string) string {
	if v := refValues(fs, key); len(v) > 0 {
		return v[0]
	}
	return ""
}

func refValues(fs []pipeline.Field, key string) []string {
	var out []string
	for _, f := range fs {
		if f.Key == key {
			out = append(out, f.Value)
		}
	}
	return out
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// formatTime renders a time as the service does, in UTC.
func formatTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05Z") }
