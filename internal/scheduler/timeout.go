package scheduler

import (
	"github.com/datapipe/datapipe/internal/pipeline"
	"github.com/datapipe/datapipe/internal/store"
)

// checkAttemptTimeout ends a claimed attempt that has run longer than its
// component's attemptTimeout (objects.md §12.2), whatever its runner
// does: the attempt becomes TIMEDOUT with errorId AttemptTimeout, its task
// is canceled (a live runner is told canceled and kills the work), and
// the caller retries per maximumRetries. It returns the current head.
func (p *planner) checkAttemptTimeout(o, head store.Object) store.Object {
	if head.Status.Terminal() || head.ActualStart.IsZero() {
		return head
	}
	d := p.periodField(o.ComponentID, "attemptTimeout", 0)
	if d <= 0 || p.s.Now.Before(head.ActualStart.Add(d)) {
		return head
	}
	head.Status, head.ActualEnd, head.UpdatedAt = pipeline.StatusTimedOut, p.s.Now, p.s.Now
	head.Fields = setFields(head.Fields, map[string]string{"errorId": "AttemptTimeout",
		"errorMessage": "the attempt ran longer than its attemptTimeout (" + p.field(o.ComponentID, "attemptTimeout") + ") and was canceled"})
	p.put(head)
	p.plan.Cancel = append(p.plan.Cancel, head.ID)
	return head
}

// pause shows a waiting instance of a PAUSED component as PAUSED (objects.md
// §14.2: no new work until RESUME); it reports whether the instance is
// held. Instances already dispatched go on.
func (p *planner) pause(o store.Object) bool {
	if o.Status != pipeline.StatusWaitingOnDependencies || !p.paused(o.ComponentID) {
		return false
	}
	o.Status, o.UpdatedAt = pipeline.StatusPaused, p.s.Now
	p.put(o)
	return true
}

// resume returns a PAUSED instance whose component was resumed to
// WAITING_ON_DEPENDENCIES.
func (p *planner) resume(o store.Object) store.Object {
	if p.paused(o.ComponentID) {
		return o
	}
	o.Status, o.UpdatedAt = pipeline.StatusWaitingOnDependencies, p.s.Now
	p.put(o)
	return o
}
