package scheduler

import (
	"time"

	"github.com/datapipe/datapipe/internal/definition"
	"github.com/datapipe/datapipe/internal/pipeline"
	"github.com/datapipe/datapipe/internal/resource"
	"github.com/datapipe/datapipe/internal/store"
)

// Snapshot is everything Plan needs about one pipeline.
type Snapshot struct {
	Now      time.Time
	Pipeline store.Pipeline
	// Graph is the compiled active definition.
	Graph *definition.Graph
	// Components are the component runtime rows by id: the scheduling
	// cursor (ScheduledStart of the last created interval) and PAUSED.
	// Plan never writes to the snapshot's maps.
	Components map[string]store.Object
	// Instances are the pipeline's open (non-terminal) instances by id;
	// terminal ones may be included too.
	Instances map[string]store.Object
	// ByComponent, when set, indexes Instances: the ids of each
	// component's instances, all of them open. A focused plan then sets
	// up only the instances that may move, instead of all of them: the
	// scheduler plans a wide pipeline after every few reports.
	ByComponent map[string]map[string]bool
	// Done holds the statuses of terminal instances that open ones may
	// depend on (the loader bounds it to a window), and the ids of
	// intervals already created.
	Done map[string]pipeline.Status
	// Attempts are the head attempts of the instances, by attempt id.
	Attempts map[string]store.Object
	// MaxCreate caps the instances one plan creates, so that a long
	// backfill or a wide fan-out is spread over several plans (More) and
	// its first tasks run while the rest are created (default 256).
	MaxCreate int
	// Focus, when set, makes the plan incremental: only instances of these
	// components move, and no new intervals are created. The loop sets it
	// to the components of the objects reported changed and their graph
	// neighbours (a finished instance frees a slot of its component and
	// may unblock its dependents); anything that moves by the clock alone
	// (new intervals, timeouts, lateness) waits for the next full plan.
	Focus map[string]bool
	// Memo, when set, keeps evaluated static fields between plans of the
	// same Graph; it must be used with one Graph only.
	Memo *Memo
	// Provisioned is what the resource provider serves for the pipeline,
	// by resource instance id (see resource.go).
	Provisioned map[string]resource.Status
}

// Memo caches a graph's evaluated static fields across plans. The zero
// value is ready; a Memo is not safe for concurrent plans.
type Memo struct {
	fields map[string]string
	// order and producers are the graph's component order and data-node
	// producers (see componentOrder), computed once.
	order     []string
	producers map[string][]string
	// rank is each component's position in order; resources and
	// preconditions list those components (in order, and in definition
	// order). All computed once.
	rank          map[string]int
	resources     []string
	preconditions []string
}

// Changes is what one scheduling pass decided.
type Changes struct {
	// Create are new instances, attempts and component rows.
	Create []store.Object
	// Update are changed objects; each carries the Revision it was read at.
	Update []store.Object
	// Tasks are tasks to queue for new attempts.
	Tasks []store.Task
	// Actions are actions to fire.
	Actions []Action
	// Cancel lists attempts whose tasks must be canceled (a Terminate
	// action canceled their instance).
	Cancel []string
	// Ensure are resource instances that need a runner; Release those
	// whose runner must stop (resource.Provider).
	Ensure  []resource.Request
	Release []resource.Ref
	// Finished: the pipeline has no more work (its schedules ended and
	// every instance is terminal); it becomes FINISHED.
	Finished bool
	// More: a cap was hit; plan again at once.
	More bool
}

// Action is an action (SnsAlarm, Terminate) to fire for an instance.
type Action struct {
	ActionID string
	// Node is the instance that triggered it; NodeComponent its component.
	Node          string
	NodeComponent string
	Event         string // onSuccess, onFail, onLateAction
}

// Empty reports whether the plan changes nothing.
func (p *Changes) Empty() bool {
	return len(p.Create) == 0 && len(p.Update) == 0 && len(p.Tasks) == 0 && len(p.Actions) == 0 && len(p.Cancel) == 0 && !p.Finished &&
		len(p.Ensure) == 0 && len(p.Release) == 0
}

// InstanceID is the service's instance id: "@<component>_<start>".
func InstanceID(component string, start time.Time) string {
	return "@" + component + "_" + start.UTC().Format("2006-01-02T15:04:05")
}

// AttemptID is the service's attempt id: "<instance>_Attempt=<n>".
func AttemptID(instance string, n int) string {
	return instance + "_Attempt=" + itoa(n)
}

// active reports whether an instance holds a maxActiveInstances slot.
func active(st pipeline.Status) bool {
	return st == pipeline.StatusWaitingForRunner || st == pipeline.StatusRunning
}

// succeeded reports a terminal success.
func succeeded(st pipeline.Status) bool {
	return st == pipeline.StatusFinished || st == pipeline.StatusMarkFinished
}

// failedLike reports a terminal failure that cascades.
func failedLike(st pipeline.Status) bool {
	return st == pipeline.StatusFailed || st == pipeline.StatusCascadeFailed || st == pipeline.StatusCanceled || st == pipeline.StatusTimedOut
}
