package web

import (
	"os"
	"testing"

	"github.com/datapipe/datapipe/internal/definition"
	"github.com/datapipe/datapipe/internal/pipeline"
)

func compileFile(t *testing.T, file string) *definition.Graph {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := definition.Load(file, data, definition.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	g, res := definition.Compile(&doc.Definition, definition.NewCatalog(), definition.Options{})
	if g == nil {
		t.Fatalf("compile: %+v", res.Problems)
	}
	return g
}

func TestLayoutGraph(t *testing.T) {
	g := compileFile(t, "testdata/etl.json")
	v := layoutGraph(g, map[string]pipeline.Status{"Load": pipeline.StatusFailed}, func(id string) string { return "/x/" + id })
	col := map[string]int{}
	for _, n := range v.Nodes {
		col[n.ID] = (n.X - margin) / (nodeW + colGap)
	}
	want := map[string]int{"Ready": 0, "In": 1, "Extract": 2, "Out": 3, "Load": 3}
	for id, c := range want {
		if col[id] != c {
			t.Errorf("%s in column %d; want %d", id, col[id], c)
		}
	}
	if _, ok := col["Hourly"]; ok {
		t.Error("the schedule is drawn as a node")
	}
	kinds := map[string]int{}
	for _, e := range v.Edges {
		kinds[e.Kind]++
	}
	for _, k := range []string{"precondition", "input", "output", "dependsOn"} {
		if kinds[k] != 1 {
			t.Errorf("%d %s edges; want 1", kinds[k], k)
		}
	}
	if v.Width <= 0 || v.Height <= 0 {
		t.Errorf("size %dx%d", v.Width, v.Height)
	}
}

func TestComponentOrder(t *testing.T) {
	got := componentOrder(compileFile(t, "testdata/etl.json"))
	want := []string{"Ready", "In", "Extract", "Out", "Load"}
	if len(got) != len(want) {
		t.Fatalf("order %v; want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("order %v; want %v", got, want)
		}
	}
}
