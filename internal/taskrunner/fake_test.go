package taskrunner

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/datapipeline"
	"github.com/aws/aws-sdk-go-v2/service/datapipeline/types"
)

// fakeClient is a scripted task-runner API. Polls hand out the tasks
// sent on tasks; every call is recorded as an event.
type fakeClient struct {
	tasks chan *types.TaskObject
	// cancelAt makes the nth ReportTaskProgress (1-based) answer
	// canceled:true; notFoundAt makes it fail with TaskNotFound.
	cancelAt, notFoundAt int
	// terminateAt makes the nth heartbeat answer terminate:true.
	terminateAt int

	mu         sync.Mutex
	events     []string
	progress   []*datapipeline.ReportTaskProgressInput
	statuses   []*datapipeline.SetTaskStatusInput
	polls      int
	heartbeats int
	changed    chan struct{}
}

func newFakeClient() *fakeClient {
	return &fakeClient{tasks: make(chan *types.TaskObject, 10), changed: make(chan struct{}, 1)}
}

func (f *fakeClient) record(event string) {
	f.events = append(f.events, event)
	select {
	case f.changed <- struct{}{}:
	default:
	}
}

func (f *fakeClient) PollForTask(ctx context.Context, in *datapipeline.PollForTaskInput, _ ...func(*datapipeline.Options)) (*datapipeline.PollForTaskOutput, error) {
	f.mu.Lock()
	f.polls++
	f.record(fmt.Sprintf("poll %s", aws.ToString(in.WorkerGroup)))
	f.mu.Unlock()
	select {
	case to := <-f.tasks:
		return &datapipeline.PollForTaskOutput{TaskObject: to}, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

func (f *fakeClient) ReportTaskProgress(_ context.Context, in *datapipeline.ReportTaskProgressInput, _ ...func(*datapipeline.Options)) (*datapipeline.ReportTaskProgressOutput, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.progress = append(f.progress, in)
	n := len(f.progress)
	f.record("progress " + aws.ToString(in.TaskId))
	if n == f.notFoundAt {
		return nil, &types.TaskNotFoundException{Message: aws.String("gone")}
	}
	return &datapipeline.ReportTaskProgressOutput{Canceled: n == f.cancelAt}, nil
}

func (f *fakeClient) SetTaskStatus(_ context.Context, in *datapipeline.SetTaskStatusInput, _ ...func(*datapipeline.Options)) (*datapipeline.SetTaskStatusOutput, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.statuses = append(f.statuses, in)
	f.record(fmt.Sprintf("status %s %s", aws.ToString(in.TaskId), in.TaskStatus))
	return &datapipeline.SetTaskStatusOutput{}, nil
}

func (f *fakeClient) ReportTaskRunnerHeartbeat(_ context.Context, in *datapipeline.ReportTaskRunnerHeartbeatInput, _ ...func(*datapipeline.Options)) (*datapipeline.ReportTaskRunnerHeartbeatOutput, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.heartbeats++
	f.record("heartbeat " + aws.ToString(in.TaskrunnerId))
	return &datapipeline.ReportTaskRunnerHeartbeatOutput{Terminate: f.heartbeats == f.terminateAt}, nil
}

// waitFor waits until cond holds on the client (under its lock).
func (f *fakeClient) waitFor(t *testing.T, what string, cond func(f *fakeClient) bool) {
	t.Helper()
	deadline := time.After(10 * time.Second)
	for {
		f.mu.Lock()
		ok := cond(f)
		f.mu.Unlock()
		if ok {
			return
		}
		select {
		case <-f.changed:
		case <-time.After(20 * time.Millisecond):
		case <-deadline:
			f.mu.Lock()
			defer f.mu.Unlock()
			t.Fatalf("timed out waiting for %s; events %q", what, f.events)
		}
	}
}

// status returns the only SetTaskStatus call.
func (f *fakeClient) status(t *testing.T) *datapipeline.SetTaskStatusInput {
	t.Helper()
	f.waitFor(t, "a status", func(f *fakeClient) bool { return len(f.statuses) > 0 })
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.statuses) != 1 {
		t.Fatalf("%d statuses; events %q", len(f.statuses), f.events)
	}
	return f.statuses[0]
}

// fakeClock fires tickers and timers on demand; After fires at once.
type fakeClock struct {
	mu      sync.Mutex
	tickers []*fakeTicker
	timers  []*fakeTimer
}

type fakeTicker struct {
	d       time.Duration
	c       chan time.Time
	stopped bool
}

type fakeTimer struct {
	d       time.Duration
	f       func()
	stopped bool
}

var epoch = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)

func (c *fakeClock) Now() time.Time                       { return epoch }
func (c *fakeClock) After(time.Duration) <-chan time.Time { return closedTime() }

func closedTime() <-chan time.Time {
	ch := make(chan time.Time, 1)
	ch <- epoch
	return ch
}

func (c *fakeClock) NewTicker(d time.Duration) Ticker {
	c.mu.Lock()
	defer c.mu.Unlock()
	t := &fakeTicker{d: d, c: make(chan time.Time, 1)}
	c.tickers = append(c.tickers, t)
	return &fakeTickerHandle{c: c, t: t}
}

type fakeTickerHandle struct {
	c *fakeClock
	t *fakeTicker
}

func (h *fakeTickerHandle) C() <-chan time.Time { return h.t.c }
func (h *fakeTickerHandle) Stop() {
	h.c.mu.Lock()
	defer h.c.mu.Unlock()
	h.t.stopped = true
}

func (c *fakeClock) AfterFunc(d time.Duration, f func()) func() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	t := &fakeTimer{d: d, f: f}
	c.timers = append(c.timers, t)
	return func() bool {
		c.mu.Lock()
		defer c.mu.Unlock()
		was := !t.stopped
		t.stopped = true
		return was
	}
}

// tick fires every live ticker of period d, waiting until one exists.
func (c *fakeClock) tick(t *testing.T, d time.Duration) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if c.fireTickers(d) {
			return
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatalf("no ticker of %v", d)
}

func (c *fakeClock) fireTickers(d time.Duration) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	fired := false
	for _, tk := range c.tickers {
		if tk.d == d && !tk.stopped {
			select {
			case tk.c <- epoch:
			default:
			}
			fired = true
		}
	}
	return fired
}

// fireTimer runs the live timer of duration d, waiting until one exists.
func (c *fakeClock) fireTimer(t *testing.T, d time.Duration) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		c.mu.Lock()
		for _, tm := range c.timers {
			if tm.d == d && !tm.stopped {
				tm.stopped = true
				c.mu.Unlock()
				go tm.f()
				return
			}
		}
		c.mu.Unlock()
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatalf("no timer of %v", d)
}
