package expr_test

import (
	"strings"
	"testing"

	"github.com/datapipe/datapipe/internal/expr"
)

func TestTemplate_Check(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		for _, src := range []string{
			"plain",
			"#{unknownButNamesAreNotResolved.x.y}",
			"#{format(@scheduledStartTime, 'YYYY-MM-dd')}",
			"#{@scheduledStartTime.format(myPattern)}",
			"#{format('2012-12-12T00:00:00', 'YYYY')}",
			"#{plusDays(@scheduledStartTime, '3')}",
			"#{plusDays(@scheduledStartTime, myDays)}",
			"#{inTimeZone(@scheduledStartTime, 'America/Los_Angeles')}",
			"#{plusPeriod(@scheduledStartTime, '1 day')}",
			"#{year(format(x, \"YYYY-MM-dd'T'HH:mm:ss\"))}",
			"#{'a' + plusDays(x, 1)}",
			"#{plusDays(x, 1) + 'a'}",
			"#{myDays * 2 - '3' / 1.5 ^ 2}",
			"#{-myDays}",
			"#{x / y}",
			"#{1 + 2}",
			"#{day(x) + 1}",
			"#{makeDate(2011, 5, 24)}",
		} {
			if err := mustTemplate(t, src).Check(); err != nil {
				t.Errorf("Check(%q) = %v", src, err)
			}
		}
	})
	t.Run("Err", func(t *testing.T) {
		tests := []struct {
			src     string
			pos     int
			message string
		}{
			{"#{now()}", 2, `unknown function "now"`},
			{"ok #{x.nope(1)}", 7, `unknown function "nope"`},
			{"#{format(x)}", 2, "format: want 2 arguments, got 1"},
			{"#{x.format()}", 4, "format: want 2 arguments, got 1 (signature format(DateTime, String)); in method form"},
			{"#{makeDate(1, 2)}", 2, "makeDate: want 3 arguments, got 2"},
			{"#{format(x, 'YYYY-QQ')}", 12, `format: argument 2: illegal pattern component "QQ"`},
			{"#{format(x, '')}", 12, "empty format pattern"},
			{"#{format(x, 5)}", 12, "format: argument 2: want a String, got an Integer"},
			{"#{format(1, 'YYYY')}", 9, "format: argument 1: want a DateTime, got an Integer"},
			{"#{format('yesterday', 'YYYY')}", 9, "want a DateTime, got String 'yesterday'"},
			{"#{plusDays(x, 1.5)}", 14, "want an Integer, got a Double"},
			{"#{plusDays(x, 'three')}", 14, "want an Integer"},
			{"#{plusDays(x, makeDate(2011, 1, 1))}", 14, "want an Integer, got a DateTime"},
			{"#{year(day(x))}", 7, "want a DateTime, got an Integer"},
			{"#{inTimeZone(x, 'Mars/Base')}", 16, `unknown time zone "Mars/Base"`},
			{"#{plusPeriod(x, '1 fortnight')}", 16, "unknown unit"},
			{"#{format(format(x, 'YYYY'), 'QQ')}", 28, "illegal pattern component"},
			{"#{(1 + 2).x}", 10, `cannot read field "x" of 1 + 2`},
			{"#{format(x, 'Y').y}", 17, `cannot read field "y"`},
			{"#{1 / 0}", 4, "division by zero"},
			{"#{x / 0.0}", 4, "division by zero"},
			{"#{'a' - 1}", 6, "operator -: left operand: want a number, got String 'a'"},
			{"#{1 * 'b'}", 4, "operator *: right operand"},
			{"#{-'x'}", 2, "operator -: want a number"},
			{"#{makeDate(2011, 1, 1) ^ 2}", 23, "operator ^: left operand: want a number, got a DateTime"},
			{"#{makeDate(2011, 1, 1) + 1}", 23, "operator +: cannot add a DateTime and an Integer"},
			{"#{x}#{y}#{bad()}", 10, `unknown function "bad"`},
		}
		for _, tt := range tests {
			err := mustTemplate(t, tt.src).Check()
			if err == nil {
				t.Errorf("Check(%q) = nil, want error", tt.src)
				continue
			}
			e := asExprError(t, err)
			if e.Pos != tt.pos || !strings.Contains(e.Msg, tt.message) {
				t.Errorf("Check(%q) error = pos %d %q; want pos %d containing %q", tt.src, e.Pos, e.Msg, tt.pos, tt.message)
			}
		}
	})
}

func TestCheckNode(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		n, _ := expr.Parse("format(@scheduledStartTime, 'YYYY')")
		if err := expr.CheckNode(n); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("ErrUnknownFunction", func(t *testing.T) {
		n, _ := expr.Parse("1 + nope()")
		if err := expr.CheckNode(n); err == nil || asExprError(t, err).Pos != 4 {
			t.Fatalf("got %v", err)
		}
	})
}
