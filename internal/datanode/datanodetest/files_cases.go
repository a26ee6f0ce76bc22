package datanodetest

import (
	"bytes"
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/datapipe/datapipe/internal/datanode"
	"github.com/datapipe/datapipe/internal/datanode/format"
)

func testDirRoundTrip(t *testing.T, h FilesHarness) {
	n := mustNode(t, h, "Out", "directoryPath", h.Root(t)+"/dir", "dataFormat", "Fmt")
	WriteRecords(t, n, "b.csv", Rows(10, 5))
	WriteRecords(t, n, "a.csv", Rows(0, 10))
	WriteRecords(t, n, "sub/c.csv", Rows(15, 3))
	files := list(t, n)
	if got := names(files); !reflect.DeepEqual(got, []string{"a.csv", "b.csv", "sub/c.csv"}) {
		t.Fatalf("List = %q", got)
	}
	if files[0].Size == 0 || !strings.HasSuffix(files[0].URL, "/dir/a.csv") {
		t.Errorf("file = %+v", files[0])
	}
	sameRecords(t, ReadRecords(t, n), Rows(0, 18))
	if ok, err := n.Exists(context.Background()); !ok || err != nil {
		t.Errorf("Exists = %v, %v", ok, err)
	}
}

func testFileRoundTrip(t *testing.T, h FilesHarness) {
	n := mustNode(t, h, "Out", "filePath", h.Root(t)+"/one/data.csv", "dataFormat", "Fmt")
	if ok, err := n.Exists(context.Background()); ok || err != nil {
		t.Errorf("Exists before = %v, %v", ok, err)
	}
	WriteRecords(t, n, "", Rows(0, 100))
	files := list(t, n)
	if len(files) != 1 || files[0].Name != "data.csv" {
		t.Fatalf("List = %+v", files)
	}
	sameRecords(t, ReadRecords(t, n), Rows(0, 100))
	if ok, err := n.Exists(context.Background()); !ok || err != nil {
		t.Errorf("Exists after = %v, %v", ok, err)
	}
}

func testGzip(t *testing.T, h FilesHarness) {
	n := mustNode(t, h, "Out", "directoryPath", h.Root(t), "dataFormat", "Fmt", "compression", "gzip")
	f := WriteRecords(t, n, "part.gz", Rows(0, 1000))
	raw := ReadRaw(t, n, list(t, n)[0])
	if len(raw) < 2 || raw[0] != 0x1f || raw[1] != 0x8b {
		t.Fatalf("stored bytes are not gzip: % x", raw[:min(len(raw), 4)])
	}
	if f.Size != int64(len(raw)) {
		t.Errorf("committed size %d, stored %d", f.Size, len(raw))
	}
	sameRecords(t, ReadRecords(t, n), Rows(0, 1000))
}

func testAbort(t *testing.T, h FilesHarness) {
	ctx := context.Background()
	n := mustNode(t, h, "Out", "filePath", h.Root(t)+"/x.csv")
	WriteRaw(t, n, "", []byte("old\n"))
	out, err := n.Create(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := out.Write(bytes.Repeat([]byte("new\n"), 1000)); err != nil {
		t.Fatal(err)
	}
	if err := out.Abort(ctx); err != nil {
		t.Fatalf("Abort: %v", err)
	}
	if err := out.Abort(ctx); err != nil {
		t.Fatalf("second Abort: %v", err)
	}
	files := list(t, n)
	if got := string(ReadRaw(t, n, files[0])); got != "old\n" {
		t.Errorf("after Abort the target holds %q", got[:min(len(got), 20)])
	}
	dir := mustNode(t, h, "Dir", "directoryPath", h.Root(t))
	if got := names(list(t, dir)); len(got) != 0 {
		t.Errorf("an aborted output left %q", got)
	}
}

func testUncommittedHidden(t *testing.T, h FilesHarness) {
	ctx := context.Background()
	n := mustNode(t, h, "Out", "directoryPath", h.Root(t))
	WriteRaw(t, n, "done.csv", []byte("1\n"))
	out, err := n.Create(ctx, "pending.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer out.Abort(ctx)
	if _, err := out.Write([]byte("2\n")); err != nil {
		t.Fatal(err)
	}
	if got := names(list(t, n)); !reflect.DeepEqual(got, []string{"done.csv"}) {
		t.Errorf("List while writing = %q", got)
	}
}

func testCommitReplaces(t *testing.T, h FilesHarness) {
	n := mustNode(t, h, "Out", "directoryPath", h.Root(t))
	WriteRaw(t, n, "f.csv", []byte("old old old\n"))
	WriteRaw(t, n, "f.csv", []byte("new\n"))
	files := list(t, n)
	if len(files) != 1 || string(ReadRaw(t, n, files[0])) != "new\n" {
		t.Errorf("after a second commit: %+v", files)
	}
}

func testMissing(t *testing.T, h FilesHarness) {
	ctx := context.Background()
	for _, field := range []string{"directoryPath", "filePath"} {
		n := mustNode(t, h, "In", field, h.Missing(t)+"/x")
		_, err := n.List(ctx)
		if !errors.Is(err, datanode.ErrNotFound) || !strings.HasPrefix(err.Error(), "S3DataNode In: ") {
			t.Errorf("%s: List error = %v", field, err)
		}
		if ok, err := n.Exists(ctx); ok || err != nil {
			t.Errorf("%s: Exists = %v, %v", field, ok, err)
		}
		_, err = datanode.OpenRecords(ctx, n, nil)
		if !errors.Is(err, datanode.ErrNotFound) {
			t.Errorf("%s: OpenRecords error = %v", field, err)
		}
	}
}

func testMalformed(t *testing.T, h FilesHarness) {
	n := mustNode(t, h, "In", "directoryPath", h.Root(t), "dataFormat", "Fmt")
	f := WriteRaw(t, n, "bad.csv", []byte("1,a\n2,b\nx,c\n"))
	r, err := datanode.OpenRecords(context.Background(), n, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	for err == nil {
		_, err = r.Read()
	}
	want := "S3DataNode In " + f.URL + " row 3 column id: \"x\" is not a number"
	if !errors.Is(err, format.ErrMalformed) || err.Error() != want {
		t.Errorf("got %v, want %q", err, want)
	}
}

func testBothPaths(t *testing.T, h FilesHarness) {
	o, lookup := Node("MyInput", "directoryPath", h.Root(t), "filePath", h.Root(t)+"/x")
	_, err := h.New(t, o, lookup)
	if !errors.Is(err, datanode.ErrInvalid) || err.Error() != "S3DataNode MyInput: directoryPath and filePath are both set" {
		t.Errorf("got %v", err)
	}
}

func testBig(t *testing.T, h FilesHarness) {
	size := h.BigSize
	if size == 0 {
		size = 12 << 20
	}
	data := patterned(size)
	ctx := context.Background()
	n := mustNode(t, h, "Out", "filePath", h.Root(t)+"/big.csv")
	out, err := n.Create(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	for chunk := range slicesChunk(data, 100_000) {
		if _, err := out.Write(chunk); err != nil {
			t.Fatal(err)
		}
	}
	f, err := out.Commit(ctx)
	if err != nil || f.Size != int64(size) {
		t.Fatalf("Commit = %+v, %v", f, err)
	}
	rc, err := n.Open(ctx, list(t, n)[0])
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	got, gotN, err := digest(rc)
	want, _, _ := digest(bytes.NewReader(data))
	if err != nil || got != want || gotN != int64(size) {
		t.Errorf("read back %d bytes (want %d), digest equal %v, err %v", gotN, size, got == want, err)
	}
}

// slicesChunk yields data in chunks of n bytes.
func slicesChunk(data []byte, n int) func(func([]byte) bool) {
	return func(yield func([]byte) bool) {
		for len(data) > 0 {
			k := min(n, len(data))
			if !yield(data[:k]) {
				return
			}
			data = data[k:]
		}
	}
}

func testManifest(t *testing.T, h FilesHarness) {
	ctx := context.Background()
	root := h.Root(t)
	out := mustNode(t, h, "Out", "directoryPath", root+"/data", "manifestFilePath", root+"/manifest.json", "dataFormat", "Fmt")
	a := WriteRecords(t, out, "a.csv", Rows(0, 2))
	WriteRecords(t, out, "b.csv", Rows(2, 2))
	c := WriteRecords(t, out, "c.csv", Rows(4, 2))
	if err := out.WriteManifest(ctx, []datanode.File{c, a}); err != nil {
		t.Fatalf("WriteManifest: %v", err)
	}
	in := mustNode(t, h, "In", "directoryPath", root+"/data", "manifestFilePath", root+"/manifest.json", "dataFormat", "Fmt")
	if got := names(list(t, in)); !reflect.DeepEqual(got, []string{"c.csv", "a.csv"}) {
		t.Errorf("List through the manifest = %q", got)
	}
	sameRecords(t, ReadRecords(t, in), append(Rows(4, 2), Rows(0, 2)...))
	noManifest := mustNode(t, h, "Plain", "directoryPath", root+"/data")
	if err := noManifest.WriteManifest(ctx, nil); !errors.Is(err, datanode.ErrInvalid) {
		t.Errorf("WriteManifest without manifestFilePath = %v", err)
	}
}

func testCopyFile(t *testing.T, h FilesHarness) {
	ctx := context.Background()
	root := h.Root(t)
	src := mustNode(t, h, "Src", "directoryPath", root+"/src", "dataFormat", "Fmt", "compression", "gzip")
	WriteRecords(t, src, "a.csv.gz", Rows(0, 50))
	same := mustNode(t, h, "Same", "directoryPath", root+"/same", "dataFormat", "Fmt", "compression", "gzip")
	plain := mustNode(t, h, "Plain", "directoryPath", root+"/plain", "dataFormat", "Fmt")
	f := list(t, src)[0]
	for _, dst := range []datanode.Files{same, plain} {
		if _, err := datanode.CopyFile(ctx, src, f, dst, "copy.csv"); err != nil {
			t.Fatalf("CopyFile to %s: %v", dst.Name(), err)
		}
		sameRecords(t, ReadRecords(t, dst), Rows(0, 50))
	}
}

func testExistsEmpty(t *testing.T, h FilesHarness) {
	ctx := context.Background()
	n := mustNode(t, h, "Dir", "directoryPath", h.Root(t)+"/empty")
	if ok, err := n.Exists(ctx); ok || err != nil {
		t.Errorf("Exists of an empty location = %v, %v", ok, err)
	}
}

func testCreateOutside(t *testing.T, h FilesHarness) {
	n := mustNode(t, h, "Dir", "directoryPath", h.Root(t)+"/d")
	for _, name := range []string{"", "../x", "/abs"} {
		if _, err := n.Create(context.Background(), name); !errors.Is(err, datanode.ErrInvalid) {
			t.Errorf("Create(%q) = %v", name, err)
		}
	}
}
