package storetest

import (
	"testing"
	"time"

	"github.com/datapipe/datapipe/internal/store"
)

// testTaskCreate: TaskCreate queues a task, forcing it QUEUED and
// unclaimed.
func testTaskCreate(t *testing.T, open Opener) {
	t.Run("OK", func(t *testing.T) {
		s := open(t)
		seed(t, s, "df-1")
		in := newTask("tk-1", "df-1", at(0))
		in.AvailableAt, in.Version = at(time.Minute), 3
		want := in
		want.State = store.TaskQueued
		in.State, in.Owner, in.Acked, in.Canceled = store.TaskLeased, "intruder", true, true
		in.LeaseExpiresAt, in.ClaimedAt = at(time.Hour), at(time.Second)
		equal(t, "created", createTask(t, s, in), want)
		equal(t, "read back", getTask(t, s, "tk-1"), want)
	})
	t.Run("ErrConflict", func(t *testing.T) {
		s := open(t)
		seed(t, s, "df-1")
		createTask(t, s, newTask("tk-1", "df-1", at(0)))
		_, err := s.TaskCreate(t.Context(), store.TaskCreateParams{Task: newTask("tk-1", "df-1", at(time.Minute))})
		wantErr(t, err, store.ErrConflict)
		equal(t, "kept", getTask(t, s, "tk-1").CreatedAt, at(0))
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		s := open(t)
		_, err := s.TaskCreate(t.Context(), store.TaskCreateParams{Task: newTask("tk-1", "df-none", at(0))})
		wantErr(t, err, store.ErrNotFound)
	})
}

// testTaskCreateAll: TaskCreateAll queues every task as TaskCreate does,
// or none.
func testTaskCreateAll(t *testing.T, open Opener) {
	t.Run("OK", func(t *testing.T) {
		s := open(t)
		seed(t, s, "df-1")
		a, b := newTask("tk-a", "df-1", at(0)), newTask("tk-b", "df-1", at(time.Second))
		a.Version, b.State = 2, store.TaskLeased
		noErr(t, s.TaskCreateAll(t.Context(), store.TaskCreateAllParams{Tasks: []store.Task{a, b}}))
		a.State, b.State = store.TaskQueued, store.TaskQueued
		equal(t, "a", getTask(t, s, "tk-a"), a)
		equal(t, "b", getTask(t, s, "tk-b"), b)
	})
	t.Run("OK/Empty", func(t *testing.T) {
		s := open(t)
		noErr(t, s.TaskCreateAll(t.Context(), store.TaskCreateAllParams{}))
	})
	tests := []struct {
		name  string
		tasks []store.Task
		want  error
	}{
		{"ErrConflict/Existing", []store.Task{newTask("tk-new", "df-1", at(0)), newTask("tk-old", "df-1", at(0))}, store.ErrConflict},
		{"ErrConflict/Repeated", []store.Task{newTask("tk-new", "df-1", at(0)), newTask("tk-new", "df-1", at(0))}, store.ErrConflict},
		{"ErrNotFound", []store.Task{newTask("tk-new", "df-1", at(0)), newTask("tk-x", "df-none", at(0))}, store.ErrNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := open(t)
			seed(t, s, "df-1")
			createTask(t, s, newTask("tk-old", "df-1", at(0)))
			wantErr(t, s.TaskCreateAll(t.Context(), store.TaskCreateAllParams{Tasks: tt.tasks}), tt.want)
			_, err := s.TaskGet(t.Context(), "tk-new")
			wantErr(t, err, store.ErrNotFound)
		})
	}
}

// testTaskGet: TaskGet reads a task by id.
func testTaskGet(t *testing.T, open Opener) {
	t.Run("OK", func(t *testing.T) {
		s := open(t)
		seed(t, s, "df-1")
		want := createTask(t, s, newTask("tk-1", "df-1", at(0)))
		equal(t, "task", getTask(t, s, "tk-1"), want)
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		s := open(t)
		_, err := s.TaskGet(t.Context(), "tk-unknown")
		wantErr(t, err, store.ErrNotFound)
	})
}

// testTaskClaim: TaskClaim leases the oldest available QUEUED task of the
// worker group in the account.
func testTaskClaim(t *testing.T, open Opener) {
	t.Run("OK", func(t *testing.T) {
		s := open(t)
		seed(t, s, "df-1")
		want := createTask(t, s, newTask("tk-1", "df-1", at(0)))
		now := at(time.Minute)
		got := try(claim(t, s, now)).must(t)
		want.State, want.Owner, want.LeaseExpiresAt, want.ClaimedAt = store.TaskLeased, "host-1", now.Add(time.Minute), now
		equal(t, "claimed", got, want)
		equal(t, "read back", getTask(t, s, "tk-1"), want)
	})
	t.Run("OldestFirst", func(t *testing.T) {
		s := open(t)
		seed(t, s, "df-1")
		createTask(t, s, newTask("tk-a", "df-1", at(3*time.Second)))
		createTask(t, s, newTask("tk-c", "df-1", at(1*time.Second)))
		createTask(t, s, newTask("tk-b", "df-1", at(2*time.Second)))
		var got []string
		for range 3 {
			got = append(got, try(claim(t, s, at(time.Minute))).must(t).ID)
		}
		equal(t, "order", got, []string{"tk-c", "tk-b", "tk-a"})
		_, err := claim(t, s, at(time.Minute))
		wantErr(t, err, store.ErrNotFound)
	})
	t.Run("AvailableAt", func(t *testing.T) {
		s := open(t)
		seed(t, s, "df-1")
		tk := newTask("tk-1", "df-1", at(0))
		tk.AvailableAt = at(time.Minute)
		createTask(t, s, tk)
		_, err := claim(t, s, at(time.Minute-time.Millisecond))
		wantErr(t, err, store.ErrNotFound)
		equal(t, "claimed at AvailableAt", try(claim(t, s, at(time.Minute))).must(t).ID, "tk-1")
	})
	t.Run("SkipsUnavailable", func(t *testing.T) {
		s := open(t)
		seed(t, s, "df-1")
		later := newTask("tk-later", "df-1", at(0))
		later.AvailableAt = at(time.Hour)
		createTask(t, s, later)
		createTask(t, s, newTask("tk-now", "df-1", at(time.Second)))
		equal(t, "claimed", try(claim(t, s, at(time.Minute))).must(t).ID, "tk-now")
	})
	t.Run("ErrNotFound", func(t *testing.T) { testTaskClaimNotFound(t, open) })
}

// testTaskClaimNotFound: nothing is claimable from another account or
// worker group, nor a task already leased or done.
func testTaskClaimNotFound(t *testing.T, open Opener) {
	tests := []struct {
		name  string
		setup func(t *testing.T, s store.Store)
	}{
		{"Empty", func(t *testing.T, s store.Store) {}},
		{"OtherWorkerGroup", func(t *testing.T, s store.Store) {
			tk := newTask("tk-1", "df-1", at(0))
			tk.WorkerGroup = wgOther
			createTask(t, s, tk)
		}},
		{"OtherAccount", func(t *testing.T, s store.Store) {
			createPipeline(t, s, newPipeline(acctOther, "df-other"))
			tk := newTask("tk-1", "df-other", at(0))
			tk.AccountID = acctOther
			createTask(t, s, tk)
		}},
		{"Leased", func(t *testing.T, s store.Store) {
			createTask(t, s, newTask("tk-1", "df-1", at(0)))
			try(claim(t, s, at(time.Second))).must(t)
		}},
		{"Done", func(t *testing.T, s store.Store) {
			createTask(t, s, newTask("tk-1", "df-1", at(0)))
			try(claim(t, s, at(time.Second))).must(t)
			try(s.TaskComplete(t.Context(), store.TaskCompleteParams{ID: "tk-1"})).must(t)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := open(t)
			seed(t, s, "df-1")
			tt.setup(t, s)
			_, err := claim(t, s, at(time.Hour))
			wantErr(t, err, store.ErrNotFound)
		})
	}
}

// claimed creates task id in df-1 (which must exist) and claims it at
// at(0), leased until at(time.Minute).
func claimed(t *testing.T, s store.Queries, id string) store.Task {
	t.Helper()
	createTask(t, s, newTask(id, "df-1", at(-time.Second)))
	tk := try(claim(t, s, at(0))).must(t)
	if tk.ID != id {
		t.Fatalf("claimed %s, want %s", tk.ID, id)
	}
	return tk
}

// extend renews task id's lease at now until until.
func extend(t *testing.T, s store.Queries, id string, now, until time.Time) (store.Task, error) {
	t.Helper()
	return s.TaskExtend(t.Context(), store.TaskExtendParams{ID: id, Now: now, LeaseUntil: until})
}

// testTaskExtend: TaskExtend renews an unexpired lease and acknowledges
// the task.
func testTaskExtend(t *testing.T, open Opener) {
	for _, c := range []struct {
		name string
		now  time.Duration
	}{{"OK", 30 * time.Second}, {"OK/AtLeaseEnd", time.Minute}} {
		now := c.now
		t.Run(c.name, func(t *testing.T) {
			s := open(t)
			seed(t, s, "df-1")
			want := claimed(t, s, "tk-1")
			got := try(extend(t, s, "tk-1", at(now), at(5*time.Minute))).must(t)
			want.Acked, want.LeaseExpiresAt = true, at(5*time.Minute)
			equal(t, "extended", got, want)
			equal(t, "read back", getTask(t, s, "tk-1"), want)
		})
	}
	tests := []struct {
		name  string
		id    string
		setup func(t *testing.T, s store.Store)
		now   time.Time
	}{
		{"ErrNotFound/Unknown", "tk-unknown", func(t *testing.T, s store.Store) {}, at(0)},
		{"ErrNotFound/Expired", "tk-1", func(t *testing.T, s store.Store) { claimed(t, s, "tk-1") }, at(time.Minute + time.Millisecond)},
		{"ErrNotFound/Queued", "tk-1", func(t *testing.T, s store.Store) { createTask(t, s, newTask("tk-1", "df-1", at(0))) }, at(0)},
		{"ErrNotFound/Done", "tk-1", func(t *testing.T, s store.Store) {
			claimed(t, s, "tk-1")
			try(s.TaskComplete(t.Context(), store.TaskCompleteParams{ID: "tk-1"})).must(t)
		}, at(time.Second)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := open(t)
			seed(t, s, "df-1")
			tt.setup(t, s)
			_, err := extend(t, s, tt.id, tt.now, tt.now.Add(time.Hour))
			wantErr(t, err, store.ErrNotFound)
		})
	}
}

// testTaskComplete: TaskComplete moves a LEASED task to DONE, once.
func testTaskComplete(t *testing.T, open Opener) {
	t.Run("OK", func(t *testing.T) {
		s := open(t)
		seed(t, s, "df-1")
		want := claimed(t, s, "tk-1")
		got := try(s.TaskComplete(t.Context(), store.TaskCompleteParams{ID: "tk-1"})).must(t)
		want.State = store.TaskDone
		equal(t, "completed", got, want)
		equal(t, "read back", getTask(t, s, "tk-1"), want)
	})
	tests := []struct {
		name  string
		setup func(t *testing.T, s store.Store)
	}{
		{"ErrNotFound/Unknown", func(t *testing.T, s store.Store) {}},
		{"ErrNotFound/Queued", func(t *testing.T, s store.Store) { createTask(t, s, newTask("tk-1", "df-1", at(0))) }},
		{"ErrNotFound/Twice", func(t *testing.T, s store.Store) {
			claimed(t, s, "tk-1")
			try(s.TaskComplete(t.Context(), store.TaskCompleteParams{ID: "tk-1"})).must(t)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := open(t)
			seed(t, s, "df-1")
			tt.setup(t, s)
			_, err := s.TaskComplete(t.Context(), store.TaskCompleteParams{ID: "tk-1"})
			wantErr(t, err, store.ErrNotFound)
		})
	}
}
