package scheduler

import (
	"strconv"
	"strings"
	"time"

	"github.com/datapipe/datapipe/internal/definition"
	"github.com/datapipe/datapipe/internal/schedule"
)

// timing is how a component's instances are laid out in time.
type timing struct {
	ok       bool
	onDemand bool
	// at is the on-demand run's time (the last activation).
	at   time.Time
	spec schedule.Spec
	// cron: an instance may run at its interval's start; otherwise
	// (timeseries) at its end.
	cron bool
}

// bounded reports whether the schedule ends.
func (t timing) bounded() bool {
	return t.onDemand || t.spec.Occurrences > 0 || !t.spec.End.IsZero()
}

// timingOf resolves a component's schedule, memoised.
func (p *planner) timingOf(id string) timing {
	if t, ok := p.timings[id]; ok {
		return t
	}
	t := p.resolveTiming(id)
	p.timings[id] = t
	return t
}

func (p *planner) resolveTiming(id string) timing {
	st := strings.ToLower(p.field(id, "scheduleType"))
	if p.s.Graph.OnDemand {
		return timing{ok: true, onDemand: true, at: p.s.Pipeline.LastActivatedAt.Truncate(time.Second), cron: true}
	}
	c, _ := p.s.Graph.Component(id)
	refs := c.Refs("schedule")
	if len(refs) == 0 {
		return timing{}
	}
	spec, ok := p.specOf(refs[0])
	return timing{ok: ok, spec: spec, cron: st == "cron"}
}

// specOf evaluates a Schedule component into an interval spec.
func (p *planner) specOf(sched string) (schedule.Spec, bool) {
	period, err := schedule.ParsePeriod(p.field(sched, "period"))
	if err != nil {
		return schedule.Spec{}, false
	}
	spec := schedule.Spec{Period: period}
	if strings.EqualFold(p.field(sched, "startAt"), "FIRST_ACTIVATION_DATE_TIME") {
		spec.Start = p.s.Pipeline.FirstActivatedAt.Truncate(time.Second)
	} else if spec.Start, err = schedule.ParseDateTime(p.field(sched, "startDateTime")); err != nil {
		return schedule.Spec{}, false
	}
	if end := p.field(sched, "endDateTime"); end != "" {
		spec.End, _ = schedule.ParseDateTime(end)
	}
	spec.Occurrences, _ = strconv.Atoi(p.field(sched, "occurrences"))
	return spec, !spec.Start.IsZero()
}

// field is a component's effective static value of a field ("" when
// unset or not statically evaluable), memoised.
func (p *planner) field(id, key string) string {
	k := id + "\x00" + key
	if v, ok := p.fields[k]; ok {
		return v
	}
	v, _ := p.s.Graph.EvalString(id, key, nil)
	p.fields[k] = v
	return v
}

// intField is an integer field with a default.
func (p *planner) intField(id, key string, def int) int {
	if n, err := strconv.Atoi(p.field(id, key)); err == nil {
		return n
	}
	return def
}

// periodField is a period field as a duration, with a default.
func (p *planner) periodField(id, key string, def time.Duration) time.Duration {
	per, err := schedule.ParsePeriod(p.field(id, key))
	if err != nil {
		return def
	}
	return per.AddTo(p.s.Now, 1).Sub(p.s.Now)
}

// intervalsDue returns the intervals of a component not yet created whose
// start has come, after the component's cursor, at most max.
func (p *planner) intervalsDue(id string, t timing, max int) []schedule.Interval {
	row, _ := p.componentRow(id)
	cursor := row.ScheduledStart
	if t.onDemand {
		if t.at.IsZero() || !t.at.After(cursor) {
			return nil
		}
		return []schedule.Interval{{Start: t.at, End: t.at}}
	}
	from := t.spec.Start
	if !cursor.IsZero() {
		from = cursor.Add(time.Nanosecond)
	}
	return t.spec.Between(from, p.s.Now.Add(time.Nanosecond), max)
}

// readyAt is when an instance of the interval may run.
func readyAt(t timing, iv schedule.Interval) time.Time {
	if t.cron || t.onDemand {
		return iv.Start
	}
	return iv.End
}

// category is a component's category ("" for untyped objects).
func (p *planner) category(id string) definition.Category {
	c, ok := p.s.Graph.Component(id)
	if !ok {
		return ""
	}
	return c.Category()
}

func itoa(n int) string { return strconv.Itoa(n) }
