package scheduler

import (
	"strconv"
	"time"

	"github.com/datapipe/datapipe/internal/definition"
	"github.com/datapipe/datapipe/internal/pipeline"
	"github.com/datapipe/datapipe/internal/store"
)

// PreconditionID is the id of the precondition instance that checks pre
// for the instance guarded (objects.md §10.1: one per pair).
func PreconditionID(pre string, guarded store.Object) string {
	return InstanceID(pre+"_"+guarded.ComponentID, guarded.ScheduledStart)
}

// checkPreconditions starts the checks of an otherwise ready instance and
// reports what they say: all held, some still running (waiting), or one
// failed (failed names its instance).
func (p *planner) checkPreconditions(o store.Object) (held bool, waiting []string, failed string) {
	for _, pre := range p.preconditionRefs(o.ComponentID) {
		id := PreconditionID(pre, o)
		st, ok := p.lookup(id)
		switch {
		case !ok:
			p.newPrecondition(pre, o)
			waiting = append(waiting, id)
		case st == pipeline.StatusWaitingOnDependencies: // rerun
			p.recheck(p.instance(id), o)
			waiting = append(waiting, id)
		case failedLike(st):
			return false, nil, id
		case !succeeded(st):
			waiting = append(waiting, id)
		}
	}
	return len(waiting) == 0, waiting, ""
}

// newPrecondition creates a precondition instance bound to the guarded
// instance (its node) and its first check.
func (p *planner) newPrecondition(pre string, guarded store.Object) {
	o := store.Object{PipelineID: guarded.PipelineID, ID: PreconditionID(pre, guarded), Sphere: pipeline.SphereInstance,
		ComponentID: pre, Status: pipeline.StatusWaitingOnDependencies, ScheduledStart: guarded.ScheduledStart,
		ScheduledEnd: guarded.ScheduledEnd, UpdatedAt: p.s.Now,
		Fields: []pipeline.Field{pipeline.String("@attemptCount", "0"), pipeline.Reference("node", guarded.ComponentID),
			pipeline.Reference("@guarding", guarded.ID), pipeline.String("@checkStart", p.s.Now.UTC().Format(time.RFC3339Nano))}}
	p.plan.Create = append(p.plan.Create, o)
	p.inst[o.ID] = o
	p.count(o, 1)
	p.newCheck(o, 1, p.s.Now, p.workerGroup(guarded.ComponentID, guarded.ScheduledStart))
}

// newCheck creates check attempt n of a precondition instance. Checks run
// on the worker group of the object they guard.
func (p *planner) newCheck(o store.Object, n int, at time.Time, group string) {
	a := store.Object{PipelineID: o.PipelineID, ID: AttemptID(o.ID, n), Sphere: pipeline.SphereAttempt, ComponentID: o.ComponentID,
		InstanceID: o.ID, Status: pipeline.StatusWaitingForRunner, ScheduledStart: o.ScheduledStart, ScheduledEnd: o.ScheduledEnd,
		UpdatedAt: p.s.Now, Fields: []pipeline.Field{pipeline.Reference("node", fieldRef(o.Fields, "node"))}}
	p.plan.Create = append(p.plan.Create, a)
	p.att[a.ID] = a
	p.plan.Tasks = append(p.plan.Tasks, store.Task{AccountID: p.s.Pipeline.AccountID, PipelineID: o.PipelineID, AttemptID: a.ID,
		WorkerGroup: group, AvailableAt: at, CreatedAt: p.s.Now})
	o.Status = pipeline.StatusWaitingForRunner
	o.Fields = setFields(o.Fields, map[string]string{"@attemptCount": strconv.Itoa(n), "currentRetryCount": strconv.Itoa(n - 1)})
	o.Fields = setRef(o.Fields, "@headAttempt", a.ID)
	p.put(o)
}

// recheck starts the checks of a rerun precondition instance again: its
// timeout, false checks and retries count from now.
func (p *planner) recheck(o, guarded store.Object) {
	n, _ := strconv.Atoi(fieldValue(o.Fields, "@attemptCount"))
	o.Fields = setFields(o.Fields, map[string]string{"@checkStart": p.s.Now.UTC().Format(time.RFC3339Nano),
		"@falseChecks": "0", "@dispatchBase": strconv.Itoa(n)})
	p.put(o)
	p.newCheck(p.instance(o.ID), n+1, p.s.Now, p.workerGroup(guarded.ComponentID, guarded.ScheduledStart))
}

// advancePrecondition follows a check: true finishes the precondition;
// false checks again after retryDelay until preconditionTimeout; an error
// retries up to maximumRetries.
func (p *planner) advancePrecondition(o store.Object) {
	head, ok := p.attempt(headAttempt(o))
	if !ok || o.Status == pipeline.StatusWaitingOnDependencies { // rerun: its guarded instance rechecks
		return
	}
	head = p.checkAttemptTimeout(o, head)
	switch head.Status {
	case pipeline.StatusRunning:
		p.markRunning(o, head)
	case pipeline.StatusFinished:
		if fieldValue(head.Fields, "preconditionResult") == "false" {
			p.checkAgain(o, head)
		} else {
			p.terminate(o, pipeline.StatusFinished, head, "")
		}
	case pipeline.StatusFailed, pipeline.StatusTimedOut:
		p.retryCheck(o, head)
	case pipeline.StatusCanceled:
		p.terminate(o, pipeline.StatusCanceled, head, "")
	}
}

// checkAgain schedules the next check of a false precondition, or fails it
// once preconditionTimeout has passed since the first check.
func (p *planner) checkAgain(o store.Object, head store.Object) {
	n, _ := strconv.Atoi(fieldValue(o.Fields, "@attemptCount"))
	started, _ := time.Parse(time.RFC3339Nano, fieldValue(o.Fields, "@checkStart"))
	timeout := p.periodField(o.ComponentID, "preconditionTimeout", 0)
	if timeout > 0 && !p.s.Now.Before(started.Add(timeout)) {
		head.Fields = setFields(head.Fields, map[string]string{"errorId": "PreconditionTimeout",
			"errorMessage": "the precondition did not hold within preconditionTimeout " + p.field(o.ComponentID, "preconditionTimeout")})
		p.terminate(o, pipeline.StatusFailed, head, "")
		return
	}
	delay := p.periodField(o.ComponentID, "retryDelay", 10*time.Minute)
	o.Fields = setFields(o.Fields, map[string]string{"@falseChecks": strconv.Itoa(falseChecks(o) + 1)})
	p.newCheck(o, n+1, p.s.Now.Add(delay), p.workerGroup(fieldRef(o.Fields, "node"), o.ScheduledStart))
}

// retryCheck retries a check that failed with an error.
func (p *planner) retryCheck(o store.Object, head store.Object) {
	n, _ := strconv.Atoi(fieldValue(o.Fields, "@attemptCount"))
	if failures := n - dispatchBase(o) - falseChecks(o); failures < p.tries(o.ComponentID) {
		delay := p.periodField(o.ComponentID, "retryDelay", 10*time.Minute)
		p.newCheck(o, n+1, p.s.Now.Add(delay), p.workerGroup(fieldRef(o.Fields, "node"), o.ScheduledStart))
		return
	}
	p.terminate(o, pipeline.StatusFailed, head, "")
}

// falseChecks counts checks that returned false (they are not errors and
// do not use up retries); it is recorded as the attempts go.
func falseChecks(o store.Object) int {
	n, _ := strconv.Atoi(fieldValue(o.Fields, "@falseChecks"))
	return n
}

func fieldRef(fs []pipeline.Field, key string) string {
	for _, f := range fs {
		if f.Key == key && f.Ref {
			return f.Value
		}
	}
	return ""
}

// isPrecondition reports whether a component is a precondition.
func (p *planner) isPrecondition(comp string) bool {
	return p.category(comp) == definition.CategoryPrecondition
}
