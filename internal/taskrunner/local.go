package taskrunner

import (
	"cmp"
	"context"
	"sync"
	"time"

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
// It spares short tasks two commits of the protocol:
//   - Its polls claim tasks already acknowledged (control's
//     PollForStartedTask), and it defers a task's acknowledgement, when
//     that says no more than the logLocation its runner keeps, for
//     AckDelay: [I] a task that ends sooner goes from WAITING_FOR_RUNNER
//     to its outcome in one write, which records its start too. Any
//     other report goes to the service at once.
//   - It reports a status and claims the worker's next task in one
//     transaction (SetTaskStatusAndPoll), which a Runner uses while it
//     polls.
type LocalClient struct {
	service  *control.Service
	caller   control.Caller
	logDir   string
	clock    Clock
	ackDelay time.Duration
	// unacked maps the tasks claimed whose attempt the store does not
	// show RUNNING yet to their deferred acknowledgement.
	unacked sync.Map // task id → *localAck
}

// localAck is a task's deferred acknowledgement.
type localAck struct {
	logLocation string
	mu          sync.Mutex
	stop        func() bool // the armed timer's; nil until armed
	dropped     bool
}

// arm calls f after d on clock, unless already armed or dropped.
func (a *localAck) arm(clock Clock, d time.Duration, f func()) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.stop == nil && !a.dropped {
		a.stop = clock.AfterFunc(d, f)
	}
}

// drop disarms the timer: a report or the outcome took its place.
func (a *localAck) drop() {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.dropped = true
	if a.stop != nil {
		a.stop()
	}
}

var _ Client = (*LocalClient)(nil)

// LocalConfig configures a LocalClient.
type LocalConfig struct {
	// Service is the control plane called; required.
	Service *control.Service
	// Caller is who every call is made as.
	Caller control.Caller
	// LogDir is the runner's Config.LogDir ("" for the default).
	LogDir string
	// AckDelay is how long a task's acknowledgement waits for its
	// outcome; default 100 ms.
	AckDelay time.Duration
	// Clock defaults to the system clock.
	Clock Clock
}

// NewLocalClient returns a client of cfg.Service calling as cfg.Caller.
func NewLocalClient(cfg LocalConfig) *LocalClient {
	defaults := Config{LogDir: cfg.LogDir, Clock: cfg.Clock}.withDefaults()
	return &LocalClient{service: cfg.Service, caller: cfg.Caller, logDir: defaults.LogDir, clock: defaults.Clock,
		ackDelay: cmp.Or(cfg.AckDelay, 100*time.Millisecond)}
}

// PollForTask implements Client.
func (c *LocalClient) PollForTask(ctx context.Context, in *datapipeline.PollForTaskInput, _ ...func(*datapipeline.Options)) (*datapipeline.PollForTaskOutput, error) {
	to, err := c.service.PollForStartedTask(ctx, c.caller, aws.ToString(in.WorkerGroup), aws.ToString(in.Hostname))
	if err != nil {
		return &datapipeline.PollForTaskOutput{}, sdkError(err)
	}
	return c.pollOutput(to), nil
}

// pollOutput converts a task claimed acknowledged, whose acknowledgement
// is now this client's to send.
func (c *LocalClient) pollOutput(to *control.TaskObject) *datapipeline.PollForTaskOutput {
	if to == nil {
		return &datapipeline.PollForTaskOutput{}
	}
	c.unacked.Store(to.TaskID, &localAck{logLocation: LogLocation(c.logDir, to.PipelineID, to.AttemptID)})
	objs := make(map[string]types.PipelineObject, len(to.Objects))
	for id, o := range to.Objects {
		objs[id] = sdkObject(o)
	}
	return &datapipeline.PollForTaskOutput{TaskObject: &types.TaskObject{TaskId: aws.String(to.TaskID),
		PipelineId: aws.String(to.PipelineID), AttemptId: aws.String(to.AttemptID), Objects: objs}}
}

// ReportTaskProgress implements Client. A task's acknowledgement that
// says no more than its logLocation waits for AckDelay (see LocalClient);
// any other report goes to the service, with that logLocation when the
// acknowledgement has not been sent yet.
func (c *LocalClient) ReportTaskProgress(ctx context.Context, in *datapipeline.ReportTaskProgressInput, _ ...func(*datapipeline.Options)) (*datapipeline.ReportTaskProgressOutput, error) {
	id := aws.ToString(in.TaskId)
	if v, ok := c.unacked.Load(id); ok && recorded(in.Fields, v.(*localAck).logLocation) {
		c.deferAck(id, v.(*localAck))
		return &datapipeline.ReportTaskProgressOutput{}, nil
	}
	fields := c.pendingFields(id)
	for _, f := range in.Fields {
		fields = append(fields, pipeline.String(aws.ToString(f.Key), aws.ToString(f.StringValue)))
	}
	canceled, err := c.service.ReportTaskProgress(ctx, c.caller, id, fields)
	if err != nil {
		return nil, sdkError(err)
	}
	return &datapipeline.ReportTaskProgressOutput{Canceled: canceled}, nil
}

// deferAck sends a task's acknowledgement after AckDelay, unless a report
// or the outcome takes it first.
func (c *LocalClient) deferAck(id string, a *localAck) {
	a.arm(c.clock, c.ackDelay, func() {
		if c.unacked.CompareAndDelete(id, a) {
			// An error (the task ended meanwhile) reaches the runner
			// with its next report.
			_, _ = c.service.ReportTaskProgress(context.Background(), c.caller, id, []pipeline.Field{pipeline.String("logLocation", a.logLocation)})
		}
	})
}

// pendingFields takes a task's unsent acknowledgement: the fields a
// report must carry for it.
func (c *LocalClient) pendingFields(id string) []pipeline.Field {
	v, ok := c.unacked.LoadAndDelete(id)
	if !ok {
		return nil
	}
	a := v.(*localAck)
	a.drop()
	return []pipeline.Field{pipeline.String("logLocation", a.logLocation)}
}

// SetTaskStatus implements Client.
func (c *LocalClient) SetTaskStatus(ctx context.Context, in *datapipeline.SetTaskStatusInput, _ ...func(*datapipeline.Options)) (*datapipeline.SetTaskStatusOutput, error) {
	if err := c.service.SetTaskStatus(ctx, c.caller, c.statusInput(in)); err != nil {
		return nil, sdkError(err)
	}
	return &datapipeline.SetTaskStatusOutput{}, nil
}

// SetTaskStatusAndPoll reports a task's status and claims the next task
// of poll's worker group in one transaction (control's
// SetTaskStatusAndPoll); the output has no task when none is queued.
func (c *LocalClient) SetTaskStatusAndPoll(ctx context.Context, in *datapipeline.SetTaskStatusInput, poll *datapipeline.PollForTaskInput) (*datapipeline.PollForTaskOutput, error) {
	to, err := c.service.SetTaskStatusAndPoll(ctx, c.caller, c.statusInput(in), aws.ToString(poll.WorkerGroup), aws.ToString(poll.Hostname))
	if err != nil {
		return nil, sdkError(err)
	}
	return c.pollOutput(to), nil
}

// statusInput converts a status report, with the task's unsent
// acknowledgement.
func (c *LocalClient) statusInput(in *datapipeline.SetTaskStatusInput) control.SetTaskStatusInput {
	return control.SetTaskStatusInput{TaskID: aws.ToString(in.TaskId), Status: pipeline.TaskStatus(in.TaskStatus),
		ErrorID: aws.ToString(in.ErrorId), ErrorMessage: aws.ToString(in.ErrorMessage),
		ErrorStackTrace: aws.ToString(in.ErrorStackTrace), Fields: c.pendingFields(aws.ToString(in.TaskId))}
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
