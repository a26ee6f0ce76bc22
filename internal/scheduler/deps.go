package scheduler

import (
	"time"

	"github.com/datapipe/datapipe/internal/schedule"
	"github.com/datapipe/datapipe/internal/store"
)

// maxRollup is the most producer instances one consumer instance waits
// for (objects.md §17).
const maxRollup = 32

// dependencies returns, for an instance, the upstream instances it still
// waits for and those that failed: its dependsOn and input components, and
// for a data node the activities that output it, matched by interval
// (objects.md §9.4). An upstream instance not yet created is waited for.
func (p *planner) dependencies(o store.Object) (waiting, failed []string) {
	for _, up := range p.upstream(o.ComponentID) {
		for _, id := range p.matching(up, o.ScheduledStart, o.ScheduledEnd) {
			st, ok := p.lookup(id)
			switch {
			case !ok || !st.Terminal():
				waiting = append(waiting, id)
			case failedLike(st):
				failed = append(failed, id)
			}
		}
	}
	return waiting, failed
}

// upstream lists the components an instance of comp depends on.
func (p *planner) upstream(comp string) []string {
	c, ok := p.s.Graph.Component(comp)
	if !ok {
		return nil
	}
	ups := append(append([]string{}, c.Refs("dependsOn")...), c.Refs("input")...)
	return append(ups, p.producers[comp]...)
}

// matching returns the ids of producer's instances a consumer interval
// [cs, ce) waits for: every producer interval starting inside it (a
// roll-up, at most 32), else the producer interval containing cs.
func (p *planner) matching(producer string, cs, ce time.Time) []string {
	t := p.timingOf(producer)
	if !t.ok {
		return nil
	}
	if t.onDemand {
		return []string{InstanceID(producer, t.at)}
	}
	if ce.After(cs) {
		if ivs := t.spec.Between(cs, ce, maxRollup); len(ivs) > 0 {
			return instanceIDs(producer, ivs)
		}
	}
	if iv, ok := containing(t.spec, cs); ok {
		return []string{InstanceID(producer, iv.Start)}
	}
	return nil
}

// containing returns the interval of spec whose [start, end) holds t.
func containing(spec schedule.Spec, t time.Time) (schedule.Interval, bool) {
	back := spec.Period.AddTo(t, -2)
	ivs := spec.Between(back, t.Add(time.Nanosecond), 0)
	for i := len(ivs) - 1; i >= 0; i-- {
		if !ivs[i].Start.After(t) && t.Before(ivs[i].End) {
			return ivs[i], true
		}
	}
	return schedule.Interval{}, false
}

func instanceIDs(comp string, ivs []schedule.Interval) []string {
	out := make([]string, len(ivs))
	for i, iv := range ivs {
		out[i] = InstanceID(comp, iv.Start)
	}
	return out
}
