package definition

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/datapipe/datapipe/internal/expr"
	"github.com/datapipe/datapipe/internal/pipeline"
	"github.com/datapipe/datapipe/internal/schedule"
)

func compileFixture(t testing.TB, path string, opt Options) *Graph {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := Load(path, data, LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	g, res := Compile(&doc.Definition, NewCatalog(), opt)
	if g == nil {
		t.Fatalf("compile %s:\n%s", path, report(res))
	}
	return g
}

// instanceEnv is the runtime environment of the instance of interval start.
func instanceEnv(id string, start time.Time, period time.Duration) *Env {
	return &Env{Runtime: map[string]expr.Value{
		"@id":                 expr.StringValue("@" + id + "_" + schedule.FormatDateTime(start)),
		"@scheduledStartTime": expr.DateTimeValue(start),
		"@scheduledEndTime":   expr.DateTimeValue(start.Add(period)),
	}}
}

func TestCompile(t *testing.T) {
	g := compileFixture(t, filepath.Join("testdata", "compile", "worked_example.json"), Options{})
	t.Run("Components", func(t *testing.T) {
		work, ok := g.Component("Work")
		if !ok || work.Type != "ShellCommandActivity" || work.Category() != CategoryActivity {
			t.Fatalf("Work = %+v", work)
		}
		if got := work.Raw("workerGroup"); len(got) != 1 || got[0] != "wg-1" {
			t.Errorf("Work inherits workerGroup = %v", got)
		}
		if got := work.Refs("schedule"); len(got) != 1 || got[0] != "Hourly" {
			t.Errorf("Work inherits schedule = %v", got)
		}
		if def, _ := g.Component("Default"); def.Type != "" || def.Spec != nil {
			t.Errorf("Default = %+v", def)
		}
	})
	t.Run("Edges", func(t *testing.T) {
		want := []Edge{{"Work", "In", "input"}, {"Work", "Out", "output"}, {"Work", "Alarm", "onFail"}, {"In", "Ready", "precondition"}, {"In", "Hourly", "schedule"}}
		for _, e := range want {
			if !hasEdge(g, e) {
				t.Errorf("missing edge %+v in %+v", e, g.Edges)
			}
		}
	})
}

func hasEdge(g *Graph, e Edge) bool {
	for _, x := range g.Edges {
		if x == e {
			return true
		}
	}
	return false
}

func TestGraph_Eval(t *testing.T) {
	g := compileFixture(t, filepath.Join("testdata", "compile", "worked_example.json"), Options{})
	start := time.Date(2012, 9, 1, 1, 0, 0, 0, time.UTC)
	in := instanceEnv("In", start, time.Hour)
	work := instanceEnv("Work", start, time.Hour)
	work.Bind = func(id string) *Env { return instanceEnv(id, start, time.Hour) }
	for _, tt := range []struct {
		name, id, key string
		env           *Env
		want          string
	}{
		{"OwnRuntimeField", "In", "directoryPath", in, "s3://bucket/in/2012-09-01-01"},
		{"NodeOfPrecondition", "Ready", "s3Prefix", &Env{Node: &Binding{"In", in}}, "s3://bucket/in/2012-09-01-01"},
		{"NodeName", "Alarm", "subject", &Env{Node: &Binding{"Work", work}}, "Failed Work"},
		{"NodeRuntimeAndMultiHop", "Alarm", "message", &Env{Node: &Binding{"Work", work}, Runtime: map[string]expr.Value{"@id": expr.StringValue("@Alarm_1")}},
			"Interval 2012-09-01T01:00:00..2012-09-01T02:00:00 in s3://bucket/in/2012-09-01-01 of Alarm"},
		{"Unevaluated", "Work", "command", work, "wc -l ${INPUT1_STAGING_DIR}/* > ${OUTPUT1_STAGING_DIR}/count.txt"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, err := g.EvalString(tt.id, tt.key, tt.env)
			if err != nil || got != tt.want {
				t.Errorf("EvalString(%s.%s) = %q, %v; want %q", tt.id, tt.key, got, err, tt.want)
			}
		})
	}
	t.Run("ErrRuntimeFieldOnComponent", func(t *testing.T) {
		_, err := g.EvalString("In", "directoryPath", nil)
		if err == nil || !strings.Contains(err.Error(), `"In"`) || !strings.Contains(err.Error(), "directoryPath") {
			t.Errorf("err = %v; want it to name object and field", err)
		}
	})
	t.Run("ErrUnknownObject", func(t *testing.T) {
		if _, err := g.EvalString("Nope", "x", nil); err == nil {
			t.Error("want error")
		}
	})
}

func TestGraph_Evaluate(t *testing.T) {
	g := compileFixture(t, filepath.Join("testdata", "compile", "worked_example.json"), Options{})
	got, err := g.Evaluate("Hourly", "Transform started at #{startDateTime} for #{parent.@id}", &Env{Runtime: map[string]expr.Value{}})
	if err != nil || got != "Transform started at 2012-09-01T00:00:00 for Hourly" {
		t.Errorf("Evaluate = %q, %v", got, err)
	}
	t.Run("OKNodeRuntimeFieldWithoutAt", func(t *testing.T) {
		start := time.Date(2012, 9, 1, 1, 0, 0, 0, time.UTC)
		work := instanceEnv("Work", start, time.Hour)
		work.Runtime["errorMessage"] = expr.StringValue("exit status 3")
		got, err := g.Evaluate("Alarm", "#{node.name} failed: #{node.errorMessage}", &Env{Node: &Binding{"Work", work}})
		if err != nil || got != "Work failed: exit status 3" {
			t.Errorf("Evaluate = %q, %v", got, err)
		}
	})
}

func TestGraph_Resolve(t *testing.T) {
	g := compileFixture(t, filepath.Join("testdata", "compile", "worked_example.json"), Options{})
	start := time.Date(2012, 9, 1, 2, 0, 0, 0, time.UTC)
	obj, err := g.Resolve("In", instanceEnv("In", start, time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := obj.StringValue("directoryPath"); v != "s3://bucket/in/2012-09-01-02" {
		t.Errorf("directoryPath = %q", v)
	}
	if f, ok := obj.Get("precondition"); !ok || !f.Ref || f.Value != "Ready" {
		t.Errorf("precondition = %+v", f)
	}
	if v, _ := obj.StringValue("workerGroup"); v != "wg-1" {
		t.Errorf("inherited workerGroup = %q", v)
	}
}

func TestCompile_ErrInvalid(t *testing.T) {
	data, _ := os.ReadFile(filepath.Join("testdata", "validate", "bad_period.json"))
	doc, err := Load("bad_period.json", data, LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	g, res := Compile(&doc.Definition, NewCatalog(), Options{})
	if g != nil || !res.Errored() {
		t.Errorf("Compile of an invalid definition = %v, errored %v", g, res.Errored())
	}
}

func TestGraph_Eval_ErrSelfReference(t *testing.T) {
	def := &Definition{Objects: []pipeline.Object{
		obj("Default", "scheduleType", "ondemand", "workerGroup", "wg"),
		obj("Loop", "type", "ShellCommandActivity", "command", "#{myA}", "myA", "x#{myB}", "myB", "#{myA}"),
		obj("Wide", "type", "ShellCommandActivity", "command", "#{myF0}",
			"myF0", "#{myF1}#{myF1}", "myF1", "#{myF2}#{myF2}", "myF2", "#{myF3}#{myF3}", "myF3", "#{myF4}#{myF4}",
			"myF4", "#{myF5}#{myF5}", "myF5", "#{myF6}#{myF6}", "myF6", "#{myF7}#{myF7}", "myF7", "ab"),
	}}
	g, res := Compile(def, NewCatalog(), Options{})
	if g == nil {
		t.Fatal(report(res))
	}
	_, err := g.EvalString("Loop", "command", nil)
	if err == nil || !strings.Contains(err.Error(), "refers back to itself") {
		t.Errorf("err = %v", err)
	}
	got, err := g.EvalString("Wide", "command", nil)
	if err != nil || len(got) != 2*128 {
		t.Errorf("Wide = %d chars, %v", len(got), err)
	}
}
