package control_test

import (
	"context"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/datapipe/datapipe/internal/control"
	"github.com/datapipe/datapipe/internal/definition"
	"github.com/datapipe/datapipe/internal/pipeline"
	"github.com/datapipe/datapipe/internal/store"
	"github.com/datapipe/datapipe/internal/store/sqlite"
)

// clock is a fake clock tests move by hand.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

var caller = control.Caller{AccountID: "111111111111", UserID: "alice"}

type fixture struct {
	svc   *control.Service
	store store.Store
	clock *clock
}

func newFixture(t *testing.T, cfg control.Config) *fixture {
	t.Helper()
	st, err := sqlite.Open(context.Background(), sqlite.Config{Path: filepath.Join(t.TempDir(), "c.db")})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	clk := &clock{now: time.Date(2024, 3, 1, 12, 0, 0, 0, time.UTC)}
	cfg.Store, cfg.Now = st, clk.Now
	return &fixture{svc: control.New(cfg), store: st, clock: clk}
}

func code(err error) pipeline.Code { return pipeline.ErrorCode(err) }

func (f *fixture) create(t *testing.T, name string) string {
	t.Helper()
	id, err := f.svc.CreatePipeline(context.Background(), caller, control.CreatePipelineInput{Name: name, UniqueID: name})
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// hello is a valid definition with one activity in worker group wg.
func hello() definition.Definition {
	o := func(id string, kv ...string) pipeline.Object {
		ob := pipeline.Object{ID: id, Name: id}
		for i := 0; i < len(kv); i += 2 {
			if strings.HasPrefix(kv[i+1], "ref:") {
				ob.Fields = append(ob.Fields, pipeline.Reference(kv[i], strings.TrimPrefix(kv[i+1], "ref:")))
			} else {
				ob.Fields = append(ob.Fields, pipeline.String(kv[i], kv[i+1]))
			}
		}
		return ob
	}
	return definition.Definition{Objects: []pipeline.Object{
		o("Default", "scheduleType", "cron", "schedule", "ref:Daily", "workerGroup", "wg"),
		o("Daily", "type", "Schedule", "period", "1 day", "startDateTime", "2024-01-01T00:00:00"),
		o("Hello", "type", "ShellCommandActivity", "command", "echo #{format(@scheduledStartTime,'YYYY-MM-dd')}"),
	}}
}

func (f *fixture) activeHello(t *testing.T) string {
	t.Helper()
	ctx := context.Background()
	id := f.create(t, "hello")
	if res, err := f.svc.PutPipelineDefinition(ctx, caller, id, hello()); err != nil || res.Errored() {
		t.Fatalf("put: %v %+v", err, res)
	}
	if err := f.svc.ActivatePipeline(ctx, caller, id, nil, time.Time{}); err != nil {
		t.Fatal(err)
	}
	return id
}

// queue inserts an instance, an attempt and a task, as the scheduler does.
func (f *fixture) queue(t *testing.T, pipelineID, group string, start time.Time) store.Task {
	t.Helper()
	ctx := context.Background()
	inst := store.Object{PipelineID: pipelineID, ID: "@Hello_" + start.Format("2006-01-02T15:04:05"), Sphere: pipeline.SphereInstance,
		ComponentID: "Hello", Status: pipeline.StatusWaitingForRunner, ScheduledStart: start, ScheduledEnd: start.AddDate(0, 0, 1)}
	att := inst
	att.ID, att.Sphere, att.InstanceID = inst.ID+"_Attempt=1", pipeline.SphereAttempt, inst.ID
	if err := f.store.ObjectCreate(ctx, store.ObjectCreateParams{Objects: []store.Object{inst, att}}); err != nil {
		t.Fatal(err)
	}
	task, err := f.store.TaskCreate(ctx, store.TaskCreateParams{Task: store.Task{ID: store.NewTaskID(), AccountID: caller.AccountID,
		PipelineID: pipelineID, AttemptID: att.ID, WorkerGroup: group, AvailableAt: f.clock.Now(), CreatedAt: f.clock.Now()}})
	if err != nil {
		t.Fatal(err)
	}
	f.svc.NotifyTask(group)
	return task
}

func TestService_CreatePipeline(t *testing.T) {
	t.Run("ErrLimit", func(t *testing.T) {
		f := newFixture(t, control.Config{MaxPipelines: 2})
		f.create(t, "a")
		f.create(t, "b")
		_, err := f.svc.CreatePipeline(context.Background(), caller, control.CreatePipelineInput{Name: "c", UniqueID: "c"})
		if code(err) != pipeline.CodeInvalidRequest {
			t.Errorf("third pipeline: %v", err)
		}
		if id, err := f.svc.CreatePipeline(context.Background(), caller, control.CreatePipelineInput{Name: "a", UniqueID: "a"}); err != nil || id == "" {
			t.Errorf("an idempotent repeat at the limit must succeed: %v", err)
		}
	})
	t.Run("OKAccountsIsolated", func(t *testing.T) {
		f := newFixture(t, control.Config{})
		id := f.create(t, "mine")
		other := control.Caller{AccountID: "222222222222"}
		_, err := f.svc.DescribePipelines(context.Background(), other, []string{id})
		if code(err) != pipeline.CodePipelineNotFound {
			t.Errorf("another account sees the pipeline: %v", err)
		}
	})
}

func TestService_DescribePipelines(t *testing.T) {
	f := newFixture(t, control.Config{})
	ids := make([]string, 26)
	_, err := f.svc.DescribePipelines(context.Background(), caller, ids)
	if code(err) != pipeline.CodeInvalidRequest {
		t.Errorf("26 ids: %v", err)
	}
}

func TestService_ListPipelines(t *testing.T) {
	f := newFixture(t, control.Config{PageSize: 2})
	for _, n := range []string{"a", "b", "c", "d", "e"} {
		f.create(t, n)
		f.clock.Add(time.Second)
	}
	var names []string
	marker := ""
	for pages := 0; ; pages++ {
		got, page, err := f.svc.ListPipelines(context.Background(), caller, marker)
		if err != nil || pages > 5 {
			t.Fatalf("page %d: %v", pages, err)
		}
		for _, p := range got {
			names = append(names, p.Name)
		}
		if !page.HasMore {
			if page.Marker != "" {
				t.Error("last page has a marker")
			}
			break
		}
		marker = page.Marker
	}
	if strings.Join(names, "") != "abcde" {
		t.Errorf("names = %v", names)
	}
}

func TestService_PutPipelineDefinition(t *testing.T) {
	ctx := context.Background()
	t.Run("ErrEditAfterActivation", func(t *testing.T) {
		f := newFixture(t, control.Config{})
		id := f.activeHello(t)
		def := hello()
		def.Objects = def.Objects[:2] // removes Hello
		def.Objects[1].Fields[1].Value = "2 days"
		res, err := f.svc.PutPipelineDefinition(ctx, caller, id, def)
		if err != nil || !res.Errored() {
			t.Fatalf("put = %v, %+v", err, res)
		}
		text := strings.Join(flatten(res), "\n")
		for _, want := range []string{"Hello: INVALID_EDIT", "Daily: INVALID_EDIT: 'period'"} {
			if !strings.Contains(text, want) {
				t.Errorf("missing %q in\n%s", want, text)
			}
		}
	})
	t.Run("ErrFatal", func(t *testing.T) {
		f := newFixture(t, control.Config{})
		id := f.create(t, "p")
		def := hello()
		def.Objects[2].Fields[1].Value = ""
		_, err := f.svc.PutPipelineDefinition(ctx, caller, id, def)
		if code(err) != pipeline.CodeInvalidRequest || !strings.Contains(err.Error(), "FATAL") {
			t.Errorf("err = %v", err)
		}
		if got, _ := f.svc.GetPipelineDefinition(ctx, caller, id, "latest"); len(got.Objects) != 0 {
			t.Error("a fatal definition was saved")
		}
	})
	t.Run("ErrVersion", func(t *testing.T) {
		f := newFixture(t, control.Config{})
		_, err := f.svc.GetPipelineDefinition(ctx, caller, f.create(t, "p"), "newest")
		if code(err) != pipeline.CodeInvalidRequest {
			t.Errorf("err = %v", err)
		}
	})
}

func flatten(res *definition.Result) []string {
	var out []string
	for _, p := range res.Problems {
		out = append(out, p.Object+": "+p.Text())
	}
	return out
}

func TestService_ActivatePipeline(t *testing.T) {
	ctx := context.Background()
	t.Run("OKValuesStored", func(t *testing.T) {
		f := newFixture(t, control.Config{})
		id := f.activeHello(t)
		vals := []pipeline.ParameterValue{{ID: "myX", Value: "1"}}
		if err := f.svc.ActivatePipeline(ctx, caller, id, vals, time.Time{}); err != nil {
			t.Fatal(err)
		}
		active, _ := f.svc.GetPipelineDefinition(ctx, caller, id, "active")
		if len(active.Values) != 1 || active.Values[0].Value != "1" {
			t.Errorf("active values = %+v", active.Values)
		}
	})
	t.Run("ErrNoDefinition", func(t *testing.T) {
		f := newFixture(t, control.Config{})
		if err := f.svc.ActivatePipeline(ctx, caller, f.create(t, "p"), nil, time.Time{}); code(err) != pipeline.CodeInvalidRequest {
			t.Errorf("err = %v", err)
		}
	})
	t.Run("ErrDeleted", func(t *testing.T) {
		f := newFixture(t, control.Config{})
		id := f.create(t, "p")
		if err := f.svc.DeletePipeline(ctx, caller, id); err != nil {
			t.Fatal(err)
		}
		if err := f.svc.ActivatePipeline(ctx, caller, id, nil, time.Time{}); code(err) != pipeline.CodePipelineDeleted {
			t.Errorf("err = %v", err)
		}
	})
}

func TestService_QueryObjects(t *testing.T) {
	f := newFixture(t, control.Config{})
	id := f.activeHello(t)
	ctx := context.Background()
	for _, tt := range []struct {
		name      string
		sphere    string
		selectors []control.Selector
		limit     int
	}{
		{"ErrSphere", "THING", nil, 0},
		{"ErrOperator", "INSTANCE", []control.Selector{{FieldName: "@status", Operator: "LIKE", Values: []string{"x"}}}, 0},
		{"ErrValueCount", "INSTANCE", []control.Selector{{FieldName: "@scheduledStartTime", Operator: "BETWEEN", Values: []string{"x"}}}, 0},
		{"ErrLimit", "INSTANCE", nil, -1},
		{"ErrTooManySelectors", "INSTANCE", make([]control.Selector, 11), 0},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := f.svc.QueryObjects(ctx, caller, id, tt.sphere, tt.selectors, "", tt.limit)
			if code(err) != pipeline.CodeInvalidRequest {
				t.Errorf("err = %v", err)
			}
		})
	}
	t.Run("OKStatusCancelled", func(t *testing.T) {
		task := f.queue(t, id, "wg", time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC))
		inst := strings.TrimSuffix(task.AttemptID, "_Attempt=1")
		if err := f.svc.SetStatus(ctx, caller, id, []string{inst}, "try_cancel"); err != nil {
			t.Fatal(err)
		}
		ids, _, err := f.svc.QueryObjects(ctx, caller, id, "INSTANCE",
			[]control.Selector{{FieldName: "@status", Operator: "EQ", Values: []string{"cancelled"}}}, "", 0)
		if err != nil || len(ids) != 1 || ids[0] != inst {
			t.Errorf("ids = %v, %v", ids, err)
		}
		ids, _, _ = f.svc.QueryObjects(ctx, caller, id, "INSTANCE",
			[]control.Selector{{FieldName: "nosuchfield", Operator: "EQ", Values: []string{"x"}}}, "", 0)
		if len(ids) != 0 {
			t.Errorf("unknown field matched %v", ids)
		}
	})
}

func TestService_PollForTask(t *testing.T) {
	ctx := context.Background()
	t.Run("OKWakesAtOnce", func(t *testing.T) {
		f := newFixture(t, control.Config{PollWait: 10 * time.Second})
		id := f.activeHello(t)
		got := make(chan *control.TaskObject, 1)
		go func() {
			to, _ := f.svc.PollForTask(ctx, caller, "wg", "h")
			got <- to
		}()
		time.Sleep(50 * time.Millisecond) // let the poll go idle
		start := time.Now()
		f.queue(t, id, "wg", time.Date(2024, 1, 2, 0, 0, 0, 0, time.UTC))
		select {
		case to := <-got:
			if to == nil || time.Since(start) > 500*time.Millisecond {
				t.Fatalf("task %v after %v", to, time.Since(start))
			}
			att := to.Objects[to.AttemptID]
			if cmd, _ := att.StringValue("command"); cmd != "echo 2024-01-02" {
				t.Errorf("command = %q", cmd)
			}
		case <-time.After(5 * time.Second):
			t.Fatal("the idle poll was not woken")
		}
	})
	t.Run("ErrEmptyWorkerGroup", func(t *testing.T) {
		f := newFixture(t, control.Config{})
		if _, err := f.svc.PollForTask(ctx, caller, "", "h"); code(err) != pipeline.CodeInvalidRequest {
			t.Errorf("err = %v", err)
		}
	})
	t.Run("OKIdleTimesOut", func(t *testing.T) {
		f := newFixture(t, control.Config{PollWait: 30 * time.Millisecond})
		for name, poll := range map[string]func(context.Context, control.Caller, string, string) (*control.TaskObject, error){
			"PollForTask": f.svc.PollForTask, "PollForStartedTask": f.svc.PollForStartedTask,
		} {
			if to, err := poll(ctx, caller, "nothing", "h"); to != nil || err != nil {
				t.Errorf("%s = %v, %v", name, to, err)
			}
		}
	})
}

func TestService_PollForStartedTask(t *testing.T) {
	ctx := context.Background()
	t.Run("OK", func(t *testing.T) {
		f := newFixture(t, control.Config{AckTimeout: time.Minute, ProgressTimeout: time.Hour})
		id := f.activeHello(t)
		f.queue(t, id, "wg", time.Date(2024, 1, 2, 0, 0, 0, 0, time.UTC))
		to, err := f.svc.PollForStartedTask(ctx, caller, "wg", "h")
		if err != nil || to == nil {
			t.Fatal(to, err)
		}
		task, err := f.store.TaskGet(ctx, to.TaskID)
		if err != nil || !task.Acked || !task.LeaseExpiresAt.Equal(task.ClaimedAt.Add(time.Hour)) {
			t.Errorf("task = %+v, %v; want acknowledged, leased for ProgressTimeout", task, err)
		}
		if att := f.attempt(t, id, to.AttemptID); att.Status != pipeline.StatusWaitingForRunner {
			t.Errorf("stored attempt = %s; want WAITING_FOR_RUNNER until a report", att.Status)
		}
		f.clock.Add(2 * time.Minute) // past the acknowledgement window: the lease still holds
		loc := pipeline.String("logLocation", "/logs/a.log")
		in := control.SetTaskStatusInput{TaskID: to.TaskID, Status: pipeline.TaskFinished, Fields: []pipeline.Field{loc}}
		if err := f.svc.SetTaskStatus(ctx, caller, in); err != nil {
			t.Fatalf("set status: %v", err)
		}
		att := f.attempt(t, id, to.AttemptID)
		if att.Status != pipeline.StatusFinished || !att.ActualStart.Equal(task.ClaimedAt) {
			t.Errorf("attempt = %s started %v; want FINISHED, started at the claim %v", att.Status, att.ActualStart, task.ClaimedAt)
		}
		stored := &pipeline.Object{Fields: att.Fields}
		if h, _ := stored.StringValue("hostname"); h != "h" {
			t.Errorf("hostname = %q", h)
		}
		if l, _ := stored.StringValue("logLocation"); l != loc.Value {
			t.Errorf("logLocation = %q", l)
		}
	})
	t.Run("OKFirstReportStarts", func(t *testing.T) {
		f := newFixture(t, control.Config{})
		id := f.activeHello(t)
		f.queue(t, id, "wg", time.Date(2024, 1, 2, 0, 0, 0, 0, time.UTC))
		to, _ := f.svc.PollForStartedTask(ctx, caller, "wg", "h")
		if _, err := f.svc.ReportTaskProgress(ctx, caller, to.TaskID, nil); err != nil {
			t.Fatal(err)
		}
		if att := f.attempt(t, id, to.AttemptID); att.Status != pipeline.StatusRunning {
			t.Errorf("stored attempt = %s; want RUNNING", att.Status)
		}
	})
}

func TestService_SetTaskStatusAndPoll(t *testing.T) {
	ctx := context.Background()
	setup := func(t *testing.T) (*fixture, string, *control.TaskObject) {
		f := newFixture(t, control.Config{ProgressTimeout: time.Hour})
		id := f.activeHello(t)
		f.queue(t, id, "wg", time.Date(2024, 1, 2, 0, 0, 0, 0, time.UTC))
		f.queue(t, id, "wg", time.Date(2024, 1, 3, 0, 0, 0, 0, time.UTC))
		to, err := f.svc.PollForStartedTask(ctx, caller, "wg", "h")
		if err != nil || to == nil {
			t.Fatal(to, err)
		}
		return f, id, to
	}
	t.Run("OK", func(t *testing.T) {
		f, id, to := setup(t)
		next, err := f.svc.SetTaskStatusAndPoll(ctx, caller, control.SetTaskStatusInput{TaskID: to.TaskID, Status: pipeline.TaskFinished}, "wg", "h")
		if err != nil || next == nil || next.TaskID == to.TaskID {
			t.Fatalf("= %v, %v; want the other task", next, err)
		}
		if att := f.attempt(t, id, to.AttemptID); att.Status != pipeline.StatusFinished {
			t.Errorf("reported attempt = %s", att.Status)
		}
		task, err := f.store.TaskGet(ctx, next.TaskID)
		if err != nil || task.State != store.TaskLeased || !task.Acked || task.Owner != "h" {
			t.Errorf("next task = %+v, %v; want leased to h, acknowledged", task, err)
		}
		last, err := f.svc.SetTaskStatusAndPoll(ctx, caller, control.SetTaskStatusInput{TaskID: next.TaskID, Status: pipeline.TaskFinished}, "wg", "h")
		if err != nil || last != nil {
			t.Errorf("with none queued = %v, %v; want nil, nil", last, err)
		}
	})
	t.Run("OKAttemptChangedSinceClaim", func(t *testing.T) {
		f, id, to := setup(t)
		att := f.attempt(t, id, to.AttemptID)
		att.Fields = append(att.Fields, pipeline.String("note", "changed after the claim"))
		if _, err := f.store.ObjectUpdate(ctx, store.ObjectUpdateParams{Object: att}); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.SetTaskStatusAndPoll(ctx, caller, control.SetTaskStatusInput{TaskID: to.TaskID, Status: pipeline.TaskFinished}, "wg", "h"); err != nil {
			t.Fatal(err)
		}
		got := f.attempt(t, id, to.AttemptID)
		if note, _ := (&pipeline.Object{Fields: got.Fields}).StringValue("note"); got.Status != pipeline.StatusFinished || note == "" {
			t.Errorf("attempt %s, note %q; want FINISHED with the change kept", got.Status, note)
		}
	})
	t.Run("OKAttemptEndedSinceClaim", func(t *testing.T) {
		f, id, to := setup(t)
		att := f.attempt(t, id, to.AttemptID)
		att.Status = pipeline.StatusTimedOut
		if _, err := f.store.ObjectUpdate(ctx, store.ObjectUpdateParams{Object: att}); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.SetTaskStatusAndPoll(ctx, caller, control.SetTaskStatusInput{TaskID: to.TaskID, Status: pipeline.TaskFinished}, "wg", "h"); err != nil {
			t.Fatal(err)
		}
		if got := f.attempt(t, id, to.AttemptID); got.Status != pipeline.StatusTimedOut {
			t.Errorf("attempt %s; a late report must leave an ended attempt as it is", got.Status)
		}
	})
	t.Run("ErrTaskNotFound", func(t *testing.T) {
		f, _, to := setup(t)
		in := control.SetTaskStatusInput{TaskID: to.TaskID, Status: pipeline.TaskFinished}
		if err := f.svc.SetTaskStatus(ctx, caller, in); err != nil {
			t.Fatal(err)
		}
		next, err := f.svc.SetTaskStatusAndPoll(ctx, caller, in, "wg", "h")
		if code(err) != pipeline.CodeTaskNotFound || next != nil {
			t.Errorf("= %v, %v; want TaskNotFoundException", next, err)
		}
		if again, _ := f.svc.PollForStartedTask(ctx, caller, "wg", "h"); again == nil {
			t.Error("the failed report claimed the queued task")
		}
	})
	t.Run("ErrInvalidRequest", func(t *testing.T) {
		f, _, to := setup(t)
		_, err := f.svc.SetTaskStatusAndPoll(ctx, caller, control.SetTaskStatusInput{TaskID: to.TaskID, Status: pipeline.TaskFinished}, "", "h")
		if code(err) != pipeline.CodeInvalidRequest {
			t.Errorf("empty worker group: %v", err)
		}
	})
}

// attempt reads a stored attempt.
func (f *fixture) attempt(t *testing.T, pipelineID, id string) store.Object {
	t.Helper()
	objs, err := f.store.ObjectGet(context.Background(), store.ObjectGetParams{PipelineID: pipelineID, IDs: []string{id}})
	if err != nil || len(objs) != 1 {
		t.Fatalf("attempt %s: %v, %v", id, objs, err)
	}
	return objs[0]
}

func TestService_ReportTaskProgress(t *testing.T) {
	ctx := context.Background()
	t.Run("ErrLeaseLost", func(t *testing.T) {
		f := newFixture(t, control.Config{AckTimeout: time.Minute})
		id := f.activeHello(t)
		f.queue(t, id, "wg", time.Date(2024, 1, 3, 0, 0, 0, 0, time.UTC))
		to, err := f.svc.PollForTask(ctx, caller, "wg", "h")
		if err != nil || to == nil {
			t.Fatal(to, err)
		}
		f.clock.Add(2 * time.Minute) // the acknowledgement window passes
		if _, err := f.svc.ReportTaskProgress(ctx, caller, to.TaskID, nil); code(err) != pipeline.CodeTaskNotFound {
			t.Errorf("err = %v", err)
		}
	})
	t.Run("OKCanceled", func(t *testing.T) {
		f := newFixture(t, control.Config{})
		id := f.activeHello(t)
		f.queue(t, id, "wg", time.Date(2024, 1, 4, 0, 0, 0, 0, time.UTC))
		to, _ := f.svc.PollForTask(ctx, caller, "wg", "h")
		if err := f.svc.DeactivatePipeline(ctx, caller, id, true); err != nil {
			t.Fatal(err)
		}
		canceled, err := f.svc.ReportTaskProgress(ctx, caller, to.TaskID, nil)
		if err != nil || !canceled {
			t.Fatalf("= %v, %v", canceled, err)
		}
		err = f.svc.SetTaskStatus(ctx, caller, control.SetTaskStatusInput{TaskID: to.TaskID, Status: pipeline.TaskFinished})
		if code(err) != pipeline.CodeTaskNotFound {
			t.Errorf("status after cancel: %v", err)
		}
	})
	t.Run("ErrOtherAccount", func(t *testing.T) {
		f := newFixture(t, control.Config{})
		id := f.activeHello(t)
		f.queue(t, id, "wg", time.Date(2024, 1, 5, 0, 0, 0, 0, time.UTC))
		to, _ := f.svc.PollForTask(ctx, caller, "wg", "h")
		_, err := f.svc.ReportTaskProgress(ctx, control.Caller{AccountID: "999999999999"}, to.TaskID, nil)
		if code(err) != pipeline.CodeTaskNotFound {
			t.Errorf("err = %v", err)
		}
	})
}

func TestService_Queued(t *testing.T) {
	ctx := context.Background()
	// setup queues a task, tells the service about it, and returns its
	// pipeline and attempt as stored.
	setup := func(t *testing.T) (*fixture, string, store.Object) {
		f := newFixture(t, control.Config{})
		id := f.activeHello(t)
		task := f.queue(t, id, "wg", time.Date(2024, 1, 2, 0, 0, 0, 0, time.UTC))
		att := f.attempt(t, id, task.AttemptID)
		task.Attempt = &att
		f.svc.Queued([]store.Task{task})
		return f, id, att
	}
	finish := func(t *testing.T, f *fixture) {
		to, err := f.svc.PollForTask(ctx, caller, "wg", "h")
		if err != nil || to == nil {
			t.Fatalf("poll = %v, %v", to, err)
		}
		if err := f.svc.SetTaskStatus(ctx, caller, control.SetTaskStatusInput{TaskID: to.TaskID, Status: pipeline.TaskFinished}); err != nil {
			t.Fatal(err)
		}
	}
	t.Run("OK", func(t *testing.T) {
		f, id, att := setup(t)
		finish(t, f)
		if got := f.attempt(t, id, att.ID); got.Status != pipeline.StatusFinished {
			t.Errorf("attempt %s", got.Status)
		}
	})
	t.Run("OKStale", func(t *testing.T) {
		f, id, att := setup(t)
		att.Fields = append(att.Fields, pipeline.String("note", "changed after queueing"))
		if _, err := f.store.ObjectUpdate(ctx, store.ObjectUpdateParams{Object: att}); err != nil {
			t.Fatal(err)
		}
		finish(t, f)
		got := f.attempt(t, id, att.ID)
		if note, _ := (&pipeline.Object{Fields: got.Fields}).StringValue("note"); got.Status != pipeline.StatusFinished || note == "" {
			t.Errorf("attempt %s, note %q; want FINISHED with the later change kept", got.Status, note)
		}
	})
}
