package scheduler

import (
	"slices"
	"time"

	"github.com/datapipe/datapipe/internal/definition"
	"github.com/datapipe/datapipe/internal/pipeline"
	"github.com/datapipe/datapipe/internal/store"
)

// The functions here answer, for the control plane, which instances are
// related to an instance by the definition's edges and schedules, with
// the same matching rules as Plan (objects.md §9.4). They return ids of
// instances that may not exist.

// related is a planner with no runtime objects, for the queries below.
func related(g *definition.Graph, p store.Pipeline) *planner {
	return newPlanner(Snapshot{Graph: g, Pipeline: p, Components: map[string]store.Object{},
		Instances: map[string]store.Object{}, Attempts: map[string]store.Object{}, Done: map[string]pipeline.Status{}})
}

// Downstream lists the instances that wait directly on instance o: the
// matching instances of the components that dependsOn it, take it as
// input, or (for an activity) are its outputs.
func Downstream(g *definition.Graph, p store.Pipeline, o store.Object) []string {
	pl := related(g, p)
	var out []string
	for _, c := range g.Components {
		if !schedulable(c.Category()) || !slices.Contains(pl.upstream(c.ID), o.ComponentID) {
			continue
		}
		for _, start := range pl.candidates(c.ID, o) {
			cons := store.Object{ComponentID: c.ID, ScheduledStart: start, ScheduledEnd: pl.endOf(c.ID, start)}
			if slices.Contains(pl.matching(o.ComponentID, cons.ScheduledStart, cons.ScheduledEnd), o.ID) {
				out = append(out, InstanceID(c.ID, start))
			}
		}
	}
	return out
}

// candidates are the starts of comp's intervals that may match producer
// instance o: the one containing o's start and those starting inside o.
func (p *planner) candidates(comp string, o store.Object) []time.Time {
	t := p.timingOf(comp)
	switch {
	case !t.ok:
		return nil
	case t.onDemand:
		return []time.Time{t.at}
	}
	var out []time.Time
	if iv, ok := containing(t.spec, o.ScheduledStart); ok {
		out = append(out, iv.Start)
	}
	for _, iv := range t.spec.Between(o.ScheduledStart, o.ScheduledEnd, maxRollup) {
		if !slices.ContainsFunc(out, iv.Start.Equal) {
			out = append(out, iv.Start)
		}
	}
	return out
}

// endOf is the end of comp's interval starting at start.
func (p *planner) endOf(comp string, start time.Time) time.Time {
	t := p.timingOf(comp)
	if t.onDemand || !t.ok {
		return start
	}
	return t.spec.Period.AddTo(start, 1)
}

// ResourceOf returns the resource instance an instance runs on; ok is
// false when it does not run on a resource (or no resource interval
// covers it).
func ResourceOf(g *definition.Graph, p store.Pipeline, o store.Object) (string, bool) {
	id, ok := related(g, p).resourceOf(o.ComponentID, o.ScheduledStart)
	return id, ok && id != ""
}

// Dependents lists the instances that run on resource instance r.
func Dependents(g *definition.Graph, p store.Pipeline, r store.Object) []string {
	deps := related(g, p).dependentsOf(r)
	out := make([]string, len(deps))
	for i, d := range deps {
		out[i] = d.id()
	}
	return out
}

// Preconditions lists the precondition instances that guard instance o.
func Preconditions(g *definition.Graph, p store.Pipeline, o store.Object) []string {
	var out []string
	for _, pre := range related(g, p).preconditionRefs(o.ComponentID) {
		out = append(out, PreconditionID(pre, o))
	}
	return out
}

// WorkerGroup is the worker group the attempts of comp's instance starting
// at start are queued in: the group of the resource instance it runs on
// (runsOn wins), else its workerGroup (for explanations and consoles).
func WorkerGroup(g *definition.Graph, p store.Pipeline, comp string, start time.Time) string {
	return related(g, p).workerGroup(comp, start)
}
