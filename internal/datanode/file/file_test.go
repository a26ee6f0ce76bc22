package file_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/datapipe/datapipe/internal/datanode"
	"github.com/datapipe/datapipe/internal/datanode/datanodetest"
	"github.com/datapipe/datapipe/internal/datanode/file"
	"github.com/datapipe/datapipe/internal/pipeline"
)

func TestNode_Conformance(t *testing.T) {
	datanodetest.RunFiles(t, datanodetest.FilesHarness{
		Root:    func(t *testing.T) string { return "file://" + t.TempDir() },
		Missing: func(t *testing.T) string { return filepath.Join(t.TempDir(), "missing") },
		New: func(_ *testing.T, obj pipeline.Object, lookup datanode.Lookup) (datanode.Files, error) {
			return file.New(obj, lookup)
		},
	})
}

func TestNew(t *testing.T) {
	t.Run("ErrInvalid", func(t *testing.T) {
		tests := []struct {
			kv   []string
			want string
		}{
			{nil, "S3DataNode N: neither directoryPath nor filePath is set"},
			{[]string{"filePath", "s3://b/k"}, "S3DataNode N: filePath: s3://b/k: the s3:// scheme is not a local path"},
			{[]string{"filePath", "/x", "compression", "zip"}, `S3DataNode N: compression "zip" is not none or gzip`},
			{[]string{"filePath", "/x", "dataFormat", "Nope"}, `S3DataNode N: dataFormat refers to "Nope", which the task does not include`},
		}
		for _, tt := range tests {
			o, lookup := datanodetest.Node("N", tt.kv...)
			if _, err := file.New(o, lookup); err == nil || err.Error() != tt.want {
				t.Errorf("%v: got %v, want %q", tt.kv, err, tt.want)
			}
		}
	})
	t.Run("OKRelative", func(t *testing.T) {
		dir := t.TempDir()
		t.Chdir(dir)
		o, lookup := datanodetest.Node("N", "filePath", "file://data/x.csv")
		n, err := file.New(o, lookup)
		if err != nil || n.Path() != filepath.Join(dir, "data", "x.csv") {
			t.Errorf("got %v, %v", n, err)
		}
	})
}

func TestNode_List(t *testing.T) {
	t.Run("OKHidden", func(t *testing.T) {
		dir := t.TempDir()
		for _, name := range []string{"a.csv", "_SUCCESS", ".hidden", "_tmp/x.csv", "b/c.csv"} {
			p := filepath.Join(dir, name)
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(p, []byte("1\n"), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		o, lookup := datanodetest.Node("N", "directoryPath", dir)
		n, err := file.New(o, lookup)
		if err != nil {
			t.Fatal(err)
		}
		files, err := n.List(t.Context())
		if err != nil || len(files) != 2 || files[0].Name != "a.csv" || files[1].Name != "b/c.csv" {
			t.Errorf("List = %+v, %v", files, err)
		}
	})
}
