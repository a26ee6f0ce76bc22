package web

import (
	"slices"
	"time"

	"github.com/datapipe/datapipe/internal/pipeline"
	"github.com/datapipe/datapipe/internal/store"
)

// Timeline geometry, in SVG user units.
const (
	ganttLabelW = 300
	ganttPlotW  = 640
	ganttRowH   = 22
)

// timelineData is the Gantt chart of attempts.
type timelineData struct {
	summary
	Bars          []bar
	Ticks         []tick
	Width, Height int
	From, To      time.Time
	Older, Newer  string
	Pending       int
}

// bar is one attempt, from its actual start to its end (now while it
// runs).
type bar struct {
	ID, Component string
	Status        pipeline.Status
	X, Y, W       int
	Start, End    time.Time
	URL           string
}

// tick is one labelled time on the axis.
type tick struct {
	X     int
	Label string
}

// timelinePage shows the attempts of the latest intervals (or the page
// asked with before=/after=) on a shared time axis.
func (c *Console) timelinePage(q *request) (*view, error) {
	ctx := q.r.Context()
	p, err := c.loadPipeline(ctx, q)
	if err != nil {
		return nil, err
	}
	s, err := c.summarize(ctx, p)
	if err != nil {
		return nil, err
	}
	wq, err := c.windowFor(q, s, pipeline.SphereAttempt, 12)
	if err != nil {
		return nil, err
	}
	w, err := c.window(ctx, wq)
	if err != nil {
		return nil, err
	}
	d := &timelineData{summary: s}
	d.layout(w.Objs, c.now(), func(id string) string { return objectURL(p.ID, id) })
	d.Older, d.Newer = pageLinks(q.r.URL.Path, w)
	return &view{Template: "timeline", Title: p.Name + " · timeline", Nav: "pipelines", PipelineID: p.ID, PipelineName: p.Name, Data: d}, nil
}

// layout places started attempts in start order on a common axis.
func (d *timelineData) layout(objs []store.Object, now time.Time, url func(string) string) {
	var started []store.Object
	for _, o := range objs {
		if o.ActualStart.IsZero() {
			d.Pending++
			continue
		}
		started = append(started, o)
		end := endOf(o, now)
		if d.From.IsZero() || o.ActualStart.Before(d.From) {
			d.From = o.ActualStart
		}
		if end.After(d.To) {
			d.To = end
		}
	}
	slices.SortStableFunc(started, func(a, b store.Object) int { return a.ActualStart.Compare(b.ActualStart) })
	span := max(d.To.Sub(d.From), time.Second)
	x := func(t time.Time) int {
		return ganttLabelW + int(float64(ganttPlotW)*float64(t.Sub(d.From))/float64(span))
	}
	for i, o := range started {
		x1, x2 := x(o.ActualStart), x(endOf(o, now))
		d.Bars = append(d.Bars, bar{ID: o.ID, Component: o.ComponentID, Status: o.Status, X: x1, Y: 24 + i*ganttRowH,
			W: max(x2-x1, 2), Start: o.ActualStart, End: o.ActualEnd, URL: url(o.ID)})
	}
	for k := 0; k <= 4; k++ {
		t := d.From.Add(span * time.Duration(k) / 4)
		d.Ticks = append(d.Ticks, tick{X: x(t), Label: t.UTC().Format("01-02 15:04:05")})
	}
	d.Width, d.Height = ganttLabelW+ganttPlotW+80, 40+len(started)*ganttRowH
}

// endOf is an attempt's end, or now while it has none.
func endOf(o store.Object, now time.Time) time.Time {
	if o.ActualEnd.IsZero() {
		return now
	}
	return o.ActualEnd
}
