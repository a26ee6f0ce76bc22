package web

import (
	"context"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/datapipe/datapipe/internal/pipeline"
	"github.com/datapipe/datapipe/internal/store"
)

// queueCacheTTL is how old a queue snapshot may get before a scrape or a
// metrics page starts a refresh (they never wait for one, except the
// first).
const queueCacheTTL = 10 * time.Second

// queueStats is the engine's work in flight across active pipelines.
type queueStats struct {
	Waiting int
	Running int
	Failed  int
	// OldestWait is how long the longest-waiting dispatched instance has
	// waited for a runner.
	OldestWait time.Duration
	At         time.Time
}

// queueCollector exports queue depth, the oldest wait for a runner and
// current failures, computed from the store and refreshed in the
// background when older than queueCacheTTL.
type queueCollector struct {
	st         store.Queries
	now        func() time.Time
	mu         sync.Mutex
	last       queueStats
	refreshing bool
	depth      *prometheus.Desc
	wait       *prometheus.Desc
	run        *prometheus.Desc
	fail       *prometheus.Desc
}

func newQueueCollector(st store.Queries, now func() time.Time) *queueCollector {
	return &queueCollector{st: st, now: now,
		depth: prometheus.NewDesc("datapipe_queue_depth", "Instances of active pipelines waiting for a runner (WAITING_FOR_RUNNER).", nil, nil),
		wait:  prometheus.NewDesc("datapipe_dispatch_oldest_wait_seconds", "How long the longest-waiting dispatched instance has waited for a runner.", nil, nil),
		run:   prometheus.NewDesc("datapipe_instances_running", "Instances of active pipelines RUNNING.", nil, nil),
		fail:  prometheus.NewDesc("datapipe_instances_failed", "Instances of active pipelines FAILED or CASCADE_FAILED (at most 10,000 per pipeline).", nil, nil)}
}

// Describe implements prometheus.Collector.
func (q *queueCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- q.depth
	ch <- q.wait
	ch <- q.run
	ch <- q.fail
}

// Collect implements prometheus.Collector; a failed computation exports
// nothing.
func (q *queueCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	s, err := q.stats(ctx)
	if err != nil {
		return
	}
	ch <- prometheus.MustNewConstMetric(q.depth, prometheus.GaugeValue, float64(s.Waiting))
	ch <- prometheus.MustNewConstMetric(q.wait, prometheus.GaugeValue, s.OldestWait.Seconds())
	ch <- prometheus.MustNewConstMetric(q.run, prometheus.GaugeValue, float64(s.Running))
	ch <- prometheus.MustNewConstMetric(q.fail, prometheus.GaugeValue, float64(s.Failed))
}

// stats returns the latest snapshot. Only the first call waits for a
// computation; later ones return the last snapshot at once and, when it
// is older than queueCacheTTL, start one refresh in the background.
func (q *queueCollector) stats(ctx context.Context) (queueStats, error) {
	q.mu.Lock()
	last, now := q.last, q.now()
	stale := now.Sub(last.At) >= queueCacheTTL
	if !last.At.IsZero() && stale && !q.refreshing {
		q.refreshing = true
		go q.refresh()
	}
	q.mu.Unlock()
	if !last.At.IsZero() {
		return last, nil
	}
	s, err := q.compute(ctx, now)
	if err == nil {
		q.store(s)
	}
	return s, err
}

// refresh recomputes the snapshot (bounded to 30 seconds).
func (q *queueCollector) refresh() {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	s, err := q.compute(ctx, q.now())
	q.mu.Lock()
	q.refreshing = false
	q.mu.Unlock()
	if err == nil {
		q.store(s)
	}
}

// store keeps s unless a newer snapshot is already kept.
func (q *queueCollector) store(s queueStats) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if s.At.After(q.last.At) {
		q.last = s
	}
}

func (q *queueCollector) compute(ctx context.Context, now time.Time) (queueStats, error) {
	s := queueStats{At: now}
	ps, err := q.st.PipelineListByState(ctx, store.PipelineListByStateParams{States: []pipeline.PipelineState{pipeline.StateScheduled, pipeline.StateDeactivating}})
	if err != nil {
		return s, err
	}
	watch := []string{string(pipeline.StatusWaitingForRunner), string(pipeline.StatusRunning), string(pipeline.StatusFailed), string(pipeline.StatusCascadeFailed)}
	for _, p := range ps {
		objs, err := q.st.ObjectQuery(ctx, store.ObjectQueryParams{PipelineID: p.ID, Sphere: pipeline.SphereInstance, Limit: 10000,
			Filters: []store.ObjectFilter{{Field: "@status", Op: store.OpEQ, Values: watch}}})
		if err != nil {
			return s, err
		}
		for _, o := range objs {
			s.add(o, now)
		}
	}
	return s, nil
}

func (s *queueStats) add(o store.Object, now time.Time) {
	switch o.Status {
	case pipeline.StatusWaitingForRunner:
		s.Waiting++
		s.OldestWait = max(s.OldestWait, now.Sub(o.UpdatedAt))
	case pipeline.StatusRunning:
		s.Running++
	default:
		s.Failed++
	}
}
