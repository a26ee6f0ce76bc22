package expr

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/datapipe/datapipe/internal/schedule"
)

// ValueKind is the type of a Value.
type ValueKind int

// The value kinds. The zero Value is the empty String.
const (
	KindString ValueKind = iota
	KindInt
	KindDouble
	KindDateTime
	KindRef
	KindList
)

// String names the kind as the language documentation does ("DateTime").
func (k ValueKind) String() string {
	switch k {
	case KindString:
		return "String"
	case KindInt:
		return "Integer"
	case KindDouble:
		return "Double"
	case KindDateTime:
		return "DateTime"
	case KindRef:
		return "Reference"
	case KindList:
		return "List"
	}
	return "ValueKind(" + strconv.Itoa(int(k)) + ")"
}

// Value is the result of evaluating an expression: a String, Integer
// (int64), Double, DateTime, Reference to an Object, or a flat List of
// non-list values. Values are immutable; the zero Value is the empty String.
type Value struct {
	kind ValueKind
	s    string
	i    int64
	f    float64
	t    time.Time
	obj  Object
	list []Value
}

// StringValue returns a String value.
func StringValue(s string) Value { return Value{kind: KindString, s: s} }

// IntValue returns an Integer value.
func IntValue(i int64) Value { return Value{kind: KindInt, i: i} }

// DoubleValue returns a Double value.
func DoubleValue(f float64) Value { return Value{kind: KindDouble, f: f} }

// DateTimeValue returns a DateTime value. The time keeps its location:
// rendering and field functions (hour, format, …) use its wall clock there.
func DateTimeValue(t time.Time) Value { return Value{kind: KindDateTime, t: t} }

// RefValue returns a Reference to obj. Following a field of a nil reference
// is an evaluation error; a nil reference renders as "".
func RefValue(obj Object) Value { return Value{kind: KindRef, obj: obj} }

// ListValue returns a List of the given values. Lists are flat: elements that
// are themselves lists are spliced in. The slice is copied.
func ListValue(vs []Value) Value {
	out := make([]Value, 0, len(vs))
	for _, v := range vs {
		if v.kind == KindList {
			out = append(out, v.list...)
		} else {
			out = append(out, v)
		}
	}
	return Value{kind: KindList, list: out}
}

// Kind returns the value's kind.
func (v Value) Kind() ValueKind { return v.kind }

// String renders the value as it appears in a field (§7.5): a String as
// is; an Integer in decimal; a Double as Java's Double.toString does ("4.0",
// "0.5", "1.0E10"); a DateTime as "2006-01-02T15:04:05" in its own location
// (no zone, no fraction); a Reference as the object's ID; a List as its
// elements' renderings joined with "," (use Strings or Template.Render to
// get one string per element).
func (v Value) String() string {
	switch v.kind {
	case KindInt:
		return strconv.FormatInt(v.i, 10)
	case KindDouble:
		return formatDouble(v.f)
	case KindDateTime:
		return v.t.Format(schedule.DateTimeLayout)
	case KindRef:
		if v.obj == nil {
			return ""
		}
		return v.obj.ID()
	case KindList:
		return strings.Join(v.Strings(), ",")
	}
	return v.s
}

// Values returns a list's elements, or a one-element slice holding a scalar.
// The slice is a copy.
func (v Value) Values() []Value {
	if v.kind == KindList {
		return append([]Value(nil), v.list...)
	}
	return []Value{v}
}

// Strings returns the rendering of each element of a list, or the one
// rendering of a scalar. An empty list gives an empty slice.
func (v Value) Strings() []string {
	if v.kind != KindList {
		return []string{v.String()}
	}
	out := make([]string, len(v.list))
	for i, e := range v.list {
		out[i] = e.String()
	}
	return out
}

// AsInt returns an Integer, or a String holding a decimal integer (such as an
// Integer parameter's value). Any other value is an error naming it.
func (v Value) AsInt() (int64, error) {
	switch v.kind {
	case KindInt:
		return v.i, nil
	case KindString:
		if i, err := strconv.ParseInt(strings.TrimSpace(v.s), 10, 64); err == nil {
			return i, nil
		}
	}
	return 0, fmt.Errorf("want an Integer, got %s", v.describe())
}

// AsFloat returns an Integer or Double as a float64, or parses a String
// holding a decimal number ("12", "-0.5", "1e3"). Any other value is an error
// naming it.
func (v Value) AsFloat() (float64, error) {
	switch v.kind {
	case KindInt:
		return float64(v.i), nil
	case KindDouble:
		return v.f, nil
	case KindString:
		if n, ok := parseNumber(v.s); ok {
			return n.float(), nil
		}
	}
	return 0, fmt.Errorf("want a number, got %s", v.describe())
}

// AsTime returns a DateTime, or parses a String holding a DateTime literal
// ("2012-12-12T00:00:00", also with a trailing Z or fractional seconds) as
// UTC. Any other value is an error naming it.
func (v Value) AsTime() (time.Time, error) {
	switch v.kind {
	case KindDateTime:
		return v.t, nil
	case KindString:
		if t, err := schedule.ParseDateTime(strings.TrimSpace(v.s)); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("want a DateTime, got %s", v.describe())
}

// AsObject returns the object a Reference points to. Any other value, and a
// nil reference, is an error naming it.
func (v Value) AsObject() (Object, error) {
	if v.kind == KindRef && v.obj != nil {
		return v.obj, nil
	}
	return nil, fmt.Errorf("want a reference to an object, got %s", v.describe())
}

// describe names the value and its kind for error messages, shortening
// long renderings.
func (v Value) describe() string {
	switch v.kind {
	case KindString:
		return "String " + quoteLiteral(shorten(v.s))
	case KindList:
		return fmt.Sprintf("List of %d values", len(v.list))
	case KindRef:
		if v.obj == nil {
			return "nil Reference"
		}
	}
	return v.kind.String() + " " + shorten(v.String())
}

// shorten truncates s to at most 40 bytes for error messages, marking the
// cut with "…".
func shorten(s string) string {
	const max = 40
	if len(s) <= max {
		return s
	}
	cut := max
	for cut > 0 && s[cut]&0xC0 == 0x80 { // do not split a UTF-8 sequence
		cut--
	}
	return s[:cut] + "…"
}
