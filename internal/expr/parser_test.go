package expr_test

import (
	"reflect"
	"strings"
	"testing"

	"github.com/datapipe/datapipe/internal/expr"
)

func TestParse(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		tests := []struct {
			src, want string
		}{
			// literals
			{"'YYYY-MM-dd'", "'YYYY-MM-dd'"},
			{`"hel"`, "'hel'"},
			{`'it\'s'`, `'it\'s'`},
			{`"say \"hi\""`, `'say "hi"'`},
			{`'a\\b'`, `'a\\b'`},
			{`'keep \d'`, `'keep \\d'`},
			{`'}'`, `'}'`},
			{"30", "30"},
			{"1.0", "1.0"},
			{"0.25", "0.25"},
			// names and paths
			{"table", "table"},
			{"@scheduledStartTime", "@scheduledStartTime"},
			{"*myRedshiftPassword", "*myRedshiftPassword"},
			{"node.@scheduledStartTime", "node.@scheduledStartTime"},
			{"node . output . directoryPath", "node.output.directoryPath"},
			{"(node).output", "node.output"},
			// calls and method form
			{"format(myDateTime,'YYYY')", "format(myDateTime, 'YYYY')"},
			{"format(minusMinutes(@scheduledStartTime,30),'hh')", "format(minusMinutes(@scheduledStartTime, 30), 'hh')"},
			{"@scheduledStartTime.format('YYYY')", "@scheduledStartTime.format('YYYY')"},
			{"node.@scheduledStartTime.plusDays(1).format('YYYY')", "node.@scheduledStartTime.plusDays(1).format('YYYY')"},
			{"f()", "f()"},
			{"(1 + 2).f()", "(1 + 2).f()"},
			{"(1 + 2).x", "(1 + 2).x"},
			// precedence and associativity
			{"1 + 2 * 3", "1 + 2 * 3"},
			{"(1 + 2) * 3", "(1 + 2) * 3"},
			{"1 - (2 - 3)", "1 - (2 - 3)"},
			{"(1 - 2) - 3", "1 - 2 - 3"},
			{"2 ^ 3 ^ 2", "2 ^ 3 ^ 2"},
			{"(2 ^ 3) ^ 2", "(2 ^ 3) ^ 2"},
			{"2 * 3 ^ 2", "2 * 3 ^ 2"},
			{"-2 ^ 2", "-2 ^ 2"},
			{"-(2 ^ 2)", "-(2 ^ 2)"},
			{"1 - -1", "1 - -1"},
			{"2 ^ -1", "2 ^ -1"},
			{"2**myX", "2 * *myX"},
			{"a *b", "a * b"},
			{"  1+\n2\t", "1 + 2"},
		}
		for _, tt := range tests {
			n, err := expr.Parse(tt.src)
			if err != nil {
				t.Errorf("Parse(%q): %v", tt.src, err)
				continue
			}
			if got := n.String(); got != tt.want {
				t.Errorf("Parse(%q).String() = %q, want %q", tt.src, got, tt.want)
			}
			again, err := expr.Parse(n.String())
			if err != nil || again.String() != n.String() {
				t.Errorf("reparse of %q = %v, %v", n.String(), again, err)
			}
		}
	})
	t.Run("ErrSyntax", func(t *testing.T) {
		tests := []struct {
			src     string
			pos     int
			message string
		}{
			{"", 0, "empty expression"},
			{"   ", 3, "empty expression"},
			{"1 +", 3, "unexpected end of expression"},
			{"(1", 2, `expected ")"`},
			{"f(1", 3, `expected "," or ")"`},
			{"f(1 2)", 4, `expected "," or ")"`},
			{"f(,)", 2, `unexpected ","`},
			{"1 2", 2, "unexpected number 2 after expression"},
			{"a b", 2, `unexpected name "b"`},
			{"'abc", 0, "unterminated string literal"},
			{`"abc'`, 0, "unterminated string literal"},
			{"a.", 2, `expected a name after "."`},
			{"a.1", 2, `expected a name after "."`},
			{"a.*b", 2, `expected a name after "."`},
			{"@", 0, `expected a name after "@"`},
			{"@1", 0, `expected a name after "@"`},
			{"a.@b()", 2, "runtime field"},
			{"* myX", 0, "masked parameter"},
			{"*@x", 0, "masked parameter"},
			{"--1", 1, "expected an operand"},
			{"+1", 0, "expected an operand"},
			{"1 # 2", 2, "unexpected character '#'"},
			{"é", 0, "unexpected character 'é'"},
			{"}", 0, `unexpected "}"`},
			{"99999999999999999999", 0, "out of range"},
			{"x(1))", 4, `unexpected ")"`},
		}
		for _, tt := range tests {
			_, err := expr.Parse(tt.src)
			if err == nil {
				t.Errorf("Parse(%q) succeeded, want error", tt.src)
				continue
			}
			e := asExprError(t, err)
			if e.Pos != tt.pos || !strings.Contains(e.Msg, tt.message) {
				t.Errorf("Parse(%q) error = pos %d %q, want pos %d containing %q", tt.src, e.Pos, e.Msg, tt.pos, tt.message)
			}
		}
	})
	t.Run("ErrNesting", func(t *testing.T) {
		deep := strings.Repeat("(", expr.MaxNesting+1) + "1" + strings.Repeat(")", expr.MaxNesting+1)
		_, err := expr.Parse(deep)
		if e := asExprError(t, err); e.Pos != expr.MaxNesting || !strings.Contains(e.Msg, "nested") {
			t.Fatalf("got %v", err)
		}
		ok := strings.Repeat("(", expr.MaxNesting) + "1" + strings.Repeat(")", expr.MaxNesting)
		if _, err := expr.Parse(ok); err != nil {
			t.Fatalf("nesting %d: %v", expr.MaxNesting, err)
		}
		calls := strings.Repeat("f(", expr.MaxNesting+1) + strings.Repeat(")", expr.MaxNesting+1)
		if _, err := expr.Parse(calls); err == nil {
			t.Fatal("deep calls parsed")
		}
		powers := strings.Repeat("2^", expr.MaxNesting+1) + "2"
		if _, err := expr.Parse(powers); err == nil {
			t.Fatal("deep power chain parsed")
		}
	})
	t.Run("ErrTooManyNodes", func(t *testing.T) {
		long := strings.Repeat("1+", expr.MaxNodes) + "1"
		_, err := expr.Parse(long)
		if e := asExprError(t, err); !strings.Contains(e.Msg, "more than") {
			t.Fatalf("got %v", err)
		}
	})
}

func TestParse_Nodes(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		n, err := expr.Parse("@s.format('YYYY') + -node.x * 2.5")
		if err != nil {
			t.Fatal(err)
		}
		want := &expr.BinaryExpr{Op: '+', Offset: 18,
			X: &expr.CallExpr{Func: "format", Method: true, Offset: 3, Args: []expr.Node{
				&expr.PathExpr{Segments: []string{"@s"}, Offsets: []int{0}},
				&expr.StringLit{Offset: 10, Value: "YYYY"},
			}},
			Y: &expr.BinaryExpr{Op: '*', Offset: 28,
				X: &expr.UnaryExpr{Op: '-', Offset: 20, X: &expr.PathExpr{Segments: []string{"node", "x"}, Offsets: []int{21, 26}}},
				Y: &expr.DoubleLit{Offset: 30, Value: 2.5},
			},
		}
		if !reflect.DeepEqual(n, expr.Node(want)) {
			t.Fatalf("Parse = %#v\nwant %#v", n, want)
		}
	})
}

func TestInspect(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		n, _ := expr.Parse("a.f(b + 1, g(c))")
		var got []string
		expr.Inspect(n, func(n expr.Node) bool {
			got = append(got, n.String())
			return true
		})
		want := []string{"a.f(b + 1, g(c))", "a", "b + 1", "b", "1", "g(c)", "c"}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("got %q, want %q", got, want)
		}
	})
	t.Run("OKSkipChildren", func(t *testing.T) {
		n, _ := expr.Parse("f(g(a), b)")
		var got []string
		expr.Inspect(n, func(n expr.Node) bool {
			got = append(got, n.String())
			_, isCall := n.(*expr.CallExpr)
			return !isCall || n.String() == "f(g(a), b)"
		})
		if want := []string{"f(g(a), b)", "g(a)", "b"}; !reflect.DeepEqual(got, want) {
			t.Fatalf("got %q, want %q", got, want)
		}
	})
}
