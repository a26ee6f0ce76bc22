package storetest

import (
	"testing"
	"time"

	"github.com/datapipe/datapipe/internal/store"
)

// fineTime is a time with sub-millisecond digits, in a zone east of UTC.
func fineTime(d time.Duration) time.Time {
	east := time.FixedZone("UTC+5:30", 5*3600+30*60)
	return time.Date(2024, 3, 1, 17, 30, 0, 123_456_789, east).Add(d)
}

// sameMillis fails t unless got is in UTC and equals want to the
// millisecond.
func sameMillis(t *testing.T, what string, got, want time.Time) {
	t.Helper()
	if got.Location() != time.UTC {
		t.Errorf("%s: location %v, want UTC", what, got.Location())
	}
	if !got.Truncate(time.Millisecond).Equal(want.Truncate(time.Millisecond)) {
		t.Errorf("%s: %v, want %v to the millisecond", what, got, want.UTC())
	}
}

// testTimeRoundTrip: every stored time comes back in UTC, equal to what
// was written to at least the millisecond.
func testTimeRoundTrip(t *testing.T, open Opener) {
	t.Run("Pipeline", func(t *testing.T) {
		s := open(t)
		in := newPipeline(acct, "df-1")
		in.CreatedAt = fineTime(0)
		p := createPipeline(t, s, in)
		p.FirstActivatedAt, p.LastActivatedAt, p.LastDeactivatedAt = fineTime(1), fineTime(2), fineTime(3)
		p.FinishedAt, p.HealthUpdatedAt = fineTime(4), fineTime(5)
		try(s.PipelineUpdate(t.Context(), store.PipelineUpdateParams{Pipeline: p})).must(t)
		got := try(getPipeline(t, s, acct, "df-1")).must(t)
		for i, pair := range [][2]time.Time{{got.CreatedAt, in.CreatedAt}, {got.FirstActivatedAt, p.FirstActivatedAt},
			{got.LastActivatedAt, p.LastActivatedAt}, {got.LastDeactivatedAt, p.LastDeactivatedAt},
			{got.FinishedAt, p.FinishedAt}, {got.HealthUpdatedAt, p.HealthUpdatedAt}} {
			sameMillis(t, "pipeline time "+string(rune('0'+i)), pair[0], pair[1])
		}
	})
	t.Run("Definition", func(t *testing.T) {
		s := open(t)
		seed(t, s, "df-1")
		putDefinition(t, s, "df-1", richDefinition(), false, fineTime(0))
		sameMillis(t, "created", getDefinition(t, s, "df-1", 1).CreatedAt, fineTime(0))
	})
	t.Run("Object", testTimeRoundTripObject(open))
	t.Run("Task", func(t *testing.T) {
		s := open(t)
		seed(t, s, "df-1")
		tk := newTask("tk-1", "df-1", fineTime(0))
		tk.AvailableAt = fineTime(time.Second)
		createTask(t, s, tk)
		try(s.TaskClaim(t.Context(), store.TaskClaimParams{AccountID: acct, WorkerGroup: wgMain, Owner: "h",
			Now: fineTime(2 * time.Second), LeaseUntil: fineTime(time.Minute)})).must(t)
		got := getTask(t, s, "tk-1")
		sameMillis(t, "created", got.CreatedAt, fineTime(0))
		sameMillis(t, "available", got.AvailableAt, fineTime(time.Second))
		sameMillis(t, "claimed", got.ClaimedAt, fineTime(2*time.Second))
		sameMillis(t, "lease", got.LeaseExpiresAt, fineTime(time.Minute))
	})
	t.Run("Runner", func(t *testing.T) {
		s := open(t)
		heartbeat(t, s, acct, "r-1", "h", fineTime(0))
		sameMillis(t, "last seen", try(s.RunnerList(t.Context(), store.RunnerListParams{AccountID: acct})).must(t)[0].LastSeen, fineTime(0))
	})
}

// testTimeRoundTripObject checks the four object times and UpdatedAt.
func testTimeRoundTripObject(open Opener) func(t *testing.T) {
	return func(t *testing.T) {
		s := open(t)
		seed(t, s, "df-1")
		o := newInstance("df-1", "@i", "Shell", fineTime(0))
		o.ActualStart, o.ActualEnd, o.UpdatedAt = fineTime(time.Minute), fineTime(2*time.Minute), fineTime(3*time.Minute)
		createObjects(t, s, o)
		got := getObjects(t, s, "df-1", "@i")[0]
		sameMillis(t, "scheduled start", got.ScheduledStart, o.ScheduledStart)
		sameMillis(t, "scheduled end", got.ScheduledEnd, o.ScheduledEnd)
		sameMillis(t, "actual start", got.ActualStart, o.ActualStart)
		sameMillis(t, "actual end", got.ActualEnd, o.ActualEnd)
		sameMillis(t, "updated", got.UpdatedAt, o.UpdatedAt)
	}
}
