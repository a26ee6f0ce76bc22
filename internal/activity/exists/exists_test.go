package exists_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/datapipe/datapipe/internal/activity"
	"github.com/datapipe/datapipe/internal/activity/data"
	"github.com/datapipe/datapipe/internal/activity/exists"
	"github.com/datapipe/datapipe/internal/pipeline"
)

const attemptID = "@Check_2024-01-01T00:00:00_Attempt=1"

func newTask(t *testing.T, attempt []pipeline.Field, nodes ...pipeline.Object) *activity.Task {
	t.Helper()
	objs := map[string]pipeline.Object{attemptID: {ID: attemptID, Fields: append([]pipeline.Field{pipeline.String("type", "Exists")}, attempt...)}}
	for _, n := range nodes {
		objs[n.ID] = n
	}
	tk, err := activity.NewTask("task", "df", attemptID, objs)
	if err != nil {
		t.Fatal(err)
	}
	return tk
}

func node(id, typ, key, value string) pipeline.Object {
	return pipeline.Object{ID: id, Fields: []pipeline.Field{pipeline.String("type", typ), pipeline.String(key, value)}}
}

func TestExecutor_Execute(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "data.csv")
	if err := os.WriteFile(file, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	empty, full := filepath.Join(dir, "empty"), filepath.Join(dir, "full")
	for _, d := range []string{empty, full} {
		if err := os.Mkdir(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(full, "part-0"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	nodeRef := []pipeline.Field{pipeline.Reference("node", "N")}
	for _, tc := range []struct {
		name    string
		attempt []pipeline.Field
		nodes   []pipeline.Object
		want    activity.Outcome
		wantID  string
	}{
		{"OKFile", nodeRef, []pipeline.Object{node("N", "S3DataNode", "filePath", "file://"+file)}, activity.Finished, ""},
		{"OKFileMissing", nodeRef, []pipeline.Object{node("N", "S3DataNode", "filePath", file+".missing")}, activity.False, ""},
		{"OKDirectory", nodeRef, []pipeline.Object{node("N", "S3DataNode", "directoryPath", "file://"+full)}, activity.Finished, ""},
		{"OKDirectoryEmpty", nodeRef, []pipeline.Object{node("N", "S3DataNode", "directoryPath", empty)}, activity.False, ""},
		{"OKDirectoryIsFile", nodeRef, []pipeline.Object{node("N", "S3DataNode", "directoryPath", file)}, activity.False, ""},
		{"OKSingleNodeWithoutRef", nil, []pipeline.Object{node("Other", "S3DataNode", "filePath", file)}, activity.Finished, ""},
		{"OKNodeNotIncluded", []pipeline.Field{pipeline.Reference("node", "@N_2024")}, []pipeline.Object{node("N", "S3DataNode", "filePath", file)}, activity.Finished, ""},
		{"ErrS3WithoutAWS", nodeRef, []pipeline.Object{node("N", "S3DataNode", "filePath", "s3://b/k")}, 0, activity.IDNotSupported},
		{"ErrUnknownNodeType", nodeRef, []pipeline.Object{node("N", "HttpDataNode", "url", "t")}, 0, activity.IDNotSupported},
		{"ErrNoPath", nodeRef, []pipeline.Object{node("N", "S3DataNode", "compression", "none")}, 0, data.IDInvalidNode},
		{"ErrNoNode", nil, nil, 0, activity.IDInvalidTask},
		{"ErrTwoNodes", nil, []pipeline.Object{node("A", "S3DataNode", "filePath", file), node("B", "S3DataNode", "filePath", file)}, 0, activity.IDInvalidTask},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := exists.New(nil).Execute(context.Background(), newTask(t, tc.attempt, tc.nodes...), &activity.Env{})
			if tc.wantID != "" {
				if e := activity.AsError(err); e == nil || e.ID != tc.wantID {
					t.Fatalf("err = %v; want id %s", err, tc.wantID)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Fatalf("Execute = %v, %v; want %v", got, err, tc.want)
			}
		})
	}
}
