package taskrunner

import (
	"context"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/datapipeline"
	"github.com/aws/aws-sdk-go-v2/service/datapipeline/types"

	"github.com/datapipe/datapipe/internal/control"
	"github.com/datapipe/datapipe/internal/definition"
	"github.com/datapipe/datapipe/internal/pipeline"
	"github.com/datapipe/datapipe/internal/store"
	"github.com/datapipe/datapipe/internal/store/sqlite"
)

// localFixture is a LocalClient of a service on a SQLite store, with two
// tasks queued in worker group wg, and a clock whose timers the test
// fires.
type localFixture struct {
	client *LocalClient
	store  store.Store
	clock  *timerClock
	id     string
}

var localCaller = control.Caller{AccountID: "123456789012", UserID: "123456789012"}

func newLocalFixture(t *testing.T) *localFixture {
	t.Helper()
	ctx := context.Background()
	st, err := sqlite.Open(ctx, sqlite.Config{Path: filepath.Join(t.TempDir(), "l.db")})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	svc := control.New(control.Config{Store: st, ProgressTimeout: time.Hour})
	id, err := svc.CreatePipeline(ctx, localCaller, control.CreatePipelineInput{Name: "p", UniqueID: "p"})
	if err != nil {
		t.Fatal(err)
	}
	def := definition.Definition{Objects: []pipeline.Object{
		{ID: "Default", Name: "Default", Fields: []pipeline.Field{pipeline.String("scheduleType", "ondemand"), pipeline.String("workerGroup", "wg")}},
		{ID: "A", Name: "A", Fields: []pipeline.Field{pipeline.String("type", "ShellCommandActivity"), pipeline.String("command", "true")}},
	}}
	if res, err := svc.PutPipelineDefinition(ctx, localCaller, id, def); err != nil || res.Errored() {
		t.Fatalf("put: %v %+v", err, res)
	}
	if err := svc.ActivatePipeline(ctx, localCaller, id, nil, time.Time{}); err != nil {
		t.Fatal(err)
	}
	for i := range 2 {
		queueLocal(t, st, id, time.Date(2024, 1, 1+i, 0, 0, 0, 0, time.UTC))
	}
	clk := &timerClock{}
	client := NewLocalClient(LocalConfig{Service: svc, Caller: localCaller, LogDir: "/logs", Clock: clk})
	return &localFixture{client: client, store: st, clock: clk, id: id}
}

// queueLocal inserts an instance of A, its attempt and its task.
func queueLocal(t *testing.T, st store.Store, pipelineID string, start time.Time) {
	t.Helper()
	ctx := context.Background()
	inst := store.Object{PipelineID: pipelineID, ID: "@A_" + start.Format("2006-01-02T15:04:05"), Sphere: pipeline.SphereInstance,
		ComponentID: "A", Status: pipeline.StatusWaitingForRunner, ScheduledStart: start, ScheduledEnd: start}
	att := inst
	att.ID, att.Sphere, att.InstanceID = inst.ID+"_Attempt=1", pipeline.SphereAttempt, inst.ID
	if err := st.ObjectCreate(ctx, store.ObjectCreateParams{Objects: []store.Object{inst, att}}); err != nil {
		t.Fatal(err)
	}
	if _, err := st.TaskCreate(ctx, store.TaskCreateParams{Task: store.Task{ID: store.NewTaskID(), AccountID: localCaller.AccountID,
		PipelineID: pipelineID, AttemptID: att.ID, WorkerGroup: "wg", CreatedAt: start}}); err != nil {
		t.Fatal(err)
	}
}

func (f *localFixture) poll(t *testing.T) *types.TaskObject {
	t.Helper()
	out, err := f.client.PollForTask(context.Background(), &datapipeline.PollForTaskInput{WorkerGroup: aws.String("wg"), Hostname: aws.String("h")})
	if err != nil || out.TaskObject == nil {
		t.Fatalf("poll = %+v, %v", out, err)
	}
	return out.TaskObject
}

// ack reports what a runner's acknowledgement reports.
func (f *localFixture) ack(t *testing.T, to *types.TaskObject, extra ...types.Field) {
	t.Helper()
	fields := append([]types.Field{{Key: aws.String("logLocation"), StringValue: aws.String(f.logLocation(to))}}, extra...)
	out, err := f.client.ReportTaskProgress(context.Background(), &datapipeline.ReportTaskProgressInput{TaskId: to.TaskId, Fields: fields})
	if err != nil || out.Canceled {
		t.Fatalf("ack = %+v, %v", out, err)
	}
}

func (f *localFixture) logLocation(to *types.TaskObject) string {
	return LogLocation("/logs", aws.ToString(to.PipelineId), aws.ToString(to.AttemptId))
}

// attempt reads a task's stored attempt.
func (f *localFixture) attempt(t *testing.T, to *types.TaskObject) store.Object {
	t.Helper()
	objs, err := f.store.ObjectGet(context.Background(), store.ObjectGetParams{PipelineID: f.id, IDs: []string{aws.ToString(to.AttemptId)}})
	if err != nil || len(objs) != 1 {
		t.Fatalf("attempt: %v, %v", objs, err)
	}
	return objs[0]
}

func status(o store.Object) string { return string(o.Status) }

// field is an attempt's field value.
func field(o store.Object, key string) string {
	v, _ := (&pipeline.Object{Fields: o.Fields}).StringValue(key)
	return v
}

func TestLocalClient_ReportTaskProgress(t *testing.T) {
	t.Run("OKAcknowledgementDeferred", func(t *testing.T) {
		f := newLocalFixture(t)
		to := f.poll(t)
		f.ack(t, to)
		if s := status(f.attempt(t, to)); s != string(pipeline.StatusWaitingForRunner) {
			t.Fatalf("@status before AckDelay = %s", s)
		}
		f.clock.fire(t, 100*time.Millisecond)
		att := f.attempt(t, to)
		if loc := field(att, "logLocation"); status(att) != string(pipeline.StatusRunning) || loc != f.logLocation(to) {
			t.Errorf("after AckDelay: @status %s, logLocation %q; want RUNNING with the runner's log", status(att), loc)
		}
	})
	t.Run("OKOtherFieldsAtOnce", func(t *testing.T) {
		f := newLocalFixture(t)
		to := f.poll(t)
		f.ack(t, to, types.Field{Key: aws.String("progress"), StringValue: aws.String("1")})
		att := f.attempt(t, to)
		if loc := field(att, "logLocation"); status(att) != string(pipeline.StatusRunning) || loc != f.logLocation(to) {
			t.Errorf("@status %s, logLocation %q; want RUNNING with the runner's log", status(att), loc)
		}
		if f.clock.pending() != 0 {
			t.Error("an acknowledgement sent at once left a timer armed")
		}
	})
}

func TestLocalClient_SetTaskStatus(t *testing.T) {
	t.Run("OKNeverAcknowledged", func(t *testing.T) {
		f := newLocalFixture(t)
		to := f.poll(t)
		f.ack(t, to)
		if _, err := f.client.SetTaskStatus(context.Background(), &datapipeline.SetTaskStatusInput{TaskId: to.TaskId, TaskStatus: types.TaskStatusFinished}); err != nil {
			t.Fatal(err)
		}
		if f.clock.pending() != 0 {
			t.Error("the outcome left the deferred acknowledgement armed")
		}
		att := f.attempt(t, to)
		loc, host, start := field(att, "logLocation"), field(att, "hostname"), att.ActualStart
		if status(att) != string(pipeline.StatusFinished) || loc != f.logLocation(to) || host != "h" || start.IsZero() {
			t.Errorf("attempt %s, logLocation %q, hostname %q, started %q; want FINISHED with all three", status(att), loc, host, start)
		}
	})
}

func TestLocalClient_SetTaskStatusAndPoll(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		f := newLocalFixture(t)
		first := f.poll(t)
		f.ack(t, first)
		poll := &datapipeline.PollForTaskInput{WorkerGroup: aws.String("wg"), Hostname: aws.String("h")}
		out, err := f.client.SetTaskStatusAndPoll(context.Background(), &datapipeline.SetTaskStatusInput{TaskId: first.TaskId, TaskStatus: types.TaskStatusFinished}, poll)
		if err != nil || out.TaskObject == nil {
			t.Fatalf("= %+v, %v; want the second task", out, err)
		}
		if s := status(f.attempt(t, first)); s != string(pipeline.StatusFinished) {
			t.Errorf("first attempt %s", s)
		}
		second := out.TaskObject
		f.ack(t, second)
		f.clock.fire(t, 100*time.Millisecond)
		if s := status(f.attempt(t, second)); s != string(pipeline.StatusRunning) {
			t.Errorf("second attempt %s after its acknowledgement; want RUNNING", s)
		}
		out, err = f.client.SetTaskStatusAndPoll(context.Background(), &datapipeline.SetTaskStatusInput{TaskId: second.TaskId, TaskStatus: types.TaskStatusFinished}, poll)
		if err != nil || out.TaskObject != nil {
			t.Errorf("with none queued = %+v, %v", out, err)
		}
	})
	t.Run("ErrTaskNotFound", func(t *testing.T) {
		f := newLocalFixture(t)
		_, err := f.client.SetTaskStatusAndPoll(context.Background(), &datapipeline.SetTaskStatusInput{TaskId: aws.String("nope"), TaskStatus: types.TaskStatusFinished},
			&datapipeline.PollForTaskInput{WorkerGroup: aws.String("wg")})
		if _, ok := err.(*types.TaskNotFoundException); !ok {
			t.Errorf("err = %T %v", err, err)
		}
	})
}

// timerClock is the system clock whose AfterFunc timers wait for fire.
type timerClock struct {
	systemClock
	mu     sync.Mutex
	timers []*timerCall
}

type timerCall struct {
	d time.Duration
	f func()
}

func (c *timerClock) AfterFunc(d time.Duration, f func()) func() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	call := &timerCall{d, f}
	c.timers = append(c.timers, call)
	return func() bool {
		c.mu.Lock()
		defer c.mu.Unlock()
		n := len(c.timers)
		c.timers = slices.DeleteFunc(c.timers, func(t *timerCall) bool { return t == call })
		return len(c.timers) < n
	}
}

func (c *timerClock) pending() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.timers)
}

// fire runs the one armed timer, which must be for d.
func (c *timerClock) fire(t *testing.T, d time.Duration) {
	t.Helper()
	c.mu.Lock()
	timers := c.timers
	c.timers = nil
	c.mu.Unlock()
	if len(timers) != 1 || timers[0].d != d {
		t.Fatalf("timers = %+v; want one for %v", timers, d)
	}
	timers[0].f()
}
