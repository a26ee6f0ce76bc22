package web

import (
	"net/url"
	"time"

	"github.com/datapipe/datapipe/internal/definition"
	"github.com/datapipe/datapipe/internal/pipeline"
	"github.com/datapipe/datapipe/internal/schedule"
)

// runsData is the runs grid: one row per interval, one column per
// component.
type runsData struct {
	summary
	Columns []string
	Rows    []gridRow
	Older   string
	Newer   string
}

// gridRow is one interval of the grid.
type gridRow struct {
	Start time.Time
	Cells []gridCell
}

// gridCell is one component's instance in an interval (empty when none).
type gridCell struct {
	ID     string
	Status pipeline.Status
}

// runsPage shows the grid of the latest intervals, or of the page asked
// with before= or after= (YYYY-MM-DDTHH:MM:SS).
func (c *Console) runsPage(q *request) (*view, error) {
	ctx := q.r.Context()
	p, err := c.loadPipeline(ctx, q)
	if err != nil {
		return nil, err
	}
	s, err := c.summarize(ctx, p)
	if err != nil {
		return nil, err
	}
	wq, err := c.windowFor(q, s, pipeline.SphereInstance, c.cfg.GridRows)
	if err != nil {
		return nil, err
	}
	w, err := c.window(ctx, wq)
	if err != nil {
		return nil, err
	}
	d := &runsData{summary: s}
	d.fill(w, componentOrder(s.c.graph))
	d.Older, d.Newer = pageLinks(q.r.URL.Path, w)
	return &view{Template: "runs", Title: p.Name + " · runs", Nav: "pipelines", PipelineID: p.ID, PipelineName: p.Name, Data: d}, nil
}

// windowFor builds the window query of a page from its before=/after=
// parameters.
func (c *Console) windowFor(q *request, s summary, sphere pipeline.Sphere, rows int) (windowQuery, error) {
	wq := windowQuery{PipelineID: s.P.ID, Sphere: sphere, Rows: rows, Period: periodOf(s.c.graph), Limit: rows*2*(len(componentOrder(s.c.graph))+1) + 100}
	in := q.r.URL.Query()
	var err error
	if a := in.Get("after"); a != "" {
		if wq.After, err = schedule.ParseDateTime(a); err != nil {
			return wq, badInput("after=%q: %v", a, err)
		}
	}
	if b := in.Get("before"); b != "" {
		if wq.Before, err = schedule.ParseDateTime(b); err != nil {
			return wq, badInput("before=%q: %v", b, err)
		}
	}
	if wq.Before.IsZero() { // the latest: nothing starts after the components' cursors
		wq.Before = s.cursor()
		if wq.Before.IsZero() {
			wq.Before = c.now()
		}
		wq.Before = wq.Before.Add(time.Second).Truncate(time.Second)
	}
	return wq, nil
}

// pageLinks are the older and newer page URLs of a window.
func pageLinks(path string, w window) (older, newer string) {
	if len(w.Starts) == 0 {
		return "", ""
	}
	older = path + "?before=" + url.QueryEscape(schedule.FormatDateTime(w.Starts[0]))
	newer = path + "?after=" + url.QueryEscape(schedule.FormatDateTime(w.Starts[len(w.Starts)-1].Add(time.Second)))
	return older, newer
}

// fill lays the window's instances out: rows newest first, columns in
// graph order, then any other component seen.
func (d *runsData) fill(w window, order []string) {
	cols := map[string]int{}
	for _, o := range w.Objs {
		if _, ok := cols[o.ComponentID]; !ok {
			cols[o.ComponentID] = -1
		}
	}
	for _, id := range order {
		if _, ok := cols[id]; ok {
			cols[id] = len(d.Columns)
			d.Columns = append(d.Columns, id)
		}
	}
	for _, o := range w.Objs {
		if cols[o.ComponentID] < 0 {
			cols[o.ComponentID] = len(d.Columns)
			d.Columns = append(d.Columns, o.ComponentID)
		}
	}
	rowOf := map[time.Time]int{}
	for i := len(w.Starts) - 1; i >= 0; i-- {
		rowOf[w.Starts[i]] = len(d.Rows)
		d.Rows = append(d.Rows, gridRow{Start: w.Starts[i], Cells: make([]gridCell, len(d.Columns))})
	}
	for _, o := range w.Objs {
		cell := &d.Rows[rowOf[o.ScheduledStart]].Cells[cols[o.ComponentID]]
		if cell.ID == "" || worse(o.Status, cell.Status) {
			*cell = gridCell{ID: o.ID, Status: o.Status}
		}
	}
}

// worse ranks statuses for a cell holding several instances (a
// precondition guarding several components).
func worse(a, b pipeline.Status) bool {
	rank := func(s pipeline.Status) int {
		switch statusClass(s) {
		case "st-fail":
			return 3
		case "st-wait", "st-run":
			return 2
		}
		return 1
	}
	return rank(a) > rank(b)
}

// componentOrder lists the drawn components, producers first.
func componentOrder(g *definition.Graph) []string {
	if g == nil {
		return nil
	}
	ids, preds := flowEdges(g)
	depth := layers(ids, preds)
	out := make([]string, 0, len(ids))
	for d := 0; len(out) < len(ids); d++ {
		for _, id := range ids {
			if depth[id] == d {
				out = append(out, id)
			}
		}
	}
	return out
}

// periodOf is the shortest schedule period of a graph (an hour when
// unknown or on demand).
func periodOf(g *definition.Graph) time.Duration {
	best := time.Duration(0)
	if g != nil && !g.OnDemand {
		for _, comp := range g.Components {
			v, _ := g.EvalString(comp.ID, "period", nil)
			if per, err := schedule.ParsePeriod(v); err == nil && comp.Type == "Schedule" && (best == 0 || per.Approx() < best) {
				best = per.Approx()
			}
		}
	}
	if best == 0 {
		return time.Hour
	}
	return best
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// badInput is a 400 error.
func badInput(format string, args ...any) error {
	return &inputError{msg: sprintf(format, args...)}
}

type inputError struct{ msg string }

func (e *inputError) Error() string { return e.msg }
func (e *inputError) Unwrap() error { return errBadInput }
