package copyact_test

import (
	"bytes"
	"compress/gzip"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/datapipe/datapipe/internal/activity"
	"github.com/datapipe/datapipe/internal/activity/copyact"
	"github.com/datapipe/datapipe/internal/activity/data"
	dt "github.com/datapipe/datapipe/internal/activity/data/datatest"
	"github.com/datapipe/datapipe/internal/awsclient"
	"github.com/datapipe/datapipe/internal/pipeline"
)

// copyTask is a CopyActivity task from in to out.
func copyTask(t *testing.T, in, out pipeline.Object, more ...pipeline.Object) *activity.Task {
	fields := []pipeline.Field{dt.Str("type", "CopyActivity"), dt.Ref("input", in.ID), dt.Ref("output", out.ID)}
	return dt.Task(t, fields, append([]pipeline.Object{in, out}, more...)...)
}

// run executes a task with the test opener.
func run(t *testing.T, tk *activity.Task) (string, error) {
	t.Helper()
	env, log := dt.NewEnv()
	out, err := copyact.New(dt.Opener(t)).Execute(dt.Context(), tk, env)
	if err == nil && out != activity.Finished {
		t.Fatalf("outcome %v", out)
	}
	return log.String(), err
}

func s3Node(id, field, uri string, more ...pipeline.Field) pipeline.Object {
	return dt.Obj(id, "S3DataNode", append([]pipeline.Field{dt.Str(field, uri)}, more...)...)
}

func writeFile(t *testing.T, path, body string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// gz compresses s.
func gz(s string) string {
	var b bytes.Buffer
	w := gzip.NewWriter(&b)
	_, _ = w.Write([]byte(s))
	_ = w.Close()
	return b.String()
}

func TestExecutor_Execute_Files(t *testing.T) {
	c := dt.S3(t)
	bucket := dt.Bucket(t, c)
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "in", "a.csv"), "1,one\n2,two\n")
	writeFile(t, filepath.Join(dir, "in", "sub", "b.csv"), "3,three")
	tsv := dt.Obj("Tsv", "TSV", dt.Str("column", "id INT"), dt.Str("column", "name STRING"))
	csv := dt.Obj("Csv", "CSV", dt.Str("column", "id INT"), dt.Str("column", "name STRING"))
	t.Run("OKLocalDirToS3Dir", func(t *testing.T) {
		in := s3Node("In", "directoryPath", "file://"+filepath.Join(dir, "in"))
		out := s3Node("Out", "directoryPath", "s3://"+bucket+"/up")
		if _, err := run(t, copyTask(t, in, out)); err != nil {
			t.Fatal(err)
		}
		if got, _ := dt.Get(t, c, bucket, "up/sub/b.csv"); got != "3,three" {
			t.Errorf("up/sub/b.csv = %q", got)
		}
	})
	t.Run("OKS3DirToS3DirServerSide", func(t *testing.T) {
		in := s3Node("In", "directoryPath", "s3://"+bucket+"/up")
		out := s3Node("Out", "directoryPath", "s3://"+bucket+"/copy/")
		if _, err := run(t, copyTask(t, in, out)); err != nil {
			t.Fatal(err)
		}
		if got := dt.Keys(t, c, bucket, "copy/"); !slices.Equal(got, []string{"copy/a.csv", "copy/sub/b.csv"}) {
			t.Errorf("keys %v", got)
		}
	})
	t.Run("OKS3DirToOneFileConcatenates", func(t *testing.T) {
		in := s3Node("In", "directoryPath", "s3://"+bucket+"/up")
		out := s3Node("Out", "filePath", "s3://"+bucket+"/all.csv.gz", dt.Str("compression", "gzip"))
		if _, err := run(t, copyTask(t, in, out)); err != nil {
			t.Fatal(err)
		}
		got, _ := dt.Get(t, c, bucket, "all.csv.gz")
		if !strings.HasPrefix(got, "\x1f\x8b") {
			t.Errorf("all.csv.gz = %q", got)
		}
		back := s3Node("Back", "filePath", "file://"+filepath.Join(dir, "all.csv"))
		in2 := s3Node("In2", "filePath", "s3://"+bucket+"/all.csv.gz", dt.Str("compression", "gzip"))
		if _, err := run(t, copyTask(t, in2, back)); err != nil {
			t.Fatal(err)
		}
		if got := readFile(t, filepath.Join(dir, "all.csv")); got != "1,one\n2,two\n3,three" {
			t.Errorf("all.csv = %q", got)
		}
	})
	t.Run("OKCSVToTSVByRecord", func(t *testing.T) {
		in := s3Node("In", "directoryPath", "s3://"+bucket+"/up", dt.Ref("dataFormat", "Csv"))
		out := s3Node("Out", "filePath", "file://"+filepath.Join(dir, "out.tsv"), dt.Ref("dataFormat", "Tsv"))
		if _, err := run(t, copyTask(t, in, out, csv, tsv)); err != nil {
			t.Fatal(err)
		}
		if got := readFile(t, filepath.Join(dir, "out.tsv")); got != "1\tone\n2\ttwo\n3\tthree\n" {
			t.Errorf("out.tsv = %q", got)
		}
	})
	t.Run("ErrMalformedRowKeepsTarget", func(t *testing.T) {
		dt.Put(t, c, bucket, "bad/x.csv", "1,one\nnot-a-number,two\n")
		writeFile(t, filepath.Join(dir, "keep.tsv"), "old\n")
		in := s3Node("In", "directoryPath", "s3://"+bucket+"/bad", dt.Ref("dataFormat", "Csv"))
		out := s3Node("Out", "filePath", filepath.Join(dir, "keep.tsv"), dt.Ref("dataFormat", "Tsv"))
		_, err := run(t, copyTask(t, in, out, csv, tsv))
		dt.WantID(t, err, data.IDMalformed)
		if !strings.Contains(err.Error(), "S3DataNode In s3://"+bucket+"/bad/x.csv row 2 column id") {
			t.Errorf("err = %v; want the node, file, row and column", err)
		}
		if got := readFile(t, filepath.Join(dir, "keep.tsv")); got != "old\n" {
			t.Errorf("target = %q; want it untouched", got)
		}
	})
	t.Run("ErrMissingBucket", func(t *testing.T) {
		in := s3Node("In", "filePath", "s3://dp-no-such-bucket-x/k.csv")
		out := s3Node("Out", "filePath", filepath.Join(dir, "never.csv"))
		_, err := run(t, copyTask(t, in, out))
		dt.WantID(t, err, data.IDNotFound)
		if !strings.Contains(err.Error(), "S3DataNode In") || !strings.Contains(err.Error(), "dp-no-such-bucket-x") {
			t.Errorf("err = %v; want the node and bucket", err)
		}
	})
	t.Run("ErrWrongCredentials", func(t *testing.T) {
		aws := dt.AWS(t)
		aws.SecretAccessKey = "wrong"
		open := data.New(data.Config{AWS: awsclient.New(awsclient.Config{AWS: aws})})
		in := s3Node("In", "directoryPath", "s3://"+bucket+"/up")
		out := s3Node("Out", "filePath", filepath.Join(dir, "never.csv"))
		env, _ := dt.NewEnv()
		_, err := copyact.New(open).Execute(dt.Context(), copyTask(t, in, out), env)
		dt.WantID(t, err, data.IDAccessDenied)
		if !strings.Contains(err.Error(), "S3DataNode In") {
			t.Errorf("err = %v; want the node", err)
		}
	})
	t.Run("ErrTwoInputs", func(t *testing.T) {
		in := s3Node("In", "filePath", "x")
		tk := dt.Task(t, []pipeline.Field{dt.Str("type", "CopyActivity"), dt.Ref("input", "In"), dt.Ref("input", "In"), dt.Ref("output", "In")}, in)
		_, err := run(t, tk)
		dt.WantID(t, err, activity.IDInvalidTask)
	})
}
