package expr_test

import (
	"errors"
	"testing"

	"github.com/datapipe/datapipe/internal/expr"
)

// fuzzSeeds are the starting corpus: every worked example plus edge cases.
func fuzzSeeds(f *testing.F) {
	for _, g := range readGolden(f) {
		f.Add(g.template)
	}
	for _, s := range []string{
		"", "#{", "#{}", `\#{`, "#{'}'}", "#{a.b.c}", "#{*x}", "#{-2^-2}", "#{1/0}",
		"#{myList + myList1 * myList2}", "#{format(myDateTime, 'G C Y y x w e E D M d a K h H k m s S z Z ''')}",
		"#{inTimeZone(myDateTime, '+05:30').format('zzzz')}", "#{(((1)))}", "#{x.@y}", "#{\"\\\"\"}",
	} {
		f.Add(s)
	}
}

// checkErr asserts that err is an *expr.Error positioned inside src.
func checkErr(t *testing.T, what, src string, err error) {
	t.Helper()
	var e *expr.Error
	if !errors.As(err, &e) {
		t.Fatalf("%s(%q): error %v (%T) is not an *expr.Error", what, src, err, err)
	}
	if e.Pos < 0 || e.Pos > len(src) {
		t.Fatalf("%s(%q): error position %d outside 0..%d: %v", what, src, e.Pos, len(src), err)
	}
}

// FuzzParseTemplate checks that parsing never panics, that errors are
// positioned *Errors, that the canonical form re-parses to itself, and that
// Check and evaluation in the example scope never panic and fail only with
// positioned *Errors.
func FuzzParseTemplate(f *testing.F) {
	fuzzSeeds(f)
	f.Fuzz(func(t *testing.T, src string) {
		tpl, err := expr.ParseTemplate(src)
		if err != nil {
			checkErr(t, "ParseTemplate", src, err)
			return
		}
		canon := tpl.String()
		again, err := expr.ParseTemplate(canon)
		if err != nil {
			t.Fatalf("canonical form %q of %q does not parse: %v", canon, src, err)
		}
		if again.String() != canon {
			t.Fatalf("canonical form not stable: %q -> %q -> %q", src, canon, again.String())
		}
		if err := tpl.Check(); err != nil {
			checkErr(t, "Check", src, err)
		}
		if _, err := tpl.Render(newScope()); err != nil {
			checkErr(t, "Render", src, err)
		}
	})
}

// FuzzParse checks bare expressions the same way.
func FuzzParse(f *testing.F) {
	for _, s := range []string{"1 + 2", "format(@x, 'YYYY')", "a.b.f(1, 'x')", "-(2 ^ -3) / 0.5", "*p", "'\\''"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		n, err := expr.Parse(src)
		if err != nil {
			checkErr(t, "Parse", src, err)
			return
		}
		again, err := expr.Parse(n.String())
		if err != nil || again.String() != n.String() {
			t.Fatalf("canonical form %q of %q: %v, %v", n.String(), src, again, err)
		}
		if _, err := expr.Eval(n, newScope()); err != nil {
			checkErr(t, "Eval", src, err)
		}
	})
}
