package api

import (
	"context"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/datapipe/datapipe/internal/pipeline"
)

// PipelineStateCollector exports datapipe_pipelines{state} from a counting
// function called on every scrape (with a 5-second bound). A failed count
// exports nothing for that scrape.
type PipelineStateCollector struct {
	count func(ctx context.Context) (map[pipeline.PipelineState]int, error)
	desc  *prometheus.Desc
}

// NewPipelineStateCollector returns a collector over count (typically
// control.Service.PipelineStates).
func NewPipelineStateCollector(count func(ctx context.Context) (map[pipeline.PipelineState]int, error)) *PipelineStateCollector {
	return &PipelineStateCollector{count: count,
		desc: prometheus.NewDesc("datapipe_pipelines", "Live pipelines by state.", []string{"state"}, nil)}
}

// Describe implements prometheus.Collector.
func (c *PipelineStateCollector) Describe(ch chan<- *prometheus.Desc) { ch <- c.desc }

// Collect implements prometheus.Collector.
func (c *PipelineStateCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	counts, err := c.count(ctx)
	if err != nil {
		return
	}
	for st, n := range counts {
		ch <- prometheus.MustNewConstMetric(c.desc, prometheus.GaugeValue, float64(n), string(st))
	}
}
