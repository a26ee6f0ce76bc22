package scheduler

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/datapipe/datapipe/internal/definition"
	"github.com/datapipe/datapipe/internal/pipeline"
	"github.com/datapipe/datapipe/internal/store"
)

// world is an in-memory pipeline that applies plans, for testing Plan
// without a store. Runners are simulated by setting attempt statuses.
type world struct {
	t     *testing.T
	all   map[string]store.Object
	snap  Snapshot
	tasks []store.Task
	acts  []Action
	sim   provSim // a simulated resource provider (transition_test.go)
}

func newWorld(t *testing.T, def string, now time.Time) *world {
	t.Helper()
	doc, err := definition.Load("t.json", []byte(def), definition.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	g, res := definition.Compile(&doc.Definition, definition.NewCatalog(), definition.Options{})
	if g == nil {
		t.Fatalf("compile: %+v", res.Errors())
	}
	p := store.Pipeline{ID: "df-TEST", AccountID: "1", State: pipeline.StateScheduled, ActiveVersion: 1, FirstActivatedAt: now, LastActivatedAt: now}
	return &world{t: t, all: map[string]store.Object{}, snap: Snapshot{Done: map[string]pipeline.Status{}, Now: now, Pipeline: p, Graph: g, Components: map[string]store.Object{},
		Instances: map[string]store.Object{}, Attempts: map[string]store.Object{}, Memo: &Memo{}}}
}

// step plans once and applies the changes; it returns them.
func (w *world) step() Changes {
	ch := Plan(w.snap)
	for _, o := range append(ch.Create, ch.Update...) {
		switch o.Sphere {
		case pipeline.SphereInstance:
			w.all[o.ID] = o
			if o.Status.Terminal() {
				delete(w.snap.Instances, o.ID)
				delete(w.snap.Attempts, headAttempt(o))
				w.snap.Done[o.ID] = o.Status
			} else {
				w.snap.Instances[o.ID] = o
			}
		case pipeline.SphereAttempt:
			w.snap.Attempts[o.ID] = o
		case pipeline.SphereComponent:
			w.snap.Components[o.ID] = o
		}
	}
	w.tasks = append(w.pending(), ch.Tasks...)
	w.acts = append(w.acts, ch.Actions...)
	if ch.Finished {
		w.snap.Pipeline.State = pipeline.StateFinished
	}
	return ch
}

// settle steps until a plan changes nothing.
func (w *world) settle() {
	for i := 0; ; i++ {
		if ch := w.step(); ch.Empty() || i > 100000 {
			return
		}
	}
}

// report makes every waiting attempt whose task is available report
// status, as runners would.
func (w *world) report(status pipeline.Status, only ...string) int {
	n := 0
	for _, task := range w.tasks {
		a := w.snap.Attempts[task.AttemptID]
		if len(only) > 0 && a.ComponentID != only[0] {
			continue
		}
		if a.Status == pipeline.StatusWaitingForRunner && !task.AvailableAt.After(w.snap.Now) {
			a.Status, a.ActualStart, a.ActualEnd = status, w.snap.Now, w.snap.Now
			w.snap.Attempts[a.ID] = a
			n++
		}
	}
	return n
}

func (w *world) status(id string) pipeline.Status { return w.all[id].Status }

// pending drops tasks whose attempt already reported.
func (w *world) pending() []store.Task {
	var out []store.Task
	for _, task := range w.tasks {
		if a, ok := w.snap.Attempts[task.AttemptID]; ok && !a.Status.Terminal() {
			out = append(out, task)
		}
	}
	return out
}

func (w *world) want(id string, st pipeline.Status) {
	w.t.Helper()
	if got := w.status(id); got != st {
		w.t.Errorf("%s is %s; want %s", id, got, st)
	}
}

func (w *world) count(comp string, st pipeline.Status) int {
	n := 0
	for _, o := range w.all {
		if o.ComponentID == comp && o.Status == st {
			n++
		}
	}
	return n
}

func at(s string) time.Time {
	t, _ := time.Parse("2006-01-02T15:04:05", s)
	return t
}

// def builds a definition: Default, a Schedule and the given objects.
func def(defaults, sched string, objs ...string) string {
	return fmt.Sprintf(`{"objects":[{"id":"Default","workerGroup":"wg","schedule":{"ref":"S"},%s},{"id":"S","type":"Schedule",%s}%s]}`,
		defaults, sched, ","+strings.Join(objs, ","))
}

const hourly3 = `"period":"1 hour","startDateTime":"2024-01-01T00:00:00","endDateTime":"2024-01-01T03:00:00"`

func TestPlan_Backfill(t *testing.T) {
	w := newWorld(t, def(`"scheduleType":"cron"`, hourly3, `{"id":"A","type":"ShellCommandActivity","command":"x"}`), at("2024-01-02T00:00:00"))
	w.settle()
	if n := len(w.all); n != 3 {
		t.Fatalf("%d instances; want 3 (backfill)", n)
	}
	w.want("@A_2024-01-01T00:00:00", pipeline.StatusWaitingForRunner)
	w.want("@A_2024-01-01T01:00:00", pipeline.StatusWaitingOnDependencies) // maxActiveInstances 1: chronological
	if len(w.tasks) != 1 || w.tasks[0].WorkerGroup != "wg" {
		t.Fatalf("tasks = %+v", w.tasks)
	}
	for range 3 {
		w.report(pipeline.StatusFinished)
		w.settle()
	}
	if w.count("A", pipeline.StatusFinished) != 3 {
		t.Errorf("finished %d", w.count("A", pipeline.StatusFinished))
	}
	if w.snap.Pipeline.State != pipeline.StateFinished {
		t.Error("the pipeline did not finish after its bounded schedule")
	}
}

func TestPlan_Timeseries(t *testing.T) {
	w := newWorld(t, def(`"scheduleType":"timeseries"`, hourly3, `{"id":"A","type":"ShellCommandActivity","command":"x"}`), at("2024-01-01T00:30:00"))
	w.settle()
	w.want("@A_2024-01-01T00:00:00", pipeline.StatusWaitingOnDependencies)
	w.snap.Now = at("2024-01-01T01:00:00")
	w.settle()
	w.want("@A_2024-01-01T00:00:00", pipeline.StatusWaitingForRunner)
}

func TestPlan_DependsOnChain(t *testing.T) {
	w := newWorld(t, def(`"scheduleType":"cron"`, hourly3,
		`{"id":"A","type":"ShellCommandActivity","command":"x"}`,
		`{"id":"B","type":"ShellCommandActivity","command":"x","dependsOn":{"ref":"A"}}`), at("2024-01-01T00:00:00"))
	w.settle()
	w.want("@B_2024-01-01T00:00:00", pipeline.StatusWaitingOnDependencies)
	if got := refValues(w.all["@B_2024-01-01T00:00:00"].Fields, "@waitingOn"); len(got) != 1 || got[0] != "@A_2024-01-01T00:00:00" {
		t.Errorf("@waitingOn = %v", got)
	}
	w.report(pipeline.StatusRunning)
	w.settle()
	w.want("@A_2024-01-01T00:00:00", pipeline.StatusRunning)
	a := w.snap.Attempts["@A_2024-01-01T00:00:00_Attempt=1"]
	a.Status = pipeline.StatusFinished
	w.snap.Attempts[a.ID] = a
	w.step() // one pass finishes A and dispatches B
	w.want("@A_2024-01-01T00:00:00", pipeline.StatusFinished)
	w.want("@B_2024-01-01T00:00:00", pipeline.StatusWaitingForRunner)
}

func TestPlan_RetryThenFail(t *testing.T) {
	w := newWorld(t, def(`"scheduleType":"cron","failureAndRerunMode":"cascade","maximumRetries":"1","retryDelay":"5 minutes","onFail":{"ref":"Alarm"}`, hourly3,
		`{"id":"A","type":"ShellCommandActivity","command":"x"}`,
		`{"id":"B","type":"ShellCommandActivity","command":"x","dependsOn":{"ref":"A"}}`,
		`{"id":"Alarm","type":"SnsAlarm","topicArn":"arn:t","subject":"s","message":"m","role":"r"}`), at("2024-01-01T00:00:00"))
	w.settle()
	w.report(pipeline.StatusFailed)
	w.settle()
	w.want("@A_2024-01-01T00:00:00", pipeline.StatusWaitingForRunner)
	retry := w.tasks[len(w.tasks)-1]
	if retry.AttemptID != "@A_2024-01-01T00:00:00_Attempt=2" || !retry.AvailableAt.Equal(at("2024-01-01T00:05:00")) {
		t.Fatalf("retry task = %+v", retry)
	}
	if w.report(pipeline.StatusFailed) != 0 {
		t.Fatal("the retry ran before its retryDelay")
	}
	w.snap.Now = at("2024-01-01T00:05:00")
	w.report(pipeline.StatusFailed)
	w.settle()
	w.want("@A_2024-01-01T00:00:00", pipeline.StatusFailed)
	w.want("@B_2024-01-01T00:00:00", pipeline.StatusCascadeFailed)
	if len(w.acts) == 0 || w.acts[0].ActionID != "Alarm" || w.acts[0].Event != "onFail" || w.acts[0].Node != "@A_2024-01-01T00:00:00" {
		t.Errorf("actions = %+v", w.acts)
	}
}

func TestPlan_OutputDataNode(t *testing.T) {
	w := newWorld(t, def(`"scheduleType":"cron"`, hourly3,
		`{"id":"In","type":"S3DataNode","directoryPath":"file:///in"}`,
		`{"id":"Out","type":"S3DataNode","directoryPath":"file:///out"}`,
		`{"id":"A","type":"ShellCommandActivity","command":"x","input":{"ref":"In"},"output":{"ref":"Out"}}`,
		`{"id":"B","type":"ShellCommandActivity","command":"x","input":{"ref":"Out"}}`), at("2024-01-01T00:00:00"))
	w.settle()
	w.want("@In_2024-01-01T00:00:00", pipeline.StatusFinished)
	w.want("@A_2024-01-01T00:00:00", pipeline.StatusWaitingForRunner)
	w.want("@Out_2024-01-01T00:00:00", pipeline.StatusWaitingOnDependencies)
	w.report(pipeline.StatusFinished)
	w.step()
	w.want("@Out_2024-01-01T00:00:00", pipeline.StatusFinished)
	w.want("@B_2024-01-01T00:00:00", pipeline.StatusWaitingForRunner)
}

func TestPlan_Rollup(t *testing.T) {
	w := newWorld(t, `{"objects":[{"id":"Default","workerGroup":"wg","scheduleType":"cron"},
		{"id":"H","type":"Schedule","period":"1 hour","startDateTime":"2024-01-01T00:00:00"},
		{"id":"D","type":"Schedule","period":"1 day","startDateTime":"2024-01-01T00:00:00"},
		{"id":"Hourly","type":"ShellCommandActivity","command":"x","schedule":{"ref":"H"},"maxActiveInstances":"5"},
		{"id":"Daily","type":"ShellCommandActivity","command":"x","schedule":{"ref":"D"},"dependsOn":{"ref":"Hourly"}}]}`, at("2024-01-01T23:00:00"))
	w.settle()
	waiting := refValues(w.all["@Daily_2024-01-01T00:00:00"].Fields, "@waitingOn")
	if len(waiting) != 24 {
		t.Fatalf("daily waits on %d hourly instances; want 24", len(waiting))
	}
	for w.report(pipeline.StatusFinished, "Hourly") > 0 {
		w.settle()
	}
	w.want("@Daily_2024-01-01T00:00:00", pipeline.StatusWaitingForRunner)
}

func TestPlan_MaxActiveInstances(t *testing.T) {
	w := newWorld(t, def(`"scheduleType":"cron"`, hourly3, `{"id":"A","type":"ShellCommandActivity","command":"x","maxActiveInstances":"2"}`), at("2024-01-02T00:00:00"))
	w.settle()
	if n := w.count("A", pipeline.StatusWaitingForRunner); n != 2 {
		t.Errorf("%d active; want 2", n)
	}
}

func TestPlan_OnDemand(t *testing.T) {
	w := newWorld(t, `{"objects":[{"id":"Default","workerGroup":"wg","scheduleType":"ondemand"},
		{"id":"A","type":"ShellCommandActivity","command":"x"}]}`, at("2024-05-01T10:00:00"))
	w.settle()
	w.want("@A_2024-05-01T10:00:00", pipeline.StatusWaitingForRunner)
	w.report(pipeline.StatusFinished)
	w.settle()
	if w.snap.Pipeline.State != pipeline.StateFinished {
		t.Error("the on-demand run did not finish")
	}
	w.snap.Pipeline.State = pipeline.StateScheduled // re-activation
	w.snap.Pipeline.LastActivatedAt = at("2024-05-02T10:00:00")
	w.snap.Now = at("2024-05-02T10:00:00")
	w.settle()
	w.want("@A_2024-05-02T10:00:00", pipeline.StatusWaitingForRunner)
}

func TestPlan_Paused(t *testing.T) {
	w := newWorld(t, def(`"scheduleType":"cron"`, hourly3, `{"id":"A","type":"ShellCommandActivity","command":"x"}`), at("2024-01-01T00:00:00"))
	w.snap.Components["A"] = store.Object{ID: "A", Sphere: pipeline.SphereComponent, Status: pipeline.StatusPaused}
	w.settle()
	if len(w.tasks) != 0 {
		t.Errorf("a paused component dispatched %d tasks", len(w.tasks))
	}
}

// TestPlan_YearOfHourly runs a year of hourly intervals on a fake clock.
func TestPlan_YearOfHourly(t *testing.T) {
	start := at("2023-01-01T00:00:00")
	w := newWorld(t, def(`"scheduleType":"cron"`, `"period":"1 hour","startDateTime":"2023-01-01T00:00:00","endDateTime":"2024-01-01T00:00:00"`,
		`{"id":"A","type":"ShellCommandActivity","command":"x"}`,
		`{"id":"B","type":"ShellCommandActivity","command":"x","dependsOn":{"ref":"A"}}`), start)
	t0 := time.Now()
	for now := start; now.Before(at("2024-01-01T01:00:00")); now = now.Add(24 * time.Hour) {
		w.snap.Now = now
		w.settle()
		for w.report(pipeline.StatusFinished) > 0 {
			w.settle()
		}
	}
	if a, b := w.count("A", pipeline.StatusFinished), w.count("B", pipeline.StatusFinished); a != 8760 || b != 8760 {
		t.Errorf("finished A=%d B=%d; want 8760 each", a, b)
	}
	t.Logf("a year of hourly A→B: %d instances in %v", len(w.all), time.Since(t0))
}

func TestPlan_Late(t *testing.T) {
	w := newWorld(t, def(`"scheduleType":"cron"`, hourly3,
		`{"id":"A","type":"ShellCommandActivity","command":"x","lateAfterTimeout":"30 minutes","onLateAction":[{"ref":"Alarm"},{"ref":"Stop"}]}`,
		`{"id":"Alarm","type":"SnsAlarm","topicArn":"arn:t","subject":"late #{node.name}","message":"m","role":"r"}`,
		`{"id":"Stop","type":"Terminate"}`), at("2024-01-01T00:00:00"))
	w.settle()
	w.want("@A_2024-01-01T00:00:00", pipeline.StatusWaitingForRunner)
	w.snap.Now = at("2024-01-01T00:31:00")
	ch := w.step()
	w.want("@A_2024-01-01T00:00:00", pipeline.StatusCanceled)
	if len(ch.Cancel) != 1 || ch.Cancel[0] != "@A_2024-01-01T00:00:00_Attempt=1" {
		t.Errorf("cancel = %v", ch.Cancel)
	}
	events := 0
	for _, a := range w.acts {
		if a.Event == "onLateAction" {
			events++
		}
	}
	if events != 2 {
		t.Errorf("late actions fired %d times; want 2 (once each)", events)
	}
	n := len(w.acts)
	w.snap.Now = at("2024-01-01T05:00:00")
	w.settle()
	for _, a := range w.acts[n:] {
		if a.Node == "@A_2024-01-01T00:00:00" {
			t.Errorf("late actions fired again: %+v", a)
		}
	}
}

// reportCheck makes the waiting checks (precondition attempts) report a
// result, as a runner's SetTaskStatus FINISHED or FALSE would.
func (w *world) reportCheck(result bool) int {
	n := 0
	for _, task := range w.tasks {
		a := w.snap.Attempts[task.AttemptID]
		if a.Status != pipeline.StatusWaitingForRunner || task.AvailableAt.After(w.snap.Now) || fieldRef(a.Fields, "node") == "" {
			continue
		}
		a.Status = pipeline.StatusFinished
		if !result {
			a.Fields = setFields(a.Fields, map[string]string{"preconditionResult": "false"})
		}
		w.snap.Attempts[a.ID] = a
		n++
	}
	return n
}

const guarded = `{"id":"In","type":"S3DataNode","directoryPath":"file:///in","precondition":{"ref":"Ready"}}`

func TestPlan_Precondition(t *testing.T) {
	ready := `{"id":"Ready","type":"ShellCommandPrecondition","command":"test -e /x","retryDelay":"5 minutes","preconditionTimeout":"1 hour"}`
	act := `{"id":"A","type":"ShellCommandActivity","command":"x","input":{"ref":"In"}}`
	t.Run("OKAfterFalse", func(t *testing.T) {
		w := newWorld(t, def(`"scheduleType":"cron"`, hourly3, guarded, ready, act), at("2024-01-01T00:00:00"))
		w.settle()
		check := "@Ready_In_2024-01-01T00:00:00"
		w.want(check, pipeline.StatusWaitingForRunner)
		w.want("@In_2024-01-01T00:00:00", pipeline.StatusWaitingOnDependencies)
		if w.reportCheck(false) != 1 {
			t.Fatal("no check task")
		}
		w.settle()
		if w.reportCheck(true) != 0 {
			t.Fatal("the re-check ran before retryDelay")
		}
		w.snap.Now = at("2024-01-01T00:05:00")
		w.reportCheck(true)
		w.settle()
		w.want(check, pipeline.StatusFinished)
		w.want("@In_2024-01-01T00:00:00", pipeline.StatusFinished)
		w.want("@A_2024-01-01T00:00:00", pipeline.StatusWaitingForRunner)
	})
	t.Run("ErrTimeout", func(t *testing.T) {
		w := newWorld(t, def(`"scheduleType":"cron"`, hourly3, guarded, ready, act), at("2024-01-01T00:00:00"))
		w.settle()
		for now := at("2024-01-01T00:00:00"); now.Before(at("2024-01-01T01:10:00")); now = now.Add(5 * time.Minute) {
			w.snap.Now = now
			w.reportCheck(false)
			w.settle()
		}
		w.want("@Ready_In_2024-01-01T00:00:00", pipeline.StatusFailed)
		w.want("@In_2024-01-01T00:00:00", pipeline.StatusCascadeFailed) // even without cascade mode
		w.want("@A_2024-01-01T00:00:00", pipeline.StatusWaitingOnDependencies)
	})
}

func TestPlan_Rerun(t *testing.T) {
	w := newWorld(t, def(`"scheduleType":"cron","maximumRetries":"0"`, hourly3, `{"id":"A","type":"ShellCommandActivity","command":"x"}`), at("2024-01-01T00:00:00"))
	w.settle()
	w.report(pipeline.StatusFailed)
	w.settle()
	id := "@A_2024-01-01T00:00:00"
	w.want(id, pipeline.StatusFailed)
	o := w.all[id] // SetStatus RERUN, as the control plane does it
	o.Status = pipeline.StatusWaitingOnDependencies
	delete(w.snap.Done, id)
	w.snap.Instances[id] = o
	w.settle()
	w.want(id, pipeline.StatusWaitingForRunner)
	if _, ok := w.snap.Attempts[id+"_Attempt=2"]; !ok {
		t.Fatal("the rerun did not create attempt 2")
	}
	w.report(pipeline.StatusFinished)
	w.settle()
	w.want(id, pipeline.StatusFinished)
}

func TestPlan_Health(t *testing.T) {
	w := newWorld(t, def(`"scheduleType":"cron","maximumRetries":"0"`, hourly3, `{"id":"A","type":"ShellCommandActivity","command":"x"}`), at("2024-01-01T00:00:00"))
	w.settle()
	w.report(pipeline.StatusFailed)
	w.settle()
	row := w.snap.Components["A"]
	if fieldValue(row.Fields, "@healthStatus") != "ERROR" || fieldRef(row.Fields, "@healthStatusFromInstanceId") != "@A_2024-01-01T00:00:00" {
		t.Errorf("health after a failure: %+v", row.Fields)
	}
	w.snap.Now = at("2024-01-01T01:00:00")
	w.settle()
	w.report(pipeline.StatusFinished)
	w.settle()
	if got := fieldValue(w.snap.Components["A"].Fields, "@healthStatus"); got != "HEALTHY" {
		t.Errorf("health after a success: %s", got)
	}
}

func TestPlan_StartTimestampSkips(t *testing.T) {
	w := newWorld(t, def(`"scheduleType":"cron"`, hourly3, `{"id":"A","type":"ShellCommandActivity","command":"x"}`), at("2024-01-02T00:00:00"))
	w.snap.Pipeline.ScheduleFrom = at("2024-01-01T02:00:00")
	w.settle()
	w.want("@A_2024-01-01T00:00:00", pipeline.StatusSkipped)
	w.want("@A_2024-01-01T01:00:00", pipeline.StatusSkipped)
	w.want("@A_2024-01-01T02:00:00", pipeline.StatusWaitingForRunner)
}

// A backfill range asked for at activation runs its intervals even
// before the startTimestamp; the others before it stay SKIPPED.
func TestPlan_BackfillRange(t *testing.T) {
	w := newWorld(t, def(`"scheduleType":"cron"`, hourly3, `{"id":"A","type":"ShellCommandActivity","command":"x"}`), at("2024-01-02T00:00:00"))
	w.snap.Pipeline.ScheduleFrom = at("2024-01-01T02:00:00")
	w.snap.Pipeline.BackfillFrom, w.snap.Pipeline.BackfillTo = at("2024-01-01T01:00:00"), at("2024-01-01T01:30:00")
	w.settle()
	w.want("@A_2024-01-01T00:00:00", pipeline.StatusSkipped)
	w.want("@A_2024-01-01T01:00:00", pipeline.StatusWaitingForRunner)
}

func TestPlan_MaxCreate(t *testing.T) {
	var objs []string
	for i := range 5 {
		objs = append(objs, fmt.Sprintf(`{"id":"A%d","type":"ShellCommandActivity","command":"x"}`, i))
	}
	w := newWorld(t, `{"objects":[{"id":"Default","workerGroup":"wg","scheduleType":"ondemand"},`+strings.Join(objs, ",")+`]}`,
		at("2024-05-01T10:00:00"))
	w.snap.MaxCreate = 2
	t.Run("OK", func(t *testing.T) {
		ch := w.step()
		if !ch.More || len(ch.Tasks) != 2 {
			t.Fatalf("first plan: More %v, %d tasks; want a capped plan that dispatched the 2 it created", ch.More, len(ch.Tasks))
		}
		w.settle()
		for i := range 5 {
			w.want(fmt.Sprintf("@A%d_2024-05-01T10:00:00", i), pipeline.StatusWaitingForRunner)
		}
		if n := len(w.pending()); n != 5 {
			t.Errorf("%d tasks queued, want one per instance (5)", n)
		}
	})
}

func TestPlan_ByComponent(t *testing.T) {
	w := newWorld(t, def(`"scheduleType":"cron","maxActiveInstances":"2"`, hourly3,
		`{"id":"A","type":"ShellCommandActivity","command":"x"}`,
		`{"id":"B","type":"ShellCommandActivity","command":"x","dependsOn":{"ref":"A"}}`,
		`{"id":"C","type":"ShellCommandActivity","command":"x"}`), at("2024-01-01T02:30:00"))
	w.settle()
	if w.report(pipeline.StatusFinished, "A") == 0 {
		t.Fatal("no attempt of A to report")
	}
	focused := w.snap
	focused.Focus = map[string]bool{"A": true, "B": true}
	focused.Memo = &Memo{}
	plain := Plan(focused)
	focused.Memo = &Memo{}
	focused.ByComponent = map[string]map[string]bool{}
	for id, o := range focused.Instances {
		if focused.ByComponent[o.ComponentID] == nil {
			focused.ByComponent[o.ComponentID] = map[string]bool{}
		}
		focused.ByComponent[o.ComponentID][id] = true
	}
	indexed := Plan(focused)
	if len(plain.Update) == 0 || !reflect.DeepEqual(plain, indexed) {
		t.Errorf("an indexed focused plan differs from the plain one:\nplain   %+v\nindexed %+v", plain, indexed)
	}
}
