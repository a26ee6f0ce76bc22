package scheduler

import (
	"strconv"
	"strings"
	"time"

	"github.com/datapipe/datapipe/internal/definition"
	"github.com/datapipe/datapipe/internal/pipeline"
	"github.com/datapipe/datapipe/internal/schedule"
	"github.com/datapipe/datapipe/internal/store"
)

// advance moves one instance as far as the snapshot allows.
func (p *planner) advance(id string) {
	o := p.instance(id)
	if o.Status == pipeline.StatusPaused {
		if o = p.resume(o); o.Status == pipeline.StatusPaused {
			return
		}
	}
	if o.Status.Terminal() || p.pause(o) {
		return
	}
	if p.late(o) {
		return
	}
	switch p.category(o.ComponentID) {
	case definition.CategoryActivity:
		p.advanceActivity(o)
	case definition.CategoryDataNode:
		p.advanceDataNode(o)
	case definition.CategoryPrecondition:
		p.advancePrecondition(o)
	}
}

// advanceActivity: waiting → dispatched, or follow the head attempt.
func (p *planner) advanceActivity(o store.Object) {
	if o.Status == pipeline.StatusWaitingOnDependencies {
		p.dispatchIfReady(o)
		return
	}
	head, ok := p.attempt(headAttempt(o))
	if !ok {
		return
	}
	head = p.checkAttemptTimeout(o, head)
	switch head.Status {
	case pipeline.StatusRunning:
		p.markRunning(o, head)
	case pipeline.StatusFinished:
		p.finish(o, head)
	case pipeline.StatusFailed, pipeline.StatusTimedOut:
		p.retryOrFail(o, head)
	case pipeline.StatusCanceled:
		p.terminate(o, pipeline.StatusCanceled, head, "")
	}
}

// dispatchIfReady creates the first attempt when the instance's time has
// come, its dependencies finished and a maxActiveInstances slot is free;
// a failed dependency cascades instead.
func (p *planner) dispatchIfReady(o store.Object) {
	waiting, failed := p.dependencies(o)
	if len(failed) > 0 && p.cascades(o.ComponentID) {
		p.cascadeFail(o, failed)
		return
	}
	if len(waiting) > 0 || len(failed) > 0 {
		p.setWaitingOn(o, append(waiting, failed...))
		return
	}
	t := p.timingOf(o.ComponentID)
	if p.s.Now.Before(readyAt(t, intervalOf(o))) || !p.resourceUsable(o) {
		return
	}
	if !p.preconditionsHold(p.instance(o.ID)) || !p.slotFree(o.ComponentID) {
		return
	}
	n, _ := strconv.Atoi(fieldValue(o.Fields, "@attemptCount")) // a rerun continues the numbering
	o = p.instance(o.ID)
	o.Fields = setFields(o.Fields, map[string]string{"@dispatchBase": strconv.Itoa(n)})
	p.newAttempt(o, n+1, p.s.Now)
}

// cascades reports whether failures propagate to this component.
func (p *planner) cascades(comp string) bool {
	return strings.EqualFold(p.field(comp, "failureAndRerunMode"), "cascade")
}

func (p *planner) paused(comp string) bool {
	row, _ := p.componentRow(comp)
	return row.Status == pipeline.StatusPaused
}

// slotFree reports whether the component has fewer active instances than
// maxActiveInstances (default 1: strictly chronological).
func (p *planner) slotFree(comp string) bool {
	max := p.intField(comp, "maxActiveInstances", 1)
	if p.s.Graph.OnDemand {
		max = p.intField(pipeline.DefaultID, "maxActiveInstances", max)
	}
	return p.activeN[comp] < max
}

// newAttempt creates attempt n of an instance and its task, available at
// the given time.
func (p *planner) newAttempt(o store.Object, n int, at time.Time) {
	a := store.Object{PipelineID: o.PipelineID, ID: AttemptID(o.ID, n), Sphere: pipeline.SphereAttempt, ComponentID: o.ComponentID,
		InstanceID: o.ID, Status: pipeline.StatusWaitingForRunner, ScheduledStart: o.ScheduledStart, ScheduledEnd: o.ScheduledEnd, UpdatedAt: p.s.Now}
	p.plan.Create = append(p.plan.Create, a)
	p.att[a.ID] = a
	p.plan.Tasks = append(p.plan.Tasks, store.Task{AccountID: p.s.Pipeline.AccountID, PipelineID: o.PipelineID, AttemptID: a.ID,
		WorkerGroup: p.workerGroup(o.ComponentID, o.ScheduledStart), AvailableAt: at, CreatedAt: p.s.Now,
		Version: p.s.Pipeline.ActiveVersion})
	o.Status = pipeline.StatusWaitingForRunner
	o.Fields = setFields(o.Fields, map[string]string{"@attemptCount": strconv.Itoa(n),
		"@triesLeft": strconv.Itoa(p.tries(o.ComponentID) - (n - dispatchBase(o)))})
	o.Fields = setRef(o.Fields, "@headAttempt", a.ID)
	o.Fields = dropKey(o.Fields, "@waitingOn")
	p.put(o)
}

// tries is 1 + maximumRetries (default 2).
func (p *planner) tries(comp string) int {
	return 1 + max(0, p.intField(comp, "maximumRetries", 2))
}

// markRunning mirrors a running attempt on its instance. Incremental
// plans leave it to the next full one (within FullEvery): under load a
// runner's acknowledgement and its result arrive a moment apart, and
// writing RUNNING in between would double the instance's writes, while
// the attempt itself shows RUNNING from the acknowledgement on.
func (p *planner) markRunning(o store.Object, head store.Object) {
	if o.Status == pipeline.StatusRunning || p.s.Focus != nil {
		return
	}
	o.Status, o.ActualStart, o.UpdatedAt = pipeline.StatusRunning, firstTime(o.ActualStart, head.ActualStart, p.s.Now), p.s.Now
	p.put(o)
}

// finish completes an instance whose attempt finished, and its outputs.
func (p *planner) finish(o store.Object, head store.Object) {
	o.ActualStart = firstTime(o.ActualStart, head.ActualStart, p.s.Now)
	p.terminate(o, pipeline.StatusFinished, head, "")
}

// retryOrFail queues the next attempt after retryDelay while tries remain,
// else fails the instance.
func (p *planner) retryOrFail(o store.Object, head store.Object) {
	n, _ := strconv.Atoi(fieldValue(o.Fields, "@attemptCount"))
	if n-dispatchBase(o) < p.tries(o.ComponentID) {
		delay := p.periodField(o.ComponentID, "retryDelay", 10*time.Minute)
		p.newAttempt(o, n+1, p.s.Now.Add(delay))
		return
	}
	p.terminate(o, pipeline.StatusFailed, head, "")
}

// terminate moves an instance to a terminal status, copies the attempt's
// error fields, fires its actions and settles the data nodes it outputs.
func (p *planner) terminate(o store.Object, to pipeline.Status, head store.Object, cause string) {
	o.Status, o.UpdatedAt = to, p.s.Now
	if o.ActualEnd.IsZero() && !head.ActualEnd.IsZero() {
		o.ActualEnd = head.ActualEnd
	} else if o.ActualEnd.IsZero() {
		o.ActualEnd = p.s.Now
	}
	for _, key := range []string{"errorId", "errorMessage", "errorStackTrace"} {
		if v := fieldValue(head.Fields, key); v != "" {
			o.Fields = setFields(o.Fields, map[string]string{key: v})
		}
	}
	if cause != "" {
		o.Fields = setRef(o.Fields, "@cascadeFailedOn", cause)
	}
	o.Fields = dropKey(o.Fields, "@waitingOn")
	p.put(o)
	p.setHealth(o, to)
	p.fireActions(o, to)
}

// setHealth records a component's health from the instance that reached a
// terminal status last (objects.md §11.3): HEALTHY on success, ERROR on
// failure, cascade failure, cancellation or time-out.
func (p *planner) setHealth(o store.Object, to pipeline.Status) {
	health := "ERROR"
	if succeeded(to) {
		health = "HEALTHY"
	}
	row, ok := p.componentRow(o.ComponentID)
	if !ok {
		row = store.Object{PipelineID: p.s.Pipeline.ID, ID: o.ComponentID, Sphere: pipeline.SphereComponent,
			ComponentID: o.ComponentID, Status: pipeline.StatusScheduled}
	}
	row.UpdatedAt = p.s.Now
	row.Fields = setFields(row.Fields, map[string]string{"@healthStatus": health,
		"@healthStatusUpdatedTime": p.s.Now.UTC().Format("2006-01-02T15:04:05")})
	row.Fields = setRef(row.Fields, "@healthStatusFromInstanceId", o.ID)
	p.setComponentRow(row)
	if ok {
		p.put(row)
	} else {
		p.putNewRow(row)
	}
}

// putNewRow adds (or replaces) a component row created in this plan.
func (p *planner) putNewRow(row store.Object) {
	for i := range p.plan.Create {
		if p.plan.Create[i].ID == row.ID {
			p.plan.Create[i] = row
			return
		}
	}
	p.plan.Create = append(p.plan.Create, row)
}

// fireActions queues onSuccess or onFail actions of a terminal instance.
func (p *planner) fireActions(o store.Object, to pipeline.Status) {
	event := "onFail"
	switch {
	case succeeded(to):
		event = "onSuccess"
	case to == pipeline.StatusCanceled:
		return
	}
	c, ok := p.s.Graph.Component(o.ComponentID)
	if !ok {
		return
	}
	for _, a := range c.Refs(event) {
		p.plan.Actions = append(p.plan.Actions, Action{ActionID: a, Node: o.ID, NodeComponent: o.ComponentID, Event: event})
	}
}

// cascadeFail fails an instance because a dependency failed.
func (p *planner) cascadeFail(o store.Object, failed []string) {
	p.terminate(o, pipeline.StatusCascadeFailed, store.Object{}, failed[0])
}

// setWaitingOn records the unmet dependencies of a waiting instance.
func (p *planner) setWaitingOn(o store.Object, ids []string) {
	cur := refValues(o.Fields, "@waitingOn")
	if strings.Join(cur, ",") == strings.Join(ids, ",") {
		return
	}
	o.Fields = dropKey(o.Fields, "@waitingOn")
	for _, id := range ids {
		o.Fields = append(o.Fields, pipeline.Reference("@waitingOn", id))
	}
	p.put(o)
}

// advanceDataNode: an output node follows its producer; a source node is
// ready when due and its dependsOn finished.
func (p *planner) advanceDataNode(o store.Object) {
	waiting, failed := p.dependencies(o)
	switch {
	case len(failed) > 0 && p.cascades(o.ComponentID):
		p.cascadeFail(o, failed)
	case len(waiting) > 0 || len(failed) > 0:
		p.setWaitingOn(o, append(waiting, failed...))
	case p.s.Now.Before(o.ScheduledStart):
	case len(p.preconditionRefs(o.ComponentID)) > 0 && !p.resourceUsable(o):
	case p.preconditionsHold(p.instance(o.ID)):
		p.terminate(o, pipeline.StatusFinished, store.Object{}, "")
	}
}

func (p *planner) preconditionRefs(comp string) []string {
	c, ok := p.s.Graph.Component(comp)
	if !ok {
		return nil
	}
	return c.Refs("precondition")
}

func intervalOf(o store.Object) schedule.Interval {
	return schedule.Interval{Start: o.ScheduledStart, End: o.ScheduledEnd}
}

func headAttempt(o store.Object) string {
	if r := refValues(o.Fields, "@headAttempt"); len(r) > 0 {
		return r[0]
	}
	return ""
}

func firstTime(ts ...time.Time) time.Time {
	for _, t := range ts {
		if !t.IsZero() {
			return t
		}
	}
	return time.Time{}
}

// preconditionsHold starts or follows the instance's precondition checks.
// A failed precondition cascade-fails the instance whatever its
// failureAndRerunMode (objects.md §19 #14).
func (p *planner) preconditionsHold(o store.Object) bool {
	held, waiting, failed := p.checkPreconditions(o)
	switch {
	case failed != "":
		p.cascadeFail(o, []string{failed})
	case !held:
		p.setWaitingOn(p.instance(o.ID), waiting)
	}
	return held
}

// dispatchBase is the attempt count when the instance was last dispatched
// (non-zero after a rerun): tries count from there.
func dispatchBase(o store.Object) int {
	n, _ := strconv.Atoi(fieldValue(o.Fields, "@dispatchBase"))
	return n
}
