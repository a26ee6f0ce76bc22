package control_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/datapipe/datapipe/internal/control"
	"github.com/datapipe/datapipe/internal/definition"
	"github.com/datapipe/datapipe/internal/pipeline"
	"github.com/datapipe/datapipe/internal/store"
)

// obj builds a definition object from key/value pairs ("ref:X" values
// are references).
func obj(id string, kv ...string) pipeline.Object {
	o := pipeline.Object{ID: id, Name: id}
	for i := 0; i < len(kv); i += 2 {
		if strings.HasPrefix(kv[i+1], "ref:") {
			o.Fields = append(o.Fields, pipeline.Reference(kv[i], strings.TrimPrefix(kv[i+1], "ref:")))
		} else {
			o.Fields = append(o.Fields, pipeline.String(kv[i], kv[i+1]))
		}
	}
	return o
}

var day0 = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)

// chainDef is A → B → D and A → C (dependsOn), daily, with the given
// failureAndRerunMode on Default, plus a precondition on A and an
// Ec2Resource Box that A runs on.
func chainDef(mode string) definition.Definition {
	return definition.Definition{Objects: []pipeline.Object{
		obj("Default", "scheduleType", "cron", "schedule", "ref:Daily", "workerGroup", "wg", "failureAndRerunMode", mode,
			"role", "r", "resourceRole", "rr"),
		obj("Daily", "type", "Schedule", "period", "1 day", "startDateTime", "2024-01-01T00:00:00"),
		obj("Box", "type", "Ec2Resource"),
		obj("Ready", "type", "ShellCommandPrecondition", "command", "true"),
		obj("A", "type", "ShellCommandActivity", "command", "x", "runsOn", "ref:Box", "precondition", "ref:Ready"),
		obj("B", "type", "ShellCommandActivity", "command", "x", "dependsOn", "ref:A"),
		obj("C", "type", "ShellCommandActivity", "command", "x", "dependsOn", "ref:A"),
		obj("D", "type", "ShellCommandActivity", "command", "x", "dependsOn", "ref:B"),
	}}
}

// activeDef creates and activates a pipeline with def.
func (f *fixture) activeDef(t *testing.T, name string, def definition.Definition) string {
	t.Helper()
	ctx := context.Background()
	id := f.create(t, name)
	if res, err := f.svc.PutPipelineDefinition(ctx, caller, id, def); err != nil || res.Errored() {
		t.Fatalf("put: %v %+v", err, res)
	}
	if err := f.svc.ActivatePipeline(ctx, caller, id, nil, time.Time{}); err != nil {
		t.Fatal(err)
	}
	return id
}

// instances creates instances of the first interval: component → status.
func (f *fixture) instances(t *testing.T, pipelineID string, statuses map[string]pipeline.Status) {
	t.Helper()
	var objs []store.Object
	for comp, st := range statuses {
		o := store.Object{PipelineID: pipelineID, ID: "@" + comp + "_2024-01-01T00:00:00", Sphere: pipeline.SphereInstance, ComponentID: comp,
			Status: st, ScheduledStart: day0, ScheduledEnd: day0.AddDate(0, 0, 1), ActualStart: day0, ActualEnd: day0.Add(time.Hour),
			Fields: []pipeline.Field{pipeline.String("@attemptCount", "3"), pipeline.String("errorMessage", "boom")}}
		if comp == "Ready_A" {
			o.ComponentID = "Ready"
		}
		objs = append(objs, o)
	}
	if err := f.store.ObjectCreate(context.Background(), store.ObjectCreateParams{Objects: objs}); err != nil {
		t.Fatal(err)
	}
}

func (f *fixture) statuses(t *testing.T, pipelineID string) map[string]pipeline.Status {
	t.Helper()
	objs, err := f.store.ObjectQuery(context.Background(), store.ObjectQueryParams{PipelineID: pipelineID, Sphere: pipeline.SphereInstance})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]pipeline.Status{}
	for _, o := range objs {
		out[strings.TrimSuffix(strings.TrimPrefix(o.ID, "@"), "_2024-01-01T00:00:00")] = o.Status
	}
	return out
}

func TestService_SetStatus(t *testing.T) {
	const (
		W  = pipeline.StatusWaitingOnDependencies
		F  = pipeline.StatusFinished
		X  = pipeline.StatusFailed
		CF = pipeline.StatusCascadeFailed
	)
	failedChain := map[string]pipeline.Status{"A": X, "B": CF, "C": F, "D": CF, "Box": F, "Ready_A": F}
	for _, tc := range []struct {
		name, mode, status string
		target             string
		before             map[string]pipeline.Status
		after              map[string]pipeline.Status
	}{
		{"OKRerunOnlyTarget", "none", "RERUN", "A", failedChain,
			map[string]pipeline.Status{"A": W, "B": CF, "C": F, "D": CF, "Box": W, "Ready_A": W}},
		{"OKRerunCascadeMode", "cascade", "rerun", "A", failedChain,
			map[string]pipeline.Status{"A": W, "B": W, "C": W, "D": W, "Box": W, "Ready_A": W}},
		{"OKRerunCascadeExtension", "none", "RERUN_CASCADE", "A", failedChain,
			map[string]pipeline.Status{"A": W, "B": W, "C": W, "D": W, "Box": W, "Ready_A": W}},
		{"OKRerunCascadeSkipsMarkFinished", "cascade", "RERUN", "A",
			map[string]pipeline.Status{"A": X, "B": pipeline.StatusMarkFinished, "C": pipeline.StatusCanceled, "D": CF},
			map[string]pipeline.Status{"A": W, "B": pipeline.StatusMarkFinished, "C": pipeline.StatusCanceled, "D": CF}},
		{"OKRerunResourceRerunsFailedDependents", "none", "RERUN", "Box",
			map[string]pipeline.Status{"A": pipeline.StatusCanceled, "Box": pipeline.StatusTimedOut, "B": CF},
			map[string]pipeline.Status{"A": W, "Box": W, "B": CF}},
		{"OKMarkFinished", "none", "MARK_FINISHED", "A", failedChain,
			map[string]pipeline.Status{"A": pipeline.StatusMarkFinished, "B": CF, "C": F, "D": CF, "Box": F, "Ready_A": F}},
		{"OKTryCancel", "none", "TRY_CANCEL", "B", map[string]pipeline.Status{"A": pipeline.StatusRunning, "B": W},
			map[string]pipeline.Status{"A": pipeline.StatusRunning, "B": pipeline.StatusCanceled}},
		{"OKTryCancelTerminal", "none", "TRY_CANCEL", "A", map[string]pipeline.Status{"A": F},
			map[string]pipeline.Status{"A": F}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t, control.Config{})
			id := f.activeDef(t, "chain", chainDef(tc.mode))
			f.instances(t, id, tc.before)
			if err := f.svc.SetStatus(context.Background(), caller, id, []string{"@" + tc.target + "_2024-01-01T00:00:00"}, tc.status); err != nil {
				t.Fatal(err)
			}
			got := f.statuses(t, id)
			for comp, want := range tc.after {
				if got[comp] != want {
					t.Errorf("%s is %s; want %s", comp, got[comp], want)
				}
			}
		})
	}
	t.Run("OKRerunClearsOutcome", func(t *testing.T) {
		f := newFixture(t, control.Config{})
		id := f.activeDef(t, "chain", chainDef("none"))
		f.instances(t, id, map[string]pipeline.Status{"A": X})
		a := "@A_2024-01-01T00:00:00"
		if err := f.svc.SetStatus(context.Background(), caller, id, []string{a}, "RERUN"); err != nil {
			t.Fatal(err)
		}
		objs, _ := f.store.ObjectGet(context.Background(), store.ObjectGetParams{PipelineID: id, IDs: []string{a}})
		o := objs[0]
		if !o.ActualStart.IsZero() || !o.ActualEnd.IsZero() || field(o, "errorMessage") != "" || field(o, "@attemptCount") != "3" {
			t.Errorf("rerun instance %+v", o)
		}
	})
	t.Run("OKHealth", func(t *testing.T) {
		f := newFixture(t, control.Config{})
		id := f.activeDef(t, "chain", chainDef("none"))
		f.instances(t, id, map[string]pipeline.Status{"A": X, "B": W})
		ctx := context.Background()
		for _, step := range []struct{ target, status, comp, want string }{
			{"@A_2024-01-01T00:00:00", "MARK_FINISHED", "A", "HEALTHY"},
			{"@B_2024-01-01T00:00:00", "TRY_CANCEL", "B", "ERROR"},
		} {
			if err := f.svc.SetStatus(ctx, caller, id, []string{step.target}, step.status); err != nil {
				t.Fatal(err)
			}
			rows, _ := f.store.ObjectGet(ctx, store.ObjectGetParams{PipelineID: id, IDs: []string{step.comp}})
			if len(rows) == 0 || field(rows[0], "@healthStatus") != step.want || field(rows[0], "@healthStatusFromInstanceId") != step.target {
				t.Errorf("%s after %s: %+v", step.comp, step.status, rows)
			}
		}
	})
	t.Run("ErrStatusForSphere", func(t *testing.T) {
		f := newFixture(t, control.Config{})
		id := f.activeDef(t, "chain", chainDef("none"))
		f.instances(t, id, map[string]pipeline.Status{"A": X})
		err := f.svc.SetStatus(context.Background(), caller, id, []string{"@A_2024-01-01T00:00:00"}, "PAUSE")
		if code(err) != pipeline.CodeInvalidRequest || !strings.Contains(err.Error(), "RERUN_CASCADE") {
			t.Errorf("err = %v", err)
		}
		if err := f.svc.SetStatus(context.Background(), caller, id, []string{"A"}, "RERUN"); code(err) != pipeline.CodeInvalidRequest {
			t.Errorf("RERUN on a component: err = %v", err)
		}
	})
}

func field(o store.Object, key string) string {
	for _, f := range o.Fields {
		if f.Key == key {
			return f.Value
		}
	}
	return ""
}

func TestService_DeactivatePipeline(t *testing.T) {
	f := newFixture(t, control.Config{})
	id := f.activeDef(t, "chain", chainDef("none"))
	f.instances(t, id, map[string]pipeline.Status{"A": pipeline.StatusRunning, "Box": pipeline.StatusRunning, "B": pipeline.StatusPaused,
		"C": pipeline.StatusFinished, "Ready_A": pipeline.StatusFinished})
	if err := f.svc.DeactivatePipeline(context.Background(), caller, id, true); err != nil {
		t.Fatal(err)
	}
	got := f.statuses(t, id)
	for comp, want := range map[string]pipeline.Status{"A": pipeline.StatusCanceled, "Box": pipeline.StatusCanceled,
		"B": pipeline.StatusCanceled, "C": pipeline.StatusFinished} {
		if got[comp] != want {
			t.Errorf("%s is %s; want %s", comp, got[comp], want)
		}
	}
}
