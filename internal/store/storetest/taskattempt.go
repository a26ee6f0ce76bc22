package storetest

import (
	"testing"
	"time"

	"github.com/datapipe/datapipe/internal/store"
)

// testTaskWithAttempt: TaskClaim, TaskExtend and TaskComplete return the
// task's attempt as stored when asked (WithAttempt), nil when it is gone;
// a claim with Acked is acknowledged at once.
func testTaskWithAttempt(t *testing.T, open Opener) {
	t.Run("OK", func(t *testing.T) {
		s := open(t)
		seed(t, s, "df-1")
		att := taskAttempt()
		createObjects(t, s, att)
		createTask(t, s, newTask("tk-1", "df-1", at(0)))
		want := &getObjects(t, s, "df-1", "att-tk-1")[0]
		now := at(time.Second)
		got := try(s.TaskClaim(t.Context(), store.TaskClaimParams{AccountID: acct, WorkerGroup: wgMain, Owner: "h",
			Now: now, LeaseUntil: now.Add(time.Hour), Acked: true, WithAttempt: true})).must(t)
		equal(t, "claim attempt", canonPtr(got.Attempt), canonPtr(want))
		equal(t, "acked", got.Acked, true)
		got.Attempt = nil
		equal(t, "read back", getTask(t, s, "tk-1"), got)
		ext := try(s.TaskExtend(t.Context(), store.TaskExtendParams{ID: "tk-1", Now: now, LeaseUntil: now.Add(time.Hour),
			WithAttempt: true})).must(t)
		equal(t, "extend attempt", canonPtr(ext.Attempt), canonPtr(want))
		done := try(s.TaskComplete(t.Context(), store.TaskCompleteParams{ID: "tk-1", WithAttempt: true})).must(t)
		equal(t, "complete attempt", canonPtr(done.Attempt), canonPtr(want))
		equal(t, "complete state", done.State, store.TaskDone)
	})
	t.Run("OK/NotAsked", func(t *testing.T) {
		s := open(t)
		seed(t, s, "df-1")
		createObjects(t, s, taskAttempt())
		createTask(t, s, newTask("tk-1", "df-1", at(0)))
		got := try(claim(t, s, at(time.Second))).must(t)
		equal(t, "attempt", got.Attempt, (*store.Object)(nil))
		equal(t, "acked", got.Acked, false)
	})
	t.Run("OK/AttemptGone", func(t *testing.T) {
		s := open(t)
		seed(t, s, "df-1")
		createTask(t, s, newTask("tk-1", "df-1", at(0)))
		now := at(time.Second)
		got := try(s.TaskClaim(t.Context(), store.TaskClaimParams{AccountID: acct, WorkerGroup: wgMain, Owner: "h",
			Now: now, LeaseUntil: now.Add(time.Hour), WithAttempt: true})).must(t)
		equal(t, "attempt", got.Attempt, (*store.Object)(nil))
		equal(t, "still claimed", getTask(t, s, "tk-1").State, store.TaskLeased)
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		s := open(t)
		seed(t, s, "df-1")
		_, err := s.TaskComplete(t.Context(), store.TaskCompleteParams{ID: "tk-unknown", WithAttempt: true})
		wantErr(t, err, store.ErrNotFound)
		_, err = s.TaskClaim(t.Context(), store.TaskClaimParams{AccountID: acct, WorkerGroup: wgMain, Owner: "h",
			Now: at(0), LeaseUntil: at(time.Hour), WithAttempt: true})
		wantErr(t, err, store.ErrNotFound)
	})
}

// canonPtr is canonObject through a pointer; nil stays nil.
func canonPtr(o *store.Object) *store.Object {
	if o == nil {
		return nil
	}
	c := canonObject(*o)
	return &c
}

// taskAttempt is the attempt of newTask("tk-1", "df-1", …), with every
// attribute set.
func taskAttempt() store.Object {
	return newAttempt(newInstance("df-1", "@A_1", "A", at(0)), "att-tk-1")
}
