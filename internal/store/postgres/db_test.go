package postgres

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/datapipe/datapipe/internal/definition"
	"github.com/datapipe/datapipe/internal/pipeline"
	"github.com/datapipe/datapipe/internal/store"
)

// syncBuffer is a bytes.Buffer safe for concurrent writers.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// openReplicas opens n DBs on one fresh schema at the same time, logging
// to log.
func openReplicas(t *testing.T, n int, log *syncBuffer) []*DB {
	t.Helper()
	dsn, schema := newSchema(t)
	logger := slog.New(slog.NewTextHandler(log, nil))
	dbs, errs := make([]*DB, n), make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { dbs[i], errs[i] = Open(t.Context(), Config{DSN: dsn, Schema: schema, Logger: logger}) })
	}
	wg.Wait()
	for i, db := range dbs {
		if errs[i] != nil {
			t.Fatalf("Open replica %d: %v", i, errs[i])
		}
		t.Cleanup(func() { _ = db.Close() })
	}
	return dbs
}

func TestOpen_Replicas(t *testing.T) {
	var log syncBuffer
	dbs := openReplicas(t, 2, &log)
	all, err := migrations()
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Count(log.String(), "applied migration"); got != len(all) {
		t.Errorf("migrations applied %d times, want %d (once each):\n%s", got, len(all), log.String())
	}
	var recorded int
	if err := dbs[1].pool.QueryRow(t.Context(), `SELECT count(*) FROM schema_migrations`).Scan(&recorded); err != nil {
		t.Fatal(err)
	}
	if recorded != len(all) {
		t.Errorf("schema_migrations has %d rows, want %d", recorded, len(all))
	}
	created := newPipeline(t, dbs[0], "df-1")
	got, err := dbs[1].PipelineGet(t.Context(), store.PipelineGetParams{AccountID: "a", ID: "df-1"})
	if err != nil || got.Name != created.Name {
		t.Errorf("replica 1 reads %+v, %v; want %+v", got, err, created)
	}
}

func TestOpen_Again(t *testing.T) {
	dsn, schema := newSchema(t)
	for i := range 2 {
		var log syncBuffer
		db, err := Open(t.Context(), Config{DSN: dsn, Schema: schema, Logger: slog.New(slog.NewTextHandler(&log, nil))})
		if err != nil {
			t.Fatalf("Open #%d: %v", i+1, err)
		}
		_ = db.Close()
		_ = db.Close() // safe twice
		if applied := strings.Contains(log.String(), "applied migration"); applied != (i == 0) {
			t.Errorf("Open #%d applied migrations: %v\n%s", i+1, applied, log.String())
		}
	}
}

func TestOpen_ErrUnreachable(t *testing.T) {
	_, err := Open(t.Context(), Config{DSN: "postgres://nobody@127.0.0.1:1/x?sslmode=disable&connect_timeout=2"})
	if err == nil {
		t.Fatal("Open on a closed port succeeded")
	}
}

func TestDB_TaskClaim_Replicas(t *testing.T) {
	const tasks, claimersPerReplica = 60, 3
	dbs := openReplicas(t, 2, &syncBuffer{})
	newPipeline(t, dbs[0], "df-1")
	for i := range tasks {
		_, err := dbs[i%2].TaskCreate(t.Context(), store.TaskCreateParams{Task: store.Task{
			ID: fmt.Sprintf("t%03d", i), AccountID: "a", PipelineID: "df-1", AttemptID: fmt.Sprintf("@a%d", i),
			WorkerGroup: "wg", AvailableAt: t0, CreatedAt: t0.Add(time.Duration(i) * time.Millisecond)}})
		if err != nil {
			t.Fatal(err)
		}
	}
	claims := claimAll(t, dbs, claimersPerReplica)
	if len(claims) != tasks {
		t.Errorf("%d tasks claimed, want %d", len(claims), tasks)
	}
	for id, n := range claims {
		if n != 1 {
			t.Errorf("task %s handed out %d times", id, n)
		}
	}
}

// claimAll runs claimers on every replica until none finds a task, and
// counts how often each task was handed out.
func claimAll(t *testing.T, dbs []*DB, claimersPerReplica int) map[string]int {
	var mu sync.Mutex
	claims := map[string]int{}
	var wg sync.WaitGroup
	for r, db := range dbs {
		for c := range claimersPerReplica {
			owner := fmt.Sprintf("replica%d-claimer%d", r, c)
			wg.Go(func() {
				for {
					task, err := db.TaskClaim(t.Context(), store.TaskClaimParams{AccountID: "a", WorkerGroup: "wg",
						Owner: owner, Now: t0.Add(time.Minute), LeaseUntil: t0.Add(time.Hour)})
					if errors.Is(err, store.ErrNotFound) {
						return
					}
					if err != nil {
						t.Errorf("%s: %v", owner, err)
						return
					}
					mu.Lock()
					claims[task.ID]++
					mu.Unlock()
				}
			})
		}
	}
	wg.Wait()
	return claims
}

func TestDB_WithTx(t *testing.T) {
	db := openTest(t)
	ctx := t.Context()
	boom := errors.New("boom")
	err := db.WithTx(ctx, func(q store.Queries) error {
		newPipeline(t, q, "df-rolled-back")
		return boom
	})
	if err != boom {
		t.Errorf("WithTx = %v, want fn's error unchanged", err)
	}
	if _, err := db.PipelineGet(ctx, store.PipelineGetParams{AccountID: "a", ID: "df-rolled-back"}); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("rolled-back pipeline: %v, want ErrNotFound", err)
	}
	err = db.WithTx(ctx, func(q store.Queries) error {
		newPipeline(t, q, "df-1")
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.PipelineGet(ctx, store.PipelineGetParams{AccountID: "a", ID: "df-1"}); err != nil {
		t.Errorf("committed pipeline: %v", err)
	}
}

// A transaction's BEGIN travels with its first statement (lazyTx): one
// that runs no statement commits nothing, and one whose first statement
// finds no row goes on in the same transaction.
func TestDB_WithTx_Lazy(t *testing.T) {
	db := openTest(t)
	ctx := t.Context()
	t.Run("OKEmpty", func(t *testing.T) {
		if err := db.WithTx(ctx, func(store.Queries) error { return nil }); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("OKFirstReadMisses", func(t *testing.T) {
		err := db.WithTx(ctx, func(q store.Queries) error {
			if _, err := q.TaskGet(ctx, "no-such-task"); !errors.Is(err, store.ErrNotFound) {
				return fmt.Errorf("TaskGet = %v, want ErrNotFound", err)
			}
			newPipeline(t, q, "df-after-miss")
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.PipelineGet(ctx, store.PipelineGetParams{AccountID: "a", ID: "df-after-miss"}); err != nil {
			t.Errorf("committed pipeline: %v", err)
		}
	})
	t.Run("ErrRolledBack", func(t *testing.T) {
		boom := errors.New("boom")
		err := db.WithTx(ctx, func(q store.Queries) error {
			newPipeline(t, q, "df-lazy-rolled-back")
			return boom
		})
		if err != boom {
			t.Fatalf("WithTx = %v, want boom", err)
		}
		if _, err := db.PipelineGet(ctx, store.PipelineGetParams{AccountID: "a", ID: "df-lazy-rolled-back"}); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("rolled-back pipeline: %v, want ErrNotFound", err)
		}
	})
}

// A conflict or a missing pipeline inside a transaction leaves it usable,
// as in SQLite.
func TestDB_WithTx_ErrConflictKeepsTx(t *testing.T) {
	db := openTest(t)
	ctx := t.Context()
	newPipeline(t, db, "df-1")
	obj := store.Object{PipelineID: "df-1", ID: "@i", Sphere: pipeline.SphereInstance, ComponentID: "c",
		Status: pipeline.StatusScheduled, ScheduledStart: t0, UpdatedAt: t0}
	err := db.WithTx(ctx, func(q store.Queries) error {
		if err := q.ObjectCreate(ctx, store.ObjectCreateParams{Objects: []store.Object{obj}}); err != nil {
			return err
		}
		if err := q.ObjectCreate(ctx, store.ObjectCreateParams{Objects: []store.Object{obj}}); !errors.Is(err, store.ErrConflict) {
			return fmt.Errorf("duplicate: %v, want ErrConflict", err)
		}
		orphan := obj
		orphan.PipelineID = "df-unknown"
		if err := q.ObjectCreate(ctx, store.ObjectCreateParams{Objects: []store.Object{orphan}}); !errors.Is(err, store.ErrNotFound) {
			return fmt.Errorf("unknown pipeline: %v, want ErrNotFound", err)
		}
		task := store.Task{ID: "t", AccountID: "a", PipelineID: "df-1", AttemptID: "@a", WorkerGroup: "wg", AvailableAt: t0, CreatedAt: t0}
		if _, err := q.TaskCreate(ctx, store.TaskCreateParams{Task: task}); err != nil {
			return err
		}
		if _, err := q.TaskCreate(ctx, store.TaskCreateParams{Task: task}); !errors.Is(err, store.ErrConflict) {
			return fmt.Errorf("duplicate task: %v, want ErrConflict", err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if got, err := db.ObjectGet(ctx, store.ObjectGetParams{PipelineID: "df-1", IDs: []string{"@i"}}); err != nil || len(got) != 1 {
		t.Errorf("ObjectGet after commit = %v, %v", got, err)
	}
}

// Concurrent read-modify-write transactions on one row all take effect:
// serialization failures are retried.
func TestDB_WithTx_Serializable(t *testing.T) {
	db := openTest(t)
	concurrentIncrements(t, db, db.WithTx, incrementActiveVersion)
}

// concurrentIncrements runs increment in transactions of run from two
// goroutines, 15 times each, and checks that every one took effect.
func concurrentIncrements(t *testing.T, db *DB, run func(context.Context, func(store.Queries) error) error, increment func(store.Queries) error) {
	const workers, increments = 2, 15
	ctx := t.Context()
	newPipeline(t, db, "df-1")
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for range increments {
				if err := run(ctx, increment); err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
	p, err := db.PipelineGet(ctx, store.PipelineGetParams{AccountID: "a", ID: "df-1"})
	if err != nil || p.ActiveVersion != workers*increments {
		t.Errorf("ActiveVersion = %d, %v; want %d", p.ActiveVersion, err, workers*increments)
	}
}

// incrementActiveVersion reads df-1 and writes ActiveVersion+1.
func incrementActiveVersion(q store.Queries) error {
	ctx := context.Background()
	p, err := q.PipelineGet(ctx, store.PipelineGetParams{AccountID: "a", ID: "df-1"})
	if err != nil {
		return err
	}
	p.ActiveVersion++
	_, err = q.PipelineUpdate(ctx, store.PipelineUpdateParams{Pipeline: p})
	return err
}

// NUL characters survive: definitions and fields are json, not jsonb
// (which refuses \u0000).
func TestDB_DefinitionGet_NUL(t *testing.T) {
	db := openTest(t)
	ctx := t.Context()
	newPipeline(t, db, "df-1")
	fields := []pipeline.Field{pipeline.String("b", "nul\x00é"), pipeline.Reference("a", "x"), pipeline.String("b", "2")}
	def := definition.Definition{Objects: []pipeline.Object{{ID: "Default", Name: "Default", Fields: fields}}}
	if _, err := db.DefinitionPut(ctx, store.DefinitionPutParams{PipelineID: "df-1", Definition: def, Now: t0}); err != nil {
		t.Fatal(err)
	}
	got, err := db.DefinitionGet(ctx, store.DefinitionGetParams{PipelineID: "df-1", Version: 1})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got.Definition, def) {
		t.Errorf("definition = %+v, want %+v", got.Definition, def)
	}
	obj := store.Object{PipelineID: "df-1", ID: "@i", Sphere: pipeline.SphereInstance, ComponentID: "Default",
		Status: pipeline.StatusScheduled, Fields: fields}
	if err := db.ObjectCreate(ctx, store.ObjectCreateParams{Objects: []store.Object{obj}}); err != nil {
		t.Fatal(err)
	}
	objs, err := db.ObjectGet(ctx, store.ObjectGetParams{PipelineID: "df-1", IDs: []string{"@i"}})
	if err != nil || len(objs) != 1 || !reflect.DeepEqual(objs[0].Fields, fields) {
		t.Errorf("ObjectGet = %+v, %v; want fields %+v", objs, err, fields)
	}
}

// A schema name that needs quoting works, and Open creates it.
func TestOpen_QuotedSchema(t *testing.T) {
	dsn, schema := newSchema(t)
	schema = "Odd-" + schema + ` "x"`
	t.Cleanup(func() { dropSchema(t, dsn, schema) })
	db, err := Open(t.Context(), Config{DSN: dsn, Schema: schema})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	newPipeline(t, db, "df-1")
	var n int
	err = db.pool.QueryRow(t.Context(), `SELECT count(*) FROM pg_tables WHERE schemaname = $1`, schema).Scan(&n)
	if err != nil || n == 0 {
		t.Errorf("tables in %q: %d, %v", schema, n, err)
	}
}

// Snapshot transactions that hold the pipeline they read and write
// serialize on it: concurrent read-modify-writes all take effect.
func TestDB_WithSnapshotTx_Hold(t *testing.T) {
	db := openTest(t)
	concurrentIncrements(t, db, db.WithSnapshotTx, holdAndIncrement)
}

// holdAndIncrement holds df-1 and writes ActiveVersion+1.
func holdAndIncrement(q store.Queries) error {
	ctx := context.Background()
	p, err := q.PipelineGet(ctx, store.PipelineGetParams{AccountID: "a", ID: "df-1", Hold: true})
	if err != nil {
		return err
	}
	p.ActiveVersion++
	_, err = q.PipelineUpdate(ctx, store.PipelineUpdateParams{Pipeline: p})
	return err
}

// A snapshot transaction that holds a pipeline changed after its snapshot
// was taken is re-run, and then sees the change: holding never acts on a
// stale pipeline.
func TestDB_WithSnapshotTx_HoldSeesChange(t *testing.T) {
	db := openTest(t)
	ctx := t.Context()
	newPipeline(t, db, "df-1")
	runs, seen := 0, 0
	err := db.WithSnapshotTx(ctx, func(q store.Queries) error {
		runs++
		if _, err := q.ObjectGet(ctx, store.ObjectGetParams{PipelineID: "df-1", IDs: []string{"@none"}}); err != nil {
			return err // the snapshot is taken
		}
		if runs == 1 {
			// Committed at once, on the pool, after the snapshot.
			if err := incrementActiveVersion(db); err != nil {
				return err
			}
		}
		p, err := q.PipelineGet(ctx, store.PipelineGetParams{AccountID: "a", ID: "df-1", Hold: true})
		seen = p.ActiveVersion
		return err
	})
	if err != nil || runs != 2 || seen != 1 {
		t.Errorf("WithSnapshotTx = %v after %d runs, saw ActiveVersion %d; want nil after 2 runs, 1", err, runs, seen)
	}
}
