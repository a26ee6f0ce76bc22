package api

import (
	"context"
	"time"

	"github.com/datapipe/datapipe/internal/control"
	"github.com/datapipe/datapipe/internal/definition"
	"github.com/datapipe/datapipe/internal/pipeline"
	"github.com/datapipe/datapipe/internal/store"
)

// controlPlane is the part of *control.Service the server calls, one
// method per operation. The server holds it as an interface so that tests
// can put a fake in its place.
type controlPlane interface {
	CreatePipeline(ctx context.Context, c control.Caller, in control.CreatePipelineInput) (string, error)
	DeletePipeline(ctx context.Context, c control.Caller, id string) error
	DescribePipelines(ctx context.Context, c control.Caller, ids []string) ([]control.PipelineDescription, error)
	ListPipelines(ctx context.Context, c control.Caller, marker string) ([]control.PipelineIDName, control.Page, error)
	PutPipelineDefinition(ctx context.Context, c control.Caller, id string, def definition.Definition) (*definition.Result, error)
	ValidatePipelineDefinition(ctx context.Context, c control.Caller, id string, def definition.Definition) (*definition.Result, error)
	GetPipelineDefinition(ctx context.Context, c control.Caller, id, version string) (definition.Definition, error)
	ActivatePipelineBackfill(ctx context.Context, c control.Caller, id string, values []pipeline.ParameterValue, start time.Time, bf control.Backfill) error
	DeactivatePipeline(ctx context.Context, c control.Caller, id string, cancelActive bool) error
	AddTags(ctx context.Context, c control.Caller, id string, tags []store.Tag) error
	RemoveTags(ctx context.Context, c control.Caller, id string, keys []string) error
	DescribeObjects(ctx context.Context, c control.Caller, id string, objectIDs []string, evaluate bool, marker string) ([]pipeline.Object, control.Page, error)
	QueryObjects(ctx context.Context, c control.Caller, id, sphere string, selectors []control.Selector, marker string, limit int) ([]string, control.Page, error)
	EvaluateExpression(ctx context.Context, c control.Caller, id, objectID, expression string) (string, error)
	SetStatus(ctx context.Context, c control.Caller, id string, objectIDs []string, status string) error
	PollForTask(ctx context.Context, c control.Caller, workerGroup, hostname string) (*control.TaskObject, error)
	ReportTaskProgress(ctx context.Context, c control.Caller, taskID string, fields []pipeline.Field) (bool, error)
	SetTaskStatus(ctx context.Context, c control.Caller, in control.SetTaskStatusInput) error
	ReportTaskRunnerHeartbeat(ctx context.Context, c control.Caller, in control.HeartbeatInput) (bool, error)
}

var _ controlPlane = (*control.Service)(nil)
