package datanodetest

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strings"
	"testing"

	"github.com/datapipe/datapipe/internal/datanode"
	"github.com/datapipe/datapipe/internal/datanode/format"
	"github.com/datapipe/datapipe/internal/pipeline"
)

// FilesHarness adapts one Files adapter to RunFiles.
type FilesHarness struct {
	// Root returns a fresh, empty location URI for one test, without a
	// trailing slash ("file:///tmp/x", "s3://bucket/prefix").
	Root func(t *testing.T) string
	// Missing returns a location URI whose container does not exist (a
	// missing directory, a missing bucket).
	Missing func(t *testing.T) string
	// New builds the adapter's node for obj.
	New func(t *testing.T, obj pipeline.Object, lookup datanode.Lookup) (datanode.Files, error)
	// BigSize is the size of the large-file test (bytes); 0 for 12 MB.
	BigSize int
}

// RunFiles runs the conformance suite for a Files adapter.
func RunFiles(t *testing.T, h FilesHarness) {
	tests := map[string]func(*testing.T, FilesHarness){
		"DirectoryRoundTrip":  testDirRoundTrip,
		"FileRoundTrip":       testFileRoundTrip,
		"Gzip":                testGzip,
		"AbortLeavesTarget":   testAbort,
		"UncommittedHidden":   testUncommittedHidden,
		"CommitReplaces":      testCommitReplaces,
		"ErrMissing":          testMissing,
		"ErrMalformedRow":     testMalformed,
		"ErrBothPaths":        testBothPaths,
		"BigFile":             testBig,
		"Manifest":            testManifest,
		"CopyFile":            testCopyFile,
		"ExistsEmptyDir":      testExistsEmpty,
		"ErrCreateOutsideDir": testCreateOutside,
	}
	for name, fn := range tests {
		t.Run(name, func(t *testing.T) { fn(t, h) })
	}
}

// Node builds a test S3DataNode object with extra fields, and a lookup
// that holds the CSV format "Fmt" with columns id INT, name.
func Node(id string, kv ...string) (pipeline.Object, datanode.Lookup) {
	o := pipeline.Object{ID: id, Name: id, Fields: []pipeline.Field{pipeline.String("type", "S3DataNode")}}
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i] == "dataFormat" {
			o.Fields = append(o.Fields, pipeline.Reference(kv[i], kv[i+1]))
			continue
		}
		o.Fields = append(o.Fields, pipeline.String(kv[i], kv[i+1]))
	}
	fmtObj := pipeline.Object{ID: "Fmt", Fields: []pipeline.Field{
		pipeline.String("type", "CSV"), pipeline.String("column", "id INT"), pipeline.String("column", "name"),
	}}
	return o, datanode.MapLookup(map[string]pipeline.Object{"Fmt": fmtObj})
}

// mustNode builds a node or fails.
func mustNode(t *testing.T, h FilesHarness, id string, kv ...string) datanode.Files {
	t.Helper()
	o, lookup := Node(id, kv...)
	n, err := h.New(t, o, lookup)
	if err != nil {
		t.Fatalf("New %s: %v", id, err)
	}
	return n
}

// Rows returns n test records of the "Fmt" format.
func Rows(start, n int) []format.Record {
	out := make([]format.Record, n)
	for i := range out {
		out[i] = format.Record{
			{Name: "id", Value: format.Num(fmt.Sprint(start + i))},
			{Name: "name", Value: format.Str(fmt.Sprintf("name, %d \"quoted\"", start+i))},
		}
	}
	return out
}

// WriteRecords writes recs to file name of n and commits.
func WriteRecords(t *testing.T, n datanode.Files, name string, recs []format.Record) datanode.File {
	t.Helper()
	ctx := context.Background()
	w, err := datanode.CreateRecords(ctx, n, name, nil)
	if err != nil {
		t.Fatalf("CreateRecords %s: %v", name, err)
	}
	for _, r := range recs {
		if err := w.Write(ctx, r); err != nil {
			t.Fatalf("Write: %v", err)
		}
	}
	if _, err := w.Commit(ctx); err != nil {
		t.Fatalf("Commit %s: %v", name, err)
	}
	return w.File()
}

// ReadRecords reads every record of n.
func ReadRecords(t *testing.T, n datanode.Files) []format.Record {
	t.Helper()
	r, err := datanode.OpenRecords(context.Background(), n, nil)
	if err != nil {
		t.Fatalf("OpenRecords: %v", err)
	}
	defer r.Close()
	var out []format.Record
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			return out
		}
		if err != nil {
			t.Fatalf("Read: %v", err)
		}
		out = append(out, rec)
	}
}

// WriteRaw writes bytes to file name of n and commits.
func WriteRaw(t *testing.T, n datanode.Files, name string, data []byte) datanode.File {
	t.Helper()
	ctx := context.Background()
	out, err := n.Create(ctx, name)
	if err != nil {
		t.Fatalf("Create %s: %v", name, err)
	}
	if _, err := out.Write(data); err != nil {
		t.Fatalf("Write %s: %v", name, err)
	}
	f, err := out.Commit(ctx)
	if err != nil {
		t.Fatalf("Commit %s: %v", name, err)
	}
	return f
}

// ReadRaw reads a listed file's stored bytes.
func ReadRaw(t *testing.T, n datanode.Files, f datanode.File) []byte {
	t.Helper()
	rc, err := n.Open(context.Background(), f)
	if err != nil {
		t.Fatalf("Open %s: %v", f.URL, err)
	}
	defer rc.Close()
	b, err := io.ReadAll(rc)
	if err != nil {
		t.Fatalf("read %s: %v", f.URL, err)
	}
	return b
}

// list lists n or fails.
func list(t *testing.T, n datanode.Files) []datanode.File {
	t.Helper()
	files, err := n.List(context.Background())
	if err != nil {
		t.Fatalf("List: %v", err)
	}
	return files
}

// names returns the names of files.
func names(files []datanode.File) []string {
	out := make([]string, len(files))
	for i, f := range files {
		out[i] = f.Name
	}
	return out
}

// sameRecords compares records by text.
func sameRecords(t *testing.T, got, want []format.Record) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %d records, want %d; first got %+v, want %+v", len(got), len(want), first(got), first(want))
	}
}

// first returns the first record or nil.
func first(r []format.Record) format.Record {
	if len(r) == 0 {
		return nil
	}
	return r[0]
}

// digest is a sha256 of data for comparisons of big files.
func digest(r io.Reader) ([32]byte, int64, error) {
	h := sha256.New()
	n, err := io.Copy(h, r)
	var sum [32]byte
	copy(sum[:], h.Sum(nil))
	return sum, n, err
}

// patterned returns size bytes of a repeating, non-trivial pattern.
func patterned(size int) []byte {
	var b bytes.Buffer
	for i := 0; b.Len() < size; i++ {
		fmt.Fprintf(&b, "%d,line %d %s\n", i, i, strings.Repeat("x", i%50))
	}
	return b.Bytes()[:size]
}
