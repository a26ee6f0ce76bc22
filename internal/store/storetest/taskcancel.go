package storetest

import (
	"testing"
	"time"

	"github.com/datapipe/datapipe/internal/store"
)

// cancel cancels the open tasks of pipeline id (of attempts, when given).
func cancel(t *testing.T, s store.Queries, id string, attempts ...string) int {
	t.Helper()
	return try(s.TaskCancel(t.Context(), store.TaskCancelParams{PipelineID: id, AttemptIDs: attempts})).must(t)
}

// testTaskCancel: TaskCancel ends QUEUED tasks at once and flags LEASED
// ones, leaving other pipelines and finished tasks alone.
func testTaskCancel(t *testing.T, open Opener) {
	t.Run("OK", func(t *testing.T) { testTaskCancelOK(t, open) })
	t.Run("LeasedLearnsOnExtend", func(t *testing.T) {
		s := open(t)
		seed(t, s, "df-1")
		claimed(t, s, "tk-1")
		cancel(t, s, "df-1")
		got := try(extend(t, s, "tk-1", at(time.Second), at(time.Hour))).must(t)
		equal(t, "extended", []any{got.State, got.Canceled, got.Acked}, []any{store.TaskLeased, true, true})
		equal(t, "complete", try(s.TaskComplete(t.Context(), store.TaskCompleteParams{ID: "tk-1"})).must(t).State, store.TaskDone)
	})
	t.Run("AttemptIDs", func(t *testing.T) {
		s := open(t)
		seed(t, s, "df-1")
		for _, id := range []string{"tk-1", "tk-2", "tk-3"} {
			createTask(t, s, newTask(id, "df-1", at(0)))
		}
		equal(t, "touched", cancel(t, s, "df-1", "att-tk-1", "att-tk-3", "att-unknown"), 2)
		states := []store.TaskState{getTask(t, s, "tk-1").State, getTask(t, s, "tk-2").State, getTask(t, s, "tk-3").State}
		equal(t, "states", states, []store.TaskState{store.TaskDone, store.TaskQueued, store.TaskDone})
	})
	t.Run("None", func(t *testing.T) {
		s := open(t)
		seed(t, s, "df-1")
		equal(t, "touched", cancel(t, s, "df-1"), 0)
		equal(t, "unknown pipeline", cancel(t, s, "df-unknown"), 0)
	})
}

// expiredFixture leases tasks in df-1 whose leases end at 1, 2 and 10
// minutes (tk-e1, tk-e2, tk-live), and adds one completed (tk-done) and one
// QUEUED (tk-queued).
func expiredFixture(t *testing.T, s store.Store) {
	t.Helper()
	seed(t, s, "df-1")
	for i, l := range []struct {
		id  string
		end time.Duration
	}{{"tk-e2", 2 * time.Minute}, {"tk-live", 10 * time.Minute}, {"tk-e1", time.Minute}, {"tk-done", 0}} {
		createTask(t, s, newTask(l.id, "df-1", at(-time.Hour+time.Duration(i)*time.Second)))
		tk := try(s.TaskClaim(t.Context(), store.TaskClaimParams{AccountID: acct, WorkerGroup: wgMain,
			Owner: "host-1", Now: at(-time.Minute), LeaseUntil: at(l.end)})).must(t)
		equal(t, "claimed", tk.ID, l.id)
	}
	try(s.TaskComplete(t.Context(), store.TaskCompleteParams{ID: "tk-done"})).must(t)
	createTask(t, s, newTask("tk-queued", "df-1", at(0)))
}

// listExpired lists expired tasks at now.
func listExpired(t *testing.T, s store.Queries, now time.Time, limit int) []string {
	t.Helper()
	return taskIDs(try(s.TaskListExpired(t.Context(), store.TaskListExpiredParams{Now: now, Limit: limit})).must(t))
}

// testTaskListExpired: TaskListExpired lists LEASED tasks whose lease ended
// before Now, oldest first.
func testTaskListExpired(t *testing.T, open Opener) {
	tests := []struct {
		name  string
		now   time.Time
		limit int
		want  []string
	}{
		{"OK", at(5 * time.Minute), 10, []string{"tk-e1", "tk-e2"}},
		{"Limit", at(5 * time.Minute), 1, []string{"tk-e1"}},
		{"AtLeaseEnd", at(time.Minute), 10, []string{}},
		{"JustAfter", at(time.Minute + time.Millisecond), 10, []string{"tk-e1"}},
		{"All", at(time.Hour), 10, []string{"tk-e1", "tk-e2", "tk-live"}},
		{"None", at(-time.Minute), 10, []string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := open(t)
			expiredFixture(t, s)
			equal(t, "ids", listExpired(t, s, tt.now, tt.limit), tt.want)
		})
	}
}

// testTaskExpire: TaskExpire ends a lease that is still expired at Now.
func testTaskExpire(t *testing.T, open Opener) {
	t.Run("OK", func(t *testing.T) {
		s := open(t)
		expiredFixture(t, s)
		want := getTask(t, s, "tk-e1")
		got := try(s.TaskExpire(t.Context(), store.TaskExpireParams{ID: "tk-e1", Now: at(5 * time.Minute)})).must(t)
		want.State = store.TaskDone
		equal(t, "expired", got, want)
		equal(t, "read back", getTask(t, s, "tk-e1"), want)
		equal(t, "listed", listExpired(t, s, at(5*time.Minute), 10), []string{"tk-e2"})
	})
	tests := []struct {
		name  string
		id    string
		setup func(t *testing.T, s store.Store)
	}{
		{"ErrConflict/Renewed", "tk-e1", func(t *testing.T, s store.Store) {
			try(extend(t, s, "tk-e1", at(30*time.Second), at(time.Hour))).must(t)
		}},
		{"ErrConflict/Completed", "tk-e1", func(t *testing.T, s store.Store) {
			try(s.TaskComplete(t.Context(), store.TaskCompleteParams{ID: "tk-e1"})).must(t)
		}},
		{"ErrConflict/Twice", "tk-e1", func(t *testing.T, s store.Store) {
			try(s.TaskExpire(t.Context(), store.TaskExpireParams{ID: "tk-e1", Now: at(5 * time.Minute)})).must(t)
		}},
		{"ErrConflict/NotExpired", "tk-live", func(t *testing.T, s store.Store) {}},
		{"ErrConflict/Queued", "tk-queued", func(t *testing.T, s store.Store) {}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := open(t)
			expiredFixture(t, s)
			tt.setup(t, s)
			_, err := s.TaskExpire(t.Context(), store.TaskExpireParams{ID: tt.id, Now: at(5 * time.Minute)})
			wantErr(t, err, store.ErrConflict)
		})
	}
	t.Run("ErrNotFound", func(t *testing.T) {
		s := open(t)
		_, err := s.TaskExpire(t.Context(), store.TaskExpireParams{ID: "tk-unknown", Now: at(0)})
		wantErr(t, err, store.ErrNotFound)
	})
}

// testTaskCancelOK cancels a pipeline with a QUEUED, a LEASED and a DONE
// task, beside another pipeline's task.
func testTaskCancelOK(t *testing.T, open Opener) {
	s := open(t)
	seed(t, s, "df-1")
	seed(t, s, "df-2")
	leased := claimed(t, s, "tk-leased")
	claimed(t, s, "tk-done")
	doneBefore := try(s.TaskComplete(t.Context(), store.TaskCompleteParams{ID: "tk-done"})).must(t)
	createTask(t, s, newTask("tk-queued", "df-1", at(0)))
	otherTask := newTask("tk-other", "df-2", at(0))
	otherTask.WorkerGroup = wgOther
	other := createTask(t, s, otherTask)

	equal(t, "touched", cancel(t, s, "df-1"), 2)

	q := getTask(t, s, "tk-queued")
	equal(t, "queued", []any{q.State, q.Canceled}, []any{store.TaskDone, true})
	leased.Canceled = true
	equal(t, "leased", getTask(t, s, "tk-leased"), leased)
	equal(t, "done", getTask(t, s, "tk-done"), doneBefore)
	equal(t, "other pipeline", getTask(t, s, "tk-other"), other)
	_, err := claim(t, s, at(time.Second))
	wantErr(t, err, store.ErrNotFound)
}
