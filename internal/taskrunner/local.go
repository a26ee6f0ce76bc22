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
// PollForStartedTask), recording the logLocation its runner will report,
// and it answers a task's first progress report itself when that report
// says just that: a task costs one transaction less, and the runner is
// none the wiser. Any other first report goes to the service as usual.
type LocalClient struct {
	service *control.Service
	caller  control.Caller
	logDir  string
	// started maps the ids of tasks claimed acknowledged, and not
	// reported on since, to the logLocation recorded.
	started sync.Map
}

var _ Client = (*LocalClient)(nil)

// NewLocalClient returns a client of svc calling as caller, for a runner
// whose Config.LogDir is logDir ("" for the default).
func NewLocalClient(svc *control.Service, caller control.Caller, logDir string) *LocalClient {
	return &LocalClient{service: svc, caller: caller, logDir: Config{LogDir: logDir}.withDefaults().LogDir}
}

// PollForTask implements Client.
func (c *LocalClient) PollForTask(ctx context.Context, in *datapipeline.PollForTaskInput, _ ...func(*datapipeline.Options)) (*datapipeline.PollForTaskOutput, error) {
	to, err := c.service.PollForStartedTask(ctx, c.caller, aws.ToString(in.WorkerGroup), aws.ToString(in.Hostname), c.ackFields)
	if err != nil || to == nil {
		return &datapipeline.PollForTaskOutput{}, sdkError(err)
	}
	c.started.Store(to.TaskID, LogLocation(c.logDir, to.PipelineID, to.AttemptID))
	objs := make(map[string]types.PipelineObject, len(to.Objects))
	for id, o := range to.Objects {
		objs[id] = sdkObject(o)
	}
	return &datapipeline.PollForTaskOutput{TaskObject: &types.TaskObject{TaskId: aws.String(to.TaskID),
		PipelineId: aws.String(to.PipelineID), AttemptId: aws.String(to.AttemptID), Objects: objs}}, nil
}

// ackFields are the fields a claim records with its acknowledgement.
func (c *LocalClient) ackFields(pipelineID, attemptID string) []pipeline.Field {
	return []pipeline.Field{pipeline.String("logLocation", LogLocation(c.logDir, pipelineID, attemptID))}
}

// ReportTaskProgress implements Client. The first report of a task
// claimed acknowledged was made by the claim when it says no more than
// the claim recorded.
func (c *LocalClient) ReportTaskProgress(ctx context.Context, in *datapipeline.ReportTaskProgressInput, _ ...func(*datapipeline.Options)) (*datapipeline.ReportTaskProgressOutput, error) {
	if loc, first := c.started.LoadAndDelete(aws.ToString(in.TaskId)); first && recorded(in.Fields, loc.(string)) {
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

// recorded reports whether a first progress report's fields are at most
// the logLocation its claim recorded.
func recorded(fields []types.Field, logLocation string) bool {
	for _, f := range fields {
		if aws.ToString(f.Key) != "logLocation" || aws.ToString(f.StringValue) != logLocation {
			return false
		}
	}
	return true
}
