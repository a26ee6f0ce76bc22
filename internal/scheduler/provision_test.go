package scheduler

import (
	"context"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/datapipe/datapipe/internal/pipeline"
	"github.com/datapipe/datapipe/internal/resource"
	"github.com/datapipe/datapipe/internal/store"
	"github.com/datapipe/datapipe/internal/store/sqlite"
)

// fakeProvider records Ensure and Release and lists what it serves.
type fakeProvider struct {
	mu       sync.Mutex
	served   map[resource.Ref]resource.Status
	released []string
}

var _ resource.Provider = (*fakeProvider)(nil)

func (f *fakeProvider) Ensure(r resource.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.served[r.Ref] = resource.Status{Ref: r.Ref, State: resource.StateRunning}
}

func (f *fakeProvider) Release(r resource.Ref) {
	f.mu.Lock()
	defer f.mu.Unlock()
	delete(f.served, r)
	f.released = append(f.released, r.Instance)
}

func (f *fakeProvider) Statuses() []resource.Status {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []resource.Status
	for _, st := range f.served {
		out = append(out, st)
	}
	return out
}

func TestLoop_ReleaseInactive(t *testing.T) {
	ctx := context.Background()
	st, err := sqlite.Open(ctx, sqlite.Config{Path: filepath.Join(t.TempDir(), "s.db")})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	now := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, id := range []string{"df-LIVE", "df-BUSY", "df-IDLE"} {
		if _, _, err := st.PipelineCreate(ctx, store.PipelineCreateParams{Pipeline: store.Pipeline{ID: id, AccountID: "1", Name: id,
			UniqueID: id, State: pipeline.StateInactive, CreatedAt: now}}); err != nil {
			t.Fatal(err)
		}
	}
	// df-BUSY still has a running attempt (deactivated with cancelActive false).
	att := store.Object{PipelineID: "df-BUSY", ID: "@A_x_Attempt=1", Sphere: pipeline.SphereAttempt, ComponentID: "A", InstanceID: "@A_x",
		Status: pipeline.StatusRunning, ScheduledStart: now, ScheduledEnd: now}
	if err := st.ObjectCreate(ctx, store.ObjectCreateParams{Objects: []store.Object{att}}); err != nil {
		t.Fatal(err)
	}
	prov := &fakeProvider{served: map[resource.Ref]resource.Status{}}
	for _, p := range []string{"df-LIVE", "df-BUSY", "df-IDLE", "df-GONE"} {
		prov.Ensure(resource.Request{Ref: resource.Ref{AccountID: "1", PipelineID: p, Instance: "@Box_" + p}})
	}
	l := NewLoop(Config{Store: st, Resources: prov})
	l.releaseInactive(ctx, []store.Pipeline{{ID: "df-LIVE", AccountID: "1"}})
	slices.Sort(prov.released)
	if want := []string{"@Box_df-GONE", "@Box_df-IDLE"}; !slices.Equal(prov.released, want) {
		t.Errorf("released %v; want %v", prov.released, want)
	}
}
