package taskrunner

import (
	"context"
	"errors"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/datapipeline"
	"github.com/aws/aws-sdk-go-v2/service/datapipeline/types"

	"github.com/datapipe/datapipe/internal/activity"
	"github.com/datapipe/datapipe/internal/pipeline"
)

// API length limits of SetTaskStatus members (api.md §4.18); the error
// message has none, but a bounded one keeps attempts readable.
const (
	maxErrorID      = 1024
	maxStackTrace   = 1024
	maxErrorMessage = 8 << 10
	maxFieldValue   = 10240
)

// report sends ReportTaskProgress with fields. stop is errCanceled or
// errLeaseLost when the runner must drop the attempt; err is any other
// failure.
func (a *attempt) report(ctx context.Context, fields []pipeline.Field) (stop, err error) {
	out, err := a.r.cfg.Client.ReportTaskProgress(ctx, &datapipeline.ReportTaskProgressInput{
		TaskId: aws.String(a.taskID), Fields: fieldsToSDK(fields)})
	var notFound *types.TaskNotFoundException
	switch {
	case errors.As(err, &notFound):
		return errLeaseLost, nil
	case err != nil:
		return nil, err
	case out.Canceled:
		return errCanceled, nil
	}
	return nil, nil
}

// progress sends the queued fields; a failed report is logged and its
// fields queued again. It returns why to drop the attempt, or nil.
func (a *attempt) progress(ctx context.Context) error {
	fields := a.takePending()
	stop, err := a.report(ctx, fields)
	if err != nil {
		a.queue(fields...)
		if ctx.Err() == nil {
			a.log.Warn("progress report failed", "err", err)
		}
	}
	return stop
}

// finish writes the outcome to the attempt log, settles where the log
// is kept, uploads it and reports the outcome, unless the attempt was
// dropped. It returns the worker's next task when the report brought one.
func (a *attempt) finish(ctx, polling context.Context, ex execution) *types.TaskObject {
	rctx, cancel := a.reportContext(ctx)
	defer cancel()
	if ex.dropped != nil {
		a.note("attempt dropped without a status: %v", ex.dropped)
		a.settleLog(false)
		a.upload()
		a.log.Info("task dropped", "reason", ex.dropped)
		return nil
	}
	in := a.statusInput(ctx, ex)
	a.noteOutcome(in)
	a.settleLog(in.TaskStatus == types.TaskStatusFinished)
	if fields := a.upload(); len(fields) > 0 {
		if _, err := a.report(rctx, fields); err != nil {
			a.log.Warn("reporting the log upload failed", "err", err)
		}
	}
	next, err := a.setStatus(rctx, polling, in)
	if err != nil {
		a.log.Error("reporting the task status failed", "status", in.TaskStatus, "err", err)
		return nil
	}
	a.log.Info("task done", "status", in.TaskStatus, "error_id", aws.ToString(in.ErrorId))
	return next
}

// statusPoller is a Client that reports a task's status and claims the
// reporting worker's next task in one call (LocalClient): a runner uses
// it while it is polling, as the worker would poll at once anyway.
type statusPoller interface {
	SetTaskStatusAndPoll(ctx context.Context, in *datapipeline.SetTaskStatusInput, poll *datapipeline.PollForTaskInput) (*datapipeline.PollForTaskOutput, error)
}

// setStatus reports the outcome; with a statusPoller, while polling
// lasts, the report also brings the worker's next task.
func (a *attempt) setStatus(ctx, polling context.Context, in *datapipeline.SetTaskStatusInput) (*types.TaskObject, error) {
	sp, ok := a.r.cfg.Client.(statusPoller)
	if !ok || polling.Err() != nil {
		_, err := a.r.cfg.Client.SetTaskStatus(ctx, in)
		return nil, err
	}
	out, err := sp.SetTaskStatusAndPoll(ctx, in, a.r.pollInput())
	if err != nil {
		return nil, err
	}
	return out.TaskObject, nil
}

// settleLog decides where the attempt's log is kept, now that it has
// ended (see [I] in the package doc): its own file when the attempt did
// not finish cleanly (someone will read that log) or the log is to be
// uploaded (the upload copies files), else the pipeline's quiet.log.
func (a *attempt) settleLog(clean bool) {
	quiet, err := a.files.settle(!clean || a.logURI() != "")
	if err != nil && quiet != nil {
		a.log.Warn("the attempt log file could not be created; its lines go to "+quietName, "err", err)
	} else if err != nil {
		a.log.Warn("writing the attempt log failed", "err", err)
	}
	if len(quiet) == 0 {
		return
	}
	if err := a.r.quiet.append(a.files.dir(), a.attemptID, quiet); err != nil {
		a.log.Warn("writing the attempt log to "+quietName+" failed; its lines are lost", "err", err, "bytes", len(quiet))
	}
}

// reportContext is ctx, or, once ctx has ended, a context that lets the
// final reports through for StopTimeout.
func (a *attempt) reportContext(ctx context.Context) (context.Context, context.CancelFunc) {
	if ctx.Err() == nil {
		return context.WithCancel(ctx)
	}
	return context.WithTimeout(context.WithoutCancel(ctx), a.r.cfg.StopTimeout)
}

// statusInput maps an execution to SetTaskStatus.
func (a *attempt) statusInput(ctx context.Context, ex execution) *datapipeline.SetTaskStatusInput {
	in := &datapipeline.SetTaskStatusInput{TaskId: aws.String(a.taskID), TaskStatus: types.TaskStatusFinished}
	switch {
	case ex.err == nil && ex.outcome == activity.False:
		in.TaskStatus = types.TaskStatusFalse
	case ex.err == nil:
	default:
		e := failure(ctx, ex.err)
		in.TaskStatus = types.TaskStatusFailed
		in.ErrorId = aws.String(clean(e.ID, maxErrorID))
		in.ErrorMessage = aws.String(clean(e.Message, maxErrorMessage))
		if trace := stackTrace(ex.err); trace != "" {
			in.ErrorStackTrace = aws.String(clean(trace, maxStackTrace))
		}
	}
	return in
}

// failure is the reported error: TaskRunnerStopped when the runner's
// context ended and canceled the execution.
func failure(ctx context.Context, err error) *activity.Error {
	e := activity.AsError(err)
	if ctx.Err() != nil && e.ID != activity.IDAttemptTimeout {
		e = activity.Errorf(activity.IDRunnerStopped, "the task runner stopped while the attempt was running: %s", e.Message)
	}
	if strings.HasPrefix(e.ID, "Service_") {
		e.ID = "Runner_" + e.ID // Service_ ids belong to the service
	}
	return e
}

// stackTrace is a panic's stack, or "".
func stackTrace(err error) string {
	var p *panicError
	if errors.As(err, &p) {
		return p.stack
	}
	return ""
}

// noteOutcome writes the outcome to the attempt log.
func (a *attempt) noteOutcome(in *datapipeline.SetTaskStatusInput) {
	if in.TaskStatus != types.TaskStatusFailed {
		a.note("attempt %s", in.TaskStatus)
		return
	}
	a.note("attempt FAILED (%s): %s", aws.ToString(in.ErrorId), aws.ToString(in.ErrorMessage))
}

// clean makes s acceptable to the API: no control characters but tab,
// newline and carriage return, and at most limit characters.
func clean(s string, limit int) string {
	var b strings.Builder
	n := 0
	for _, r := range s {
		if n == limit {
			break
		}
		if r < 0x20 && r != '\t' && r != '\n' && r != '\r' || r == 0xFFFE || r == 0xFFFF {
			r = '?'
		}
		b.WriteRune(r)
		n++
	}
	return b.String()
}
