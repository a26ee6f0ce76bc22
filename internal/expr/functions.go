package expr

import (
	"fmt"
	"strings"
	"time"
)

// Parameter kinds of built-in functions, one byte each in builtin.params.
// Pattern, zone and period parameters are Strings that Check can validate
// when they are literals.
const (
	pDateTime = 'd'
	pInt      = 'i'
	pPattern  = 'f' // Joda format pattern
	pZone     = 'z' // time zone id
	pPeriod   = 'p' // period such as "1 day"
)

// arg is a coerced argument: t for DateTime, n for Integer, s for the
// String kinds.
type arg struct {
	t time.Time
	n int64
	s string
}

// builtin is a built-in function: its parameter kinds, result kind and
// implementation. The implementation receives arguments already coerced to
// params; it returns plain errors about argument values, which apply
// positions and names the function.
type builtin struct {
	params string
	result ValueKind
	impl   func(a []arg) (Value, error)
}

// Functions returns the names of all built-in functions, sorted.
func Functions() []string {
	return []string{
		"day", "dayOfYear", "firstOfMonth", "format", "hour", "inTimeZone",
		"makeDate", "makeDateTime", "midnight", "minusDays", "minusHours",
		"minusMinutes", "minusMonths", "minusPeriod", "minusWeeks", "minusYears",
		"minute", "month", "plusDays", "plusHours", "plusMinutes", "plusMonths",
		"plusPeriod", "plusWeeks", "plusYears", "sunday", "year", "yesterday",
	}
}

// lookupBuiltin returns the built-in function called name (case-sensitive).
func lookupBuiltin(name string) (builtin, bool) {
	if b, ok := lookupField(name); ok {
		return b, true
	}
	if b, ok := lookupArith(name); ok {
		return b, true
	}
	return lookupOther(name)
}

// lookupField returns the field-extraction functions.
func lookupField(name string) (builtin, bool) {
	field := func(get func(time.Time) int) builtin {
		return builtin{"d", KindInt, func(a []arg) (Value, error) { return IntValue(int64(get(a[0].t))), nil }}
	}
	switch name {
	case "year":
		return field(time.Time.Year), true
	case "month":
		return field(func(t time.Time) int { return int(t.Month()) }), true
	case "day":
		return field(time.Time.Day), true
	case "dayOfYear":
		return field(time.Time.YearDay), true
	case "hour":
		return field(time.Time.Hour), true
	case "minute":
		return field(time.Time.Minute), true
	}
	return builtin{}, false
}

// lookupArith returns the plusX/minusX functions.
func lookupArith(name string) (builtin, bool) {
	var sign int64 = 1
	unit, ok := strings.CutPrefix(name, "plus")
	if !ok {
		if unit, ok = strings.CutPrefix(name, "minus"); !ok {
			return builtin{}, false
		}
		sign = -1
	}
	if unit == "Period" {
		return builtin{"dp", KindDateTime, func(a []arg) (Value, error) { return addPeriod(a[0].t, a[1].s, sign) }}, true
	}
	add, ok := unitAdder(unit)
	if !ok {
		return builtin{}, false
	}
	return builtin{"di", KindDateTime, func(a []arg) (Value, error) {
		n, err := signed(a[1].n, sign)
		if err != nil {
			return Value{}, err
		}
		return dateResult(add(a[0].t, n))
	}}, true
}

// lookupOther returns the remaining functions.
func lookupOther(name string) (builtin, bool) {
	switch name {
	case "format":
		return builtin{"df", KindString, fnFormat}, true
	case "makeDate":
		return builtin{"iii", KindDateTime, fnMakeDate}, true
	case "makeDateTime":
		return builtin{"iiiii", KindDateTime, fnMakeDateTime}, true
	case "midnight":
		return builtin{"d", KindDateTime, fnMidnight}, true
	case "firstOfMonth":
		return builtin{"d", KindDateTime, fnFirstOfMonth}, true
	case "sunday":
		return builtin{"d", KindDateTime, fnSunday}, true
	case "yesterday":
		return builtin{"d", KindDateTime, fnYesterday}, true
	case "inTimeZone":
		return builtin{"dz", KindDateTime, fnInTimeZone}, true
	}
	return builtin{}, false
}

// signature renders the function's parameter list, e.g.
// "format(DateTime, String)".
func (b builtin) signature(name string) string {
	kinds := make([]string, len(b.params))
	for i := range len(b.params) {
		kinds[i] = paramName(b.params[i])
	}
	return name + "(" + strings.Join(kinds, ", ") + ")"
}

func paramName(k byte) string {
	switch k {
	case pDateTime:
		return "DateTime"
	case pInt:
		return "Integer"
	}
	return "String"
}

// checkArity reports a call with the wrong number of arguments.
func (b builtin) checkArity(c *CallExpr) error {
	if len(c.Args) == len(b.params) {
		return nil
	}
	msg := fmt.Sprintf("%s: want %d arguments, got %d (signature %s)",
		c.Func, len(b.params), len(c.Args), b.signature(c.Func))
	if c.Method {
		msg += "; in method form the receiver is the first argument"
	}
	return errorf(c.Offset, "%s", msg)
}

// apply coerces scalar argument values to the parameter kinds and calls the
// implementation. Errors name the function and, for a bad argument, are
// positioned at that argument.
func (b builtin) apply(c *CallExpr, vals []Value) (Value, error) {
	args := make([]arg, len(vals))
	for i, v := range vals {
		a, err := coerce(b.params[i], v)
		if err != nil {
			return Value{}, errorf(c.Args[i].Pos(), "%s: argument %d: %v", c.Func, i+1, err)
		}
		args[i] = a
	}
	r, err := b.impl(args)
	if err != nil {
		return Value{}, &Error{Pos: c.Offset, Msg: c.Func + ": " + err.Error(), Err: err}
	}
	return r, nil
}

// coerce converts v to the parameter kind k (§7.5 coercions: DateTime
// literals in Strings, integers in Strings).
func coerce(k byte, v Value) (arg, error) {
	switch k {
	case pDateTime:
		t, err := v.AsTime()
		return arg{t: t}, err
	case pInt:
		n, err := v.AsInt()
		return arg{n: n}, err
	}
	if v.kind != KindString {
		return arg{}, fmt.Errorf("want a String, got %s", v.describe())
	}
	return arg{s: v.s}, nil
}
