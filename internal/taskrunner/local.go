package taskrunner

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/datapipeline"
	"github.com/aws/aws-sdk-go-v2/service/datapipeline/types"

	"github.com/datapipe/datapipe/internal/control"
	"github.com/datapipe/datapipe/internal/pipeline"
)

// LocalClient is a Client that calls the control plane in the same
// process, as one caller, without HTTP: for the runners a server starts
// itself (the local resource provider). Errors carry the SDK's exception
// types, so the runner treats them as it treats remote ones.
type LocalClient struct {
	Service *control.Service
	Caller  control.Caller
}

var _ Client = LocalClient{}

// PollForTask implements Client.
func (c LocalClient) PollForTask(ctx context.Context, in *datapipeline.PollForTaskInput, _ ...func(*datapipeline.Options)) (*datapipeline.PollForTaskOutput, error) {
	to, err := c.Service.PollForTask(ctx, c.Caller, aws.ToString(in.WorkerGroup), aws.ToString(in.Hostname))
	if err != nil || to == nil {
		return &datapipeline.PollForTaskOutput{}, sdkError(err)
	}
	objs := make(map[string]types.PipelineObject, len(to.Objects))
	for id, o := range to.Objects {
		objs[id] = sdkObject(o)
	}
	return &datapipeline.PollForTaskOutput{TaskObject: &types.TaskObject{TaskId: aws.String(to.TaskID),
		PipelineId: aws.String(to.PipelineID), AttemptId: aws.String(to.AttemptID), Objects: objs}}, nil
}

// ReportTaskProgress implements Client.
func (c LocalClient) ReportTaskProgress(ctx context.Context, in *datapipeline.ReportTaskProgressInput, _ ...func(*datapipeline.Options)) (*datapipeline.ReportTaskProgressOutput, error) {
	fields := make([]pipeline.Field, 0, len(in.Fields))
	for _, f := range in.Fields {
		fields = append(fields, pipeline.String(aws.ToString(f.Key), aws.ToString(f.StringValue)))
	}
	canceled, err := c.Service.ReportTaskProgress(ctx, c.Caller, aws.ToString(in.TaskId), fields)
	if err != nil {
		return nil, sdkError(err)
	}
	return &datapipeline.ReportTaskProgressOutput{Canceled: canceled}, nil
}

// SetTaskStatus implements Client.
func (c LocalClient) SetTaskStatus(ctx context.Context, in *datapipeline.SetTaskStatusInput, _ ...func(*datapipeline.Options)) (*datapipeline.SetTaskStatusOutput, error) {
	err := c.Service.SetTaskStatus(ctx, c.Caller, control.SetTaskStatusInput{TaskID: aws.ToString(in.TaskId),
		Status: pipeline.TaskStatus(in.TaskStatus), ErrorID: aws.ToString(in.ErrorId),
		ErrorMessage: aws.ToString(in.ErrorMessage), ErrorStackTrace: aws.ToString(in.ErrorStackTrace)})
	if err != nil {
		return nil, sdkError(err)
	}
	return &datapipeline.SetTaskStatusOutput{}, nil
}

// ReportTaskRunnerHeartbeat implements Client.
func (c LocalClient) ReportTaskRunnerHeartbeat(ctx context.Context, in *datapipeline.ReportTaskRunnerHeartbeatInput, _ ...func(*datapipeline.Options)) (*datapipeline.ReportTaskRunnerHeartbeatOutput, error) {
	terminate, err := c.Service.ReportTaskRunnerHeartbeat(ctx, c.Caller, control.HeartbeatInput{TaskRunnerID: aws.ToString(in.TaskrunnerId),
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
