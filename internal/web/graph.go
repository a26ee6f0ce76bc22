package web

import (
	"github.com/datapipe/datapipe/internal/definition"
	"github.com/datapipe/datapipe/internal/pipeline"
)

// Graph layout constants, in SVG user units.
const (
	nodeW, nodeH = 204, 58
	colGap       = 90
	rowGap       = 26
	margin       = 16
)

// graphView is a laid-out component graph for the SVG template.
type graphView struct {
	Width, Height int
	Nodes         []nodeView
	Edges         []edgeView
}

// nodeView is one component box.
type nodeView struct {
	ID, Label, Type, Category string
	Status                    pipeline.Status
	X, Y, W, H                int
	URL                       string
}

// edgeView is one reference drawn as a curve from a producer to its
// consumer.
type edgeView struct {
	Kind, From, To string
	Path           string
	LX, LY         int
}

// flowKinds are the edges drawn, and whether the edge runs against the
// data flow (A dependsOn B is drawn B → A).
var flowKinds = map[string]bool{"dependsOn": true, "input": true, "output": false, "runsOn": true, "precondition": true}

// drawn reports whether a component is a node of the graph.
func drawn(c *definition.Component) bool {
	switch c.Category() {
	case definition.CategoryActivity, definition.CategoryDataNode, definition.CategoryPrecondition, definition.CategoryResource:
		return true
	}
	return false
}

// layoutGraph lays a graph out in layers by dependency depth: every node
// sits one column right of its deepest producer; within a column nodes
// keep definition order. status gives each node's latest instance status
// and url its link.
func layoutGraph(g *definition.Graph, status map[string]pipeline.Status, url func(id string) string) graphView {
	var v graphView
	if g == nil {
		return v
	}
	ids, preds := flowEdges(g)
	layer := layers(ids, preds)
	pos := map[string][2]int{}
	perCol := map[int]int{}
	for _, id := range ids {
		col := layer[id]
		x, y := margin+col*(nodeW+colGap), margin+perCol[col]*(nodeH+rowGap)
		perCol[col]++
		pos[id] = [2]int{x, y}
		c, _ := g.Component(id)
		v.Nodes = append(v.Nodes, nodeView{ID: id, Label: clip(c.Name, 26), Type: clip(c.Type, 30), Category: string(c.Category()),
			Status: status[id], X: x, Y: y, W: nodeW, H: nodeH, URL: url(id)})
		v.Width, v.Height = max(v.Width, x+nodeW+margin), max(v.Height, y+nodeH+margin)
	}
	for _, e := range g.Edges {
		v.addEdge(e, pos)
	}
	return v
}

// flowEdges returns the drawn components in definition order and, for
// each, its producers along the drawn edges.
func flowEdges(g *definition.Graph) ([]string, map[string][]string) {
	var ids []string
	on := map[string]bool{}
	for _, c := range g.Components {
		if drawn(c) {
			ids = append(ids, c.ID)
			on[c.ID] = true
		}
	}
	preds := map[string][]string{}
	for _, e := range g.Edges {
		reverse, ok := flowKinds[e.Kind]
		if !ok || !on[e.From] || !on[e.To] {
			continue
		}
		from, to := e.From, e.To
		if reverse {
			from, to = to, from
		}
		preds[to] = append(preds[to], from)
	}
	return ids, preds
}

// layers assigns each node its longest-path depth (cycles, which
// validation forbids, are cut).
func layers(ids []string, preds map[string][]string) map[string]int {
	depth := map[string]int{}
	state := map[string]int{}
	var visit func(string) int
	visit = func(id string) int {
		switch state[id] {
		case 1:
			return 0
		case 2:
			return depth[id]
		}
		state[id] = 1
		d := 0
		for _, p := range preds[id] {
			d = max(d, visit(p)+1)
		}
		state[id], depth[id] = 2, d
		return d
	}
	for _, id := range ids {
		visit(id)
	}
	return depth
}

// addEdge draws e when both ends are nodes, producer to consumer.
func (v *graphView) addEdge(e definition.Edge, pos map[string][2]int) {
	reverse, ok := flowKinds[e.Kind]
	a, okA := pos[e.From]
	b, okB := pos[e.To]
	if !ok || !okA || !okB {
		return
	}
	if reverse {
		a, b = b, a
	}
	x1, y1 := a[0]+nodeW, a[1]+nodeH/2
	x2, y2 := b[0], b[1]+nodeH/2
	if x2 <= x1 { // same column (cut cycle): loop around the right side
		x2 = b[0] + nodeW
	}
	mid := (x1 + x2) / 2
	v.Edges = append(v.Edges, edgeView{Kind: e.Kind, From: e.From, To: e.To, LX: mid, LY: (y1+y2)/2 - 4,
		Path: pathD(x1, y1, mid, x2, y2)})
}

func pathD(x1, y1, mid, x2, y2 int) string {
	return "M" + itoa(x1) + "," + itoa(y1) + " C" + itoa(mid) + "," + itoa(y1) + " " + itoa(mid) + "," + itoa(y2) + " " + itoa(x2) + "," + itoa(y2)
}

// clip shortens s to n runes with an ellipsis.
func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
