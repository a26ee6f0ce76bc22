package taskrunner

import (
	"context"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/datapipeline"
	"github.com/aws/aws-sdk-go-v2/service/datapipeline/types"

	"github.com/datapipe/datapipe/internal/control"
	"github.com/datapipe/datapipe/internal/pipeline"
)

// LocalClient is a Client that calls the control plane in the same
// process, as one caller, without HTTP: for the runners a server starts
// itself (the local resource provider) and those of `datapipe run`.
// Errors carry the SDK's exception types, so the runner treats them as it
// treats remote ones.
//
// Its polls claim tasks already acknowledged (control's
// PollForStartedTask), and it answers a task's first progress report
// itself when that report carries no fields: a task costs one
// transaction less, and the runner is none the wiser.
type LocalClient struct {
	service *control.Service
	caller  control.Caller
	// started holds the ids of tasks claimed acknowledged and not
	// reported on since.
	started sync.Map
}

var _ Client = (*LocalClient)(nil)

// NewLocalClient returns a client of svc calling as caller.
func NewLocalClient(svc *control.Service, caller control.Caller) *LocalClient {
	return &LocalClient{service: svc, caller: caller}
}

// PollForTask implements Client.
func (c *LocalClient) PollForTask(ctx context.Context, in *datapipeline.PollForTaskInput, _ ...func(*datapipeline.Options)) (*datapipeline.PollForTaskOutput, error) {
	to, err := c.service.PollForStartedTask(ctx, c.caller, aws.ToString(in.WorkerGroup), aws.ToString(in.Hostname))
	if err != nil || to == nil {
		return &datapipeline.PollForTaskOutput{}, sdkError(err)
	}
	c.started.Store(to.TaskID, true)
	objs := make(map[string]types.PipelineObject, len(to.Objects))
	for id, o := range to.Objects {
		objs[id] = sdkObject(o)
	}
	return &datapipeline.PollForTaskOutput{TaskObject: &types.TaskObject{TaskId: aws.String(to.TaskID),
		PipelineId: aws.String(to.PipelineID), AttemptId: aws.String(to.AttemptID), Objects: objs}}, nil
}

// ReportTaskProgress implements Client. The first report of a task
// claimed acknowledged, without fields, was made by the claim.
func (c *LocalClient) ReportTaskProgress(ctx context.Context, in *datapipeline.ReportTaskProgressInput, _ ...func(*datapipeline.Options)) (*datapipeline.ReportTaskProgressOutput, error) {
	if _, first := c.started.LoadAndDelete(aws.ToString(in.TaskId)); first && len(in.Fields) == 0 {
		return &datapipeline.ReportTaskProgressOutput{}, nil
	}
	fields := make([]pipeline.Field, 0, len(in.Fields))
	for _, f := range in.Fields {
		fields = append(fields, pipeline.String(aws.ToString(f.Key), aws.ToString(f.StringValue)))
	}
	canceled, err := c.service.ReportTaskProgress(ctx, c.caller, aws.ToString(in.TaskId), fields)
	if err != nil {
		return nil, sdkError(err)
	}
	return &datapipeline.ReportTaskProgressOutput{Canceled: canceled}, nil
}

// SetTaskStatus implements Client.
func (c *LocalClient) SetTaskStatus(ctx context.Context, in *datapipeline.SetTaskStatusInput, _ ...func(*datapipeline.Options)) (*datapipeline.SetTaskStatusOutput, error) {
	c.started.Delete(aws.ToString(in.TaskId))
	err := c.service.SetTaskStatus(ctx, c.caller, control.SetTaskStatusInput{TaskID: aws.ToString(in.TaskId),
		Status: pipeline.TaskStatus(in.TaskStatus), ErrorID: aws.ToString(in.ErrorId),
		ErrorMessage: aws.ToString(in.ErrorMessage), ErrorStackTrace: aws.ToString(in.ErrorStackTrace)})
	if err != nil {
		return nil, sdkError(err)
	}
	return &datapipeline.SetTaskStatusOutput{}, nil
}

// ReportTaskRunnerHeartbeat implements Client.
func (c *LocalClient) ReportTaskRunnerHeartbeat(ctx context.Context, in *datapipeline.ReportTaskRunnerHeartbeatInput, _ ...func(*datapipeline.Options)) (*datapipeline.ReportTaskRunnerHeartbeatOutput, error) {
	terminate, err := c.service.ReportTaskRunnerHeartbeat(ctx, c.caller, control.HeartbeatInput{TaskRunnerID: aws.ToString(in.TaskrunnerId),
		WorkerGroup: aws.ToString(in.WorkerGroup), Hostname: aws.ToString(in.Hostname)})
	if err != nil {
		return nil, sdkError(err)
	}
	return &datapipeline.ReportTaskRunnerHeartbeatOutput{Terminate: terminate}, nil
}

// sdkObject converts a pipeline object to the SDK's shape.
func sdkObject(o pipeline.Object) types.PipelineObject {
	fields := make([]types.Field, len(o.Fields))
	for i, f := range o.Fields {
		fields[i] = types.Field{Key: aws.String(f.Key)}
		if f.Ref {
			fields[i].RefValue = aws.String(f.Value)
		} else {
			fields[i].StringValue = aws.String(f.Value)
		}
	}
	return types.PipelineObject{Id: aws.String(o.ID), Name: aws.String(o.Name), Fields: fields}
}

// sdkError gives a domain error the SDK exception type of its code.
func sdkError(err error) error {
	if err == nil {
		return nil
	}
	msg := aws.String(pipeline.ErrorMessage(err))
	switch pipeline.ErrorCode(err) {
	case pipeline.CodeTaskNotFound:
		return &types.TaskNotFoundException{Message: msg}
	case pipeline.CodeInvalidRequest:
		return &types.InvalidRequestException{Message: msg}
	case pipeline.CodePipelineNotFound:
		return &types.PipelineNotFoundException{Message: msg}
	case pipeline.CodePipelineDeleted:
		return &types.PipelineDeletedException{Message: msg}
	}
	return &types.InternalServiceError{Message: msg}
}
