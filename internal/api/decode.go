package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"math"
	"strconv"
	"strings"
	"time"
)

// This file turns a request body into a tree of JSON values and reads
// typed members from it. encoding/json's struct decoding is not used for
// requests because it matches member names case-insensitively; AWS JSON
// member names are case-sensitive (api.md §1.1).

// object is one decoded JSON object of a request and its path (empty for the
// body, 'query.selectors.1.member' for a nested one).
type object struct {
	members map[string]any
	path    string
}

// at returns the path of the member name.
func (o object) at(name string) string {
	if o.path == "" {
		return name
	}
	return o.path + "." + name
}

// elemPath returns the path of element i of the list at path, as AWS
// writes it: 1-based, with ".member".
func elemPath(path string, i int) string {
	return path + "." + strconv.Itoa(i+1) + ".member"
}

// parseBody decodes a request body. An empty (or blank) body and JSON
// null are {}; anything but a single JSON object is
// SerializationException.
func parseBody(body []byte) (object, error) {
	if len(bytes.TrimSpace(body)) == 0 {
		return object{members: map[string]any{}}, nil
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return object{}, serializationError("the request body is not valid JSON: %s", jsonProblem(err))
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return object{}, serializationError("the request body has data after its JSON object")
	}
	switch m := v.(type) {
	case nil:
		return object{members: map[string]any{}}, nil
	case map[string]any:
		return object{members: m}, nil
	}
	return object{}, serializationError("the request body must be a JSON object, not %s", kindOf(v))
}

// jsonProblem describes a JSON syntax error without echoing the input.
func jsonProblem(err error) string {
	var syn *json.SyntaxError
	if errors.As(err, &syn) {
		return syn.Error() + " at byte " + strconv.FormatInt(syn.Offset, 10)
	}
	if errors.Is(err, io.ErrUnexpectedEOF) {
		return "unexpected end of input"
	}
	return err.Error()
}

// kindOf names the JSON kind of a decoded value.
func kindOf(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case bool:
		return "a boolean"
	case json.Number:
		return "a number"
	case string:
		return "a string"
	case []any:
		return "a list"
	}
	return "an object"
}

// decoder reads typed members. It keeps the first type mismatch (a
// SerializationException) and every constraint violation (a
// ValidationException); err reports them once the input is read.
type decoder struct {
	typeErr    error
	violations []string
}

// err returns the SerializationException for the first type mismatch,
// else the ValidationException for the violations, else nil.
func (d *decoder) err() error {
	if d.typeErr != nil {
		return d.typeErr
	}
	if len(d.violations) > 0 {
		return validationError(d.violations)
	}
	return nil
}

// mismatch records a member of the wrong JSON type.
func (d *decoder) mismatch(path, want string, v any) {
	if d.typeErr == nil {
		d.typeErr = serializationError("expected %s at '%s' but found %s", want, path, kindOf(v))
	}
}

// structure reads the value at path as an object. Null is absent (a
// violation when required); ok is false unless an object was read.
func (d *decoder) structure(v any, path string, required bool) (object, bool) {
	switch m := v.(type) {
	case nil:
		if required {
			d.violate(path, nil, "Member must not be null")
		}
		return object{}, false
	case map[string]any:
		return object{members: m, path: path}, true
	}
	d.mismatch(path, "an object", v)
	return object{}, false
}

// member reads member name of o as an object; see structure.
func (d *decoder) member(o object, name string, required bool) (object, bool) {
	return d.structure(o.members[name], o.at(name), required)
}

// strValue reads the value at path as a string of shape sh; nil when it
// is absent or not a string.
func (d *decoder) strValue(v any, path string, sh shape) *string {
	switch s := v.(type) {
	case nil:
		if sh.required {
			d.violate(path, nil, "Member must not be null")
		}
		return nil
	case string:
		d.check(path, s, sh)
		return &s
	}
	d.mismatch(path, "a string", v)
	return nil
}

// strPtr reads member name of o as a string of shape sh, nil when absent.
func (d *decoder) strPtr(o object, name string, sh shape) *string {
	return d.strValue(o.members[name], o.at(name), sh)
}

// str reads member name of o as a string of shape sh, "" when absent.
func (d *decoder) str(o object, name string, sh shape) string {
	if p := d.strPtr(o, name, sh); p != nil {
		return *p
	}
	return ""
}

// boolean reads member name of o; present is false when it is absent.
func (d *decoder) boolean(o object, name string) (value, present bool) {
	switch b := o.members[name].(type) {
	case nil:
		return false, false
	case bool:
		return b, true
	}
	d.mismatch(o.at(name), "a boolean", o.members[name])
	return false, false
}

// integer reads member name of o as a 32-bit integer (an integral JSON
// number, exponent notation allowed); present is false when absent.
func (d *decoder) integer(o object, name string) (value int, present bool) {
	v := o.members[name]
	if v == nil {
		return 0, false
	}
	n, ok := v.(json.Number)
	if !ok {
		d.mismatch(o.at(name), "an integer", v)
		return 0, false
	}
	f, err := strconv.ParseFloat(string(n), 64)
	if err != nil || f != math.Trunc(f) || f < math.MinInt32 || f > math.MaxInt32 {
		d.typeErr = cmpErr(d.typeErr, serializationError("expected a 32-bit integer at '%s' but found %s", o.at(name), truncate(string(n))))
		return 0, false
	}
	return int(f), true
}

// cmpErr returns first when it is set, else second.
func cmpErr(first, second error) error {
	if first != nil {
		return first
	}
	return second
}

// minEpochSeconds and maxEpochSeconds bound timestamps to the years
// 0001–9999.
const (
	minEpochSeconds = -62135596800
	maxEpochSeconds = 253402300799
)

// timestamp reads member name of o as a timestamp: epoch seconds as any
// JSON number (AWS JSON 1.1), or leniently an ISO-8601 string. The zero
// time means absent.
func (d *decoder) timestamp(o object, name string) time.Time {
	var t time.Time
	var ok bool
	switch v := o.members[name].(type) {
	case nil:
		return time.Time{}
	case json.Number:
		t, ok = epochTime(string(v))
	case string:
		t, ok = isoTime(v)
	default:
		d.mismatch(o.at(name), "a timestamp", v)
		return time.Time{}
	}
	if !ok {
		d.typeErr = cmpErr(d.typeErr, serializationError("expected a timestamp (epoch seconds or ISO-8601) at '%s'", o.at(name)))
	}
	return t
}

// epochTime parses epoch seconds, keeping millisecond precision.
func epochTime(s string) (time.Time, bool) {
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(f) || f < minEpochSeconds || f > maxEpochSeconds {
		return time.Time{}, false
	}
	return time.UnixMilli(int64(math.Round(f * 1000))).UTC(), true
}

// isoLayouts are the ISO-8601 forms accepted for a timestamp string; a
// time without a zone is UTC.
var isoLayouts = [...]string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999", "2006-01-02T15:04:05Z0700", "20060102T150405Z", "2006-01-02"}

// isoTime parses an ISO-8601 timestamp, or epoch seconds in a string.
func isoTime(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	for _, layout := range isoLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), true
		}
	}
	if s == "" || !json.Valid([]byte(s)) || (s[0] != '-' && (s[0] < '0' || s[0] > '9')) {
		return time.Time{}, false
	}
	return epochTime(s)
}
