package api

import (
	"context"

	"github.com/datapipe/datapipe/internal/control"
	"github.com/datapipe/datapipe/internal/definition"
	"github.com/datapipe/datapipe/internal/pipeline"
)

// This file holds the task-runner operations (api.md §4.11, §4.15, §4.16,
// §4.18).

// taskObject is the TaskObject output shape.
type taskObject struct {
	TaskID     string                           `json:"taskId"`
	PipelineID string                           `json:"pipelineId"`
	AttemptID  string                           `json:"attemptId"`
	Objects    map[string]definition.WireObject `json:"objects"`
}

// pollForTaskOutput is PollForTask's output: {} when no task came.
type pollForTaskOutput struct {
	TaskObject *taskObject `json:"taskObject,omitempty"`
}

// pollForTask serves PollForTask. The poll ends early when the client
// goes away: control holds it on the request context. instanceIdentity is
// validated and otherwise ignored.
func (s *Server) pollForTask(ctx context.Context, c control.Caller, d *decoder, in object) (any, error) {
	group := d.str(in, "workerGroup", shapeString.req())
	host := d.str(in, "hostname", shapeID)
	if id, ok := d.member(in, "instanceIdentity", false); ok {
		d.str(id, "document", shapeString)
		d.str(id, "signature", shapeString)
	}
	if err := d.err(); err != nil {
		return nil, err
	}
	task, err := s.ctl.PollForTask(ctx, c, group, host)
	if err != nil || task == nil {
		return pollForTaskOutput{}, err
	}
	return pollForTaskOutput{TaskObject: taskToWire(task)}, nil
}

// taskToWire converts a task; objects is never nil.
func taskToWire(t *control.TaskObject) *taskObject {
	objs := make(map[string]definition.WireObject, len(t.Objects))
	for id, o := range t.Objects {
		objs[id] = definition.ObjectsToWire([]pipeline.Object{o})[0]
	}
	return &taskObject{TaskID: t.TaskID, PipelineID: t.PipelineID, AttemptID: t.AttemptID, Objects: objs}
}

// reportTaskProgressOutput is ReportTaskProgress' output.
type reportTaskProgressOutput struct {
	Canceled bool `json:"canceled"`
}

// reportTaskProgress serves ReportTaskProgress.
func (s *Server) reportTaskProgress(ctx context.Context, c control.Caller, d *decoder, in object) (any, error) {
	taskID := d.str(in, "taskId", shapeTaskID.req())
	wire := decodeList(d, in, "fields", listOptional, fieldElem)
	if err := d.err(); err != nil {
		return nil, err
	}
	fields, err := fieldsFromWire(wire)
	if err != nil {
		return nil, err
	}
	canceled, err := s.ctl.ReportTaskProgress(ctx, c, taskID, fields)
	return reportTaskProgressOutput{Canceled: canceled}, err
}

// heartbeatOutput is ReportTaskRunnerHeartbeat's output.
type heartbeatOutput struct {
	Terminate bool `json:"terminate"`
}

// reportTaskRunnerHeartbeat serves ReportTaskRunnerHeartbeat.
func (s *Server) reportTaskRunnerHeartbeat(ctx context.Context, c control.Caller, d *decoder, in object) (any, error) {
	req := control.HeartbeatInput{
		TaskRunnerID: d.str(in, "taskrunnerId", shapeID.req()),
		WorkerGroup:  d.str(in, "workerGroup", shapeString),
		Hostname:     d.str(in, "hostname", shapeID),
	}
	if err := d.err(); err != nil {
		return nil, err
	}
	terminate, err := s.ctl.ReportTaskRunnerHeartbeat(ctx, c, req)
	return heartbeatOutput{Terminate: terminate}, err
}

// setTaskStatus serves SetTaskStatus.
func (s *Server) setTaskStatus(ctx context.Context, c control.Caller, d *decoder, in object) (any, error) {
	req := control.SetTaskStatusInput{
		TaskID:          d.str(in, "taskId", shapeTaskID.req()),
		Status:          pipeline.TaskStatus(d.str(in, "taskStatus", shapeTaskStatus.req())),
		ErrorID:         d.str(in, "errorId", shapeString),
		ErrorMessage:    d.str(in, "errorMessage", shapeErrorMessage),
		ErrorStackTrace: d.str(in, "errorStackTrace", shapeString),
	}
	if err := d.err(); err != nil {
		return nil, err
	}
	return empty{}, s.ctl.SetTaskStatus(ctx, c, req)
}
