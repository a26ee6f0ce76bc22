package taskrunner

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/datapipeline/types"

	"github.com/datapipe/datapipe/internal/activity"
	"github.com/datapipe/datapipe/internal/pipeline"
)

// Why a runner drops an attempt without reporting its outcome.
var (
	errCanceled  = errors.New("the service canceled the attempt")
	errLeaseLost = errors.New("the service no longer knows the task (its lease ended)")
)

// attempt is one task in the runner's hands.
type attempt struct {
	r                             *Runner
	taskID, pipelineID, attemptID string
	// task is nil when the task object is malformed; bad says why.
	task *activity.Task
	bad  error
	// files is the local log; nil when task is.
	files *attemptLog
	log   *slog.Logger

	mu      sync.Mutex
	pending []pipeline.Field
}

// execution is how an execution ended.
type execution struct {
	outcome activity.Outcome
	err     error
	// dropped is set when the service canceled the attempt or forgot the
	// task: no outcome is reported.
	dropped error
}

// runTask takes one task from acknowledgement to its final report. It
// returns the worker's next task when the final report brought one (see
// statusPoller), else nil.
func (r *Runner) runTask(ctx, polling context.Context, to *types.TaskObject) *types.TaskObject {
	a := r.newAttempt(to)
	if a == nil {
		return nil
	}
	defer a.files.close()
	if !a.ack(ctx) {
		return nil
	}
	stop := a.armLogFile()
	defer stop()
	return a.finish(ctx, polling, a.run(ctx))
}

// armLogFile makes the attempt's log its own file once the attempt has
// run for LogFileAfter: the log of a long attempt is then on disk, where
// readers follow it and where a runner crash does not lose it. It returns
// the function that disarms it.
func (a *attempt) armLogFile() (stop func()) {
	switch d := a.r.cfg.LogFileAfter; {
	case a.files == nil:
	case d < 0:
		a.files.spill()
	default:
		cancel := a.r.cfg.Clock.AfterFunc(d, a.files.spill)
		return func() { cancel() }
	}
	return func() {}
}

// newAttempt reads a task object; nil when it has no task id, as
// nothing can be reported for it.
func (r *Runner) newAttempt(to *types.TaskObject) *attempt {
	a := &attempt{r: r, taskID: aws.ToString(to.TaskId), pipelineID: aws.ToString(to.PipelineId), attemptID: aws.ToString(to.AttemptId)}
	a.log = r.log.With("task_id", a.taskID, "pipeline_id", a.pipelineID, "attempt_id", a.attemptID)
	if a.taskID == "" {
		a.log.Error("ignoring a task without a taskId")
		return nil
	}
	a.task, a.bad = activity.NewTask(a.taskID, a.pipelineID, a.attemptID, objectsFromSDK(to.Objects))
	if a.bad == nil {
		a.files, a.bad = openAttemptLog(r.cfg.LogDir, a.pipelineID, a.attemptID)
	}
	if a.bad != nil {
		a.task = nil
	}
	return a
}

// ack acknowledges the task, sending the log's location. It reports
// whether to go on: not when the service canceled the attempt or the
// acknowledgement failed (the service then offers the task again).
func (a *attempt) ack(ctx context.Context) bool {
	var fields []pipeline.Field
	if a.files != nil {
		fields = append(fields, pipeline.String("logLocation", a.files.paths[logFile]))
	}
	stop, err := a.report(ctx, fields)
	switch {
	case err != nil:
		a.log.Warn("acknowledging the task failed; the service will offer it again", "err", err)
		return false
	case stop != nil:
		a.log.Info("task dropped before it started", "reason", stop)
		return false
	}
	a.log.Info("task started", "type", a.typ())
	a.note("attempt %s of pipeline %s (%s) started on %s by task runner %s", a.attemptID, a.pipelineID, a.typ(), a.r.cfg.Hostname, a.r.cfg.RunnerID)
	return true
}

// run executes the attempt, reporting progress until it ends.
func (a *attempt) run(ctx context.Context) execution {
	if a.bad != nil {
		return execution{err: a.bad}
	}
	execCtx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	stopTimer, err := a.armTimeout(cancel)
	if err != nil {
		return execution{err: err}
	}
	defer stopTimer()
	done := make(chan execution, 1)
	go func() { done <- a.execute(execCtx) }()
	ex := a.supervise(ctx, done, cancel)
	ex.err = withTimeoutCause(ex.err, context.Cause(execCtx))
	return ex
}

// supervise reports progress every ProgressEvery until the execution
// ends, canceling it when the service says so.
func (a *attempt) supervise(ctx context.Context, done <-chan execution, cancel context.CancelCauseFunc) execution {
	tick := a.r.cfg.Clock.NewTicker(a.r.cfg.ProgressEvery)
	defer tick.Stop()
	var dropped error
	for {
		select {
		case ex := <-done:
			ex.dropped = dropped
			return ex
		case <-tick.C():
			if dropped == nil {
				if dropped = a.progress(ctx); dropped != nil {
					a.note("stopping: %v", dropped)
					cancel(dropped)
				}
			}
		}
	}
}

// execute runs the executor, turning a panic into a failure.
func (a *attempt) execute(ctx context.Context) (ex execution) {
	defer func() {
		if v := recover(); v != nil {
			ex = execution{err: &panicError{value: v, stack: string(debug.Stack())}}
		}
	}()
	out, err := a.r.cfg.Executors.Execute(ctx, a.task, a.env())
	if err == nil && out != activity.Finished && out != activity.False {
		err = fmt.Errorf("the %s executor returned no outcome", a.typ())
	}
	return execution{outcome: out, err: err}
}

// env is what the executor gets.
func (a *attempt) env() *activity.Env {
	return &activity.Env{Log: a.files, Stdout: a.files.files[stdoutFile], Stderr: a.files.files[stderrFile],
		Progress: a.queue, Now: a.r.cfg.Clock.Now}
}

// queue holds fields for the next progress report.
func (a *attempt) queue(fields ...pipeline.Field) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.pending = append(a.pending, fields...)
}

// takePending returns and clears the queued fields.
func (a *attempt) takePending() []pipeline.Field {
	a.mu.Lock()
	defer a.mu.Unlock()
	p := a.pending
	a.pending = nil
	return p
}

// note writes a runner message to the attempt log, when there is one.
func (a *attempt) note(format string, args ...any) {
	if a.files != nil {
		(&activity.Env{Log: a.files, Now: a.r.cfg.Clock.Now}).Printf(format, args...)
	}
}

// typ is the attempt's type, for messages.
func (a *attempt) typ() string {
	if a.task == nil {
		return "malformed task"
	}
	return a.task.Type()
}

// panicError is an executor panic.
type panicError struct {
	value any
	stack string
}

func (e *panicError) Error() string {
	return fmt.Sprintf("the task runner hit an internal error running the attempt: %v", e.value)
}
