package activity_test

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/datapipe/datapipe/internal/activity"
	"github.com/datapipe/datapipe/internal/pipeline"
)

// executorFunc adapts a function to activity.Executor.
type executorFunc func(context.Context, *activity.Task, *activity.Env) (activity.Outcome, error)

func (f executorFunc) Execute(ctx context.Context, t *activity.Task, env *activity.Env) (activity.Outcome, error) {
	return f(ctx, t, env)
}

func task(t *testing.T, fields ...pipeline.Field) *activity.Task {
	t.Helper()
	objs := map[string]pipeline.Object{
		"@A_1": {ID: "@A_1", Fields: fields},
		"In":   {ID: "In", Fields: []pipeline.Field{pipeline.String("type", "S3DataNode")}},
	}
	tk, err := activity.NewTask("task-1", "df-1", "@A_1", objs)
	if err != nil {
		t.Fatal(err)
	}
	return tk
}

func wantID(t *testing.T, err error, id string) {
	t.Helper()
	if got := activity.AsError(err); got == nil || got.ID != id {
		t.Fatalf("error = %v (id %v); want id %s", err, got, id)
	}
}

func TestRegistry_Execute(t *testing.T) {
	reg := activity.NewRegistry()
	reg.Register("B", executorFunc(func(context.Context, *activity.Task, *activity.Env) (activity.Outcome, error) {
		return activity.False, nil
	}))
	reg.Register("A", executorFunc(func(context.Context, *activity.Task, *activity.Env) (activity.Outcome, error) {
		return activity.Finished, nil
	}))
	t.Run("OK", func(t *testing.T) {
		got, err := reg.Execute(context.Background(), task(t, pipeline.String("type", "A")), &activity.Env{})
		if err != nil || got != activity.Finished {
			t.Fatalf("Execute = %v, %v", got, err)
		}
	})
	t.Run("ErrUnknownType", func(t *testing.T) {
		_, err := reg.Execute(context.Background(), task(t, pipeline.String("type", "HiveActivity")), &activity.Env{})
		wantID(t, err, activity.IDNotImplemented)
		want := "activity type HiveActivity is not implemented by this task runner (supported: A, B)"
		if err.Error() != want {
			t.Errorf("message = %q; want %q", err, want)
		}
	})
	t.Run("ErrNoType", func(t *testing.T) {
		_, err := reg.Execute(context.Background(), task(t), &activity.Env{})
		wantID(t, err, activity.IDInvalidTask)
	})
}

func TestNewTask(t *testing.T) {
	objs := map[string]pipeline.Object{"@A_1": {ID: "@A_1"}}
	for _, tc := range []struct {
		name              string
		taskID, attemptID string
		objects           map[string]pipeline.Object
		wantErr           string
	}{
		{"OK", "t", "@A_1", objs, ""},
		{"ErrNoTaskID", "", "@A_1", objs, "no taskId"},
		{"ErrNoAttemptID", "t", "", objs, "no attemptId"},
		{"ErrAttemptMissing", "t", "@B_1", objs, "does not include its attempt @B_1"},
		{"ErrNilObjects", "t", "@A_1", nil, "does not include its attempt"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := activity.NewTask(tc.taskID, "df", tc.attemptID, tc.objects)
			if tc.wantErr == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			wantID(t, err, activity.IDInvalidTask)
			if !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("error %q lacks %q", err, tc.wantErr)
			}
		})
	}
}

func TestTask_Refs(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		tk := task(t, pipeline.Reference("input", "In"), pipeline.String("node", "In"))
		ins, err := tk.Refs("input")
		if err != nil || len(ins) != 1 || ins[0].ID != "In" {
			t.Fatalf("Refs = %v, %v", ins, err)
		}
		node, ok, err := tk.Ref("node")
		if err != nil || !ok || node.Type() != "S3DataNode" {
			t.Fatalf("Ref(node) = %v, %v, %v", node, ok, err)
		}
		if _, ok, err := tk.Ref("output"); ok || err != nil {
			t.Errorf("Ref(output) = %v, %v", ok, err)
		}
	})
	t.Run("ErrDangling", func(t *testing.T) {
		_, err := task(t, pipeline.Reference("input", "Gone")).Refs("input")
		wantID(t, err, activity.IDInvalidTask)
	})
}

func TestTask_Bool(t *testing.T) {
	for _, tc := range []struct {
		value   string
		want    bool
		wantErr bool
	}{{"true", true, false}, {"TRUE", true, false}, {"false", false, false}, {"yes", false, true}} {
		got, err := task(t, pipeline.String("stage", tc.value)).Bool("stage")
		if got != tc.want || (err != nil) != tc.wantErr {
			t.Errorf("Bool(%q) = %v, %v", tc.value, got, err)
		}
	}
	if got, err := task(t).Bool("stage"); got || err != nil {
		t.Errorf("Bool(absent) = %v, %v", got, err)
	}
}

func TestTask_Fields(t *testing.T) {
	tk := task(t, pipeline.String("scriptArgument", "a"), pipeline.Reference("scriptArgument", "In"), pipeline.String("scriptArgument", "b"),
		pipeline.Reference("@componentParent", "A"), pipeline.Reference("@instanceParent", "@A"))
	if got := strings.Join(tk.Fields("scriptArgument"), ","); got != "a,b" {
		t.Errorf("Fields = %q", got)
	}
	if tk.ComponentID() != "A" || tk.InstanceID() != "@A" {
		t.Errorf("component %q instance %q", tk.ComponentID(), tk.InstanceID())
	}
}

func TestLocalPath(t *testing.T) {
	abs, _ := filepath.Abs("rel/x")
	for _, tc := range []struct {
		uri, want, wantID string
	}{
		{"file:///tmp/x", "/tmp/x", ""},
		{"/tmp/x/", "/tmp/x", ""},
		{"file://rel/x", abs, ""},
		{"s3://bucket/key", "", activity.IDNotSupported},
		{"hdfs://nn/x", "", activity.IDNotSupported},
		{"file://", "", activity.IDInvalidTask},
	} {
		got, err := activity.LocalPath("filePath", tc.uri)
		if tc.wantID != "" {
			wantID(t, err, tc.wantID)
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("LocalPath(%q) = %q, %v; want %q", tc.uri, got, err, tc.want)
		}
	}
}

func TestAsError(t *testing.T) {
	inner := activity.Errorf("Custom", "inner")
	got := activity.AsError(fmt.Errorf("stage input1: %w", inner))
	if got.ID != "Custom" || got.Message != "stage input1: inner" {
		t.Errorf("AsError(wrapped) = %+v", got)
	}
	if got := activity.AsError(errors.New("plain")); got.ID != activity.IDRunnerError || got.Message != "plain" {
		t.Errorf("AsError(plain) = %+v", got)
	}
	if activity.AsError(nil) != nil {
		t.Error("AsError(nil) != nil")
	}
}

func TestEnv_Printf(t *testing.T) {
	var b strings.Builder
	env := &activity.Env{Log: activity.SyncWriter(&b)}
	env.Printf("hello %d", 1)
	env.Report(pipeline.String("k", "v")) // no Progress: ignored
	if b.String() != "datapipe: hello 1\n" {
		t.Errorf("log = %q", b.String())
	}
	var nilEnv *activity.Env
	nilEnv.Printf("ignored")
}
