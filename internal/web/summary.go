package web

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/datapipe/datapipe/internal/definition"
	"github.com/datapipe/datapipe/internal/pipeline"
	"github.com/datapipe/datapipe/internal/schedule"
	"github.com/datapipe/datapipe/internal/store"
)

// countWindow is how far back from its latest interval a pipeline's
// instances are counted by status, and openWindow how far back open ones
// are. Both bound the rows a list row reads: a status filter alone would
// scan the pipeline's whole history on SQLite.
const (
	countWindow = 24 * time.Hour
	openWindow  = 7 * 24 * time.Hour
)

// summary is one pipeline as the list and the pipeline page show it.
type summary struct {
	P        store.Pipeline
	Health   string
	Schedule string
	// Last is the instance of the latest interval (zero when none);
	// Next the start of the next interval (zero when none is due).
	Last   store.Object
	Next   time.Time
	Counts []statusCount
	// Rows are the component runtime rows by id (cursors, pauses,
	// health).
	Rows map[string]store.Object
	// latest is the start of the latest interval any component created.
	latest time.Time
	c      *compiled
}

// statusCount is how many instances have a status.
type statusCount struct {
	Status pipeline.Status
	N      int
}

// summarize reads what a pipeline's row shows with three bounded
// queries: its component rows, the instances of the last day (the latest
// interval's among them) and the open ones of the last week.
func (c *Console) summarize(ctx context.Context, p store.Pipeline) (summary, error) {
	s := summary{P: p, Rows: map[string]store.Object{}}
	var err error
	if s.c, err = c.graphs.get(ctx, p.ID, cmp.Or(p.ActiveVersion, p.LatestVersion)); err != nil {
		return s, err
	}
	rows, err := c.cfg.Store.ObjectQuery(ctx, store.ObjectQueryParams{PipelineID: p.ID, Sphere: pipeline.SphereComponent})
	if err != nil {
		return s, fmt.Errorf("summarize %s: %w", p.ID, err)
	}
	for _, r := range rows {
		s.Rows[r.ID] = r
		s.Health = worseHealth(s.Health, fieldOf(r.Fields, "@healthStatus"))
		if r.ScheduledStart.After(s.latest) {
			s.latest = r.ScheduledStart
		}
	}
	s.Schedule, s.Next = describeSchedule(s.c.graph, p, s.cursor())
	return s, c.countStatuses(ctx, &s)
}

// worseHealth keeps ERROR over HEALTHY over nothing.
func worseHealth(have, h string) string {
	if have == "ERROR" || h == "" {
		return have
	}
	return h
}

// cursor is the start of the latest interval any component created
// (zero when none).
func (s *summary) cursor() time.Time { return s.latest }

// noteLast keeps, among the instances of the latest interval, the one
// still open or else the one that ended last.
func (s *summary) noteLast(o store.Object) {
	if !o.ScheduledStart.Equal(s.cursor()) || s.cursor().IsZero() {
		return
	}
	if s.Last.ID == "" || !o.Status.Terminal() || (s.Last.Status.Terminal() && o.ActualEnd.After(s.Last.ActualEnd)) {
		s.Last = o
	}
}

// countStatuses counts the instances of the last day before the cursor
// and the open ones of the last week.
func (c *Console) countStatuses(ctx context.Context, s *summary) error {
	seen := map[string]pipeline.Status{}
	for _, q := range []store.ObjectQueryParams{
		{After: &store.ObjectCursor{ScheduledStart: s.cursor().Add(-countWindow)}}, // seeks the scheduled-start index
		{After: &store.ObjectCursor{ScheduledStart: s.cursor().Add(-openWindow)}, Filters: []store.ObjectFilter{{Field: "@status", Op: store.OpEQ, Values: openStatuses}}},
	} {
		q.PipelineID, q.Sphere, q.Limit = s.P.ID, pipeline.SphereInstance, 2000
		objs, err := c.cfg.Store.ObjectQuery(ctx, q)
		if err != nil {
			return fmt.Errorf("count instances of %s: %w", s.P.ID, err)
		}
		for _, o := range objs {
			seen[o.ID] = o.Status
			s.noteLast(o)
		}
	}
	n := map[pipeline.Status]int{}
	for _, st := range seen {
		n[st]++
	}
	for st, k := range n {
		s.Counts = append(s.Counts, statusCount{st, k})
	}
	slices.SortFunc(s.Counts, func(a, b statusCount) int { return cmp.Compare(a.Status, b.Status) })
	return nil
}

// openStatuses are the instance statuses that still move.
var openStatuses = []string{string(pipeline.StatusWaitingOnDependencies), string(pipeline.StatusWaitingForRunner),
	string(pipeline.StatusRunning), string(pipeline.StatusPaused)}

// describeSchedule renders a pipeline's schedule and its next interval.
func describeSchedule(g *definition.Graph, p store.Pipeline, cursor time.Time) (string, time.Time) {
	if g == nil {
		return "—", time.Time{}
	}
	if g.OnDemand {
		return "on demand", time.Time{}
	}
	for _, comp := range g.Components {
		if comp.Type != "Schedule" {
			continue
		}
		return scheduleOf(g, comp.ID, p, cursor)
	}
	return "—", time.Time{}
}

func scheduleOf(g *definition.Graph, id string, p store.Pipeline, cursor time.Time) (string, time.Time) {
	field := func(k string) string { v, _ := g.EvalString(id, k, nil); return v }
	text := "every " + field("period")
	per, err := schedule.ParsePeriod(field("period"))
	if err != nil || (p.State != pipeline.StateScheduled) {
		return text, time.Time{}
	}
	next := per.AddTo(cursor, 1)
	if cursor.IsZero() {
		next, _ = schedule.ParseDateTime(field("startDateTime"))
	}
	if end, err := schedule.ParseDateTime(field("endDateTime")); err == nil && next.After(end) {
		return text + " until " + strings.Replace(field("endDateTime"), "T", " ", 1), time.Time{}
	}
	return text, next
}

// fieldOf is the first value of a field.
func fieldOf(fs []pipeline.Field, key string) string {
	for _, f := range fs {
		if f.Key == key {
			return f.Value
		}
	}
	return ""
}
