package explain

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/datapipe/datapipe/internal/definition"
	"github.com/datapipe/datapipe/internal/pipeline"
	"github.com/datapipe/datapipe/internal/schedule"
	"github.com/datapipe/datapipe/internal/store"
)

// The reason codes of an Explanation.
const (
	CodePipelineState = "PIPELINE_STATE" // the pipeline is not scheduled
	CodePaused        = "PAUSED"         // the component is paused
	CodeDependency    = "DEPENDENCY"     // an upstream instance is not FINISHED
	CodePrecondition  = "PRECONDITION"   // a precondition has not held yet
	CodeNotDue        = "SCHEDULED_TIME" // the scheduled time is not reached
	CodeMaxActive     = "MAX_ACTIVE"     // maxActiveInstances is reached
	CodeNoRunner      = "NO_RUNNER"      // no runner polls the worker group
	CodeRetryDelay    = "RETRY_DELAY"    // a retry waits for retryDelay
	CodeQueued        = "QUEUED"         // queued, runners are alive
	CodeScheduler     = "SCHEDULER"      // ready: the next scheduling pass dispatches it
	CodeRunning       = "RUNNING"        // not waiting: running
	CodeTerminal      = "TERMINAL"       // not waiting: done
	CodeUnknown       = "UNKNOWN"        // the facts do not say
)

// RunnerStaleAfter is how long after its last heartbeat a runner counts as
// gone: three of the task runner's one-minute heartbeats.
const RunnerStaleAfter = 3 * time.Minute

// Reason is one thing that keeps an instance from running.
type Reason struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	// Object is the instance, component or worker group at fault.
	Object string `json:"object,omitempty"`
	// At is the time the reason names (a timeout, a due time, a last
	// heartbeat), zero when none.
	At time.Time `json:"at,omitzero"`
}

// Explanation is the answer for one instance. Waiting is true when the
// instance waits (WAITING_ON_DEPENDENCIES or WAITING_FOR_RUNNER); Reasons
// are then every blocking reason found, most fundamental first.
type Explanation struct {
	PipelineID string          `json:"pipelineId"`
	ObjectID   string          `json:"objectId"`
	Component  string          `json:"component"`
	Status     pipeline.Status `json:"status"`
	Waiting    bool            `json:"waiting"`
	Reasons    []Reason        `json:"reasons"`
}

// Facts is everything Explain looks at.
type Facts struct {
	Now      time.Time
	Pipeline store.Pipeline
	// Graph is the compiled active definition (the latest before the
	// first activation); nil when there is none.
	Graph *definition.Graph
	// Instance is the instance explained.
	Instance store.Object
	// ComponentRow is the component's runtime row (Status PAUSED when
	// paused); zero when there is none.
	ComponentRow store.Object
	// Related are the instances named by Instance's @waitingOn, by id;
	// an id missing here has not been created.
	Related map[string]store.Object
	// Attempts are head attempts (of Instance and of Related
	// preconditions), by id.
	Attempts map[string]store.Object
	// Active are the component's instances holding a maxActiveInstances
	// slot (WAITING_FOR_RUNNER or RUNNING).
	Active []store.Object
	// Runners are the account's task runners.
	Runners []store.Runner
}

// Explain explains why f.Instance is, or is not, running.
func Explain(f Facts) Explanation {
	o := f.Instance
	e := Explanation{PipelineID: f.Pipeline.ID, ObjectID: o.ID, Component: o.ComponentID, Status: o.Status}
	switch {
	case o.Status.Terminal():
		e.Reasons = []Reason{terminal(o)}
	case o.Status == pipeline.StatusRunning || f.headRunning():
		e.Reasons = []Reason{running(f)}
	case o.Status == pipeline.StatusPaused:
		e.Waiting, e.Reasons = true, []Reason{{Code: CodePaused, Object: o.ID, Message: fmt.Sprintf("instance %s is PAUSED: resume it to let it run", o.ID)}}
	case o.Status == pipeline.StatusWaitingForRunner:
		e.Waiting, e.Reasons = true, f.waitingForRunner(o)
	default:
		e.Waiting, e.Reasons = true, f.waitingOnDependencies()
	}
	if len(e.Reasons) == 0 {
		e.Reasons = []Reason{{Code: CodeUnknown, Object: o.ID, Message: fmt.Sprintf("instance %s is %s; no blocking reason is recorded", o.ID, o.Status)}}
	}
	return e
}

// waitingOnDependencies follows the scheduler's dispatch order: pipeline
// state, dependencies, due time, pause, preconditions, slots.
func (f Facts) waitingOnDependencies() []Reason {
	if r, ok := f.pipelineState(); ok {
		return []Reason{r}
	}
	deps, pres := f.waitingOn()
	if len(deps) > 0 {
		return deps
	}
	if r, ok := f.notDue(); ok {
		return []Reason{r}
	}
	if f.ComponentRow.Status == pipeline.StatusPaused {
		return []Reason{{Code: CodePaused, Object: f.Instance.ComponentID,
			Message: fmt.Sprintf("component %s is PAUSED: resume it to dispatch its instances", f.Instance.ComponentID)}}
	}
	if len(pres) > 0 {
		return pres
	}
	if r, ok := f.slotsFull(); ok {
		return []Reason{r}
	}
	return []Reason{{Code: CodeScheduler, Object: f.Instance.ID,
		Message: "nothing blocks it: the scheduler dispatches it on its next pass (within a second while a scheduler runs)"}}
}

// pipelineState reports a pipeline that does not schedule.
func (f Facts) pipelineState() (Reason, bool) {
	st := f.Pipeline.State
	if st == pipeline.StateScheduled {
		return Reason{}, false
	}
	return Reason{Code: CodePipelineState, Object: f.Pipeline.ID,
		Message: fmt.Sprintf("pipeline %s is %s: nothing is dispatched until it is activated", f.Pipeline.ID, st)}, true
}

// waitingOn explains the instance's @waitingOn entries, split into
// dependencies and preconditions.
func (f Facts) waitingOn() (deps, pres []Reason) {
	for _, id := range refValues(f.Instance.Fields, "@waitingOn") {
		up, ok := f.Related[id]
		switch {
		case ok && f.category(up.ComponentID) == definition.CategoryPrecondition:
			pres = append(pres, f.precondition(up))
		case !ok:
			deps = append(deps, Reason{Code: CodeDependency, Object: id,
				Message: fmt.Sprintf("dependency %s does not exist yet: its interval has not been scheduled", id)})
		default:
			deps = append(deps, dependency(up))
		}
	}
	return deps, pres
}

func dependency(up store.Object) Reason {
	msg := fmt.Sprintf("dependency %s (%s) is %s, not FINISHED", up.ID, up.ComponentID, up.Status)
	if up.Status.Terminal() {
		msg += ": rerun or mark it finished (failureAndRerunMode is not cascade, so this instance waits)"
	}
	return Reason{Code: CodeDependency, Object: up.ID, Message: msg}
}

// precondition explains a precondition instance that has not held.
func (f Facts) precondition(pre store.Object) Reason {
	r := Reason{Code: CodePrecondition, Object: pre.ID}
	falses, _ := strconv.Atoi(fieldValue(pre.Fields, "@falseChecks"))
	r.Message = fmt.Sprintf("precondition %s returned false %d %s", pre.ComponentID, falses, plural(falses, "time", "times"))
	if falses == 0 {
		r.Message = fmt.Sprintf("precondition %s has not been checked yet (%s)", pre.ComponentID, pre.Status)
	}
	if at, ok := f.preconditionTimeout(pre); ok {
		r.At = at
		r.Message += ", and it times out at " + formatTime(at)
	}
	if head, ok := f.Attempts[refValue(pre.Fields, "@headAttempt")]; ok && head.Status == pipeline.StatusWaitingForRunner {
		if nr, stale := f.runnerReason(f.workerGroup(refValue(pre.Fields, "node"), f.Instance.ScheduledStart)); stale {
			r.Message += "; its next check is not picked up: " + nr.Message
		}
	}
	return r
}

// preconditionTimeout is when a precondition instance fails for not
// holding: its first check plus preconditionTimeout.
func (f Facts) preconditionTimeout(pre store.Object) (time.Time, bool) {
	start, err := time.Parse(time.RFC3339Nano, fieldValue(pre.Fields, "@checkStart"))
	per, perr := schedule.ParsePeriod(f.field(pre.ComponentID, "preconditionTimeout"))
	if err != nil || perr != nil {
		return time.Time{}, false
	}
	return per.AddTo(start, 1), true
}

// notDue reports an instance whose scheduled time has not come: cron and
// on-demand instances run from their interval's start, time-series ones
// from its end.
func (f Facts) notDue() (Reason, bool) {
	at := f.Instance.ScheduledEnd
	if f.Graph == nil || f.Graph.OnDemand || strings.EqualFold(f.field(f.Instance.ComponentID, "scheduleType"), "cron") {
		at = f.Instance.ScheduledStart
	}
	if !f.Now.Before(at) {
		return Reason{}, false
	}
	return Reason{Code: CodeNotDue, Object: f.Instance.ID, At: at,
		Message: fmt.Sprintf("its scheduled time is not reached: it may run from %s (in %s)", formatTime(at), f.until(at))}, true
}

// slotsFull reports a component whose maxActiveInstances slots are taken.
func (f Facts) slotsFull() (Reason, bool) {
	limit := f.intField(f.Instance.ComponentID, "maxActiveInstances", 1)
	if f.Graph != nil && f.Graph.OnDemand {
		limit = f.intField(pipeline.DefaultID, "maxActiveInstances", limit)
	}
	if len(f.Active) < limit {
		return Reason{}, false
	}
	ids := make([]string, 0, len(f.Active))
	for _, a := range f.Active {
		ids = append(ids, a.ID)
	}
	return Reason{Code: CodeMaxActive, Object: f.Instance.ComponentID,
		Message: fmt.Sprintf("maxActiveInstances (%d) of %s is reached: %s %s active", limit, f.Instance.ComponentID,
			strings.Join(ids, ", "), plural(len(ids), "is", "are"))}, true
}
