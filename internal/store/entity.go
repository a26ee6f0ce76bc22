package store

import (
	"time"

	"github.com/datapipe/datapipe/internal/definition"
	"github.com/datapipe/datapipe/internal/pipeline"
)

// Tag is a pipeline tag.
type Tag struct {
	Key   string
	Value string
}

// Pipeline is a pipeline's metadata (the PIPELINE sphere).
type Pipeline struct {
	ID          string
	AccountID   string
	Name        string
	UniqueID    string
	Description string
	// Creator is the principal that created the pipeline (@userId,
	// pipelineCreator).
	Creator string
	State   pipeline.PipelineState
	Tags    []Tag
	// LatestVersion is the version of the last saved definition, 0 when
	// none was ever saved; ActiveVersion that of the definition in force
	// since the last activation, 0 when never activated.
	LatestVersion int
	ActiveVersion int
	CreatedAt     time.Time
	// The following are zero until they happen.
	FirstActivatedAt  time.Time
	LastActivatedAt   time.Time
	LastDeactivatedAt time.Time
	FinishedAt        time.Time
	HealthStatus      string
	HealthUpdatedAt   time.Time
	// ScheduleFrom is where scheduling resumes after the last activation
	// (its startTimestamp); zero when none was given. Intervals that start
	// before it are SKIPPED.
	ScheduleFrom time.Time
	// BackfillFrom and BackfillTo bound the backfill asked for at the last
	// activation (activate-pipeline --backfill-from/--backfill-to): the
	// intervals that start in [BackfillFrom, BackfillTo] run even before
	// ScheduleFrom. Zero when none was asked for.
	BackfillFrom time.Time
	BackfillTo   time.Time
}

// DefinitionVersion is one saved definition of a pipeline. Versions count
// from 1 per pipeline. Errored versions are saved too (the service saves
// non-fatal errors) but cannot be activated.
type DefinitionVersion struct {
	PipelineID string
	Version    int
	Definition definition.Definition
	Errored    bool
	CreatedAt  time.Time
}

// Object is a runtime object: an instance or an attempt. Its indexed
// attributes are columns; everything else (runtime @ fields, runner
// reports, error fields) is in Fields, in order.
type Object struct {
	PipelineID string
	ID         string
	Sphere     pipeline.Sphere
	// ComponentID is the component the object was made from.
	ComponentID string
	// InstanceID is an attempt's instance; "" for instances.
	InstanceID     string
	Status         pipeline.Status
	ScheduledStart time.Time
	ScheduledEnd   time.Time
	ActualStart    time.Time
	ActualEnd      time.Time
	Fields         []pipeline.Field
	// Revision increases on every write; ObjectUpdate uses it for
	// optimistic concurrency.
	Revision  int64
	UpdatedAt time.Time
}

// ObjectVersion is what ObjectVersions returns of an object: enough to
// tell whether a cached copy is current (same Revision) and, for terminal
// instances, their outcome without reading their fields.
type ObjectVersion struct {
	ID       string
	Revision int64
	Status   pipeline.Status
}

// TaskState is where a task is in its lease lifecycle.
type TaskState string

// The task states. A task is QUEUED until a poll claims it, LEASED while a
// runner holds it, and DONE once it is reported, canceled or expired.
const (
	TaskQueued TaskState = "QUEUED"
	TaskLeased TaskState = "LEASED"
	TaskDone   TaskState = "DONE"
)

// Task is one attempt handed to task runners through the task queue.
type Task struct {
	// ID is the opaque token runners pass back (PollForTask taskId).
	ID          string
	AccountID   string
	PipelineID  string
	AttemptID   string
	WorkerGroup string
	State       TaskState
	// AvailableAt: the task may not be claimed before this time (retry
	// delays).
	AvailableAt time.Time
	// Owner is the hostname (or runner id) of the claiming runner.
	Owner string
	// LeaseExpiresAt: a LEASED task whose lease expires is rescued by the
	// task queue (its attempt fails and may be retried).
	LeaseExpiresAt time.Time
	// Acked: the runner has sent its first ReportTaskProgress.
	Acked bool
	// Canceled: the runner is told canceled:true on its next report.
	Canceled  bool
	CreatedAt time.Time
	ClaimedAt time.Time
	// Version is the definition version the task's attempt was planned
	// from; 0 when unknown (tasks queued before it was recorded).
	Version int
	// Attempt is the task's attempt as stored, when the call that
	// returned the task asked for it (WithAttempt) and it still exists;
	// nil otherwise. It is read with the task, in one statement where the
	// store can, because every claim and report needs it next.
	Attempt *Object
}

// Runner is a task runner known by its heartbeats.
type Runner struct {
	ID          string
	AccountID   string
	WorkerGroup string
	Hostname    string
	LastSeen    time.Time
	// Terminate: the runner is told to shut down on its next heartbeat.
	Terminate bool
}

// Stored returns o as every store reads it back: times in UTC, truncated
// to the millisecond, and no fields as nil. Adapters build an update's
// result with it instead of decoding the row they just wrote, and the
// scheduler keeps its own writes in its cache the same way.
func Stored(o Object) Object {
	for _, t := range []*time.Time{&o.ScheduledStart, &o.ScheduledEnd, &o.ActualStart, &o.ActualEnd, &o.UpdatedAt} {
		if !t.IsZero() {
			*t = t.UTC().Truncate(time.Millisecond)
		}
	}
	if len(o.Fields) == 0 {
		o.Fields = nil
	}
	return o
}
