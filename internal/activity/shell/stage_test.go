package shell_test

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/datapipe/datapipe/internal/activity"
	dt "github.com/datapipe/datapipe/internal/activity/data/datatest"
	"github.com/datapipe/datapipe/internal/activity/shell"
	"github.com/datapipe/datapipe/internal/pipeline"
)

func TestActivity_Execute_Staging(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "in1", "a.csv"), "1,2\n")
	writeFile(t, filepath.Join(dir, "in1", "sub", "b.csv"), "3,4\n")
	writeFile(t, filepath.Join(dir, "single.txt"), "solo\n")
	out := filepath.Join(dir, "out")
	writeFile(t, filepath.Join(out, "old.txt"), "old\n")
	nodes := []pipeline.Object{
		node("In1", "S3DataNode", str("directoryPath", "file://"+filepath.Join(dir, "in1"))),
		node("In2", "S3DataNode", str("filePath", filepath.Join(dir, "single.txt"))),
		node("Sql", "SqlDataNode", str("table", "t")),
		node("Out", "S3DataNode", str("directoryPath", "file://"+out)),
	}
	cmd := `cat "$INPUT1_STAGING_DIR/a.csv" "$INPUT1_STAGING_DIR/sub/b.csv" "$INPUT2_STAGING_DIR/single.txt" > "$OUTPUT1_STAGING_DIR/all.csv"; ` +
		`mkdir "$OUTPUT1_STAGING_DIR/d"; echo x > "$OUTPUT1_STAGING_DIR/d/x"; echo "[${INPUT3_STAGING_DIR-unset}]"`
	fields := []pipeline.Field{str("command", cmd), str("stage", "true"),
		ref("input", "In1"), ref("input", "In2"), ref("input", "Sql"), ref("output", "Out")}
	t.Run("OK", func(t *testing.T) {
		e, log, stdout, _ := env()
		if _, err := shell.NewActivity(cfg(t)).Execute(context.Background(), newTask(t, fields, nodes...), e); err != nil {
			t.Fatalf("%v\n%s", err, log)
		}
		if got := readFile(t, filepath.Join(out, "all.csv")); got != "1,2\n3,4\nsolo\n" {
			t.Errorf("all.csv = %q", got)
		}
		if got := readFile(t, filepath.Join(out, "d", "x")); got != "x\n" {
			t.Errorf("d/x = %q", got)
		}
		if got := readFile(t, filepath.Join(out, "old.txt")); got != "old\n" {
			t.Errorf("old.txt = %q", got)
		}
		if stdout.String() != "[unset]\n" || !strings.Contains(log.String(), "only S3DataNode nodes are staged") {
			t.Errorf("stdout %q log %q", stdout, log)
		}
	})
	t.Run("OKNotStagedWithoutStage", func(t *testing.T) {
		e, _, stdout, _ := env()
		tk := newTask(t, []pipeline.Field{str("command", `echo "[${INPUT1_STAGING_DIR-unset}]"`), ref("input", "In1")}, nodes...)
		if _, err := shell.NewActivity(cfg(t)).Execute(context.Background(), tk, e); err != nil || stdout.String() != "[unset]\n" {
			t.Fatalf("err %v stdout %q", err, stdout)
		}
	})
	t.Run("OKFailedCommandPublishesNothing", func(t *testing.T) {
		target := filepath.Join(t.TempDir(), "target")
		tk := newTask(t, []pipeline.Field{str("command", `echo x > "$OUTPUT1_STAGING_DIR/x"; exit 1`), str("stage", "true"), ref("output", "O")},
			node("O", "S3DataNode", str("directoryPath", target)))
		_, err := shell.NewActivity(cfg(t)).Execute(context.Background(), tk, &activity.Env{Log: &buffer{}})
		wantID(t, err, shell.IDCommandFailed)
		if _, err := os.Stat(filepath.Join(target, "x")); !os.IsNotExist(err) {
			t.Errorf("output published after a failure: %v", err)
		}
	})
	for _, tc := range []struct {
		name   string
		fields []pipeline.Field
		nodes  []pipeline.Object
		wantID string
	}{
		{"ErrMissingInput", []pipeline.Field{ref("input", "M")}, []pipeline.Object{node("M", "S3DataNode", str("filePath", filepath.Join(dir, "none")))}, shell.IDStagingFailed},
		{"ErrS3Input", []pipeline.Field{ref("input", "S")}, []pipeline.Object{node("S", "S3DataNode", str("directoryPath", "s3://b/p"))}, activity.IDNotSupported},
		{"ErrS3Output", []pipeline.Field{ref("output", "S")}, []pipeline.Object{node("S", "S3DataNode", str("directoryPath", "s3://b/p"))}, activity.IDNotSupported},
		{"ErrOutputFilePath", []pipeline.Field{ref("output", "F")}, []pipeline.Object{node("F", "S3DataNode", str("filePath", "/tmp/f"))}, shell.IDStagingFailed},
		{"ErrDanglingInput", []pipeline.Field{ref("input", "Gone")}, nil, activity.IDInvalidTask},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fields := append([]pipeline.Field{str("command", "echo ran"), str("stage", "true")}, tc.fields...)
			e, _, stdout, _ := env()
			_, err := shell.NewActivity(cfg(t)).Execute(context.Background(), newTask(t, fields, tc.nodes...), e)
			wantID(t, err, tc.wantID)
			if stdout.String() != "" {
				t.Errorf("the command ran: %q", stdout)
			}
		})
	}
}

func TestActivity_Execute_StagingS3(t *testing.T) {
	c := dt.S3(t)
	bucket := dt.Bucket(t, c)
	dt.Put(t, c, bucket, "in/a.csv", "1,2\n")
	dt.Put(t, c, bucket, "in/sub/b.csv", "3,4\n")
	dt.Put(t, c, bucket, "in/_SUCCESS", "")
	dt.Put(t, c, bucket, "one/single.txt", "solo\n")
	dt.Put(t, c, bucket, "out/old.txt", "old\n")
	nodes := []pipeline.Object{
		node("In1", "S3DataNode", str("directoryPath", "s3://"+bucket+"/in")),
		node("In2", "S3DataNode", str("filePath", "s3://"+bucket+"/one/single.txt")),
		node("Out", "S3DataNode", str("directoryPath", "s3://"+bucket+"/out/")),
		node("Gone", "S3DataNode", str("directoryPath", "s3://dp-no-such-bucket-s/out")),
	}
	conf := cfg(t)
	conf.Data = dt.Opener(t)
	cmd := `cat "$INPUT1_STAGING_DIR/a.csv" "$INPUT1_STAGING_DIR/sub/b.csv" "$INPUT2_STAGING_DIR/single.txt" > "$OUTPUT1_STAGING_DIR/all.csv"; ` +
		`mkdir "$OUTPUT1_STAGING_DIR/d"; echo x > "$OUTPUT1_STAGING_DIR/d/x"; ls "$INPUT1_STAGING_DIR"`
	t.Run("OK", func(t *testing.T) {
		fields := []pipeline.Field{str("command", cmd), str("stage", "true"), ref("input", "In1"), ref("input", "In2"), ref("output", "Out")}
		e, log, stdout, _ := env()
		if _, err := shell.NewActivity(conf).Execute(context.Background(), newTask(t, fields, nodes...), e); err != nil {
			t.Fatalf("%v\n%s", err, log)
		}
		if got, _ := dt.Get(t, c, bucket, "out/all.csv"); got != "1,2\n3,4\nsolo\n" {
			t.Errorf("all.csv = %q", got)
		}
		if got := dt.Keys(t, c, bucket, "out/"); !slices.Equal(got, []string{"out/all.csv", "out/d/x", "out/old.txt"}) {
			t.Errorf("keys %v", got)
		}
		if stdout.String() != "a.csv\nsub\n" {
			t.Errorf("input1 holds %q; want a.csv and sub (not _SUCCESS)", stdout)
		}
	})
	t.Run("ErrPublishToMissingBucket", func(t *testing.T) {
		fields := []pipeline.Field{str("command", `echo x > "$OUTPUT1_STAGING_DIR/x"`), str("stage", "true"), ref("output", "Gone")}
		e, _, _, _ := env()
		_, err := shell.NewActivity(conf).Execute(context.Background(), newTask(t, fields, nodes...), e)
		wantID(t, err, shell.IDStagingFailed)
		if !strings.Contains(err.Error(), "output1 (Gone)") || !strings.Contains(err.Error(), "dp-no-such-bucket-s") {
			t.Errorf("err = %v", err)
		}
	})
	t.Run("ErrMissingInputKey", func(t *testing.T) {
		miss := node("Miss", "S3DataNode", str("filePath", "s3://"+bucket+"/none.txt"))
		e, _, stdout, _ := env()
		_, err := shell.NewActivity(conf).Execute(context.Background(), newTask(t, []pipeline.Field{str("command", "echo ran"), str("stage", "true"), ref("input", "Miss")}, miss), e)
		wantID(t, err, shell.IDStagingFailed)
		if stdout.String() != "" || !strings.Contains(err.Error(), "none.txt") {
			t.Errorf("err = %v, stdout %q", err, stdout)
		}
	})
}
