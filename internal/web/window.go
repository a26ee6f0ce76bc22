package web

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/datapipe/datapipe/internal/pipeline"
	"github.com/datapipe/datapipe/internal/store"
)

// window is a page of intervals: the distinct scheduled starts (rows,
// ascending) and the objects of one sphere that start at them.
type window struct {
	Starts []time.Time
	Objs   []store.Object
}

// windowQuery asks for a page of at most rows intervals of a sphere:
// those starting at or after After when it is set, else the latest ones
// starting before Before (zero: the latest of all). Every store query is
// bounded by limit objects, so a page costs the same with 50 or 50,000
// instances.
type windowQuery struct {
	PipelineID string
	Sphere     pipeline.Sphere
	After      time.Time
	Before     time.Time
	Rows       int
	// Period is the expected spacing of intervals (a first guess of the
	// time span rows cover); Limit bounds each query.
	Period time.Duration
	Limit  int
}

// window reads one page of intervals.
func (c *Console) window(ctx context.Context, wq windowQuery) (window, error) {
	if !wq.After.IsZero() {
		objs, _, err := c.between(ctx, wq, wq.After, time.Time{})
		return cut(objs, wq.Rows, false), err
	}
	first, err := c.cfg.Store.ObjectQuery(ctx, store.ObjectQueryParams{PipelineID: wq.PipelineID, Sphere: wq.Sphere, Limit: 1})
	if err != nil || len(first) == 0 || first[0].ScheduledStart.IsZero() {
		return window{}, err
	}
	return c.latest(ctx, wq, first[0].ScheduledStart)
}

// latest widens a time span ending at Before until it holds rows
// intervals or reaches earliest. A query that hits its limit returns the
// oldest part of its span; the density it shows sets the next, narrower
// span, so even a bad first guess costs two or three queries.
func (c *Console) latest(ctx context.Context, wq windowQuery, earliest time.Time) (window, error) {
	to := wq.Before
	span := time.Duration(wq.Rows) * max(wq.Period, time.Minute)
	var best []store.Object
	for range 24 {
		from := earliest
		if to.Sub(earliest) > span {
			from = to.Add(-span)
		}
		objs, full, err := c.between(ctx, wq, from, to.Add(-time.Second))
		if err != nil {
			return window{}, err
		}
		switch {
		case full && span > time.Second:
			span = narrower(objs, from, wq.Rows)
		case full || countStarts(objs) >= wq.Rows || !from.After(earliest):
			return cut(objs, wq.Rows, true), nil
		default:
			best = objs
			span *= 4
		}
	}
	return cut(best, wq.Rows, true), nil
}

// narrower estimates the span that holds rows intervals from a truncated
// result: it covered [from, its last start] with countStarts intervals.
func narrower(objs []store.Object, from time.Time, rows int) time.Duration {
	covered := objs[len(objs)-1].ScheduledStart.Sub(from)
	n := max(countStarts(objs)-1, 1)
	return max(time.Duration(float64(covered)/float64(n)*float64(rows)*1.1), time.Second)
}

// between reads one sphere's objects starting in [from, to] (to zero: no
// upper bound), ascending, at most Limit of them; full reports that the
// limit cut the span short. It seeks with the store's cursor, which
// follows the scheduled-start index, and drops what lies past to, so a
// page reads at most Limit objects however long the history.
func (c *Console) between(ctx context.Context, wq windowQuery, from, to time.Time) ([]store.Object, bool, error) {
	objs, err := c.cfg.Store.ObjectQuery(ctx, store.ObjectQueryParams{PipelineID: wq.PipelineID, Sphere: wq.Sphere,
		After: &store.ObjectCursor{ScheduledStart: from}, Limit: wq.Limit})
	if err != nil {
		return nil, false, fmt.Errorf("query %s of %s: %w", wq.Sphere, wq.PipelineID, err)
	}
	full := len(objs) >= wq.Limit
	if to.IsZero() {
		return objs, full, nil
	}
	n := len(objs)
	for n > 0 && objs[n-1].ScheduledStart.After(to) {
		n--
	}
	return objs[:n], full && n == len(objs), nil
}

func countStarts(objs []store.Object) int {
	n := 0
	for i, o := range objs {
		if i == 0 || !o.ScheduledStart.Equal(objs[i-1].ScheduledStart) {
			n++
		}
	}
	return n
}

// cut keeps rows intervals of sorted objects: the last ones when latest,
// else the first ones.
func cut(objs []store.Object, rows int, latest bool) window {
	var starts []time.Time
	for i, o := range objs {
		if i == 0 || !o.ScheduledStart.Equal(objs[i-1].ScheduledStart) {
			starts = append(starts, o.ScheduledStart)
		}
	}
	if len(starts) > rows {
		if latest {
			starts = starts[len(starts)-rows:]
		} else {
			starts = starts[:rows]
		}
	}
	w := window{Starts: starts}
	if len(starts) == 0 {
		return w
	}
	lo, hi := starts[0], starts[len(starts)-1]
	for _, o := range objs {
		if !o.ScheduledStart.Before(lo) && !o.ScheduledStart.After(hi) {
			w.Objs = append(w.Objs, o)
		}
	}
	slices.SortStableFunc(w.Objs, func(a, b store.Object) int { return a.ScheduledStart.Compare(b.ScheduledStart) })
	return w
}
