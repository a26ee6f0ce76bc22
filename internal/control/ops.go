package control

import (
	"context"
	"time"

	"github.com/datapipe/datapipe/internal/definition"
	"github.com/datapipe/datapipe/internal/pipeline"
	"github.com/datapipe/datapipe/internal/store"
)

// This file declares every operation; each is implemented in the file
// named for its entity. (Bodies that still return errNotYet are being
// written.)

var errNotYet = pipeline.Errorf(pipeline.CodeInternal, "not implemented yet")

// CreatePipeline creates an empty PENDING pipeline, idempotently on
// (account, name, uniqueId), and returns its id. InvalidRequestException
// when the account's pipeline limit is reached or tags are invalid.
func (s *Service) CreatePipeline(ctx context.Context, c Caller, in CreatePipelineInput) (string, error) {
	return "", errNotYet
}

// DeletePipeline deletes a pipeline and cancels its open tasks.
// PipelineNotFoundException when unknown or already deleted.
func (s *Service) DeletePipeline(ctx context.Context, c Caller, id string) error { return errNotYet }

// DescribePipelines describes pipelines in request order. At most 25 ids
// (InvalidRequestException); an unknown id is PipelineNotFoundException, a
// deleted one PipelineDeletedException.
func (s *Service) DescribePipelines(ctx context.Context, c Caller, ids []string) ([]PipelineDescription, error) {
	return nil, errNotYet
}

// ListPipelines returns one page of the account's live pipelines, in
// creation order. A garbled marker is InvalidRequestException.
func (s *Service) ListPipelines(ctx context.Context, c Caller, marker string) ([]PipelineIDName, Page, error) {
	return nil, Page{}, errNotYet
}

// PutPipelineDefinition validates and saves a new latest definition and
// returns the validation result. Fatal problems (and a FINISHED pipeline)
// are InvalidRequestException and save nothing; non-fatal errors are saved
// and reported (Result.Errored).
func (s *Service) PutPipelineDefinition(ctx context.Context, c Caller, id string, def definition.Definition) (*definition.Result, error) {
	return nil, errNotYet
}

// ValidatePipelineDefinition validates without saving; every problem,
// fatal ones included, is reported in the Result.
func (s *Service) ValidatePipelineDefinition(ctx context.Context, c Caller, id string, def definition.Definition) (*definition.Result, error) {
	return nil, errNotYet
}

// GetPipelineDefinition returns exactly the definition saved, for version
// "latest" ("" means latest) or "active"; an empty definition when there
// is none. Another version string is InvalidRequestException.
func (s *Service) GetPipelineDefinition(ctx context.Context, c Caller, id, version string) (definition.Definition, error) {
	return definition.Definition{}, errNotYet
}

// ActivatePipeline validates the latest definition (with values, when
// given, overriding the stored ones) and makes it active: the pipeline
// becomes SCHEDULED. start, when non-zero, is where scheduling resumes.
// InvalidRequestException when there is no definition or it has errors.
func (s *Service) ActivatePipeline(ctx context.Context, c Caller, id string, values []pipeline.ParameterValue, start time.Time) error {
	return errNotYet
}

// DeactivatePipeline stops scheduling; with cancelActive the open tasks
// are canceled at once. Deactivating an inactive pipeline is a no-op.
func (s *Service) DeactivatePipeline(ctx context.Context, c Caller, id string, cancelActive bool) error {
	return errNotYet
}

// AddTags adds or replaces tags; more than 10 in all is
// InvalidRequestException.
func (s *Service) AddTags(ctx context.Context, c Caller, id string, tags []store.Tag) error {
	return errNotYet
}

// RemoveTags removes tags by key; absent keys are ignored.
func (s *Service) RemoveTags(ctx context.Context, c Caller, id string, keys []string) error {
	return errNotYet
}

// DescribeObjects returns components, instances or attempts by id in
// request order, omitting unknown ids, all in one page. With evaluate,
// string fields are expression-evaluated in each object's context.
func (s *Service) DescribeObjects(ctx context.Context, c Caller, id string, objectIDs []string, evaluate bool, marker string) ([]pipeline.Object, Page, error) {
	return nil, Page{}, errNotYet
}

// QueryObjects returns one page of the ids of a sphere's objects matching
// every selector (api.md §4.13). Bad spheres, operators, value counts or
// limits are InvalidRequestException.
func (s *Service) QueryObjects(ctx context.Context, c Caller, id, sphere string, selectors []Selector, marker string, limit int) ([]string, Page, error) {
	return nil, Page{}, errNotYet
}

// EvaluateExpression evaluates a template in an object's context.
// InvalidRequestException for an unknown object or a bad expression.
func (s *Service) EvaluateExpression(ctx context.Context, c Caller, id, objectID, expression string) (string, error) {
	return "", errNotYet
}

// SetStatus applies PAUSE/RESUME to components or TRY_CANCEL/RERUN/
// MARK_FINISHED to instances (case-insensitive). Mixed spheres, unknown
// ids, a status wrong for the sphere, or a FINISHED pipeline are
// InvalidRequestException.
func (s *Service) SetStatus(ctx context.Context, c Caller, id string, objectIDs []string, status string) error {
	return errNotYet
}

// PollForTask claims the next task of a worker group, holding an idle poll
// up to PollWait (or ctx's end); nil when none came. An empty worker group
// is InvalidRequestException.
func (s *Service) PollForTask(ctx context.Context, c Caller, workerGroup, hostname string) (*TaskObject, error) {
	return nil, errNotYet
}

// ReportTaskProgress acknowledges or renews a task's lease and records the
// fields on the attempt; canceled tells the runner to stop.
// TaskNotFoundException when the task is unknown, done or its lease lost.
func (s *Service) ReportTaskProgress(ctx context.Context, c Caller, taskID string, fields []pipeline.Field) (bool, error) {
	return false, errNotYet
}

// SetTaskStatus records a task's outcome on its attempt.
// TaskNotFoundException for an unknown or already reported task;
// InvalidRequestException for an errorId starting with "Service_".
func (s *Service) SetTaskStatus(ctx context.Context, c Caller, in SetTaskStatusInput) error {
	return errNotYet
}

// ReportTaskRunnerHeartbeat records a runner; terminate asks it to stop.
func (s *Service) ReportTaskRunnerHeartbeat(ctx context.Context, c Caller, in HeartbeatInput) (bool, error) {
	return false, errNotYet
}
