package expr_test

import (
	"errors"
	"fmt"
	"testing"
	"time"
	_ "time/tzdata" // hermetic zone data for inTimeZone tests

	"github.com/datapipe/datapipe/internal/expr"
)

// object is a map-backed expr.Object for tests. fields hold values;
// templates hold field values that are themselves templates, evaluated in
// the object's own scope when looked up (spec §7.9), with cycle detection.
type object struct {
	id        string
	fields    map[string]expr.Value
	templates map[string]string
	busy      map[string]bool
}

var _ expr.Object = (*object)(nil)

func (o *object) ID() string { return o.id }

func (o *object) Lookup(name string) (expr.Value, error) {
	if v, ok := o.fields[name]; ok {
		return v, nil
	}
	src, ok := o.templates[name]
	if !ok {
		return expr.Value{}, fmt.Errorf("%w %q", expr.ErrUnknownName, name)
	}
	if o.busy[name] {
		return expr.Value{}, fmt.Errorf("field %q of %s refers to itself", name, o.id)
	}
	if o.busy == nil {
		o.busy = map[string]bool{}
	}
	o.busy[name] = true
	defer delete(o.busy, name)
	t, err := expr.ParseTemplate(src)
	if err != nil {
		return expr.Value{}, fmt.Errorf("field %q of %s: %w", name, o.id, err)
	}
	return t.Eval(o)
}

// errLookup is a scope whose every lookup fails with a non-name error.
type errLookup struct{}

func (errLookup) Lookup(string) (expr.Value, error) {
	return expr.Value{}, errors.New("store unavailable")
}

func utc(s string) time.Time {
	t, err := time.Parse("2006-01-02T15:04:05", s)
	if err != nil {
		panic(err)
	}
	return t
}

func str(s string) expr.Value { return expr.StringValue(s) }

func strs(ss ...string) expr.Value {
	vs := make([]expr.Value, len(ss))
	for i, s := range ss {
		vs[i] = str(s)
	}
	return expr.ListValue(vs)
}

// newScope returns the scope of the spec's examples: an instance of the
// activity Work (§18.1) with the parameters and fields used throughout §7,
// and myDateTime = 2011-05-24T17:10:00 UTC (§18.2).
func newScope() *object {
	component := &object{id: "In", fields: map[string]expr.Value{"@id": str("In")}}
	out := &object{id: "@Out_2012-09-01T00:00:00", fields: map[string]expr.Value{
		"@scheduledStartTime": expr.DateTimeValue(utc("2012-09-01T00:00:00")),
	}, templates: map[string]string{
		"directoryPath": "s3://bucket/out/#{format(@scheduledStartTime,'YYYY-MM-dd-HH')}",
	}}
	in := &object{id: "@In_2012-09-01T00:00:00", fields: map[string]expr.Value{
		"@scheduledStartTime": expr.DateTimeValue(utc("2012-09-01T00:00:00")),
		"@scheduledEndTime":   expr.DateTimeValue(utc("2012-09-01T01:00:00")),
		"@id":                 str("@In_2012-09-01T00:00:00"),
		"name":                str("In"),
		"parent":              expr.RefValue(component),
		"output":              expr.RefValue(out),
	}, templates: map[string]string{
		"directoryPath": "s3://bucket/in/#{format(@scheduledStartTime,'YYYY-MM-dd-HH')}",
		"loop":          "#{loop}",
		"broken":        "#{format(@scheduledStartTime,'YYYY-QQ')}",
	}}
	return &object{id: "@Work_2012-09-01T00:00:00", fields: map[string]expr.Value{
		"myDateTime":          expr.DateTimeValue(utc("2011-05-24T17:10:00")),
		"myDateTimeText":      str("2011-05-24T17:10:00"),
		"startDateTime":       str("2012-12-12T00:00:00"),
		"@scheduledStartTime": expr.DateTimeValue(utc("2012-09-01T00:00:00")),
		"@scheduledEndTime":   expr.DateTimeValue(utc("2012-09-01T01:00:00")),
		"@pipelineId":         str("df-0123456789"),
		"@id":                 str("@Work_2012-09-01T00:00:00"),
		"myList":              strs("one", "two"),
		"myList1":             strs("1", "2"),
		"myList2":             strs("3", "4"),
		"myEmpty":             expr.ListValue(nil),
		"myDates":             expr.ListValue([]expr.Value{expr.DateTimeValue(utc("2011-05-24T17:10:00")), str("2011-12-31T00:00:00")}),
		"myS3OutputLoc":       str("s3://out"),
		"myDir":               str("dir"),
		"myDaysBack":          str("3"),
		"myRatio":             str("0.25"),
		"myInt":               expr.IntValue(7),
		"myDouble":            expr.DoubleValue(2.5),
		"*myRedshiftPassword": str("s3cret"),
		"myRedshiftPassword":  str("s3cret"),
		"node":                expr.RefValue(in),
		"input":               expr.RefValue(in),
		"inputs":              expr.ListValue([]expr.Value{expr.RefValue(in), expr.RefValue(out)}),
		"nilRef":              expr.RefValue(nil),
	}}
}

func mustTemplate(t testing.TB, s string) *expr.Template {
	t.Helper()
	tpl, err := expr.ParseTemplate(s)
	if err != nil {
		t.Fatalf("ParseTemplate(%q): %v", s, err)
	}
	return tpl
}

// render parses and renders s in the example scope.
func render(t testing.TB, s string) ([]string, error) {
	t.Helper()
	return mustTemplate(t, s).Render(newScope())
}

// asExprError asserts that err is an *expr.Error and returns it.
func asExprError(t testing.TB, err error) *expr.Error {
	t.Helper()
	var e *expr.Error
	if !errors.As(err, &e) {
		t.Fatalf("error %v (%T) is not an *expr.Error", err, err)
	}
	return e
}
