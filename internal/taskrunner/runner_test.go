package taskrunner

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/datapipeline"
	"github.com/aws/aws-sdk-go-v2/service/datapipeline/types"

	"github.com/datapipe/datapipe/internal/activity"
	"github.com/datapipe/datapipe/internal/pipeline"
)

// Tick periods of the test runner, told apart by the fake clock.
const (
	testProgress  = time.Second
	testHeartbeat = time.Hour
)

// executorFunc adapts a function to activity.Executor.
type executorFunc func(context.Context, *activity.Task, *activity.Env) (activity.Outcome, error)

func (f executorFunc) Execute(ctx context.Context, t *activity.Task, env *activity.Env) (activity.Outcome, error) {
	return f(ctx, t, env)
}

// harness runs a Runner against a fake client and clock.
type harness struct {
	client  *fakeClient
	clock   *fakeClock
	reg     *activity.Registry
	logDir  string
	started chan string
	release chan struct{}
	cancel  context.CancelFunc
	done    chan error
}

// newHarness returns a harness whose registry has the test executors.
func newHarness(t *testing.T) *harness {
	h := &harness{client: newFakeClient(), clock: &fakeClock{}, reg: activity.NewRegistry(), logDir: t.TempDir(),
		started: make(chan string, 10), release: make(chan struct{})}
	h.register()
	return h
}

// register adds the test executors.
func (h *harness) register() {
	h.reg.Register("Echo", executorFunc(func(_ context.Context, _ *activity.Task, env *activity.Env) (activity.Outcome, error) {
		fmt.Fprintln(env.Log, "hello from executor")
		fmt.Fprintln(env.Stdout, "out")
		return activity.Finished, nil
	}))
	h.reg.Register("False", executorFunc(func(context.Context, *activity.Task, *activity.Env) (activity.Outcome, error) {
		return activity.False, nil
	}))
	h.reg.Register("Fail", executorFunc(func(context.Context, *activity.Task, *activity.Env) (activity.Outcome, error) {
		return 0, fmt.Errorf("step 2: %w", activity.Errorf("Boom", "it broke"))
	}))
	h.reg.Register("Panic", executorFunc(func(context.Context, *activity.Task, *activity.Env) (activity.Outcome, error) {
		panic("executor bug")
	}))
	h.reg.Register("Block", executorFunc(func(ctx context.Context, t *activity.Task, env *activity.Env) (activity.Outcome, error) {
		h.started <- t.AttemptID
		env.Report(pipeline.String("percentComplete", "50"))
		select {
		case <-h.release:
			return activity.Finished, nil
		case <-ctx.Done():
			return 0, fmt.Errorf("blocked: %w", context.Cause(ctx))
		}
	}))
	h.reg.Register("BlockBare", executorFunc(func(ctx context.Context, t *activity.Task, _ *activity.Env) (activity.Outcome, error) {
		h.started <- t.AttemptID
		<-ctx.Done()
		return 0, ctx.Err()
	}))
}

// start runs the runner; edit adjusts its Config.
func (h *harness) start(t *testing.T, edit ...func(*Config)) {
	cfg := Config{Client: h.client, WorkerGroup: "wg", RunnerID: "runner-1", Hostname: "host-1", Executors: h.reg,
		ProgressEvery: testProgress, HeartbeatEvery: testHeartbeat, LogDir: h.logDir, Clock: h.clock}
	for _, e := range edit {
		e(&cfg)
	}
	ctx, cancel := context.WithCancel(context.Background())
	h.cancel, h.done = cancel, make(chan error, 1)
	go func() { h.done <- New(cfg).Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		h.wait(t)
	})
}

// wait waits for Run to return and returns its error.
func (h *harness) wait(t *testing.T) error {
	t.Helper()
	select {
	case err := <-h.done:
		h.done <- err
		return err
	case <-time.After(10 * time.Second):
		t.Fatal("Run did not return")
		return nil
	}
}

// waitStarted waits until a blocking executor runs.
func (h *harness) waitStarted(t *testing.T) {
	t.Helper()
	select {
	case <-h.started:
	case <-time.After(10 * time.Second):
		t.Fatal("the executor did not start")
	}
}

// taskObject is a task for attempt @A_<n>_Attempt=1 of the given type.
func taskObject(n, typ string, extra ...types.Field) *types.TaskObject {
	inst := "@A_" + n
	att := inst + "_Attempt=1"
	fields := []types.Field{strField("type", typ), refField("@componentParent", "A"), refField("@instanceParent", inst)}
	return &types.TaskObject{TaskId: aws.String("task-" + n), PipelineId: aws.String("df-1"), AttemptId: aws.String(att),
		Objects: map[string]types.PipelineObject{att: {Id: aws.String(att), Name: aws.String(att), Fields: append(fields, extra...)}}}
}

func strField(k, v string) types.Field {
	return types.Field{Key: aws.String(k), StringValue: aws.String(v)}
}
func refField(k, v string) types.Field {
	return types.Field{Key: aws.String(k), RefValue: aws.String(v)}
}

// fieldsOf renders progress fields as k=v.
func fieldsOf(in *datapipeline.ReportTaskProgressInput) string {
	var parts []string
	for _, f := range in.Fields {
		parts = append(parts, aws.ToString(f.Key)+"="+aws.ToString(f.StringValue))
	}
	return strings.Join(parts, " ")
}

func wantStatus(t *testing.T, in *datapipeline.SetTaskStatusInput, status types.TaskStatus, errorID, msgPart string) {
	t.Helper()
	if in.TaskStatus != status || aws.ToString(in.ErrorId) != errorID || !strings.Contains(aws.ToString(in.ErrorMessage), msgPart) {
		t.Fatalf("SetTaskStatus = %s %q %q; want %s %q containing %q", in.TaskStatus, aws.ToString(in.ErrorId),
			aws.ToString(in.ErrorMessage), status, errorID, msgPart)
	}
}

func TestRunner_Run(t *testing.T) {
	t.Run("OKFinished", func(t *testing.T) {
		h := newHarness(t)
		h.client.tasks <- taskObject("1", "Echo")
		h.start(t)
		wantStatus(t, h.client.status(t), types.TaskStatusFinished, "", "")
		h.client.mu.Lock()
		var taskEvents []string // heartbeats interleave freely
		for _, e := range h.client.events {
			if !strings.HasPrefix(e, "heartbeat") {
				taskEvents = append(taskEvents, e)
			}
		}
		events := strings.Join(taskEvents, "|")
		ack := fieldsOf(h.client.progress[0])
		h.client.mu.Unlock()
		if !strings.Contains(events, "poll wg|progress task-1|status task-1 FINISHED") {
			t.Errorf("events = %s", events)
		}
		logPath := filepath.Join(h.logDir, "df-1", "@A_1_Attempt=1.log")
		if ack != "logLocation="+logPath {
			t.Errorf("ack fields = %q", ack)
		}
		log, _ := os.ReadFile(logPath)
		if !strings.Contains(string(log), "hello from executor") || !strings.Contains(string(log), "datapipe: attempt FINISHED") {
			t.Errorf("log = %q", log)
		}
		if out, _ := os.ReadFile(strings.TrimSuffix(logPath, ".log") + ".stdout"); string(out) != "out\n" {
			t.Errorf("stdout file = %q", out)
		}
	})
	for _, tc := range []struct {
		name, typ string
		status    types.TaskStatus
		errorID   string
		msg       string
	}{
		{"OKFalse", "False", types.TaskStatusFalse, "", ""},
		{"ErrFailed", "Fail", types.TaskStatusFailed, "Boom", "step 2: it broke"},
		{"ErrUnknownType", "HiveActivity", types.TaskStatusFailed, activity.IDNotImplemented,
			"activity type HiveActivity is not implemented by this task runner (supported: Block, BlockBare, Echo, Fail, False, Panic)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t)
			h.client.tasks <- taskObject("1", tc.typ)
			h.start(t)
			wantStatus(t, h.client.status(t), tc.status, tc.errorID, tc.msg)
		})
	}
	t.Run("ErrPanic", func(t *testing.T) {
		h := newHarness(t)
		h.client.tasks <- taskObject("1", "Panic")
		h.start(t)
		st := h.client.status(t)
		wantStatus(t, st, types.TaskStatusFailed, activity.IDRunnerError, "executor bug")
		if trace := aws.ToString(st.ErrorStackTrace); trace == "" || len([]rune(trace)) > maxStackTrace {
			t.Errorf("stack trace of %d characters", len(trace))
		}
	})
}

func TestRunner_Run_Malformed(t *testing.T) {
	noAttempt := taskObject("1", "Echo")
	noAttempt.AttemptId = aws.String("@Missing")
	noType := taskObject("1", "Echo")
	noType.Objects = map[string]types.PipelineObject{"@A_1_Attempt=1": {Fields: []types.Field{{Key: nil}, {Key: aws.String("x")}}}}
	noAttemptID := taskObject("1", "Echo")
	noAttemptID.AttemptId = nil
	nilObjects := taskObject("1", "Echo")
	nilObjects.Objects = nil
	for _, tc := range []struct {
		name string
		task *types.TaskObject
		msg  string
	}{
		{"ErrAttemptMissing", noAttempt, "does not include its attempt @Missing"},
		{"ErrNoType", noType, "has no type field"},
		{"ErrNoAttemptID", noAttemptID, "no attemptId"},
		{"ErrNilObjects", nilObjects, "does not include its attempt"},
		{"ErrBadTimeout", taskObject("1", "Echo", strField("attemptTimeout", "soon")), "attemptTimeout"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t)
			h.client.tasks <- tc.task
			h.start(t)
			wantStatus(t, h.client.status(t), types.TaskStatusFailed, activity.IDInvalidTask, tc.msg)
		})
	}
	t.Run("OKNoTaskIDIgnored", func(t *testing.T) {
		h := newHarness(t)
		bad := taskObject("1", "Echo")
		bad.TaskId = nil
		h.client.tasks <- bad
		h.client.tasks <- taskObject("2", "Echo")
		h.start(t)
		if st := h.client.status(t); aws.ToString(st.TaskId) != "task-2" {
			t.Fatalf("status for %s", aws.ToString(st.TaskId))
		}
	})
}

func TestRunner_Run_Cancel(t *testing.T) {
	for _, tc := range []struct {
		name   string
		set    func(*fakeClient)
		starts bool
	}{
		{"OKCanceledByService", func(f *fakeClient) { f.cancelAt = 2 }, true},
		{"OKLeaseLost", func(f *fakeClient) { f.notFoundAt = 2 }, true},
		{"OKCanceledOnAck", func(f *fakeClient) { f.cancelAt = 1 }, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t)
			tc.set(h.client)
			h.client.tasks <- taskObject("1", "Block")
			h.client.tasks <- taskObject("2", "Echo")
			h.start(t)
			if tc.starts {
				h.waitStarted(t)
				h.clock.tick(t, testProgress)
			}
			h.client.waitFor(t, "the next task", func(f *fakeClient) bool { return len(f.statuses) > 0 })
			if st := h.client.status(t); aws.ToString(st.TaskId) != "task-2" {
				t.Fatalf("a status was reported for %s", aws.ToString(st.TaskId))
			}
			log, _ := os.ReadFile(filepath.Join(h.logDir, "df-1", "@A_1_Attempt=1.log"))
			if tc.starts && !strings.Contains(string(log), "attempt dropped without a status") {
				t.Errorf("log = %q", log)
			}
		})
	}
}

func TestRunner_Run_Progress(t *testing.T) {
	h := newHarness(t)
	h.client.tasks <- taskObject("1", "Block")
	h.start(t)
	h.waitStarted(t)
	h.clock.tick(t, testProgress)
	h.client.waitFor(t, "a progress report", func(f *fakeClient) bool { return len(f.progress) == 2 })
	close(h.release)
	wantStatus(t, h.client.status(t), types.TaskStatusFinished, "", "")
	h.client.mu.Lock()
	defer h.client.mu.Unlock()
	if got := fieldsOf(h.client.progress[1]); got != "percentComplete=50" {
		t.Errorf("progress fields = %q", got)
	}
}

func TestRunner_Run_AttemptTimeout(t *testing.T) {
	for _, typ := range []string{"Block", "BlockBare"} {
		t.Run("Err"+typ, func(t *testing.T) {
			h := newHarness(t)
			h.client.tasks <- taskObject("1", typ, strField("attemptTimeout", "1 hour"))
			h.start(t)
			h.waitStarted(t)
			h.clock.fireTimer(t, time.Hour)
			wantStatus(t, h.client.status(t), types.TaskStatusFailed, activity.IDAttemptTimeout, "attemptTimeout of 1 hour")
		})
	}
}

func TestRunner_Run_Terminate(t *testing.T) {
	t.Run("OKFinishesInFlight", func(t *testing.T) {
		h := newHarness(t)
		h.client.terminateAt = 2
		h.client.tasks <- taskObject("1", "Block")
		h.start(t)
		h.waitStarted(t)
		h.clock.tick(t, testHeartbeat)
		h.client.waitFor(t, "the second heartbeat", func(f *fakeClient) bool { return f.heartbeats == 2 })
		select {
		case err := <-h.done:
			t.Fatalf("Run returned %v with a task in flight", err)
		default:
		}
		close(h.release)
		if err := h.wait(t); err != nil {
			t.Fatal(err)
		}
		wantStatus(t, h.client.status(t), types.TaskStatusFinished, "", "")
	})
	t.Run("OKIdle", func(t *testing.T) {
		h := newHarness(t)
		h.client.terminateAt = 1
		h.start(t)
		if err := h.wait(t); err != nil {
			t.Fatal(err)
		}
	})
}

func TestRunner_Run_Stop(t *testing.T) {
	h := newHarness(t)
	h.client.tasks <- taskObject("1", "Block")
	h.start(t)
	h.waitStarted(t)
	h.cancel()
	if err := h.wait(t); err != nil {
		t.Fatal(err)
	}
	wantStatus(t, h.client.status(t), types.TaskStatusFailed, activity.IDRunnerStopped, "the task runner stopped")
}

func TestRunner_Run_LogUpload(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		h := newHarness(t)
		logs := t.TempDir()
		h.client.tasks <- taskObject("1", "Echo", strField("pipelineLogUri", "file://"+logs+"/"))
		h.start(t)
		wantStatus(t, h.client.status(t), types.TaskStatusFinished, "", "")
		dir := filepath.Join(logs, "df-1", "A", "@A_1", "@A_1_Attempt=1")
		if b, err := os.ReadFile(filepath.Join(dir, "Activity.log")); err != nil || !strings.Contains(string(b), "hello from executor") {
			t.Errorf("Activity.log = %q, %v", b, err)
		}
		if b, err := os.ReadFile(filepath.Join(dir, "StdOutput")); err != nil || string(b) != "out\n" {
			t.Errorf("StdOutput = %q, %v", b, err)
		}
		if _, err := os.Stat(filepath.Join(dir, "StdError")); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("empty StdError uploaded: %v", err)
		}
		h.client.mu.Lock()
		defer h.client.mu.Unlock()
		last := fieldsOf(h.client.progress[len(h.client.progress)-1])
		if !strings.HasPrefix(last, "logUri=file://") || !strings.HasSuffix(last, "/@A_1_Attempt=1/Activity.log") {
			t.Errorf("last progress fields = %q, want the uploaded log's logUri", last)
		}
	})
	t.Run("OKWarningForS3", func(t *testing.T) {
		h := newHarness(t)
		h.client.tasks <- taskObject("1", "Echo", strField("pipelineLogUri", "s3://bucket/logs"))
		h.start(t)
		wantStatus(t, h.client.status(t), types.TaskStatusFinished, "", "")
		h.client.mu.Lock()
		defer h.client.mu.Unlock()
		last := fieldsOf(h.client.progress[len(h.client.progress)-1])
		if !strings.HasPrefix(last, "logUploadWarning=log upload to s3://bucket/logs: this task runner has no AWS configuration") {
			t.Errorf("last progress fields = %q", last)
		}
	})
}

func TestRunner_Run_Config(t *testing.T) {
	for _, tc := range []struct {
		name string
		cfg  Config
	}{
		{"ErrNoClient", Config{WorkerGroup: "wg", Executors: activity.NewRegistry()}},
		{"ErrNoWorkerGroup", Config{Client: newFakeClient(), Executors: activity.NewRegistry()}},
		{"ErrNoExecutors", Config{Client: newFakeClient(), WorkerGroup: "wg"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if err := New(tc.cfg).Run(context.Background()); err == nil {
				t.Fatal("Run accepted an incomplete config")
			}
		})
	}
}

func TestClean(t *testing.T) {
	if got := clean("a\x1b[31mb\tc\n", 100); got != "a?[31mb\tc\n" {
		t.Errorf("clean = %q", got)
	}
	if got := clean("ééé", 2); got != "éé" {
		t.Errorf("clean = %q", got)
	}
}

func TestSafeName(t *testing.T) {
	for in, want := range map[string]string{"@A_2024-01-01T00:00:00_Attempt=1": "@A_2024-01-01T00:00:00_Attempt=1",
		"../x": ".._x", "..": "_..", "": "_"} {
		if got := safeName(in); got != want {
			t.Errorf("safeName(%q) = %q; want %q", in, got, want)
		}
	}
}
