package scheduler

import (
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/datapipe/datapipe/internal/definition"
	"github.com/datapipe/datapipe/internal/pipeline"
	"github.com/datapipe/datapipe/internal/resource"
	"github.com/datapipe/datapipe/internal/store"
)

// Resource instances (Ec2Resource, EmrCluster) are created at the start of
// each interval of their schedule and follow the lifecycle described in
// package resource: CREATING when a dependent needs a runner, RUNNING when
// the provider reports one, SHUTTING_DOWN then FINISHED when every
// dependent is terminal, TIMEDOUT when terminateAfter passes, FAILED when
// the provider fails (objects.md §5.3, §11.2).

// ResourceGroup is the internal worker group of the runner that serves one
// resource instance of a pipeline.
func ResourceGroup(pipelineID, instance string) string {
	return "resource:" + pipelineID + "/" + instance
}

// dependent is an instance (maybe not created yet) that runs on a
// resource instance.
type dependent struct {
	comp  string
	start time.Time
}

func (d dependent) id() string { return InstanceID(d.comp, d.start) }

// runsOnResource returns the resource component comp runs on.
func (p *planner) runsOnResource(comp string) (string, bool) {
	c, ok := p.s.Graph.Component(comp)
	if !ok || c.Category() == definition.CategoryResource {
		return "", false
	}
	refs := c.Refs("runsOn")
	if len(refs) == 0 || p.category(refs[0]) != definition.CategoryResource {
		return "", false
	}
	return refs[0], true
}

// resourceOf returns the resource instance serving comp's instance that
// starts at start: the instance of its runsOn resource whose interval
// contains start (objects.md §9.4). ok is false when comp does not run on
// a resource; id is "" when no interval of the resource covers start.
func (p *planner) resourceOf(comp string, start time.Time) (id string, ok bool) {
	r, ok := p.runsOnResource(comp)
	if !ok {
		return "", false
	}
	t := p.timingOf(r)
	switch {
	case !t.ok:
		return "", true
	case t.onDemand:
		return InstanceID(r, t.at), true
	}
	if iv, found := containing(t.spec, start); found {
		return InstanceID(r, iv.Start), true
	}
	return "", true
}

// workerGroup routes the work of comp's instance starting at start: the
// group of the resource instance it runs on (runsOn wins over workerGroup,
// objects.md §4.4), else its workerGroup.
func (p *planner) workerGroup(comp string, start time.Time) string {
	if r, ok := p.resourceOf(comp, start); ok {
		return ResourceGroup(p.s.Pipeline.ID, r)
	}
	return p.field(comp, "workerGroup")
}

// dependentsOf lists the instances that run on resource instance r: the
// intervals, starting inside r's, of every activity or data node that runs
// on r's component.
func (p *planner) dependentsOf(r store.Object) []dependent {
	var out []dependent
	for _, c := range p.s.Graph.Components {
		if res, ok := p.runsOnResource(c.ID); !ok || res != r.ComponentID || !schedulable(c.Category()) {
			continue
		}
		t := p.timingOf(c.ID)
		switch {
		case !t.ok:
		case t.onDemand:
			out = append(out, dependent{c.ID, t.at})
		default:
			for _, iv := range t.spec.Between(r.ScheduledStart, r.ScheduledEnd, 0) {
				out = append(out, dependent{c.ID, iv.Start})
			}
		}
	}
	return out
}

// demand reports whether a dependent, or a precondition check of one,
// waits for or holds a runner.
func (p *planner) demand(deps []dependent) bool {
	for _, d := range deps {
		if p.needsRunner(d.id()) {
			return true
		}
		for _, pre := range p.preconditionRefs(d.comp) {
			if p.needsRunner(PreconditionID(pre, store.Object{ComponentID: d.comp, ScheduledStart: d.start})) {
				return true
			}
		}
	}
	return false
}

func (p *planner) needsRunner(id string) bool {
	st, ok := p.lookup(id)
	return ok && (st == pipeline.StatusWaitingForRunner || st == pipeline.StatusRunning)
}

// allDone reports whether every dependent exists and is terminal.
func (p *planner) allDone(deps []dependent) bool {
	for _, d := range deps {
		if st, ok := p.lookup(d.id()); !ok || !st.Terminal() {
			return false
		}
	}
	return true
}

// advanceResources moves every open resource instance, after the other
// instances moved (so a dependent that just became ready launches its
// resource in the same plan), then releases what no open instance needs.
func (p *planner) advanceResources() {
	for _, comp := range p.s.Memo.resources {
		for _, id := range p.byComp[comp] {
			if o := p.instance(id); !o.Status.Terminal() && o.Status != pipeline.StatusPaused {
				p.advanceResource(o)
			}
		}
	}
	p.releaseStale()
}

// advanceResource moves one resource instance through its lifecycle.
func (p *planner) advanceResource(o store.Object) {
	deps := p.dependentsOf(o)
	st, served := p.s.Provisioned[o.ID]
	if p.s.Provisioned == nil { // no provider: runners are started by hand
		st, served = resource.Status{State: resource.StateRunning, ResourceID: "external"}, o.Status != pipeline.StatusShuttingDown
	}
	switch o.Status {
	case pipeline.StatusWaitingOnDependencies:
		if p.demand(deps) {
			p.launch(o)
		} else if p.allDone(deps) {
			p.terminate(o, pipeline.StatusFinished, store.Object{}, "") // never needed: not launched
		}
	case pipeline.StatusCreating, pipeline.StatusRunning:
		p.followResource(o, deps, st, served)
	case pipeline.StatusShuttingDown:
		if p.demand(deps) {
			p.launch(o) // a dependent was rerun
		} else if !served {
			p.terminate(o, pipeline.StatusFinished, store.Object{}, "")
		}
	}
}

// followResource handles a launched resource instance.
func (p *planner) followResource(o store.Object, deps []dependent, st resource.Status, served bool) {
	switch {
	case p.resourceExpired(o) || (served && st.State == resource.StateTimedOut):
		p.endResource(o, pipeline.StatusTimedOut, deps, "ResourceTimedOut",
			"the resource "+o.ID+" was terminated: its terminateAfter ("+p.field(o.ComponentID, "terminateAfter")+") passed")
	case served && st.State == resource.StateFailed:
		p.endResource(o, pipeline.StatusFailed, deps, "ResourceFailed", "the resource "+o.ID+" failed: "+st.Reason)
	case !p.demand(deps) && p.allDone(deps):
		o.Status, o.UpdatedAt = pipeline.StatusShuttingDown, p.s.Now
		p.put(o)
		p.release(o)
	case !served:
		p.ensure(o) // a new leader, or a restarted server
	case o.Status == pipeline.StatusCreating && st.State == resource.StateRunning:
		o.Status, o.UpdatedAt = pipeline.StatusRunning, p.s.Now
		o.Fields = setFields(o.Fields, map[string]string{"@resourceId": st.ResourceID, "@resourceStatus": string(st.State)})
		p.put(o)
	}
}

// launch moves a resource instance to CREATING and asks for its runner.
func (p *planner) launch(o store.Object) {
	o.Status, o.ActualStart, o.ActualEnd, o.UpdatedAt = pipeline.StatusCreating, p.s.Now, time.Time{}, p.s.Now
	o.Fields = dropKey(o.Fields, "@failureReason")
	p.put(o)
	p.ensure(o)
}

// ensure asks the provider (if any) for the instance's runner.
func (p *planner) ensure(o store.Object) {
	if p.s.Provisioned != nil {
		p.plan.Ensure = append(p.plan.Ensure, p.request(o))
	}
}

// release tells the provider (if any) to stop the instance's runner.
func (p *planner) release(o store.Object) {
	if p.s.Provisioned != nil {
		p.plan.Release = append(p.plan.Release, p.ref(o))
	}
}

func (p *planner) ref(o store.Object) resource.Ref {
	return resource.Ref{AccountID: p.s.Pipeline.AccountID, PipelineID: o.PipelineID, Instance: o.ID}
}

// resourceGrace delays the provider's own terminateAfter stop past the
// scheduler's, so that while the scheduler runs it ends the work first,
// with a clear message, and the provider's stop only acts without it.
const resourceGrace = 5 * time.Second

// request is the provider request for a resource instance; TerminateAfter
// is what remains of the lifetime since launch, plus resourceGrace.
func (p *planner) request(o store.Object) resource.Request {
	r := resource.Request{Ref: p.ref(o), Component: o.ComponentID, Group: ResourceGroup(o.PipelineID, o.ID), Fields: map[string]string{}}
	if c, ok := p.s.Graph.Component(o.ComponentID); ok {
		r.Type = c.Type
		for _, f := range c.Fields {
			if !f.Ref && !strings.HasPrefix(f.Key, "@") {
				r.Fields[f.Key] = p.field(c.ID, f.Key)
			}
		}
	}
	if d := p.terminateAfter(o.ComponentID); d > 0 {
		r.TerminateAfter = max(time.Millisecond, o.ActualStart.Add(d).Sub(p.s.Now)) + resourceGrace
	}
	return r
}

// terminateAfter is a resource's lifetime (0: none). A bare integer is
// hours (objects.md §19 #8).
func (p *planner) terminateAfter(comp string) time.Duration {
	raw := strings.TrimSpace(p.field(comp, "terminateAfter"))
	if n, err := strconv.Atoi(raw); err == nil && n > 0 {
		return time.Duration(n) * time.Hour
	}
	return p.periodField(comp, "terminateAfter", 0)
}

// resourceExpired reports whether terminateAfter has passed since launch.
func (p *planner) resourceExpired(o store.Object) bool {
	d := p.terminateAfter(o.ComponentID)
	return d > 0 && !o.ActualStart.IsZero() && !p.s.Now.Before(o.ActualStart.Add(d))
}

// endResource ends a resource instance (TIMEDOUT, FAILED or CANCELED),
// releases its runner and ends the work on it: running attempts fail with
// errID and msg and their tasks are canceled; after a time-out their
// instances FAIL, after a failure they are CANCELED; dependents not
// started yet are CANCELED (objects.md §11.2, §14.1).
func (p *planner) endResource(o store.Object, to pipeline.Status, deps []dependent, errID, msg string) {
	o.Fields = setFields(o.Fields, map[string]string{"@failureReason": msg})
	p.terminate(o, to, store.Object{}, "")
	p.release(o)
	for _, d := range deps {
		p.endDependent(d.id(), to, errID, msg)
		for _, pre := range p.preconditionRefs(d.comp) {
			p.endDependent(PreconditionID(pre, store.Object{ComponentID: d.comp, ScheduledStart: d.start}), to, errID, msg)
		}
	}
}

// terminateResource cancels a resource instance that a Terminate action
// (onLateAction) ended before it launched: the work waiting on it is
// CANCELED, and its runner, if any, released.
func (p *planner) terminateResource(o store.Object) {
	o.Fields = setFields(o.Fields, map[string]string{"cancellationReason": "Terminate action: the resource was late (lateAfterTimeout)"})
	p.endResource(o, pipeline.StatusCanceled, p.dependentsOf(o), "ResourceTerminated",
		"the resource "+o.ID+" was canceled by a Terminate action (lateAfterTimeout)")
}

// endDependent ends one open instance whose resource ended.
func (p *planner) endDependent(id string, resourceStatus pipeline.Status, errID, msg string) {
	o, ok := p.openInstance(id)
	if !ok {
		return
	}
	head, running := p.attempt(headAttempt(o))
	running = running && !head.Status.Terminal()
	if running {
		head.Status, head.ActualEnd, head.UpdatedAt = pipeline.StatusFailed, p.s.Now, p.s.Now
		head.Fields = setFields(head.Fields, map[string]string{"errorId": errID, "errorMessage": msg})
		p.put(head)
		p.plan.Cancel = append(p.plan.Cancel, head.ID)
	}
	if running && resourceStatus == pipeline.StatusTimedOut {
		p.terminate(o, pipeline.StatusFailed, head, "")
		return
	}
	o.Fields = setFields(o.Fields, map[string]string{"cancellationReason": msg})
	p.terminate(o, pipeline.StatusCanceled, head, "")
}

// openInstance returns the current view of a non-terminal instance.
func (p *planner) openInstance(id string) (store.Object, bool) {
	o, ok := p.inst[id]
	if !ok {
		o, ok = p.s.Instances[id]
	}
	return o, ok && !o.Status.Terminal()
}

// resourceUsable reports whether the instance's resource (if it runs on
// one) can take its work. When the resource ended badly the instance is
// CANCELED; when it is missing or finished, the instance waits on it.
func (p *planner) resourceUsable(o store.Object) bool {
	r, ok := p.resourceOf(o.ComponentID, o.ScheduledStart)
	if !ok {
		return true
	}
	st, found := p.lookup(r)
	switch {
	case r == "": // no interval of the resource covers the instance
		res, _ := p.runsOnResource(o.ComponentID)
		p.setWaitingOn(o, []string{res})
		return false
	case found && failedLike(st):
		o.Fields = setFields(o.Fields, map[string]string{"cancellationReason": "the resource " + r + " it runs on is " + string(st)})
		p.terminate(o, pipeline.StatusCanceled, store.Object{}, "")
		return false
	case !found || st.Terminal():
		p.setWaitingOn(o, []string{r})
		return false
	}
	return true
}

// releaseStale releases the runners the provider still serves for
// resource instances that are not open (canceled, rerun elsewhere, ended
// by the control plane), unless this plan already did.
func (p *planner) releaseStale() {
	done := map[string]bool{}
	for _, r := range p.plan.Release {
		done[r.Instance] = true
	}
	for _, id := range slices.Sorted(maps.Keys(p.s.Provisioned)) {
		if _, open := p.openInstance(id); !open && !done[id] {
			p.plan.Release = append(p.plan.Release, p.s.Provisioned[id].Ref)
		}
	}
}
