package sqlite

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/datapipe/datapipe/internal/pipeline"
	"github.com/datapipe/datapipe/internal/store"
)

// benchQueue opens a database holding n QUEUED tasks of one worker group,
// created a millisecond apart, inserted 1000 per transaction.
func benchQueue(b *testing.B, n int) *DB {
	b.Helper()
	ctx := context.Background()
	db := openTemp(b)
	base := time.Date(2024, 3, 1, 12, 0, 0, 0, time.UTC)
	pl := store.Pipeline{ID: "df-1", AccountID: "acct", Name: "n", UniqueID: "u", State: pipeline.StateScheduled, CreatedAt: base}
	if _, _, err := db.PipelineCreate(ctx, store.PipelineCreateParams{Pipeline: pl}); err != nil {
		b.Fatal(err)
	}
	for start := 0; start < n; start += 1000 {
		err := db.WithTx(ctx, func(q store.Queries) error {
			for i := start; i < min(start+1000, n); i++ {
				at := base.Add(time.Duration(i) * time.Millisecond)
				tk := store.Task{ID: fmt.Sprintf("tk-%09d", i), AccountID: "acct", PipelineID: "df-1",
					AttemptID: fmt.Sprintf("@a-%d", i), WorkerGroup: "wg", AvailableAt: at, CreatedAt: at}
				if _, err := q.TaskCreate(ctx, store.TaskCreateParams{Task: tk}); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	return db
}

// claimParams claims for owner in benchQueue's worker group, after every
// task became available.
func claimParams(owner string) store.TaskClaimParams {
	now := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	return store.TaskClaimParams{AccountID: "acct", WorkerGroup: "wg", Owner: owner, Now: now, LeaseUntil: now.Add(time.Minute)}
}

// BenchmarkTaskClaim measures one TaskClaim (a BEGIN IMMEDIATE
// transaction: find the oldest available task, lease it, commit) against a
// queue holding b.N tasks.
func BenchmarkTaskClaim(b *testing.B) {
	db := benchQueue(b, b.N)
	ctx := context.Background()
	p := claimParams("host-1")
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := db.TaskClaim(ctx, p); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkTaskClaimParallel measures TaskClaim with GOMAXPROCS goroutines
// contending for one queue.
func BenchmarkTaskClaimParallel(b *testing.B) {
	db := benchQueue(b, b.N)
	ctx := context.Background()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		p := claimParams("host")
		for pb.Next() {
			if _, err := db.TaskClaim(ctx, p); err != nil && !errors.Is(err, store.ErrNotFound) {
				b.Error(err)
				return
			}
		}
	})
}
