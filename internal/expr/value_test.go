package expr_test

import (
	"math"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/datapipe/datapipe/internal/expr"
)

func TestValue_String(t *testing.T) {
	la, err := time.LoadLocation("America/Los_Angeles")
	if err != nil {
		t.Fatal(err)
	}
	t.Run("OK", func(t *testing.T) {
		tests := []struct {
			v    expr.Value
			want string
		}{
			{expr.Value{}, ""},
			{str("as is"), "as is"},
			{expr.IntValue(-42), "-42"},
			{expr.IntValue(1234567), "1234567"},
			{expr.DoubleValue(4), "4.0"},
			{expr.DoubleValue(0.5), "0.5"},
			{expr.DoubleValue(-2.25), "-2.25"},
			{expr.DoubleValue(0.001), "0.001"},
			{expr.DoubleValue(0.0001), "1.0E-4"},
			{expr.DoubleValue(1.5e-7), "1.5E-7"},
			{expr.DoubleValue(9999999), "9999999.0"},
			{expr.DoubleValue(1e7), "1.0E7"},
			{expr.DoubleValue(1.234e10), "1.234E10"},
			{expr.DoubleValue(-1e300), "-1.0E300"},
			{expr.DoubleValue(0), "0.0"},
			{expr.DoubleValue(math.Copysign(0, -1)), "-0.0"},
			{expr.DoubleValue(math.NaN()), "NaN"},
			{expr.DoubleValue(math.Inf(1)), "Infinity"},
			{expr.DoubleValue(math.Inf(-1)), "-Infinity"},
			{expr.DateTimeValue(utc("2012-12-12T00:00:00")), "2012-12-12T00:00:00"},
			{expr.DateTimeValue(utc("2012-12-12T00:00:00").Add(500 * time.Millisecond)), "2012-12-12T00:00:00"},
			{expr.DateTimeValue(utc("2011-05-24T17:10:00").In(la)), "2011-05-24T10:10:00"},
			{expr.RefValue(&object{id: "@Work_1"}), "@Work_1"},
			{expr.RefValue(nil), ""},
			{strs("a", "b"), "a,b"},
			{expr.ListValue(nil), ""},
			{expr.ListValue([]expr.Value{expr.IntValue(1), expr.DoubleValue(2)}), "1,2.0"},
		}
		for _, tt := range tests {
			if got := tt.v.String(); got != tt.want {
				t.Errorf("%#v.String() = %q, want %q", tt.v, got, tt.want)
			}
		}
	})
}

func TestValueKind_String(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		kinds := map[expr.ValueKind]string{
			expr.KindString: "String", expr.KindInt: "Integer", expr.KindDouble: "Double",
			expr.KindDateTime: "DateTime", expr.KindRef: "Reference", expr.KindList: "List", 99: "ValueKind(99)",
		}
		for k, want := range kinds {
			if got := k.String(); got != want {
				t.Errorf("%d.String() = %q, want %q", k, got, want)
			}
		}
	})
}

func TestListValue(t *testing.T) {
	t.Run("OKFlattensAndCopies", func(t *testing.T) {
		in := []expr.Value{str("a"), strs("b", "c"), expr.ListValue(nil), str("d")}
		v := expr.ListValue(in)
		in[0] = str("changed")
		if got := v.Strings(); !reflect.DeepEqual(got, []string{"a", "b", "c", "d"}) {
			t.Fatalf("Strings() = %q", got)
		}
		vs := v.Values()
		vs[0] = str("changed")
		if v.Strings()[0] != "a" {
			t.Fatal("Values() aliases the list")
		}
	})
	t.Run("OKScalarValues", func(t *testing.T) {
		if got := expr.IntValue(3).Values(); len(got) != 1 || got[0].String() != "3" {
			t.Fatalf("Values() = %v", got)
		}
		if got := expr.ListValue(nil).Strings(); len(got) != 0 {
			t.Fatalf("Strings() = %q", got)
		}
	})
}

func TestValue_AsInt(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		for _, tt := range []struct {
			v    expr.Value
			want int64
		}{
			{expr.IntValue(5), 5}, {str("12"), 12}, {str(" -3 "), -3}, {str("+7"), 7},
		} {
			if got, err := tt.v.AsInt(); err != nil || got != tt.want {
				t.Errorf("%v.AsInt() = %d, %v; want %d", tt.v, got, err, tt.want)
			}
		}
	})
	t.Run("ErrNotInteger", func(t *testing.T) {
		for _, v := range []expr.Value{expr.DoubleValue(1), str("1.5"), str("x"), str(""), strs("1"), expr.DateTimeValue(utc("2011-01-01T00:00:00"))} {
			if _, err := v.AsInt(); err == nil || !strings.Contains(err.Error(), "want an Integer") {
				t.Errorf("%v.AsInt() error = %v", v, err)
			}
		}
	})
}

func TestValue_AsFloat(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		for _, tt := range []struct {
			v    expr.Value
			want float64
		}{
			{expr.IntValue(5), 5}, {expr.DoubleValue(0.5), 0.5}, {str("0.25"), 0.25}, {str("-1e3"), -1000}, {str("7"), 7},
		} {
			if got, err := tt.v.AsFloat(); err != nil || got != tt.want {
				t.Errorf("%v.AsFloat() = %v, %v; want %v", tt.v, got, err, tt.want)
			}
		}
	})
	t.Run("ErrNotNumber", func(t *testing.T) {
		for _, v := range []expr.Value{str("NaN"), str("Inf"), str("0x10"), str("1_000"), str("1."), str(".5"), str("1e"), str("--1"), expr.RefValue(nil)} {
			if _, err := v.AsFloat(); err == nil || !strings.Contains(err.Error(), "want a number") {
				t.Errorf("%v.AsFloat() error = %v", v, err)
			}
		}
	})
}

func TestValue_AsTime(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		want := utc("2012-12-12T00:00:00")
		for _, v := range []expr.Value{expr.DateTimeValue(want), str("2012-12-12T00:00:00"), str("2012-12-12T00:00:00Z"), str(" 2012-12-12T00:00:00.000 ")} {
			if got, err := v.AsTime(); err != nil || !got.Equal(want) {
				t.Errorf("%v.AsTime() = %v, %v", v, got, err)
			}
		}
	})
	t.Run("ErrNotDateTime", func(t *testing.T) {
		for _, v := range []expr.Value{str("2012-12-12"), str("yesterday"), expr.IntValue(0), strs("2012-12-12T00:00:00")} {
			if _, err := v.AsTime(); err == nil || !strings.Contains(err.Error(), "want a DateTime") {
				t.Errorf("%v.AsTime() error = %v", v, err)
			}
		}
	})
}

func TestValue_AsObject(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		o := &object{id: "x"}
		if got, err := expr.RefValue(o).AsObject(); err != nil || got != expr.Object(o) {
			t.Fatalf("AsObject() = %v, %v", got, err)
		}
	})
	t.Run("ErrNotReference", func(t *testing.T) {
		long := str(strings.Repeat("é", 30))
		for _, v := range []expr.Value{expr.RefValue(nil), str("x"), long} {
			if _, err := v.AsObject(); err == nil || !strings.Contains(err.Error(), "want a reference") {
				t.Errorf("%v.AsObject() error = %v", v, err)
			}
		}
		_, err := long.AsObject()
		if !strings.Contains(err.Error(), "…") || !strings.HasSuffix(err.Error(), "…'") {
			t.Errorf("long value not shortened: %v", err)
		}
	})
}
