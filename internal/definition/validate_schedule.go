package definition

import (
	"strings"
	"time"

	"github.com/datapipe/datapipe/internal/pipeline"
	"github.com/datapipe/datapipe/internal/schedule"
)

// schedulable reports whether objects of the category are driven by a
// schedule (activities, data nodes, resources).
func schedulable(c Category) bool {
	return c == CategoryActivity || c == CategoryDataNode || c == CategoryResource
}

// checkScheduling applies the scheduling rules of objects.md §16.3 (18, 19)
// to one typed object.
func (v *validation) checkScheduling(o *pipeline.Object, spec *TypeSpec) {
	if spec.Category == CategorySchedule {
		v.checkScheduleObject(o)
		return
	}
	if !schedulable(spec.Category) {
		return
	}
	v.checkScheduleType(o)
	if !v.onDemand && !v.has(o.ID, "schedule") {
		v.res.errorf(o.ID, "schedule", CodeMissingField, "is required for %s (set it on the object or on Default), unless Default sets scheduleType ondemand", spec.Name)
	}
}

// checkScheduleType enforces that ondemand is set only on Default and then
// everywhere.
func (v *validation) checkScheduleType(o *pipeline.Object) {
	raw, ok := o.StringValue("scheduleType")
	if !ok {
		return
	}
	st := strings.ToLower(v.literalOr(raw))
	switch {
	case st == "ondemand":
		v.res.errorf(o.ID, "scheduleType", CodeSchedule, "ondemand may only be set on the Default object")
	case v.onDemand && (st == "cron" || st == "timeseries"):
		v.res.errorf(o.ID, "scheduleType", CodeSchedule, "value %q conflicts with the on-demand pipeline (Default sets scheduleType ondemand)", raw)
	}
}

// checkScheduleObject checks a Schedule's period, start, end and
// occurrences, and the backfill it implies.
func (v *validation) checkScheduleObject(o *pipeline.Object) {
	period, _ := v.value(o.ID, "period")
	if period == schedule.OnDemandPeriod {
		return
	}
	if v.onDemand {
		v.res.errorf(o.ID, "period", CodeSchedule, "an on-demand pipeline cannot use Schedule objects (except period ONDEMAND_PERIOD)")
		return
	}
	if p, err := schedule.ParsePeriod(period); err == nil {
		v.checkPeriodBounds(o, p)
	}
	start := v.dateTime(o.ID, "startDateTime")
	if end := v.dateTime(o.ID, "endDateTime"); !start.IsZero() && !end.IsZero() && !end.After(start) {
		v.res.errorf(o.ID, "endDateTime", CodeSchedule, "must be later than startDateTime")
	}
	v.checkOccurrences(o)
	v.checkBackfill(o, start)
}

func (v *validation) checkPeriodBounds(o *pipeline.Object, p schedule.Period) {
	d := p.Approx()
	switch {
	case p.Unit == schedule.Second || d < v.lim.MinPeriod:
		v.res.errorf(o.ID, "period", CodeSchedule, "%s is shorter than the minimum schedule period of %s", p, fmtDuration(v.lim.MinPeriod))
	case d > v.lim.MaxPeriod:
		v.res.errorf(o.ID, "period", CodeSchedule, "%s is longer than the maximum schedule period of 3 years", p)
	case d < v.lim.AWSMinPeriod:
		v.res.warnf(o.ID, "period", CodeBelowServiceMinimum, "%s is below the AWS minimum of %s; datapipe honours it", p, fmtDuration(v.lim.AWSMinPeriod))
	}
}

func (v *validation) dateTime(id, key string) time.Time {
	s, ok := v.value(id, key)
	if !ok {
		return time.Time{}
	}
	t, _ := schedule.ParseDateTime(s)
	return t
}

func (v *validation) checkOccurrences(o *pipeline.Object) {
	s, ok := v.value(o.ID, "occurrences")
	if n, err := atoi(s); ok && err == nil && n < 1 {
		v.res.errorf(o.ID, "occurrences", CodeSchedule, "must be at least 1")
	}
}

// checkBackfill warns when a schedule starts more than a day before now
// (objects.md §9.3), and again when cascading failure meets the backfill.
func (v *validation) checkBackfill(o *pipeline.Object, start time.Time) {
	if v.opt.Now.IsZero() || start.IsZero() || !start.Before(v.opt.Now.Add(-24*time.Hour)) {
		return
	}
	v.res.warnf(o.ID, "startDateTime", CodeBackfill, "%s is more than 1 day in the past: activation will backfill every interval since then",
		schedule.FormatDateTime(start))
	for _, id := range v.usersOfSchedule(o.ID) {
		if mode, _ := v.value(id, "failureAndRerunMode"); strings.EqualFold(mode, "cascade") {
			v.res.warnf(id, "failureAndRerunMode", CodeBackfill, "%s has 'failureAndRerunMode' field set to 'cascade' and you are about to create a backfill with scheduleStartTime %s. This can result in rapid creation of pipeline objects in case of failures.",
				id, schedule.FormatDateTime(start))
		}
	}
}

// usersOfSchedule returns the typed runnable objects whose effective
// schedule is the given one.
func (v *validation) usersOfSchedule(sched string) []string {
	var out []string
	for _, id := range v.ix.order {
		spec, ok := v.cat.Type(v.ix.typeOf(id))
		if !ok || !schedulable(spec.Category) {
			continue
		}
		for _, f := range v.ix.effective(id) {
			if f.Key == "schedule" && f.Ref && f.Value == sched {
				out = append(out, id)
			}
		}
	}
	return out
}

// checkPipelineSchedule warns once when runnable objects have no
// scheduleType anywhere in their inheritance chain (objects.md §9.2).
func (v *validation) checkPipelineSchedule() {
	if v.onDemand {
		return
	}
	var missing []string
	for _, id := range v.ix.order {
		spec, ok := v.cat.Type(v.ix.typeOf(id))
		if ok && schedulable(spec.Category) && !v.has(id, "scheduleType") {
			missing = append(missing, id)
		}
	}
	if len(missing) == 0 {
		return
	}
	at := missing[0]
	if _, ok := v.ix.objects[pipeline.DefaultID]; ok {
		at = pipeline.DefaultID
	}
	v.res.warnf(at, "scheduleType", CodeDefaultApplied, "is not set for %d object(s) (first: %s); timeseries is assumed. Set scheduleType on Default to make the choice explicit", len(missing), missing[0])
}
