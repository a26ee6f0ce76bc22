package taskrunner

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/datapipeline"
	"github.com/aws/aws-sdk-go-v2/service/datapipeline/types"
)

// Poll-error back-off bounds.
const (
	minBackoff = time.Second
	maxBackoff = 30 * time.Second
)

// Runner polls a worker group and runs its tasks. Build it with New.
type Runner struct {
	cfg Config
	log *slog.Logger
	// quiet holds the quiet.log files this runner appends to.
	quiet quietLogs
}

// New returns a runner for cfg, with defaults filled in. Run reports a
// missing required field.
func New(cfg Config) *Runner {
	cfg = cfg.withDefaults()
	log := cfg.Logger.With("worker_group", cfg.WorkerGroup, "runner_id", cfg.RunnerID)
	return &Runner{cfg: cfg, log: log}
}

// Run polls and runs tasks until a heartbeat answers terminate:true
// (tasks in flight finish first) or ctx ends (tasks in flight are
// canceled and reported FAILED). It returns an error only for an
// incomplete Config; API errors are logged and retried.
func (r *Runner) Run(ctx context.Context) error {
	if err := r.cfg.check(); err != nil {
		return err
	}
	defer r.quiet.close()
	polling, stopPolling := context.WithCancel(ctx)
	defer stopPolling()
	var hb sync.WaitGroup
	hb.Go(func() { r.heartbeats(polling, stopPolling) })
	var workers sync.WaitGroup
	for range r.cfg.Concurrency {
		workers.Go(func() { r.work(ctx, polling) })
	}
	r.log.Info("task runner started", "concurrency", r.cfg.Concurrency, "log_dir", r.cfg.LogDir)
	workers.Wait()
	stopPolling()
	hb.Wait()
	r.log.Info("task runner stopped")
	return nil
}

// work polls until polling ends, running each task under ctx.
func (r *Runner) work(ctx, polling context.Context) {
	backoff := time.Duration(0)
	for polling.Err() == nil {
		task, err := r.poll(polling)
		if err != nil {
			backoff = min(max(2*backoff, minBackoff), maxBackoff)
			r.log.Warn("poll for task failed", "err", err, "retry_in", backoff)
			r.wait(polling, backoff)
			continue
		}
		backoff = 0
		for task != nil {
			task = r.runTask(ctx, polling, task)
		}
	}
}

// pollInput is this runner's PollForTask request.
func (r *Runner) pollInput() *datapipeline.PollForTaskInput {
	return &datapipeline.PollForTaskInput{WorkerGroup: aws.String(r.cfg.WorkerGroup), Hostname: hostname(r.cfg.Hostname)}
}

// poll asks for one task; nil when none came. A task that arrives as
// polling ends is still returned: the service assigned it to this runner.
func (r *Runner) poll(ctx context.Context) (*types.TaskObject, error) {
	out, err := r.cfg.Client.PollForTask(ctx, r.pollInput())
	switch {
	case err == nil:
		return out.TaskObject, nil
	case ctx.Err() != nil:
		return nil, nil
	}
	return nil, err
}

// wait sleeps for d or until ctx ends.
func (r *Runner) wait(ctx context.Context, d time.Duration) {
	select {
	case <-ctx.Done():
	case <-r.cfg.Clock.After(d):
	}
}

// heartbeats reports the runner alive every HeartbeatEvery until ctx
// ends; terminate:true calls stop and ends the loop.
func (r *Runner) heartbeats(ctx context.Context, stop func()) {
	tick := r.cfg.Clock.NewTicker(r.cfg.HeartbeatEvery)
	defer tick.Stop()
	for {
		if r.heartbeat(ctx) {
			r.log.Info("the service asked the runner to terminate: finishing tasks in flight")
			stop()
			return
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C():
		}
	}
}

// heartbeat sends one heartbeat and reports whether it said terminate.
func (r *Runner) heartbeat(ctx context.Context) bool {
	out, err := r.cfg.Client.ReportTaskRunnerHeartbeat(ctx, &datapipeline.ReportTaskRunnerHeartbeatInput{
		TaskrunnerId: aws.String(r.cfg.RunnerID), WorkerGroup: aws.String(r.cfg.WorkerGroup), Hostname: hostname(r.cfg.Hostname)})
	if err != nil {
		if ctx.Err() == nil {
			r.log.Warn("heartbeat failed", "err", err)
		}
		return false
	}
	return out.Terminate
}

// hostname is the optional hostname member: nil when unknown.
func hostname(h string) *string {
	if h == "" {
		return nil
	}
	return aws.String(h)
}
