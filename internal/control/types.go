package control

import (
	"github.com/datapipe/datapipe/internal/pipeline"
	"github.com/datapipe/datapipe/internal/store"
)

// Caller is the authenticated principal of a request. Everything a caller
// sees is scoped to its account.
type Caller struct {
	AccountID string
	UserID    string
}

// CreatePipelineInput is CreatePipeline's request.
type CreatePipelineInput struct {
	Name        string
	UniqueID    string
	Description string
	Tags        []store.Tag
}

// PipelineDescription is one element of DescribePipelines' result. Fields
// are all string fields (api.md §5.3); Tags is never nil.
type PipelineDescription struct {
	PipelineID  string
	Name        string
	Description string
	Fields      []pipeline.Field
	Tags        []store.Tag
}

// PipelineIDName is one element of ListPipelines' result.
type PipelineIDName struct {
	ID   string
	Name string
}

// Page is the pagination state of a result: Marker is "" on the last page.
type Page struct {
	Marker  string
	HasMore bool
}

// Selector is one QueryObjects condition.
type Selector struct {
	FieldName string
	Operator  string
	Values    []string
}

// TaskObject is what PollForTask hands a runner: the attempt and every
// object it refers to, keyed by id.
type TaskObject struct {
	TaskID     string
	PipelineID string
	AttemptID  string
	Objects    map[string]pipeline.Object
}

// SetTaskStatusInput is SetTaskStatus' request.
type SetTaskStatusInput struct {
	TaskID          string
	Status          pipeline.TaskStatus
	ErrorID         string
	ErrorMessage    string
	ErrorStackTrace string
	// Fields are recorded on the attempt with the outcome, as a progress
	// report would record them: a runner in this process reports here
	// the logLocation of an attempt it never acknowledged (see
	// PollForStartedTask).
	Fields []pipeline.Field
}

// HeartbeatInput is ReportTaskRunnerHeartbeat's request.
type HeartbeatInput struct {
	TaskRunnerID string
	WorkerGroup  string
	Hostname     string
}
