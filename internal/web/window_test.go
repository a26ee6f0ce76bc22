package web

import (
	"context"
	"testing"
	"time"

	"github.com/datapipe/datapipe/internal/pipeline"
	"github.com/datapipe/datapipe/internal/scheduler"
	"github.com/datapipe/datapipe/internal/store"
)

// seedHistory inserts n hourly FINISHED instances of two components in
// one store call.
func seedHistory(t *testing.T, e *env, n int) {
	var objs []store.Object
	for i := range n {
		start := hour(0).Add(time.Duration(i) * time.Hour)
		for _, comp := range []string{"Extract", "Load"} {
			objs = append(objs, store.Object{PipelineID: e.id, ID: scheduler.InstanceID(comp, start), Sphere: pipeline.SphereInstance,
				ComponentID: comp, Status: pipeline.StatusFinished, ScheduledStart: start, ScheduledEnd: start.Add(time.Hour), UpdatedAt: testNow})
		}
	}
	if err := e.st.ObjectCreate(context.Background(), store.ObjectCreateParams{Objects: objs}); err != nil {
		t.Fatal(err)
	}
}

func TestConsole_Window(t *testing.T) {
	e := newEnv(t, nil)
	seedHistory(t, e, 2000)
	last := hour(0).Add(1999 * time.Hour)
	base := windowQuery{PipelineID: e.id, Sphere: pipeline.SphereInstance, Rows: 40, Limit: 40*64 + 500}
	tests := []struct {
		name        string
		q           func(windowQuery) windowQuery
		first, last time.Time
	}{
		{"latest", func(q windowQuery) windowQuery { q.Before, q.Period = last.Add(time.Second), time.Hour; return q }, last.Add(-39 * time.Hour), last},
		{"latest with a wrong period guess", func(q windowQuery) windowQuery { q.Before, q.Period = last.Add(time.Second), time.Minute; return q }, last.Add(-39 * time.Hour), last},
		{"latest with a too wide guess", func(q windowQuery) windowQuery {
			q.Before, q.Period, q.Limit = last.Add(time.Second), 1000*time.Hour, 200
			return q
		}, last.Add(-39 * time.Hour), last},
		{"before", func(q windowQuery) windowQuery { q.Before, q.Period = hour(0).Add(100*time.Hour), time.Hour; return q }, hour(0).Add(60 * time.Hour), hour(0).Add(99 * time.Hour)},
		{"before the start", func(q windowQuery) windowQuery { q.Before, q.Period = hour(0).Add(10*time.Hour), time.Hour; return q }, hour(0), hour(0).Add(9 * time.Hour)},
		{"after", func(q windowQuery) windowQuery { q.After = hour(0).Add(500 * time.Hour); return q }, hour(0).Add(500 * time.Hour), hour(0).Add(539 * time.Hour)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w, err := e.console.window(context.Background(), tt.q(base))
			if err != nil {
				t.Fatal(err)
			}
			if len(w.Starts) == 0 {
				t.Fatal("no rows")
			}
			if !w.Starts[0].Equal(tt.first) || !w.Starts[len(w.Starts)-1].Equal(tt.last) {
				t.Errorf("rows %s … %s (%d); want %s … %s", w.Starts[0], w.Starts[len(w.Starts)-1], len(w.Starts), tt.first, tt.last)
			}
			if len(w.Objs) != 2*len(w.Starts) {
				t.Errorf("%d objects for %d rows", len(w.Objs), len(w.Starts))
			}
		})
	}
}
