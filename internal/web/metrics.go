package web

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
)

// metricsData is the metrics overview.
type metricsData struct {
	Queue      queueStats
	HaveQueue  bool
	States     []labelValue
	Operations []opStats
	Errors     []labelValue
	Note       string
}

// labelValue is one labelled number.
type labelValue struct {
	Label string
	Value float64
}

// opStats summarizes one API operation.
type opStats struct {
	Operation string
	Count     uint64
	Errors    float64
	P50, P95  string
}

// Collectors are the console's metrics (queue depth, the oldest wait for
// a runner, running and failed instances). Register them on the registry
// /metrics exports, so the page and /metrics show the same numbers.
func (c *Console) Collectors() []prometheus.Collector { return []prometheus.Collector{c.queue} }

// metricsPage shows the numbers /metrics exports, summarized.
func (c *Console) metricsPage(q *request) (*view, error) {
	d := &metricsData{}
	if c.cfg.Gatherer == nil {
		d.Note = "No metrics registry is configured."
		return &view{Template: "metrics", Title: "Metrics", Nav: "metrics", Data: d}, nil
	}
	fams, err := c.cfg.Gatherer.Gather()
	if err != nil && len(fams) == 0 {
		return nil, fmt.Errorf("gather metrics: %w", err)
	}
	byName := map[string]*dto.MetricFamily{}
	for _, f := range fams {
		byName[f.GetName()] = f
	}
	d.Queue, d.HaveQueue = queueFrom(byName)
	d.States = gaugeByLabel(byName["datapipe_pipelines"], "state")
	d.Operations, d.Errors = apiStats(byName)
	return &view{Template: "metrics", Title: "Metrics", Nav: "metrics", Data: d}, nil
}

// queueFrom reads the console collector's gauges.
func queueFrom(m map[string]*dto.MetricFamily) (queueStats, bool) {
	g := func(name string) (float64, bool) {
		f, ok := m[name]
		if !ok || len(f.GetMetric()) == 0 {
			return 0, false
		}
		return f.GetMetric()[0].GetGauge().GetValue(), true
	}
	depth, ok := g("datapipe_queue_depth")
	wait, _ := g("datapipe_dispatch_oldest_wait_seconds")
	run, _ := g("datapipe_instances_running")
	fail, _ := g("datapipe_instances_failed")
	return queueStats{Waiting: int(depth), Running: int(run), Failed: int(fail), OldestWait: time.Duration(wait * float64(time.Second))}, ok
}

func label(m *dto.Metric, name string) string {
	for _, l := range m.GetLabel() {
		if l.GetName() == name {
			return l.GetValue()
		}
	}
	return ""
}

func gaugeByLabel(f *dto.MetricFamily, name string) []labelValue {
	var out []labelValue
	for _, m := range f.GetMetric() {
		out = append(out, labelValue{label(m, name), m.GetGauge().GetValue()})
	}
	slices.SortFunc(out, func(a, b labelValue) int { return cmp.Compare(a.Label, b.Label) })
	return out
}

// apiStats summarizes requests, errors and latency by operation.
func apiStats(m map[string]*dto.MetricFamily) ([]opStats, []labelValue) {
	errs := map[string]float64{}
	var errList []labelValue
	for _, x := range m["datapipe_api_requests_total"].GetMetric() {
		if code := label(x, "code"); code != "OK" {
			errs[label(x, "operation")] += x.GetCounter().GetValue()
			errList = append(errList, labelValue{label(x, "operation") + " " + code, x.GetCounter().GetValue()})
		}
	}
	var ops []opStats
	for _, x := range m["datapipe_api_request_duration_seconds"].GetMetric() {
		h := x.GetHistogram()
		op := label(x, "operation")
		ops = append(ops, opStats{Operation: op, Count: h.GetSampleCount(), Errors: errs[op],
			P50: quantile(h, 0.5), P95: quantile(h, 0.95)})
	}
	slices.SortFunc(ops, func(a, b opStats) int { return cmp.Compare(a.Operation, b.Operation) })
	slices.SortFunc(errList, func(a, b labelValue) int { return cmp.Compare(a.Label, b.Label) })
	return ops, errList
}

// quantile estimates a quantile from histogram buckets (the upper bound
// of the bucket it falls in, as "≤ x").
func quantile(h *dto.Histogram, q float64) string {
	n := h.GetSampleCount()
	if n == 0 {
		return "—"
	}
	rank := uint64(math.Ceil(q * float64(n)))
	for _, b := range h.GetBucket() {
		if b.GetCumulativeCount() >= rank {
			return "≤ " + (time.Duration(b.GetUpperBound() * float64(time.Second))).String()
		}
	}
	return "> " + (time.Duration(h.GetBucket()[len(h.GetBucket())-1].GetUpperBound() * float64(time.Second))).String()
}
