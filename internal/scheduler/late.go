package scheduler

import (
	"github.com/datapipe/datapipe/internal/definition"
	"github.com/datapipe/datapipe/internal/pipeline"
	"github.com/datapipe/datapipe/internal/store"
)

// late handles lateAfterTimeout (objects.md §9.8): an instance that has
// not started within lateAfterTimeout of its scheduled start fires each
// onLateAction once; a Terminate action among them cancels it. It reports
// whether the instance was canceled. On-demand pipelines are never late.
func (p *planner) late(o store.Object) bool {
	if p.s.Graph.OnDemand || fieldValue(o.Fields, "@lateFired") != "" || p.started(o) {
		return false
	}
	timeout := p.periodField(o.ComponentID, "lateAfterTimeout", 0)
	if timeout <= 0 || p.s.Now.Before(o.ScheduledStart.Add(timeout)) {
		return false
	}
	o.Fields = setFields(o.Fields, map[string]string{"@lateFired": "true"})
	p.put(o)
	terminate := false
	c, _ := p.s.Graph.Component(o.ComponentID)
	for _, a := range c.Refs("onLateAction") {
		p.plan.Actions = append(p.plan.Actions, Action{ActionID: a, Node: o.ID, NodeComponent: o.ComponentID, Event: "onLateAction"})
		if ac, ok := p.s.Graph.Component(a); ok && ac.Type == "Terminate" {
			terminate = true
		}
	}
	switch {
	case terminate && p.category(o.ComponentID) == definition.CategoryResource:
		p.terminateResource(p.instance(o.ID))
	case terminate:
		p.cancelLate(p.instance(o.ID))
	}
	return terminate
}

// started reports whether the instance's work has begun (for a
// resource: its launch).
func (p *planner) started(o store.Object) bool {
	switch o.Status {
	case pipeline.StatusRunning, pipeline.StatusCreating, pipeline.StatusShuttingDown:
		return true
	}
	head, ok := p.attempt(headAttempt(o))
	return ok && head.Status == pipeline.StatusRunning
}

// cancelLate cancels an instance terminated for lateness, and its task.
func (p *planner) cancelLate(o store.Object) {
	if h := headAttempt(o); h != "" {
		p.plan.Cancel = append(p.plan.Cancel, h)
	}
	o.Fields = setFields(o.Fields, map[string]string{"cancellationReason": "Terminate action: the instance was late (lateAfterTimeout)"})
	p.terminate(o, pipeline.StatusCanceled, store.Object{}, "")
}
