package api

import (
	"errors"
	"log/slog"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// metrics are the server's Prometheus metrics.
type metrics struct {
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
}

// durationBuckets span fast calls to PollForTask's long poll (≤ 90 s).
var durationBuckets = []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30, 60, 120}

// newMetrics creates the metrics and registers them on reg. When reg
// already holds them (another Server on the same registry), the existing
// ones are shared.
func newMetrics(reg prometheus.Registerer, log *slog.Logger) *metrics {
	return &metrics{
		requests: register(reg, log, prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "datapipe_api_requests_total",
			Help: "API requests by operation and result code (OK or the error code).",
		}, []string{"operation", "code"})),
		duration: register(reg, log, prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "datapipe_api_request_duration_seconds",
			Help:    "API request duration by operation.",
			Buckets: durationBuckets,
		}, []string{"operation"})),
	}
}

// register registers c on reg and returns it, or the collector already
// registered in its place; a failure is logged and c is used unregistered.
func register[C prometheus.Collector](reg prometheus.Registerer, log *slog.Logger, c C) C {
	err := reg.Register(c)
	var are prometheus.AlreadyRegisteredError
	if errors.As(err, &are) {
		if existing, ok := are.ExistingCollector.(C); ok {
			return existing
		}
	}
	if err != nil {
		log.Error("register metric", "error", err)
	}
	return c
}

// observe counts a request and its duration.
func (m *metrics) observe(op string, code string, d time.Duration) {
	m.requests.WithLabelValues(op, code).Inc()
	m.duration.WithLabelValues(op).Observe(d.Seconds())
}
