package postgres

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/datapipe/datapipe/internal/definition"
	"github.com/datapipe/datapipe/internal/pipeline"
	"github.com/datapipe/datapipe/internal/store"
)

// filterTimeLayout is how object times are kept for QueryObjects filters.
const filterTimeLayout = "2006-01-02T15:04:05"

// stamp is t as written: UTC, truncated to the millisecond.
func stamp(t time.Time) time.Time { return t.UTC().Truncate(time.Millisecond) }

// nullStamp is t as written to a nullable column: nil when t is zero.
func nullStamp(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	s := stamp(t)
	return &s
}

// filterKey is t as a filter string, nil when t is zero.
func filterKey(t time.Time) *string {
	if t.IsZero() {
		return nil
	}
	s := t.UTC().Format(filterTimeLayout)
	return &s
}

// fromNull is a scanned nullable time: zero when NULL, UTC otherwise.
func fromNull(t *time.Time) time.Time {
	if t == nil {
		return time.Time{}
	}
	return t.UTC()
}

// wireTag is a tag as stored.
type wireTag struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

// encodeTags is tags as json, [] when empty.
func encodeTags(tags []store.Tag) ([]byte, error) {
	out := make([]wireTag, len(tags))
	for i, t := range tags {
		out[i] = wireTag(t)
	}
	b, err := json.Marshal(out)
	if err != nil {
		return nil, fmt.Errorf("encode tags: %w", err)
	}
	return b, nil
}

// decodeTags reads stored tags; nil when empty.
func decodeTags(b []byte) ([]store.Tag, error) {
	var in []wireTag
	if err := json.Unmarshal(b, &in); err != nil {
		return nil, fmt.Errorf("decode tags: %w", err)
	}
	var out []store.Tag
	for _, t := range in {
		out = append(out, store.Tag(t))
	}
	return out, nil
}

// encodeFields is fields in their wire shape (key with stringValue or
// refValue), in order; [] when empty.
func encodeFields(fields []pipeline.Field) ([]byte, error) {
	wire := definition.ObjectsToWire([]pipeline.Object{{Fields: fields}})[0].Fields
	b, err := json.Marshal(wire)
	if err != nil {
		return nil, fmt.Errorf("encode fields: %w", err)
	}
	return b, nil
}

// decodeFields reads stored fields; nil when empty.
func decodeFields(b []byte) ([]pipeline.Field, error) {
	var wire []definition.WireField
	if err := json.Unmarshal(b, &wire); err != nil {
		return nil, fmt.Errorf("decode fields: %w", err)
	}
	objs, err := definition.ObjectsFromWire([]definition.WireObject{{Fields: wire}})
	if err != nil {
		return nil, fmt.Errorf("decode fields: %w", err)
	}
	return objs[0].Fields, nil
}

// encodeDefinition is d in its wire shape.
func encodeDefinition(d definition.Definition) ([]byte, error) {
	b, err := json.Marshal(definition.ToWire(d))
	if err != nil {
		return nil, fmt.Errorf("encode definition: %w", err)
	}
	return b, nil
}

// decodeDefinition reads a stored definition.
func decodeDefinition(b []byte) (definition.Definition, error) {
	var w definition.WireDefinition
	if err := json.Unmarshal(b, &w); err != nil {
		return definition.Definition{}, fmt.Errorf("decode definition: %w", err)
	}
	d, err := definition.FromWire(w)
	if err != nil {
		return definition.Definition{}, fmt.Errorf("decode definition: %w", err)
	}
	return d, nil
}
