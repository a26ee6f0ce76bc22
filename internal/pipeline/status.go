package pipeline

import "strings"

// PipelineState is a pipeline's @pipelineState.
type PipelineState string

// The pipeline states (api.md §5.7). PENDING, INACTIVE and FINISHED
// pipelines are inactive.
const (
	StatePending      PipelineState = "PENDING"
	StateScheduled    PipelineState = "SCHEDULED"
	StateDeactivating PipelineState = "DEACTIVATING"
	StateInactive     PipelineState = "INACTIVE"
	StateFinished     PipelineState = "FINISHED"
)

// Status is the @status of an instance or attempt (objects.md §11).
type Status string

// The object statuses.
const (
	StatusScheduled             Status = "SCHEDULED"
	StatusWaitingOnDependencies Status = "WAITING_ON_DEPENDENCIES"
	StatusWaitingForRunner      Status = "WAITING_FOR_RUNNER"
	StatusCreating              Status = "CREATING"
	StatusRunning               Status = "RUNNING"
	StatusFinished              Status = "FINISHED"
	StatusMarkFinished          Status = "MARK_FINISHED"
	StatusFailed                Status = "FAILED"
	StatusCascadeFailed         Status = "CASCADE_FAILED"
	StatusCanceled              Status = "CANCELED"
	StatusPaused                Status = "PAUSED"
	StatusSkipped               Status = "SKIPPED"
	StatusShuttingDown          Status = "SHUTTING_DOWN"
	StatusTimedOut              Status = "TIMEDOUT"
)

// Terminal reports whether no further transition happens without a
// manual action (rerun).
func (s Status) Terminal() bool {
	switch s {
	case StatusFinished, StatusMarkFinished, StatusFailed, StatusCascadeFailed, StatusCanceled, StatusSkipped, StatusTimedOut:
		return true
	}
	return false
}

// ParseStatus normalises a status as clients write it: any case, and the
// CLI's "CANCELLED" spelling.
func ParseStatus(s string) Status {
	u := strings.ToUpper(strings.TrimSpace(s))
	if u == "CANCELLED" {
		return StatusCanceled
	}
	return Status(u)
}

// Sphere is the kind of a pipeline object.
type Sphere string

// The spheres (api.md §5.1).
const (
	SpherePipeline  Sphere = "PIPELINE"
	SphereComponent Sphere = "COMPONENT"
	SphereInstance  Sphere = "INSTANCE"
	SphereAttempt   Sphere = "ATTEMPT"
)

// TaskStatus is a runner's final report of a task (SetTaskStatus).
type TaskStatus string

// The task statuses.
const (
	TaskFinished TaskStatus = "FINISHED"
	TaskFailed   TaskStatus = "FAILED"
	TaskFalse    TaskStatus = "FALSE"
)
