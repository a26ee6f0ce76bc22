package control_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/datapipe/datapipe/internal/control"
)

// BenchmarkService_DispatchLatency measures how long an idle, waiting
// PollForTask takes to return a task after the task is queued and its
// worker group notified (what the scheduler does when a task becomes
// ready), on the embedded store. It reports p50 and p99.
func BenchmarkService_DispatchLatency(b *testing.B) {
	f := newFixture(&testing.T{}, control.Config{PollWait: 10 * time.Second})
	id := f.activeHello(&testing.T{})
	ctx := context.Background()
	lat := make([]time.Duration, 0, b.N)
	start := time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range b.N {
		got := make(chan time.Time, 1)
		go func() {
			to, _ := f.svc.PollForTask(ctx, caller, "wg", "h")
			if to != nil {
				got <- time.Now()
			}
		}()
		time.Sleep(2 * time.Millisecond) // let the poll go idle before the task appears
		t0 := time.Now()
		f.queue(&testing.T{}, id, "wg", start.Add(time.Duration(i)*time.Hour))
		lat = append(lat, (<-got).Sub(t0))
	}
	slices.Sort(lat)
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds()), "p50-µs")
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds()), "p99-µs")
}
