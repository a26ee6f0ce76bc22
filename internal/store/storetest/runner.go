package storetest

import (
	"testing"
	"time"

	"github.com/datapipe/datapipe/internal/store"
)

// heartbeat records runner id of account at now.
func heartbeat(t *testing.T, s store.Queries, account, id, host string, now time.Time) store.Runner {
	t.Helper()
	return try(s.RunnerHeartbeat(t.Context(), store.RunnerHeartbeatParams{
		AccountID: account, ID: id, WorkerGroup: wgMain, Hostname: host, Now: now,
	})).must(t)
}

// runnerIDs lists the account's runners and returns their ids.
func runnerIDs(t *testing.T, s store.Queries, account string) []string {
	t.Helper()
	ids := []string{}
	for _, r := range try(s.RunnerList(t.Context(), store.RunnerListParams{AccountID: account})).must(t) {
		ids = append(ids, r.ID)
	}
	return ids
}

// testRunnerHeartbeat: RunnerHeartbeat creates a runner on first sight and
// updates it afterwards.
func testRunnerHeartbeat(t *testing.T, open Opener) {
	t.Run("OK", func(t *testing.T) {
		s := open(t)
		want := store.Runner{ID: "r-1", AccountID: acct, WorkerGroup: wgMain, Hostname: "host-1", LastSeen: at(0)}
		equal(t, "created", heartbeat(t, s, acct, "r-1", "host-1", at(0)), want)
		list := try(s.RunnerList(t.Context(), store.RunnerListParams{AccountID: acct})).must(t)
		equal(t, "listed", list, []store.Runner{want})
	})
	t.Run("Upsert", func(t *testing.T) {
		s := open(t)
		heartbeat(t, s, acct, "r-1", "host-1", at(0))
		got := try(s.RunnerHeartbeat(t.Context(), store.RunnerHeartbeatParams{
			AccountID: acct, ID: "r-1", WorkerGroup: wgOther, Hostname: "host-2", Now: at(time.Minute),
		})).must(t)
		want := store.Runner{ID: "r-1", AccountID: acct, WorkerGroup: wgOther, Hostname: "host-2", LastSeen: at(time.Minute)}
		equal(t, "updated", got, want)
		list := try(s.RunnerList(t.Context(), store.RunnerListParams{AccountID: acct})).must(t)
		equal(t, "listed", list, []store.Runner{want})
	})
	t.Run("PerAccount", func(t *testing.T) {
		s := open(t)
		heartbeat(t, s, acct, "r-1", "host-1", at(0))
		heartbeat(t, s, acctOther, "r-1", "host-9", at(time.Minute))
		equal(t, "acct host", try(s.RunnerList(t.Context(), store.RunnerListParams{AccountID: acct})).must(t)[0].Hostname, "host-1")
		equal(t, "other host", try(s.RunnerList(t.Context(), store.RunnerListParams{AccountID: acctOther})).must(t)[0].Hostname, "host-9")
	})
}

// testRunnerList: RunnerList lists an account's runners, most recently
// seen first.
func testRunnerList(t *testing.T, open Opener) {
	t.Run("OK", func(t *testing.T) {
		s := open(t)
		heartbeat(t, s, acct, "r-1", "h", at(1*time.Minute))
		heartbeat(t, s, acct, "r-2", "h", at(3*time.Minute))
		heartbeat(t, s, acct, "r-3", "h", at(2*time.Minute))
		heartbeat(t, s, acctOther, "r-x", "h", at(9*time.Minute))
		equal(t, "order", runnerIDs(t, s, acct), []string{"r-2", "r-3", "r-1"})
		heartbeat(t, s, acct, "r-1", "h", at(4*time.Minute))
		equal(t, "after heartbeat", runnerIDs(t, s, acct), []string{"r-1", "r-2", "r-3"})
	})
	t.Run("Empty", func(t *testing.T) {
		s := open(t)
		heartbeat(t, s, acctOther, "r-x", "h", at(0))
		equal(t, "ids", runnerIDs(t, s, acct), []string{})
	})
}
