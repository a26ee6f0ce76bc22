package scheduler

import (
	"cmp"
	"slices"
	"time"

	"github.com/datapipe/datapipe/internal/definition"
	"github.com/datapipe/datapipe/internal/pipeline"
	"github.com/datapipe/datapipe/internal/store"
)

// UpcomingInstance is an instance the scheduler will create.
type UpcomingInstance struct {
	ID        string
	Component string
	// Start and End bound the interval; ReadyAt is when it may run (the
	// start for cron-style schedules, the end for timeseries).
	Start, End, ReadyAt time.Time
	// Skipped: the instance will be created SKIPPED (its interval starts
	// before the activation's startTimestamp, outside any backfill).
	Skipped bool
}

// Upcoming lists the instances the scheduler creates for graph g of
// pipeline p whose intervals start in [from, to), by start then component,
// at most max (all when max <= 0): the plan view (`datapipe plan`). It
// plans nothing and reads no store: p's activation times stand for the
// activation (FIRST_ACTIVATION_DATE_TIME, on-demand runs).
func Upcoming(g *definition.Graph, p store.Pipeline, from, to time.Time, max int) []UpcomingInstance {
	pl := newPlanner(Snapshot{Now: to, Pipeline: p, Graph: g})
	var out []UpcomingInstance
	for _, comp := range pl.order {
		out = append(out, pl.upcoming(comp, from, to)...)
	}
	slices.SortFunc(out, func(a, b UpcomingInstance) int {
		return cmp.Or(a.Start.Compare(b.Start), cmp.Compare(a.Component, b.Component))
	})
	if max > 0 && len(out) > max {
		out = out[:max]
	}
	return out
}

// upcoming lists one component's intervals in [from, to).
func (p *planner) upcoming(comp string, from, to time.Time) []UpcomingInstance {
	t := p.timingOf(comp)
	if !t.ok {
		return nil
	}
	var out []UpcomingInstance
	add := func(start, end time.Time, ready time.Time) {
		skipped := !p.s.Graph.OnDemand && !p.s.Pipeline.ScheduleFrom.IsZero() && start.Before(p.s.Pipeline.ScheduleFrom) && !p.backfilled(start)
		out = append(out, UpcomingInstance{ID: InstanceID(comp, start), Component: comp, Start: start, End: end, ReadyAt: ready, Skipped: skipped})
	}
	if t.onDemand {
		if !t.at.Before(from) && t.at.Before(to) {
			add(t.at, t.at, t.at)
		}
		return out
	}
	for _, iv := range t.spec.Between(from, to, 0) {
		add(iv.Start, iv.End, readyAt(t, iv))
	}
	return out
}

// ActivatedAt returns a pipeline record for a definition activated at t,
// what `datapipe plan` previews.
func ActivatedAt(id string, t time.Time) store.Pipeline {
	return store.Pipeline{ID: id, State: pipeline.StateScheduled, FirstActivatedAt: t, LastActivatedAt: t}
}
