package sqlite

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"testing"
	"testing/fstest"
	"time"

	"github.com/datapipe/datapipe/internal/pipeline"
	"github.com/datapipe/datapipe/internal/store"
	"github.com/datapipe/datapipe/internal/store/storetest"
)

// openTemp opens a fresh database file in t's temporary directory and
// closes it when t ends.
func openTemp(t testing.TB) *DB {
	t.Helper()
	return openPath(t, filepath.Join(t.TempDir(), "datapipe.db"))
}

// openPath opens the database at path and closes it when t ends.
func openPath(t testing.TB, path string) *DB {
	t.Helper()
	db, err := Open(context.Background(), Config{Path: path})
	if err != nil {
		t.Fatalf("open %s: %v", path, err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// TestDB runs the conformance suite on a fresh database file per test.
func TestDB(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Store { return openTemp(t) })
}

// TestDB_Memory runs the conformance suite on in-memory databases, whose
// reads and writes share one connection.
func TestDB_Memory(t *testing.T) {
	if testing.Short() {
		t.Skip("the file-backed suite covers the queries")
	}
	storetest.Run(t, func(t *testing.T) store.Store { return openPath(t, ":memory:") })
}

// TestOpen_Pragmas checks the write connection's configuration.
func TestOpen_Pragmas(t *testing.T) {
	db := openTemp(t)
	for _, c := range []struct{ pragma, want string }{
		{"journal_mode", "wal"}, {"foreign_keys", "1"}, {"synchronous", "1"}, {"busy_timeout", "10000"},
	} {
		var got string
		if err := db.writer.QueryRow("PRAGMA " + c.pragma).Scan(&got); err != nil {
			t.Fatalf("%s: %v", c.pragma, err)
		}
		if got != c.want {
			t.Errorf("%s = %s, want %s", c.pragma, got, c.want)
		}
	}
	var readOnly string
	if err := db.reader.QueryRow("PRAGMA query_only").Scan(&readOnly); err != nil || readOnly != "1" {
		t.Errorf("reader query_only = %q (%v), want 1", readOnly, err)
	}
}

// TestOpen_Ephemeral: an ephemeral database never syncs, and still keeps
// what was committed before Close.
func TestOpen_Ephemeral(t *testing.T) {
	ctx := t.Context()
	path := filepath.Join(t.TempDir(), "datapipe.db")
	db, err := Open(ctx, Config{Path: path, Ephemeral: true})
	if err != nil {
		t.Fatal(err)
	}
	var sync string
	if err := db.writer.QueryRow("PRAGMA synchronous").Scan(&sync); err != nil || sync != "0" {
		t.Errorf("synchronous = %q (%v), want 0 (OFF)", sync, err)
	}
	pl := store.Pipeline{ID: "df-1", AccountID: "acct", Name: "n", UniqueID: "u", State: pipeline.StatePending, CreatedAt: time.UnixMilli(1)}
	if _, _, err := db.PipelineCreate(ctx, store.PipelineCreateParams{Pipeline: pl}); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	db = openPath(t, path)
	if _, err := db.PipelineGet(ctx, store.PipelineGetParams{AccountID: "acct", ID: "df-1"}); err != nil {
		t.Errorf("after reopen: %v", err)
	}
}

// TestOpen_Reopen: migrations are applied once, and data written before
// Close is there after reopening.
func TestOpen_Reopen(t *testing.T) {
	ctx := t.Context()
	path := filepath.Join(t.TempDir(), "datapipe.db")
	db := openPath(t, path)
	pl := store.Pipeline{ID: "df-1", AccountID: "acct", Name: "n", UniqueID: "u", State: pipeline.StatePending, CreatedAt: time.UnixMilli(1)}
	if _, _, err := db.PipelineCreate(ctx, store.PipelineCreateParams{Pipeline: pl}); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	for range 2 {
		db = openPath(t, path)
		if _, err := db.PipelineGet(ctx, store.PipelineGetParams{AccountID: "acct", ID: "df-1"}); err != nil {
			t.Fatalf("after reopen: %v", err)
		}
		var n, latest int
		if err := db.writer.QueryRow("SELECT count(*), max(version) FROM schema_migrations").Scan(&n, &latest); err != nil {
			t.Fatal(err)
		}
		ms, _ := loadMigrations(migrationFS)
		if n != len(ms) || latest != ms[len(ms)-1].Version {
			t.Errorf("schema_migrations: %d rows up to %d, want %d up to %d", n, latest, len(ms), ms[len(ms)-1].Version)
		}
		db.Close()
	}
}

// TestOpen_ErrNewerSchema: a database migrated by a newer datapipe is
// refused.
func TestOpen_ErrNewerSchema(t *testing.T) {
	path := filepath.Join(t.TempDir(), "datapipe.db")
	db := openPath(t, path)
	if _, err := db.writer.Exec("INSERT INTO schema_migrations (version, name) VALUES (9999, 'future')"); err != nil {
		t.Fatal(err)
	}
	db.Close()
	if db, err := Open(t.Context(), Config{Path: path}); err == nil {
		db.Close()
		t.Fatal("Open succeeded on a newer schema")
	}
}

// TestOpen_ErrPath: unusable paths fail to open.
func TestOpen_ErrPath(t *testing.T) {
	for _, path := range []string{"", "a?b", filepath.Join(t.TempDir(), "missing", "dir", "db")} {
		if db, err := Open(t.Context(), Config{Path: path}); err == nil {
			db.Close()
			t.Errorf("Open(%q) succeeded", path)
		}
	}
}

// TestDB_Close: Close may be called twice, and a closed DB fails cleanly.
func TestDB_Close(t *testing.T) {
	db := openTemp(t)
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
	if _, err := db.TaskGet(t.Context(), "x"); err == nil {
		t.Fatal("TaskGet on a closed DB succeeded")
	}
	if _, err := db.TaskClaim(t.Context(), store.TaskClaimParams{}); err == nil {
		t.Fatal("TaskClaim on a closed DB succeeded")
	}
}

// TestLoadMigrations checks migration file naming rules.
func TestLoadMigrations(t *testing.T) {
	file := func(s string) *fstest.MapFile { return &fstest.MapFile{Data: []byte(s)} }
	tests := []struct {
		name    string
		fs      fstest.MapFS
		want    []int
		wantErr bool
	}{
		{"OK", fstest.MapFS{"migrations/0002_b.sql": file("B"), "migrations/0001_a.sql": file("A"), "migrations/README": file("")}, []int{1, 2}, false},
		{"Embedded", nil, []int{1, 2, 3, 4, 5, 6, 7}, false},
		{"ErrNoNumber", fstest.MapFS{"migrations/init.sql": file("")}, nil, true},
		{"ErrNoName", fstest.MapFS{"migrations/0001_.sql": file("")}, nil, true},
		{"ErrZero", fstest.MapFS{"migrations/0000_a.sql": file("")}, nil, true},
		{"ErrDuplicate", fstest.MapFS{"migrations/0001_a.sql": file(""), "migrations/1_b.sql": file("")}, nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var fsys fs.FS = tt.fs
			if tt.fs == nil {
				fsys = migrationFS
			}
			ms, err := loadMigrations(fsys)
			if (err != nil) != tt.wantErr {
				t.Fatalf("error = %v, want error %v", err, tt.wantErr)
			}
			var got []int
			for _, m := range ms {
				got = append(got, m.Version)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("versions = %v, want %v", got, tt.want)
			}
		})
	}
}

// killEnv names the database file TestHelperKilledWriter writes to; the
// helper runs only when it is set.
const killEnv = "DATAPIPE_SQLITE_KILL_TEST_DB"

// TestDB_DurableAfterKill: writes that returned survive the process being
// killed with SIGKILL before Close (WAL with synchronous=NORMAL).
func TestDB_DurableAfterKill(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a child process")
	}
	path := filepath.Join(t.TempDir(), "datapipe.db")
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperKilledWriter$")
	cmd.Env = append(os.Environ(), killEnv+"="+path)
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	defer stdin.Close()
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil || line != "written\n" {
		cmd.Process.Kill()
		cmd.Wait()
		t.Fatalf("helper said %q, %v", line, err)
	}
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	_ = cmd.Wait()
	checkKilledWrites(t, openPath(t, path))
}

// checkKilledWrites checks what TestHelperKilledWriter wrote.
func checkKilledWrites(t *testing.T, db *DB) {
	t.Helper()
	ctx := t.Context()
	if n, err := db.PipelineCount(ctx, store.PipelineCountParams{AccountID: "acct"}); err != nil || n != 1 {
		t.Fatalf("pipelines = %d, %v; want 1", n, err)
	}
	tk, err := db.TaskGet(ctx, "tk-last")
	if err != nil || tk.State != store.TaskLeased {
		t.Fatalf("last task = %+v, %v; want it LEASED", tk, err)
	}
	if _, err := db.DefinitionGet(ctx, store.DefinitionGetParams{PipelineID: "df-1", Version: 1}); err != nil {
		t.Fatalf("definition: %v", err)
	}
}

// TestHelperKilledWriter is the child process of TestDB_DurableAfterKill:
// it writes, reports "written" on stdout without closing the database, and
// waits on stdin to be killed.
func TestHelperKilledWriter(t *testing.T) {
	path := os.Getenv(killEnv)
	if path == "" {
		t.Skip("helper process for TestDB_DurableAfterKill")
	}
	ctx := t.Context()
	db, err := Open(ctx, Config{Path: path})
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2024, 3, 1, 12, 0, 0, 0, time.UTC)
	pl := store.Pipeline{ID: "df-1", AccountID: "acct", Name: "n", UniqueID: "u", State: pipeline.StatePending, CreatedAt: now}
	_, _, err = db.PipelineCreate(ctx, store.PipelineCreateParams{Pipeline: pl})
	if err == nil {
		_, err = db.DefinitionPut(ctx, store.DefinitionPutParams{PipelineID: "df-1", Now: now})
	}
	for i := 0; err == nil && i < 100; i++ {
		tk := store.Task{ID: fmt.Sprintf("tk-%03d", i), AccountID: "acct", PipelineID: "df-1", WorkerGroup: "wg", AvailableAt: now, CreatedAt: now}
		_, err = db.TaskCreate(ctx, store.TaskCreateParams{Task: tk})
	}
	if err == nil {
		tk := store.Task{ID: "tk-last", AccountID: "acct", PipelineID: "df-1", WorkerGroup: "other", AvailableAt: now, CreatedAt: now}
		_, err = db.TaskCreate(ctx, store.TaskCreateParams{Task: tk})
	}
	if err == nil {
		_, err = db.TaskClaim(ctx, store.TaskClaimParams{AccountID: "acct", WorkerGroup: "other", Owner: "h", Now: now, LeaseUntil: now.Add(time.Hour)})
	}
	if err != nil {
		t.Fatal(err)
	}
	os.Stdout.WriteString("written\n")
	io.Copy(io.Discard, os.Stdin)
}
