package sqlite

import (
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"github.com/datapipe/datapipe/internal/definition"
	"github.com/datapipe/datapipe/internal/pipeline"
	"github.com/datapipe/datapipe/internal/store"
)

// objectTimeLayout is the TEXT form of object times: fixed width, so that
// string order is time order, and its first 19 characters are the
// YYYY-MM-DDTHH:MM:SS form filters compare.
const objectTimeLayout = "2006-01-02T15:04:05.000"

// filterTimeLen is the length of the YYYY-MM-DDTHH:MM:SS prefix.
const filterTimeLen = 19

// millis is the INTEGER form of a required time: unix milliseconds. The
// zero time has a value too (and reads back as zero).
func millis(t time.Time) int64 { return t.UnixMilli() }

// nullMillis is the INTEGER form of an optional time: NULL when zero.
func nullMillis(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UnixMilli()
}

// storedMillis is t as it reads back from an INTEGER column: in UTC,
// truncated to the millisecond.
func storedMillis(t time.Time) time.Time { return time.UnixMilli(t.UnixMilli()).UTC() }

// fromMillis reads an INTEGER time column in UTC; NULL is the zero time.
func fromMillis(n sql.NullInt64) time.Time {
	if !n.Valid {
		return time.Time{}
	}
	return time.UnixMilli(n.Int64).UTC()
}

// objectTime is the TEXT form of an object time: NULL when zero.
func objectTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UTC().Format(objectTimeLayout)
}

// fromObjectTime reads an object time column; NULL is the zero time.
func fromObjectTime(s sql.NullString) (time.Time, error) {
	if !s.Valid {
		return time.Time{}, nil
	}
	t, err := time.Parse(objectTimeLayout, s.String)
	if err != nil {
		return time.Time{}, fmt.Errorf("object time %q: %w", s.String, err)
	}
	return t.UTC(), nil
}

// jsonField is a pipeline.Field as stored.
type jsonField struct {
	K string `json:"k"`
	V string `json:"v"`
	R bool   `json:"r,omitempty"`
}

// encodeFields encodes fields as a JSON array, in order.
func encodeFields(fields []pipeline.Field) (string, error) {
	out := make([]jsonField, len(fields))
	for i, f := range fields {
		out[i] = jsonField{K: f.Key, V: f.Value, R: f.Ref}
	}
	b, err := json.Marshal(out)
	return string(b), err
}

// decodeFields decodes encodeFields' output; an empty array is nil.
func decodeFields(s string) ([]pipeline.Field, error) {
	var in []jsonField
	if err := json.Unmarshal([]byte(s), &in); err != nil {
		return nil, fmt.Errorf("object fields: %w", err)
	}
	var out []pipeline.Field
	for _, f := range in {
		out = append(out, pipeline.Field{Key: f.K, Value: f.V, Ref: f.R})
	}
	return out, nil
}

// jsonTag is a store.Tag as stored.
type jsonTag struct {
	K string `json:"k"`
	V string `json:"v"`
}

// encodeTags encodes tags as a JSON array, in order.
func encodeTags(tags []store.Tag) (string, error) {
	out := make([]jsonTag, len(tags))
	for i, t := range tags {
		out[i] = jsonTag{K: t.Key, V: t.Value}
	}
	b, err := json.Marshal(out)
	return string(b), err
}

// decodeTags decodes encodeTags' output; an empty array is nil.
func decodeTags(s string) ([]store.Tag, error) {
	var in []jsonTag
	if err := json.Unmarshal([]byte(s), &in); err != nil {
		return nil, fmt.Errorf("pipeline tags: %w", err)
	}
	var out []store.Tag
	for _, t := range in {
		out = append(out, store.Tag{Key: t.K, Value: t.V})
	}
	return out, nil
}

// encodeDefinition encodes a definition as its wire JSON.
func encodeDefinition(d definition.Definition) (string, error) {
	b, err := json.Marshal(definition.ToWire(d))
	return string(b), err
}

// decodeDefinition decodes encodeDefinition's output.
func decodeDefinition(s string) (definition.Definition, error) {
	var w definition.WireDefinition
	if err := json.Unmarshal([]byte(s), &w); err != nil {
		return definition.Definition{}, fmt.Errorf("definition body: %w", err)
	}
	return definition.FromWire(w)
}
