package datanodetest

import (
	"context"
	"errors"
	"io"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/datapipe/datapipe/internal/datanode"
	"github.com/datapipe/datapipe/internal/datanode/format"
)

// TablesHarness adapts one Table adapter to RunTables. Tables hold the
// records of Rows: id (a number, the key) and name (a string).
type TablesHarness struct {
	// NewTable creates a fresh, empty table and returns its node; the
	// node's Name must start with "<type> <id>" as given.
	NewTable func(t *testing.T) datanode.Table
	// Missing returns a node whose table does not exist.
	Missing func(t *testing.T) datanode.Table
	// Transactional says writes are one transaction (SQL): Abort and
	// failures leave the table as it was, and Replace is supported.
	Transactional bool
}

// RunTables runs the conformance suite for a Table adapter.
func RunTables(t *testing.T, h TablesHarness) {
	tests := map[string]func(*testing.T, TablesHarness){
		"RoundTrip":        testTableRoundTrip,
		"Replace":          testTableReplace,
		"ErrMissingTable":  testTableMissing,
		"ErrMalformedRow":  testTableMalformed,
		"AbortLeavesTable": testTableAbort,
		"ReplaceFailure":   testTableReplaceFailure,
		"ManyRows":         testTableMany,
	}
	for name, fn := range tests {
		t.Run(name, func(t *testing.T) { fn(t, h) })
	}
}

// WriteTable writes recs in mode and commits.
func WriteTable(t *testing.T, n datanode.Table, mode datanode.WriteMode, recs []format.Record) {
	t.Helper()
	ctx := context.Background()
	w, err := n.Write(ctx, mode)
	if err != nil {
		t.Fatalf("Write: %v", err)
	}
	for _, r := range recs {
		if err := w.Write(ctx, r); err != nil {
			t.Fatalf("Write record: %v", err)
		}
	}
	if got, err := w.Commit(ctx); err != nil || got != int64(len(recs)) {
		t.Fatalf("Commit = %d, %v; want %d", got, err, len(recs))
	}
}

// ReadTable reads every record of n, normalised: fields by name, records
// by id.
func ReadTable(t *testing.T, n datanode.Table) []format.Record {
	t.Helper()
	r, err := n.Read(context.Background())
	if err != nil {
		t.Fatalf("Read: %v", err)
	}
	defer r.Close()
	var out []format.Record
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			return Normalize(out)
		}
		if err != nil {
			t.Fatalf("Read record: %v", err)
		}
		out = append(out, rec)
	}
}

// Normalize sorts each record's fields by name and the records by their
// numeric id field, so that tables and files compare equal.
func Normalize(recs []format.Record) []format.Record {
	for _, r := range recs {
		sort.Slice(r, func(i, j int) bool { return r[i].Name < r[j].Name })
	}
	id := func(r format.Record) float64 {
		v, _ := r.Get("id")
		f, _ := strconv.ParseFloat(v.Str, 64)
		return f
	}
	sort.SliceStable(recs, func(i, j int) bool { return id(recs[i]) < id(recs[j]) })
	return recs
}

// want is Rows normalised.
func want(start, n int) []format.Record { return Normalize(Rows(start, n)) }

// sameTable compares normalised records.
func sameTable(t *testing.T, got, want []format.Record) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %d records %v…, want %d %v…", len(got), first(got), len(want), first(want))
	}
}

func testTableRoundTrip(t *testing.T, h TablesHarness) {
	n := h.NewTable(t)
	if ok, err := n.Exists(context.Background()); !ok || err != nil {
		t.Errorf("Exists = %v, %v", ok, err)
	}
	WriteTable(t, n, datanode.Append, Rows(0, 10))
	WriteTable(t, n, datanode.Append, Rows(10, 5))
	sameTable(t, ReadTable(t, n), want(0, 15))
}

func testTableReplace(t *testing.T, h TablesHarness) {
	if !h.Transactional {
		t.Skip("the adapter cannot replace a table's rows atomically")
	}
	n := h.NewTable(t)
	WriteTable(t, n, datanode.Append, Rows(0, 10))
	WriteTable(t, n, datanode.Replace, Rows(100, 3))
	sameTable(t, ReadTable(t, n), want(100, 3))
}

func testTableMissing(t *testing.T, h TablesHarness) {
	ctx := context.Background()
	n := h.Missing(t)
	if ok, err := n.Exists(ctx); ok || err != nil {
		t.Errorf("Exists = %v, %v", ok, err)
	}
	r, err := n.Read(ctx)
	if err == nil {
		_, err = r.Read()
		r.Close()
	}
	if !errors.Is(err, datanode.ErrNotFound) || !strings.HasPrefix(err.Error(), n.Name()+": ") {
		t.Errorf("Read error = %v (want ErrNotFound naming %s)", err, n.Name())
	}
	w, err := n.Write(ctx, datanode.Append)
	if err == nil {
		err = w.Write(ctx, Rows(0, 1)[0])
		if err == nil {
			_, err = w.Commit(ctx)
		}
	}
	if !errors.Is(err, datanode.ErrNotFound) || !strings.HasPrefix(err.Error(), n.Name()+": ") {
		t.Errorf("Write error = %v", err)
	}
}

// badRows are Rows with record 7 holding a non-numeric id.
func badRows() []format.Record {
	recs := Rows(0, 10)
	recs[6] = format.Record{{Name: "id", Value: format.Str("not a number")}, {Name: "name", Value: format.Str("bad")}}
	return recs
}

// writeBad writes badRows and returns the first error (Write or Commit).
func writeBad(t *testing.T, n datanode.Table, mode datanode.WriteMode) (datanode.RecordWriter, error) {
	t.Helper()
	ctx := context.Background()
	w, err := n.Write(ctx, mode)
	if err != nil {
		t.Fatalf("Write: %v", err)
	}
	for _, r := range badRows() {
		if err := w.Write(ctx, r); err != nil {
			return w, err
		}
	}
	_, err = w.Commit(ctx)
	return w, err
}

func testTableMalformed(t *testing.T, h TablesHarness) {
	n := h.NewTable(t)
	w, err := writeBad(t, n, datanode.Append)
	w.Abort(context.Background())
	if !errors.Is(err, format.ErrMalformed) || !strings.HasPrefix(err.Error(), n.Name()) || !strings.Contains(err.Error(), " row 7") {
		t.Errorf("got %v, want a malformed-row error naming %s and row 7", err, n.Name())
	}
}

func testTableAbort(t *testing.T, h TablesHarness) {
	if !h.Transactional {
		t.Skip("the adapter's writes are not transactional")
	}
	ctx := context.Background()
	n := h.NewTable(t)
	WriteTable(t, n, datanode.Append, Rows(0, 3))
	w, err := n.Write(ctx, datanode.Append)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range Rows(3, 1200) {
		if err := w.Write(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Abort(ctx); err != nil {
		t.Fatalf("Abort: %v", err)
	}
	sameTable(t, ReadTable(t, n), want(0, 3))
}

func testTableReplaceFailure(t *testing.T, h TablesHarness) {
	if !h.Transactional {
		t.Skip("the adapter's writes are not transactional")
	}
	n := h.NewTable(t)
	WriteTable(t, n, datanode.Append, Rows(0, 4))
	w, err := writeBad(t, n, datanode.Replace)
	if err == nil {
		t.Fatal("the bad rows were accepted")
	}
	w.Abort(context.Background())
	sameTable(t, ReadTable(t, n), want(0, 4))
}

func testTableMany(t *testing.T, h TablesHarness) {
	n := h.NewTable(t)
	WriteTable(t, n, datanode.Append, Rows(0, 2345))
	sameTable(t, ReadTable(t, n), want(0, 2345))
}
