package store

import (
	"time"

	"github.com/datapipe/datapipe/internal/definition"
	"github.com/datapipe/datapipe/internal/pipeline"
)

// PipelineCreateParams creates a pipeline. Pipeline.ID, AccountID, Name,
// UniqueID, State and CreatedAt must be set.
type PipelineCreateParams struct {
	Pipeline Pipeline
}

// PipelineGetParams names a pipeline in an account.
type PipelineGetParams struct {
	AccountID string
	ID        string
	// Hold, inside a transaction, also makes the pipeline's row count as
	// written by it, so that a transaction changing the pipeline
	// concurrently conflicts with this one at any isolation (see
	// Store.WithSnapshotTx). It changes nothing in the pipeline.
	Hold bool
}

// PipelineListParams pages through an account's live pipelines in creation
// order (then id).
type PipelineListParams struct {
	AccountID string
	// AfterID: start after this pipeline ("" for the first page). A
	// pipeline deleted since still works as a cursor.
	AfterID string
	Limit   int
}

// PipelineCountParams counts an account's live pipelines.
type PipelineCountParams struct {
	AccountID string
}

// PipelineListByStateParams lists the live pipelines of every account in
// any of States, in creation order (the scheduler's work list).
type PipelineListByStateParams struct {
	States []pipeline.PipelineState
}

// PipelineUpdateParams writes a pipeline's mutable attributes: Name,
// Description, State, Tags, ActiveVersion, the activation, deactivation,
// finish and health times, HealthStatus and ScheduleFrom. ID, AccountID, UniqueID,
// Creator, CreatedAt and LatestVersion are never changed by it.
type PipelineUpdateParams struct {
	Pipeline Pipeline
}

// PipelineDeleteParams deletes a pipeline: it disappears from lists, its
// definitions and runtime objects are removed, its open tasks are canceled,
// and its id answers ErrDeleted from then on.
type PipelineDeleteParams struct {
	AccountID string
	ID        string
	Now       time.Time
}

// DefinitionPutParams saves a new definition version of a pipeline and
// makes it the pipeline's LatestVersion, atomically.
type DefinitionPutParams struct {
	PipelineID string
	Definition definition.Definition
	Errored    bool
	Now        time.Time
}

// DefinitionGetParams reads one definition version.
type DefinitionGetParams struct {
	PipelineID string
	Version    int
}

// ObjectCreateParams inserts runtime objects. An id that already exists in
// the pipeline is ErrConflict and nothing is inserted.
type ObjectCreateParams struct {
	Objects []Object
}

// ObjectGetParams reads runtime objects by id, in the order asked; ids that
// do not exist are omitted.
type ObjectGetParams struct {
	PipelineID string
	IDs        []string
}

// ObjectUpdateParams replaces an object's status, times and fields. When
// ExpectRevision is non-zero and differs from the stored revision the
// update is ErrConflict.
type ObjectUpdateParams struct {
	Object         Object
	ExpectRevision int64
}

// ObjectUpdateAllParams are several object updates.
type ObjectUpdateAllParams struct {
	Updates []ObjectUpdateParams
}

// FilterOp is a QueryObjects operator.
type FilterOp string

// The filter operators (api.md §4.13).
const (
	OpEQ      FilterOp = "EQ"
	OpRefEQ   FilterOp = "REF_EQ"
	OpLE      FilterOp = "LE"
	OpGE      FilterOp = "GE"
	OpBetween FilterOp = "BETWEEN"
)

// ObjectFilter is one selector on an indexed attribute. Field is one of
// "@id", "name" (same as @id for runtime objects), "@sphere", "parent" and
// "@componentParent" (the component id), "@instanceParent", "@status", and
// the time fields "@scheduledStartTime", "@scheduledEndTime",
// "@actualStartTime", "@actualEndTime". Times are compared as
// YYYY-MM-DDTHH:MM:SS strings; an unset time never matches. EQ and REF_EQ
// match any of Values; LE and GE take one value, BETWEEN two (inclusive).
// @status compares case-sensitively: callers normalise.
type ObjectFilter struct {
	Field  string
	Op     FilterOp
	Values []string
}

// ObjectCursor is the sort key of the last object of a page.
type ObjectCursor struct {
	ScheduledStart time.Time
	ID             string
}

// ObjectQueryParams lists runtime objects of one sphere matching every
// filter, ordered by scheduled start, then id.
type ObjectQueryParams struct {
	PipelineID string
	Sphere     pipeline.Sphere
	Filters    []ObjectFilter
	// After: start after this key (nil for the first page).
	After *ObjectCursor
	Limit int
}

// TaskCreateParams queues a task. Task.ID, AccountID, PipelineID,
// AttemptID, WorkerGroup, AvailableAt and CreatedAt must be set; State is
// forced to QUEUED.
type TaskCreateParams struct {
	Task Task
}

// TaskCreateAllParams queues tasks as TaskCreate does, all or none: a
// task id already used (or repeated in Tasks) is ErrConflict, an unknown
// pipeline ErrNotFound, and then nothing is queued.
type TaskCreateAllParams struct {
	Tasks []Task
}

// TaskClaimParams atomically leases the oldest available QUEUED task of a
// worker group in an account (AvailableAt <= Now) to Owner until
// LeaseUntil. No task is ever handed to two claimers. ErrNotFound when no
// task is available.
type TaskClaimParams struct {
	AccountID   string
	WorkerGroup string
	Owner       string
	Now         time.Time
	LeaseUntil  time.Time
	// Acked claims the task already acknowledged: for a runner in the
	// same process, whose acknowledgement would follow at once.
	Acked bool
	// WithAttempt also returns the task's attempt (Task.Attempt).
	WithAttempt bool
	// KnownAttempt, when set, may supply the claimed task's attempt as
	// stored (by task id), sparing an adapter that would read it in a
	// statement of its own; one that reads it with the claim ignores it.
	KnownAttempt func(taskID string) (Object, bool)
}

// TaskExtendParams renews a LEASED task's lease and marks it acknowledged.
// ErrNotFound when the task is unknown, not LEASED, or its lease expired
// before Now.
type TaskExtendParams struct {
	ID          string
	Now         time.Time
	LeaseUntil  time.Time
	WithAttempt bool // also return the task's attempt (Task.Attempt)
}

// TaskCompleteParams moves a LEASED task to DONE. ErrNotFound when it is
// unknown or not LEASED (a second report).
type TaskCompleteParams struct {
	ID          string
	WithAttempt bool // also return the task's attempt (Task.Attempt)
}

// TaskCancelParams marks the open (QUEUED or LEASED) tasks of a pipeline
// canceled: QUEUED ones become DONE at once, LEASED ones learn it on their
// next progress report. AttemptIDs limits it to those attempts; empty
// means every task of the pipeline.
type TaskCancelParams struct {
	PipelineID string
	AttemptIDs []string
}

// TaskListExpiredParams lists LEASED tasks whose lease expired before Now,
// oldest first, at most Limit.
type TaskListExpiredParams struct {
	Now   time.Time
	Limit int
}

// TaskExpireParams moves an expired LEASED task to DONE, only if its lease
// is still expired at Now (a late extension wins). ErrConflict otherwise.
type TaskExpireParams struct {
	ID  string
	Now time.Time
}

// RunnerHeartbeatParams records a runner's heartbeat, creating the runner
// on first sight.
type RunnerHeartbeatParams struct {
	AccountID   string
	ID          string
	WorkerGroup string
	Hostname    string
	Now         time.Time
}

// RunnerListParams lists an account's runners, most recently seen first.
type RunnerListParams struct {
	AccountID string
}

// LeaseAcquireParams takes or renews a named lease (scheduler leadership)
// for Holder until Now+TTL. It succeeds when the lease is free, expired or
// already Holder's; otherwise ErrConflict.
type LeaseAcquireParams struct {
	Name   string
	Holder string
	Now    time.Time
	TTL    time.Duration
}

// LeaseReleaseParams gives up a lease if Holder holds it.
type LeaseReleaseParams struct {
	Name   string
	Holder string
}
