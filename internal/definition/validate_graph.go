package definition

import (
	"strings"
)

// checkCycles reports parent cycles and dependency cycles (objects.md §16.3
// rule 10), each once, on its first object in definition order.
func (v *validation) checkCycles() {
	reported := map[string]bool{}
	for _, id := range v.ix.order {
		cyc := v.ix.parentCycle(id)
		if len(cyc) == 0 || reported[cyc[0]] {
			continue
		}
		for _, c := range cyc {
			reported[c] = true
		}
		v.res.errorf(cyc[0], "parent", CodeCycle, "forms an inheritance cycle: %s", strings.Join(append(cyc, cyc[0]), " → "))
	}
	for _, cyc := range cycles(v.ix.order, v.dependencyEdges()) {
		v.res.errorf(cyc[0], "", CodeCycle, "objects wait for each other in a cycle (through dependsOn, input and output): %s",
			strings.Join(append(cyc, cyc[0]), " → "))
	}
}

// dependencyEdges returns, for each object, the objects it waits for:
// dependsOn targets, input data nodes, and (for an output data node) the
// activity that produces it.
func (v *validation) dependencyEdges() map[string][]string {
	edges := map[string][]string{}
	for _, id := range v.ix.order {
		spec, ok := v.cat.Type(v.ix.typeOf(id))
		if !ok || !schedulable(spec.Category) {
			continue
		}
		for _, f := range v.ix.effective(id) {
			if !f.Ref || v.ix.objects[f.Value] == nil {
				continue
			}
			switch f.Key {
			case "dependsOn", "input":
				edges[id] = append(edges[id], f.Value)
			case "output":
				edges[f.Value] = append(edges[f.Value], id)
			}
		}
	}
	return edges
}

// cycles returns the strongly connected components with a cycle (more than
// one node, or a self-loop), each as a path starting at its earliest node
// in order. It is Tarjan's algorithm, iterative so that deep graphs cannot
// exhaust the stack.
func cycles(order []string, edges map[string][]string) [][]string {
	t := &tarjan{edges: edges, index: map[string]int{}, low: map[string]int{}, on: map[string]bool{}}
	for _, id := range order {
		if _, seen := t.index[id]; !seen {
			t.visit(id)
		}
	}
	pos := map[string]int{}
	for i, id := range order {
		pos[id] = i
	}
	var out [][]string
	for _, c := range t.sccs {
		if len(c) > 1 || selfLoop(edges, c[0]) {
			out = append(out, cyclePath(c, edges, pos))
		}
	}
	return out
}

type tarjan struct {
	edges map[string][]string
	index map[string]int
	low   map[string]int
	on    map[string]bool
	stack []string
	sccs  [][]string
	next  int
}

type frame struct {
	id string
	i  int
}

func (t *tarjan) visit(root string) {
	work := []frame{{id: root}}
	t.open(root)
	for len(work) > 0 {
		top := &work[len(work)-1]
		if top.i < len(t.edges[top.id]) {
			w := t.edges[top.id][top.i]
			top.i++
			if _, seen := t.index[w]; !seen {
				t.open(w)
				work = append(work, frame{id: w})
			} else if t.on[w] {
				t.low[top.id] = min(t.low[top.id], t.index[w])
			}
			continue
		}
		work = work[:len(work)-1]
		if len(work) > 0 {
			parent := work[len(work)-1].id
			t.low[parent] = min(t.low[parent], t.low[top.id])
		}
		t.close(top.id)
	}
}

func (t *tarjan) open(id string) {
	t.index[id], t.low[id] = t.next, t.next
	t.next++
	t.stack = append(t.stack, id)
	t.on[id] = true
}

func (t *tarjan) close(id string) {
	if t.low[id] != t.index[id] {
		return
	}
	var scc []string
	for {
		w := t.stack[len(t.stack)-1]
		t.stack = t.stack[:len(t.stack)-1]
		t.on[w] = false
		scc = append(scc, w)
		if w == id {
			break
		}
	}
	t.sccs = append(t.sccs, scc)
}

func selfLoop(edges map[string][]string, id string) bool {
	return contains(edges[id], id)
}

// cyclePath returns a shortest cycle through the SCC's earliest object in
// definition order, as a path of objects each waiting for the next.
func cyclePath(scc []string, edges map[string][]string, pos map[string]int) []string {
	in := map[string]bool{}
	start := scc[0]
	for _, id := range scc {
		in[id] = true
		if pos[id] < pos[start] {
			start = id
		}
	}
	prev := map[string]string{}
	queue := []string{start}
	for len(queue) > 0 {
		cur := queue[0]
		queue = queue[1:]
		for _, w := range edges[cur] {
			if w == start {
				return backtrack(prev, cur, start)
			}
			if _, seen := prev[w]; !seen && in[w] {
				prev[w] = cur
				queue = append(queue, w)
			}
		}
	}
	return []string{start}
}

func backtrack(prev map[string]string, end, start string) []string {
	path := []string{end}
	for cur := end; cur != start; {
		cur = prev[cur]
		path = append(path, cur)
	}
	for i, j := 0, len(path)-1; i < j; i, j = i+1, j-1 {
		path[i], path[j] = path[j], path[i]
	}
	return path
}
