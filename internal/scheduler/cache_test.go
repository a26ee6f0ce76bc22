package scheduler

import (
	"context"
	"testing"
	"time"

	"github.com/datapipe/datapipe/internal/pipeline"
	"github.com/datapipe/datapipe/internal/store"
)

// Reported attempts reach the next pass as stored, the latest revision
// winning whatever order the reports arrive in; a pipeline the loop has
// no cache for is only marked for a pass (it will be loaded in full).
func TestLoop_Reported(t *testing.T) {
	now := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	att := func(rev int64, st pipeline.Status) store.Object {
		return store.Object{PipelineID: "df-1", ID: "@A_x_Attempt=1", Sphere: pipeline.SphereAttempt, ComponentID: "A",
			Status: st, Revision: rev, UpdatedAt: now.Add(time.Duration(rev) * time.Nanosecond)}
	}
	t.Run("OK", func(t *testing.T) {
		l := NewLoop(Config{Store: nopStore{}})
		l.caches["df-1"] = newPipelineCache(store.Pipeline{ID: "df-1"})
		l.Reported(att(3, pipeline.StatusFinished), true)
		l.Reported(att(2, pipeline.StatusRunning), false)
		_, _, todo := l.cacheFor(store.Pipeline{ID: "df-1"}, now)
		if len(todo.reported) != 1 || todo.reported[0].Revision != 3 || todo.reported[0].Status != pipeline.StatusFinished {
			t.Fatalf("reported = %+v; want revision 3, FINISHED", todo.reported)
		}
		if !l.dirty["df-1"] {
			t.Error("the pipeline is not marked for the next pass")
		}
		if got := todo.reported[0].UpdatedAt; !got.Equal(now) {
			t.Errorf("UpdatedAt = %v; want it truncated to the millisecond as stored (%v)", got, now)
		}
	})
	t.Run("OKNoCache", func(t *testing.T) {
		l := NewLoop(Config{Store: nopStore{}})
		l.Reported(att(1, pipeline.StatusRunning), false)
		if !l.dirty["df-1"] || len(l.caches) != 0 {
			t.Errorf("dirty %v, caches %d; want the pipeline marked and no cache made", l.dirty, len(l.caches))
		}
	})
}

// nopStore is a store.Store that the tests above never call.
type nopStore struct{ store.Store }

// The leader renews its lease once a third of LeaseTTL has passed, not on
// every pass; a lease it failed to get is asked for again at once.
func TestLoop_Lead(t *testing.T) {
	now := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	st := &leaseStore{}
	l := NewLoop(Config{Store: st, LeaseTTL: 9 * time.Second, Now: func() time.Time { return now }})
	for _, step := range []struct {
		after    time.Duration
		conflict bool
		want     bool
		calls    int
	}{
		{0, false, true, 1},
		{time.Second, false, true, 1},
		{1500 * time.Millisecond, false, true, 1},
		{500 * time.Millisecond, false, true, 2}, // 3 s: a third of the TTL
		{time.Second, false, true, 2},
		{3 * time.Second, true, false, 3}, // lost to another replica
		{time.Millisecond, false, true, 4},
	} {
		now = now.Add(step.after)
		st.conflict = step.conflict
		if got := l.lead(t.Context()); got != step.want || st.calls != step.calls {
			t.Fatalf("at %v: lead = %v after %d store calls; want %v after %d", now, got, st.calls, step.want, step.calls)
		}
	}
}

// leaseStore counts LeaseAcquire calls, failing them when conflict is set.
type leaseStore struct {
	store.Store
	calls    int
	conflict bool
}

func (s *leaseStore) LeaseAcquire(context.Context, store.LeaseAcquireParams) error {
	s.calls++
	if s.conflict {
		return store.ErrConflict
	}
	return nil
}
