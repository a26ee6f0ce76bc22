package postgres

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/datapipe/datapipe/internal/pipeline"
	"github.com/datapipe/datapipe/internal/store"
)

// testDSN returns the test server's DSN from DATAPIPE_TEST_POSTGRES. The
// test fails without it, except under -short, where it is skipped.
func testDSN(t testing.TB) string {
	t.Helper()
	dsn := os.Getenv("DATAPIPE_TEST_POSTGRES")
	if dsn != "" {
		return dsn
	}
	if testing.Short() {
		t.Skip("DATAPIPE_TEST_POSTGRES is unset (skipped under -short)")
	}
	t.Fatal(`DATAPIPE_TEST_POSTGRES is unset: run ./scripts/test.sh, or eval "$(scripts/servers.sh start)" first (go test -short skips these tests)`)
	return ""
}

// newSchema returns a fresh schema name on the test server, dropped with
// everything in it when the test ends.
func newSchema(t testing.TB) (dsn, schema string) {
	t.Helper()
	dsn = testDSN(t)
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	schema = "test_" + hex.EncodeToString(b)
	t.Cleanup(func() { dropSchema(t, dsn, schema) })
	return dsn, schema
}

// dropSchema drops schema and its contents.
func dropSchema(t testing.TB, dsn, schema string) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Errorf("drop schema %s: %v", schema, err)
		return
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "DROP SCHEMA IF EXISTS "+pgx.Identifier{schema}.Sanitize()+" CASCADE"); err != nil {
		t.Errorf("drop schema %s: %v", schema, err)
	}
}

// openTest opens a DB on a fresh schema, closed and dropped when the test
// ends.
func openTest(t testing.TB) *DB {
	t.Helper()
	dsn, schema := newSchema(t)
	db, err := Open(t.Context(), Config{DSN: dsn, Schema: schema, MaxConns: 8})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { _ = db.Close() })
	return db
}

// t0 is the tests' base time, with sub-millisecond noise the store drops.
var t0 = time.Date(2026, 11, 26, 12, 0, 0, 123_456_789, time.UTC)

// newPipeline creates a pipeline in account "a".
func newPipeline(t *testing.T, q store.Queries, id string) store.Pipeline {
	t.Helper()
	p, created, err := q.PipelineCreate(t.Context(), store.PipelineCreateParams{Pipeline: store.Pipeline{
		ID: id, AccountID: "a", Name: "n-" + id, UniqueID: "u-" + id, State: pipeline.StatePending,
		CreatedAt: t0, Tags: []store.Tag{{Key: "k", Value: "v"}},
	}})
	if err != nil || !created {
		t.Fatalf("PipelineCreate(%s) = created %v, %v", id, created, err)
	}
	return p
}
