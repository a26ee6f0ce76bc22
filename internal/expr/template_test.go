package expr_test

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/datapipe/datapipe/internal/expr"
)

func TestParseTemplate(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		tests := []struct {
			src     string
			exprs   []string
			hasExpr bool
			canon   string
		}{
			{"", nil, false, ""},
			{"plain text", nil, false, "plain text"},
			{"#{x}", []string{"x"}, true, "#{x}"},
			{"s3://b/#{myDir}/#{format(@scheduledStartTime,'YYYY')}", []string{"myDir", "format(@scheduledStartTime, 'YYYY')"}, true,
				"s3://b/#{myDir}/#{format(@scheduledStartTime, 'YYYY')}"},
			{"${INPUT1_STAGING_DIR}/$1 and ${x}", nil, false, "${INPUT1_STAGING_DIR}/$1 and ${x}"},
			{`\#{x}`, nil, false, `\#{x}`},
			{`a\#{b}#{c}`, []string{"c"}, true, `a\#{b}#{c}`},
			{`\\#{x}`, nil, false, `\\#{x}`},
			{`back\slash \n`, nil, false, `back\slash \n`},
			{"# not {", nil, false, "# not {"},
			{"#{'}'}", []string{"'}'"}, true, "#{'}'}"},
			{`#{"a}b" + 'c}'}`, []string{"'a}b' + 'c}'"}, true, "#{'a}b' + 'c}'}"},
			{"#{ x }#{y}", []string{"x", "y"}, true, "#{x}#{y}"},
			{"##{x}#", []string{"x"}, true, "##{x}#"},
		}
		for _, tt := range tests {
			tpl, err := expr.ParseTemplate(tt.src)
			if err != nil {
				t.Errorf("ParseTemplate(%q): %v", tt.src, err)
				continue
			}
			var got []string
			for _, n := range tpl.Exprs() {
				got = append(got, n.String())
			}
			if !reflect.DeepEqual(got, tt.exprs) || tpl.HasExpr() != tt.hasExpr || tpl.String() != tt.canon {
				t.Errorf("ParseTemplate(%q) = exprs %q, HasExpr %v, String %q; want %q, %v, %q",
					tt.src, got, tpl.HasExpr(), tpl.String(), tt.exprs, tt.hasExpr, tt.canon)
			}
		}
	})
	t.Run("ErrSyntax", func(t *testing.T) {
		tests := []struct {
			src     string
			pos     int
			message string
		}{
			{"#{", 0, "unterminated #{"},
			{"abc #{x", 4, "unterminated #{"},
			{"#{x} and #{y", 9, "unterminated #{"},
			{"#{}", 2, "empty expression"},
			{"a #{  }", 6, "empty expression"},
			{"#{'}", 2, "unterminated string literal"},
			{"#{x y}", 4, `unexpected name "y"`},
			{"#{1 +}", 5, `unexpected "}"`},
			{"s3://#{format(x,'Y'}", 19, `expected "," or ")"`},
			{"#{#{x}}", 2, "unexpected character '#'"},
			{"#{a.}", 4, `expected a name after "."`},
			{"ok #{(1}", 7, `expected ")"`},
		}
		for _, tt := range tests {
			_, err := expr.ParseTemplate(tt.src)
			if err == nil {
				t.Errorf("ParseTemplate(%q) succeeded", tt.src)
				continue
			}
			e := asExprError(t, err)
			if e.Pos != tt.pos || !strings.Contains(e.Msg, tt.message) {
				t.Errorf("ParseTemplate(%q) error = pos %d %q, want pos %d containing %q", tt.src, e.Pos, e.Msg, tt.pos, tt.message)
			}
			if want := "at column "; !strings.HasPrefix(err.Error(), want) {
				t.Errorf("Error() = %q, want prefix %q", err.Error(), want)
			}
		}
	})
}

func TestError_Error(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		err := &expr.Error{Pos: 4, Msg: "boom"}
		if got := err.Error(); got != "at column 5: boom" {
			t.Fatalf("Error() = %q", got)
		}
		cause := errors.New("cause")
		if !errors.Is(&expr.Error{Err: cause}, cause) {
			t.Fatal("Unwrap does not expose the cause")
		}
	})
}

func TestTemplate_Literal(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		s, ok := mustTemplate(t, `2012-01-15T23:59:00 \#{x}`).Literal()
		if !ok || s != "2012-01-15T23:59:00 #{x}" {
			t.Fatalf("Literal() = %q, %v", s, ok)
		}
	})
	t.Run("OKHasExpr", func(t *testing.T) {
		if s, ok := mustTemplate(t, "a#{b}").Literal(); ok || s != "" {
			t.Fatalf("Literal() = %q, %v", s, ok)
		}
	})
}

func TestTemplate_Paths(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		tpl := mustTemplate(t, "#{node.output.directoryPath}/#{format(minusDays(@scheduledStartTime, *myDays), 'YYYY')}#{@scheduledEndTime.format(myFmt)}#{1 + 2}#{node}")
		want := []expr.Path{
			{Segments: []string{"node", "output", "directoryPath"}, Pos: 2},
			{Segments: []string{"@scheduledStartTime"}, Pos: 48},
			{Segments: []string{"*myDays"}, Pos: 69},
			{Segments: []string{"@scheduledEndTime"}, Pos: 89},
			{Segments: []string{"myFmt"}, Pos: 114},
			{Segments: []string{"node"}, Pos: 131},
		}
		if got := tpl.Paths(); !reflect.DeepEqual(got, want) {
			t.Fatalf("Paths() = %+v\nwant %+v", got, want)
		}
	})
	t.Run("OKNone", func(t *testing.T) {
		if got := mustTemplate(t, "#{makeDate(2011, 1, 1)} text").Paths(); len(got) != 0 {
			t.Fatalf("Paths() = %v", got)
		}
	})
}

func TestTemplate_Eval(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		tests := []struct {
			src  string
			kind expr.ValueKind
			want string
		}{
			{"", expr.KindString, ""},
			{"text", expr.KindString, "text"},
			{"#{myDateTime}", expr.KindDateTime, "2011-05-24T17:10:00"},
			{"#{day(myDateTime)}", expr.KindInt, "24"},
			{"#{2 ^ 2}", expr.KindDouble, "4.0"},
			{"#{node}", expr.KindRef, "@In_2012-09-01T00:00:00"},
			{"#{myList}", expr.KindList, "one,two"},
			{" #{day(myDateTime)}", expr.KindString, " 24"},
			{"#{myDir}#{myDir}", expr.KindString, "dirdir"},
			{"x#{myList}", expr.KindList, "xone,xtwo"},
		}
		for _, tt := range tests {
			v, err := mustTemplate(t, tt.src).Eval(newScope())
			if err != nil || v.Kind() != tt.kind || v.String() != tt.want {
				t.Errorf("Eval(%q) = %v %q, %v; want %v %q", tt.src, v.Kind(), v.String(), err, tt.kind, tt.want)
			}
		}
	})
	t.Run("ErrFirstFailingExpression", func(t *testing.T) {
		_, err := mustTemplate(t, "#{myDir}/#{nope}/#{alsoNope}").Eval(newScope())
		if e := asExprError(t, err); e.Pos != 11 || !errors.Is(err, expr.ErrUnknownName) {
			t.Fatalf("got %v", err)
		}
	})
}

func TestTemplate_Render(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		tests := []struct {
			src  string
			want []string
		}{
			{"", []string{""}},
			{"#{myDir}", []string{"dir"}},
			{"#{myList}", []string{"one", "two"}},
			{"a-#{myList}-z", []string{"a-one-z", "a-two-z"}},
			{"#{myList1}#{myList2}", []string{"13", "14", "23", "24"}},
			{"#{myEmpty}", []string{}},
			{"a#{myEmpty}b", []string{}},
			{"#{inputs}", []string{"@In_2012-09-01T00:00:00", "@Out_2012-09-01T00:00:00"}},
			{"#{myDates.format('YYYY')}", []string{"2011", "2011"}},
		}
		for _, tt := range tests {
			got, err := render(t, tt.src)
			if err != nil || !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Render(%q) = %q, %v; want %q", tt.src, got, err, tt.want)
			}
		}
	})
	t.Run("ErrListTooLarge", func(t *testing.T) {
		vs := make([]expr.Value, 200)
		for i := range vs {
			vs[i] = expr.IntValue(int64(i))
		}
		scope := newScope()
		scope.fields["big"] = expr.ListValue(vs)
		_, err := mustTemplate(t, "#{big}-#{big}-#{big}").Render(scope)
		if e := asExprError(t, err); !strings.Contains(e.Msg, "more than") {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("ErrEvaluation", func(t *testing.T) {
		_, err := render(t, "x #{1/0}")
		if e := asExprError(t, err); e.Pos != 5 || !strings.Contains(e.Msg, "division by zero") {
			t.Fatalf("got %v", err)
		}
	})
}
