package storetest

import (
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/datapipe/datapipe/internal/store"
)

// The shape of the concurrent-claim test.
const (
	claimWorkers = 8
	claimTasks   = 400
)

// testTaskClaimConcurrent: claimWorkers goroutines claim claimTasks tasks
// until none is left; every task is claimed exactly once, by the owner
// that the store recorded.
func testTaskClaimConcurrent(t *testing.T, open Opener) {
	t.Run("OK", func(t *testing.T) {
		s := open(t)
		seed(t, s, "df-1")
		noErr(t, s.WithTx(t.Context(), func(q store.Queries) error {
			for i, id := range ids("tk", claimTasks) {
				if _, err := q.TaskCreate(t.Context(), store.TaskCreateParams{Task: newTask(id, "df-1", at(time.Duration(i)*time.Millisecond))}); err != nil {
					return err
				}
			}
			return nil
		}))
		got := make([][]string, claimWorkers)
		var wg sync.WaitGroup
		for w := range claimWorkers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				got[w] = claimAll(t, s, fmt.Sprintf("host-%d", w))
			}()
		}
		wg.Wait()
		checkClaimedOnce(t, s, got)
	})
}

// claimAll claims as owner until no task is left and returns the ids it
// got. It reports errors with t.Errorf, as it runs in its own goroutine.
func claimAll(t *testing.T, s store.Store, owner string) []string {
	now := at(time.Hour)
	var out []string
	for {
		tk, err := s.TaskClaim(t.Context(), store.TaskClaimParams{
			AccountID: acct, WorkerGroup: wgMain, Owner: owner, Now: now, LeaseUntil: now.Add(time.Minute),
		})
		if errors.Is(err, store.ErrNotFound) {
			return out
		}
		if err != nil {
			t.Errorf("%s: claim: %v", owner, err)
			return out
		}
		if tk.Owner != owner || tk.State != store.TaskLeased {
			t.Errorf("%s: claimed %s with owner %q state %s", owner, tk.ID, tk.Owner, tk.State)
		}
		out = append(out, tk.ID)
	}
}

// checkClaimedOnce fails t unless the claims cover every task exactly once
// and each task's stored owner is its claimer.
func checkClaimedOnce(t *testing.T, s store.Store, got [][]string) {
	t.Helper()
	seen := make(map[string]string, claimTasks)
	for w, claims := range got {
		owner := fmt.Sprintf("host-%d", w)
		for _, id := range claims {
			if prev, dup := seen[id]; dup {
				t.Errorf("task %s claimed by %s and %s", id, prev, owner)
			}
			seen[id] = owner
		}
	}
	equal(t, "tasks claimed", len(seen), claimTasks)
	wrong := 0
	for id, owner := range seen {
		tk := getTask(t, s, id)
		if tk.Owner != owner || tk.State != store.TaskLeased {
			wrong++
			t.Logf("task %s: owner %q state %s, want %q LEASED", id, tk.Owner, tk.State, owner)
		}
	}
	if wrong > 0 {
		t.Errorf("%d tasks not held by their claimer", wrong)
	}
}
