package expr_test

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/datapipe/datapipe/internal/expr"
)

// evalCase is an expression evaluated in the example scope.
type evalCase struct {
	src  string
	kind expr.ValueKind
	want string
}

func runEvalOK(t *testing.T, tests []evalCase) {
	t.Helper()
	for _, tt := range tests {
		n, err := expr.Parse(tt.src)
		if err != nil {
			t.Errorf("Parse(%q): %v", tt.src, err)
			continue
		}
		v, err := expr.Eval(n, newScope())
		if err != nil || v.Kind() != tt.kind || v.String() != tt.want {
			t.Errorf("Eval(%q) = %v %q, %v; want %v %q", tt.src, v.Kind(), v.String(), err, tt.kind, tt.want)
		}
	}
}

// errCase is an expression whose evaluation fails at pos with a message
// containing message.
type errCase struct {
	src     string
	pos     int
	message string
}

func runEvalErr(t *testing.T, tests []errCase) {
	t.Helper()
	for _, tt := range tests {
		n, err := expr.Parse(tt.src)
		if err != nil {
			t.Errorf("Parse(%q): %v", tt.src, err)
			continue
		}
		v, err := expr.Eval(n, newScope())
		if err == nil {
			t.Errorf("Eval(%q) = %q, want error", tt.src, v)
			continue
		}
		e := asExprError(t, err)
		if e.Pos != tt.pos || !strings.Contains(e.Msg, tt.message) {
			t.Errorf("Eval(%q) error = pos %d %q; want pos %d containing %q", tt.src, e.Pos, e.Msg, tt.pos, tt.message)
		}
	}
}

func TestEval_Paths(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		runEvalOK(t, []evalCase{
			{"myDir", expr.KindString, "dir"},
			{"@scheduledStartTime", expr.KindDateTime, "2012-09-01T00:00:00"},
			{"*myRedshiftPassword", expr.KindString, "s3cret"},
			{"myRedshiftPassword", expr.KindString, "s3cret"},
			{"node.@scheduledEndTime", expr.KindDateTime, "2012-09-01T01:00:00"},
			{"node.output.directoryPath", expr.KindString, "s3://bucket/out/2012-09-01-00"},
			{"input.parent.@id", expr.KindString, "In"},
			{"inputs.@scheduledStartTime", expr.KindList, "2012-09-01T00:00:00,2012-09-01T00:00:00"},
			{"inputs.directoryPath", expr.KindList, "s3://bucket/in/2012-09-01-00,s3://bucket/out/2012-09-01-00"},
			{"node.output", expr.KindRef, "@Out_2012-09-01T00:00:00"},
		})
	})
	t.Run("ErrUnknownName", func(t *testing.T) {
		tests := []struct {
			src   string
			pos   int
			label string
		}{
			{"nope", 0, "nope"},
			{"format(nope, 'YYYY')", 7, "nope"},
			{"node.nope", 5, "node.nope"},
			{"node.output.nope", 12, "node.output.nope"},
			{"inputs.name", 7, "inputs.name"},
			{"*myNope", 0, "*myNope"},
			{"node.@nope", 5, "node.@nope"},
		}
		for _, tt := range tests {
			n, _ := expr.Parse(tt.src)
			_, err := expr.Eval(n, newScope())
			if !errors.Is(err, expr.ErrUnknownName) {
				t.Errorf("Eval(%q) = %v, want ErrUnknownName", tt.src, err)
				continue
			}
			if e := asExprError(t, err); e.Pos != tt.pos || !strings.HasPrefix(e.Msg, tt.label) {
				t.Errorf("Eval(%q) error = pos %d %q; want pos %d naming %q", tt.src, e.Pos, e.Msg, tt.pos, tt.label)
			}
		}
	})
	t.Run("ErrNotAReference", func(t *testing.T) {
		runEvalErr(t, []errCase{
			{"myDir.x", 6, `myDir.x: cannot read field "x": want a reference to an object, got String 'dir'`},
			{"myDateTime.x", 11, "got DateTime 2011-05-24T17:10:00"},
			{"nilRef.x", 7, "nil Reference"},
			{"myList.x", 7, "got String 'one'"},
			{"(1 + 2).x", 8, "(1 + 2).x: cannot read field"},
		})
	})
	t.Run("ErrReferencedField", func(t *testing.T) {
		runEvalErr(t, []errCase{
			{"node.loop", 5, "refers to itself"},
			{"node.broken", 5, `illegal pattern component "QQ"`},
		})
	})
	t.Run("ErrScope", func(t *testing.T) {
		n, _ := expr.Parse("x")
		_, err := expr.Eval(n, errLookup{})
		if e := asExprError(t, err); e.Msg != "x: store unavailable" || errors.Is(err, expr.ErrUnknownName) {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("ErrNilScope", func(t *testing.T) {
		n, _ := expr.Parse("x")
		if _, err := expr.Eval(n, nil); !errors.Is(err, expr.ErrUnknownName) {
			t.Fatalf("got %v", err)
		}
	})
}

func TestEval_Nodes(t *testing.T) {
	t.Run("ErrMalformed", func(t *testing.T) {
		for _, n := range []expr.Node{
			nil,
			(*expr.StringLit)(nil),
			(*expr.BinaryExpr)(nil),
			&expr.PathExpr{},
			&expr.UnaryExpr{Op: '!', X: &expr.IntLit{Value: 1}},
			&expr.BinaryExpr{Op: '%', X: &expr.IntLit{Value: 1}, Y: &expr.IntLit{Value: 1}},
			&expr.BinaryExpr{Op: '+', X: &expr.IntLit{Value: 1}},
		} {
			if _, err := expr.Eval(n, newScope()); err == nil {
				t.Errorf("Eval(%#v) succeeded", n)
			} else {
				asExprError(t, err)
			}
		}
	})
}

func TestEval_Operators(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		runEvalOK(t, []evalCase{
			{"1 + 2", expr.KindInt, "3"},
			{"7 - 10", expr.KindInt, "-3"},
			{"6 * 7", expr.KindInt, "42"},
			{"7 / 2", expr.KindInt, "3"},
			{"-7 / 2", expr.KindInt, "-3"},
			{"1 / 2", expr.KindInt, "0"},
			{"1.0 / 2", expr.KindDouble, "0.5"},
			{"1 + 0.5", expr.KindDouble, "1.5"},
			{"0.1 + 0.2", expr.KindDouble, "0.30000000000000004"},
			{"2.0 * 2", expr.KindDouble, "4.0"},
			{"2 ^ 2", expr.KindDouble, "4.0"},
			{"2 ^ 0.5", expr.KindDouble, "1.4142135623730951"},
			{"2 ^ -1", expr.KindDouble, "0.5"},
			{"10 ^ 10", expr.KindDouble, "1.0E10"},
			{"2 ^ 3 ^ 2", expr.KindDouble, "512.0"},
			{"-2 ^ 2", expr.KindDouble, "4.0"},
			{"-(2 ^ 2)", expr.KindDouble, "-4.0"},
			{"2 * 3 ^ 2", expr.KindDouble, "18.0"},
			{"1 + 2 * 3", expr.KindInt, "7"},
			{"(1 + 2) * 3", expr.KindInt, "9"},
			{"10 - 2 - 3", expr.KindInt, "5"},
			{"-myInt", expr.KindInt, "-7"},
			{"-myDouble", expr.KindDouble, "-2.5"},
			{"-myDaysBack", expr.KindInt, "-3"},
			{"myDaysBack * 2", expr.KindInt, "6"},
			{"myRatio * 4", expr.KindDouble, "1.0"},
			{"'hel' + 'lo'", expr.KindString, "hello"},
			{"'n=' + 1.5", expr.KindString, "n=1.5"},
			{"'n=' + 1 + 2", expr.KindString, "n=12"},
			{"1 + 2 + 'x'", expr.KindString, "3x"},
			{"myDaysBack + 1", expr.KindString, "31"},
			{"'at ' + myDateTime", expr.KindString, "at 2011-05-24T17:10:00"},
			{"'to ' + node", expr.KindString, "to @In_2012-09-01T00:00:00"},
			{"myDateTime + ''", expr.KindString, "2011-05-24T17:10:00"},
			{"9223372036854775807 + 0", expr.KindInt, "9223372036854775807"},
		})
	})
	t.Run("OKLists", func(t *testing.T) {
		runEvalOK(t, []evalCase{
			{"'this is ' + myList", expr.KindList, "this is one,this is two"},
			{"myList + '!'", expr.KindList, "one!,two!"},
			{"myList1 * 10", expr.KindList, "10,20"},
			{"-myList1", expr.KindList, "-1,-2"},
			{"myList1 + myList2", expr.KindList, "13,14,23,24"},
			{"myList1 * myList2", expr.KindList, "3,4,6,8"},
			{"myEmpty + 'x'", expr.KindList, ""},
			{"myList + myEmpty", expr.KindList, ""},
		})
	})
	t.Run("ErrDivisionByZero", func(t *testing.T) {
		runEvalErr(t, []errCase{
			{"1 / 0", 2, "operator /: division by zero"},
			{"1.5 / 0", 4, "division by zero"},
			{"1 / 0.0", 2, "division by zero"},
			{"myList1 / (1 - 1)", 8, "division by zero"},
		})
	})
	t.Run("ErrType", func(t *testing.T) {
		runEvalErr(t, []errCase{
			{"'a' - 1", 4, "operator -: left operand: want a number, got String 'a'"},
			{"1 * 'b'", 2, "operator *: right operand: want a number, got String 'b'"},
			{"myDateTime + 1", 11, "left operand: want a number, got DateTime"},
			{"node * 2", 5, "got Reference @In_2012-09-01T00:00:00"},
			{"-'x'", 0, "operator -: want a number"},
			{"-myDateTime", 0, "want a number, got DateTime"},
			{"'a' ^ 2", 4, "operator ^"},
		})
	})
	t.Run("ErrOverflow", func(t *testing.T) {
		runEvalErr(t, []errCase{
			{"9223372036854775807 + 1", 20, "integer overflow"},
			{"-9223372036854775807 - 2", 21, "integer overflow"},
			{"4611686018427387904 * 2", 20, "integer overflow"},
			{"(-9223372036854775807 - 1) / -1", 27, "integer overflow"},
			{"-(-9223372036854775807 - 1)", 0, "integer overflow"},
			{"10 ^ 400", 3, "not a finite number"},
			{"(0 - 8) ^ 0.5", 8, "not a finite number"},
		})
	})
}

func TestEval_Precedence(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		// Each pair must evaluate identically: the implicit grouping of the
		// first is written out in the second.
		pairs := [][2]string{
			{"1 + 2 * 3 - 4 / 2", "(1 + (2 * 3)) - (4 / 2)"},
			{"2 ^ 3 ^ 2", "2 ^ (3 ^ 2)"},
			{"-2 ^ 2", "(-2) ^ 2"},
			{"100 / 10 / 5", "(100 / 10) / 5"},
			{"2 * 3 ^ 2", "2 * (3 ^ 2)"},
		}
		for _, p := range pairs {
			a, _ := expr.Parse(p[0])
			b, _ := expr.Parse(p[1])
			va, errA := expr.Eval(a, nil)
			vb, errB := expr.Eval(b, nil)
			if errA != nil || errB != nil || !reflect.DeepEqual(va, vb) {
				t.Errorf("%s = %v (%v), %s = %v (%v)", p[0], va, errA, p[1], vb, errB)
			}
		}
	})
}
