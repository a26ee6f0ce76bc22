package expr_test

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/datapipe/datapipe/internal/expr"
)

// golden is one line of testdata/examples.txt.
type golden struct {
	line     int
	template string
	want     []string // nil when an error is expected
	wantErr  string
}

func readGolden(t testing.TB) []golden {
	t.Helper()
	f, err := os.Open("testdata/examples.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []golden
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "# ") || line == "#" {
			continue
		}
		tpl, want, ok := strings.Cut(line, " => ")
		if !ok {
			t.Fatalf("examples.txt:%d: no \" => \"", n)
		}
		out = append(out, parseGolden(t, n, tpl, want))
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func parseGolden(t testing.TB, n int, tpl, want string) golden {
	g := golden{line: n, template: tpl}
	switch {
	case strings.HasPrefix(want, "ERROR "):
		g.wantErr = strings.TrimPrefix(want, "ERROR ")
	case strings.HasPrefix(want, "["):
		if err := json.Unmarshal([]byte(want), &g.want); err != nil {
			t.Fatalf("examples.txt:%d: %v", n, err)
		}
	default:
		g.want = []string{want}
	}
	return g
}

// TestExamples evaluates every worked example of the spec (§7, §8.4, §18)
// collected in testdata/examples.txt.
func TestExamples(t *testing.T) {
	for _, g := range readGolden(t) {
		t.Run(fmt.Sprintf("line%d", g.line), func(t *testing.T) {
			tpl := mustTemplate(t, g.template)
			if err := tpl.Check(); err != nil {
				t.Fatalf("Check(%q): %v", g.template, err)
			}
			got, err := tpl.Render(newScope())
			if g.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), g.wantErr) {
					t.Fatalf("Render(%q) = %q, %v; want error containing %q", g.template, got, err, g.wantErr)
				}
				return
			}
			if err != nil || !reflect.DeepEqual(got, g.want) {
				t.Fatalf("Render(%q) = %q, %v; want %q", g.template, got, err, g.want)
			}
		})
	}
}

// TestExamples_MultiValuedField shows §7.8's flattening: a multi-valued field
// whose entries each evaluate to lists contributes all their values.
func TestExamples_MultiValuedField(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		var got []string
		for _, entry := range []string{"#{myList1}", "#{myList2}"} {
			vs, err := render(t, entry)
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, vs...)
		}
		if want := []string{"1", "2", "3", "4"}; !reflect.DeepEqual(got, want) {
			t.Fatalf("got %q, want %q", got, want)
		}
	})
}

// exampleScope is a minimal Scope for the examples.
type exampleScope map[string]expr.Value

func (s exampleScope) Lookup(name string) (expr.Value, error) {
	if v, ok := s[name]; ok {
		return v, nil
	}
	return expr.Value{}, fmt.Errorf("%w %q", expr.ErrUnknownName, name)
}

func ExampleTemplate_Render() {
	scope := exampleScope{
		"@scheduledStartTime": expr.DateTimeValue(time.Date(2011, 1, 31, 17, 10, 0, 0, time.UTC)),
		"myS3OutputLoc":       expr.StringValue("s3://bucket/out"),
	}
	tpl, err := expr.ParseTemplate("#{myS3OutputLoc}/#{format(plusMonths(@scheduledStartTime, 1), 'YYYY-MM-dd')}/#{@scheduledStartTime.format('hh a')}")
	if err != nil {
		fmt.Println(err)
		return
	}
	out, err := tpl.Render(scope)
	fmt.Println(out, err)
	// Output: [s3://bucket/out/2011-02-28/05 PM] <nil>
}

func ExampleTemplate_Render_list() {
	scope := exampleScope{"myList": expr.ListValue([]expr.Value{expr.StringValue("one"), expr.StringValue("two")})}
	tpl, _ := expr.ParseTemplate("this is #{myList}")
	out, _ := tpl.Render(scope)
	fmt.Printf("%q\n", out)
	// Output: ["this is one" "this is two"]
}

func ExampleTemplate_Paths() {
	tpl, _ := expr.ParseTemplate("#{node.output.directoryPath}/#{format(node.@scheduledStartTime, 'YYYY')}")
	for _, p := range tpl.Paths() {
		fmt.Println(p.Pos, p)
	}
	// Output:
	// 2 node.output.directoryPath
	// 38 node.@scheduledStartTime
}

func ExampleTemplate_Check() {
	tpl, _ := expr.ParseTemplate("#{plusMonths(@scheduledStartTime)}")
	fmt.Println(tpl.Check())
	// Output: at column 3: plusMonths: want 2 arguments, got 1 (signature plusMonths(DateTime, Integer))
}

func ExampleParse() {
	n, err := expr.Parse("@scheduledStartTime.plusMonths(1).format('YYYY-MM')")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(n)
	v, err := expr.Eval(n, exampleScope{
		"@scheduledStartTime": expr.DateTimeValue(time.Date(2012, 12, 31, 0, 0, 0, 0, time.UTC)),
	})
	fmt.Println(v, err)
	// Output:
	// @scheduledStartTime.plusMonths(1).format('YYYY-MM')
	// 2013-01 <nil>
}

func ExampleParse_error() {
	_, err := expr.Parse("format(@scheduledStartTime, 'YYYY'")
	fmt.Println(err)
	// Output: at column 35: expected "," or ")" in the arguments of format (opened at column 7), found end of expression
}

func ExampleEval() {
	n, _ := expr.Parse("2 ^ 10 / 4 + 1")
	v, _ := expr.Eval(n, nil)
	fmt.Println(v, v.Kind())
	// Output: 257.0 Double
}

func ExampleValue_String() {
	fmt.Println(expr.DoubleValue(4))
	fmt.Println(expr.DoubleValue(1e10))
	fmt.Println(expr.DateTimeValue(time.Date(2012, 12, 12, 0, 0, 0, 0, time.UTC)))
	// Output:
	// 4.0
	// 1.0E10
	// 2012-12-12T00:00:00
}
