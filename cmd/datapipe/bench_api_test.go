package main

import (
	"context"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/datapipeline"
	"github.com/aws/aws-sdk-go-v2/service/datapipeline/types"
)

// The API benchmarks measure round trips through the official SDK client
// to the real server on loopback. Each reports the p50 and p99 latency of
// a sequential client, and throughput with 50 concurrent clients.
//
//	go test -run '^$' -bench API ./cmd/datapipe/

func BenchmarkAPI_DescribePipelines(b *testing.B) {
	for _, sc := range storeCases() {
		b.Run(sc.name, func(b *testing.B) {
			t := b
			url := sc.url(b)
			s := startServer(t, url)
			c := s.local()
			id := newPipeline(t, c, "bench")
			call := func() error {
				_, err := c.DescribePipelines(context.Background(), &datapipeline.DescribePipelinesInput{PipelineIds: []string{id}})
				return err
			}
			measure(b, call)
		})
	}
}

func BenchmarkAPI_PollSetTaskStatus(b *testing.B) {
	for _, sc := range storeCases() {
		b.Run(sc.name, func(b *testing.B) {
			t := b
			url := sc.url(b)
			s := startServer(t, url)
			c := s.local()
			id := newPipeline(t, c, "bench")
			putHello(t, c, id)
			_, _ = c.ActivatePipeline(context.Background(), &datapipeline.ActivatePipelineInput{PipelineId: aws.String(id)})
			st, err := openStore(context.Background(), url, nil)
			if err != nil {
				b.Fatal(err)
			}
			defer st.Close()
			start := time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
			var seq struct {
				sync.Mutex
				n int
			}
			call := func() error {
				seq.Lock()
				seq.n++
				at := start.Add(time.Duration(seq.n) * time.Hour)
				seq.Unlock()
				queueTaskIn(t, st, id, "Hello", "wg-bench", at)
				out, err := c.PollForTask(context.Background(), &datapipeline.PollForTaskInput{WorkerGroup: aws.String("wg-bench")})
				if err != nil || out.TaskObject == nil {
					return err
				}
				_, err = c.SetTaskStatus(context.Background(), &datapipeline.SetTaskStatusInput{TaskId: out.TaskObject.TaskId, TaskStatus: types.TaskStatusFinished})
				return err
			}
			measure(b, call)
		})
	}
}

// measure reports p50/p99 of sequential calls, then the throughput of 50
// concurrent callers.
func measure(b *testing.B, call func() error) {
	lat := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for range b.N {
		t0 := time.Now()
		if err := call(); err != nil {
			b.Fatal(err)
		}
		lat = append(lat, time.Since(t0))
	}
	b.StopTimer()
	slices.Sort(lat)
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds()), "p50-µs")
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds()), "p99-µs")
	b.ReportMetric(throughput(b, call, 50, 2*time.Second), "req/s@50")
}

// throughput runs clients concurrent callers for d and returns calls/s.
func throughput(b *testing.B, call func() error, clients int, d time.Duration) float64 {
	var wg sync.WaitGroup
	var mu sync.Mutex
	n := 0
	deadline := time.Now().Add(d)
	for range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for time.Now().Before(deadline) {
				if err := call(); err != nil {
					b.Error(err)
					return
				}
				mu.Lock()
				n++
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	return float64(n) / d.Seconds()
}
