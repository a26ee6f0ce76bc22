package main

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/datapipeline"
	"github.com/aws/aws-sdk-go-v2/service/datapipeline/types"
)

// throughputTasks is how many no-op activities one throughput run
// completes.
const throughputTasks = 2000

// BenchmarkServer_TaskThroughput is benchmark (c) of issue 4: no-op task
// completions through the full protocol. A pipeline of throughputTasks
// independent activities is activated on the real server; 16 clients
// (the official SDK, over loopback HTTP, as remote task runners do) each
// loop PollForTask → ReportTaskProgress (the acknowledgement) →
// SetTaskStatus FINISHED without running anything. The figure is the
// rate from activation until the scheduler has marked every instance
// FINISHED, so it includes planning, queueing and the status roll-up.
func BenchmarkServer_TaskThroughput(b *testing.B) {
	for _, sc := range storeCases() {
		b.Run(sc.name, func(b *testing.B) {
			for b.Loop() {
				s := startServer(b, sc.url(b), "--poll-wait", "1s")
				rate, cpu := completeNoops(b, s, throughputTasks, benchClients())
				b.ReportMetric(rate, "tasks/s")
				b.ReportMetric(float64(cpu.Microseconds())/throughputTasks/1000, "cpu-ms/task")
			}
		})
	}
}

// completeNoops activates a pipeline of n no-op activities and completes
// them with the given number of protocol clients; it returns tasks per
// second until every instance is FINISHED, and the CPU time this process
// (server and clients) spent meanwhile.
func completeNoops(b *testing.B, s *server, n, clients int) (float64, time.Duration) {
	ctx := context.Background()
	c := s.local()
	id := newPipeline(b, c, fmt.Sprintf("noop-%d", time.Now().UnixNano()))
	objs := []types.PipelineObject{{Id: aws.String("Default"), Name: aws.String("Default"), Fields: []types.Field{
		{Key: aws.String("scheduleType"), StringValue: aws.String("ondemand")},
		{Key: aws.String("workerGroup"), StringValue: aws.String("noop")}}}}
	for i := range n {
		objs = append(objs, types.PipelineObject{Id: aws.String(fmt.Sprintf("T%d", i)), Name: aws.String(fmt.Sprintf("T%d", i)),
			Fields: []types.Field{{Key: aws.String("type"), StringValue: aws.String("ShellCommandActivity")},
				{Key: aws.String("command"), StringValue: aws.String("true")}}})
	}
	put, err := c.PutPipelineDefinition(ctx, &datapipeline.PutPipelineDefinitionInput{PipelineId: aws.String(id), PipelineObjects: objs})
	if err != nil || put.Errored {
		b.Fatalf("put: %v %+v", err, put)
	}
	start, cpu0 := time.Now(), cpuTime()
	if _, err := c.ActivatePipeline(ctx, &datapipeline.ActivatePipelineInput{PipelineId: aws.String(id)}); err != nil {
		b.Fatal(err)
	}
	// Runners stop once every task is reported: cancelling their idle
	// polls keeps the wait of a poll with nothing left to hand out (up to
	// --poll-wait) out of the figure.
	pollCtx, stop := context.WithCancel(ctx)
	defer stop()
	var done atomic.Int64
	var wg sync.WaitGroup
	for range clients {
		wg.Go(func() { noopRunner(pollCtx, b, c, &done, int64(n), stop) })
	}
	wg.Wait()
	waitAllFinished(b, c, id, n)
	return float64(n) / time.Since(start).Seconds(), cpuTime() - cpu0
}

// noopRunner polls, acknowledges and finishes tasks until done reaches n;
// the runner that reports the last task calls stop, which ends the others'
// polls.
func noopRunner(ctx context.Context, b *testing.B, c *datapipeline.Client, done *atomic.Int64, n int64, stop func()) {
	for done.Load() < n {
		out, err := c.PollForTask(ctx, &datapipeline.PollForTaskInput{WorkerGroup: aws.String("noop")})
		if ctx.Err() != nil {
			return
		}
		if err != nil {
			b.Error(err)
			return
		}
		if out.TaskObject == nil {
			continue
		}
		task := out.TaskObject.TaskId
		if _, err := c.ReportTaskProgress(ctx, &datapipeline.ReportTaskProgressInput{TaskId: task}); err != nil {
			b.Error(err)
			return
		}
		if _, err := c.SetTaskStatus(ctx, &datapipeline.SetTaskStatusInput{TaskId: task, TaskStatus: types.TaskStatusFinished}); err != nil {
			b.Error(err)
			return
		}
		if done.Add(1) == n {
			stop()
		}
	}
}

// waitAllFinished waits until the pipeline has n FINISHED instances.
func waitAllFinished(b *testing.B, c *datapipeline.Client, id string, n int) {
	ctx := context.Background()
	deadline := time.Now().Add(time.Minute)
	for time.Now().Before(deadline) {
		got := 0
		var marker *string
		for {
			out, err := c.QueryObjects(ctx, &datapipeline.QueryObjectsInput{PipelineId: aws.String(id), Sphere: aws.String("INSTANCE"),
				Marker: marker, Limit: aws.Int32(500), Query: &types.Query{Selectors: []types.Selector{{FieldName: aws.String("@status"),
					Operator: &types.Operator{Type: types.OperatorTypeEqual, Values: []string{"FINISHED"}}}}}})
			if err != nil {
				b.Fatal(err)
			}
			got += len(out.Ids)
			if !out.HasMoreResults {
				break
			}
			marker = out.Marker
		}
		if got == n {
			return
		}
		time.Sleep(5 * time.Millisecond)
	}
	b.Fatalf("instances did not all finish within a minute")
}

// benchClients is the number of protocol clients: 16, or
// DATAPIPE_BENCH_CLIENTS.
func benchClients() int {
	if n, err := strconv.Atoi(os.Getenv("DATAPIPE_BENCH_CLIENTS")); err == nil && n > 0 {
		return n
	}
	return 16
}
