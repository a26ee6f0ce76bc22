package main

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/datapipeline"
)

// TestServer_Replicas runs two servers on one PostgreSQL schema: a write
// through one is visible through the other, and tasks polled through both
// are handed out exactly once.
func TestServer_Replicas(t *testing.T) {
	url := postgresURL(t)
	a, b := startServer(t, url), startServer(t, url)
	ca, cb := a.local(), b.local()
	ctx := context.Background()
	id := newPipeline(t, ca, "replicated")
	putHello(t, ca, id)
	must[*datapipeline.ActivatePipelineOutput](t)(ca.ActivatePipeline(ctx, &datapipeline.ActivatePipelineInput{PipelineId: aws.String(id)}))
	t.Run("WriteVisible", func(t *testing.T) {
		if st := describeOne(t, cb, id)["@pipelineState"]; st != "SCHEDULED" {
			t.Errorf("replica B sees state %q", st)
		}
		def := must[*datapipeline.GetPipelineDefinitionOutput](t)(cb.GetPipelineDefinition(ctx, &datapipeline.GetPipelineDefinitionInput{PipelineId: aws.String(id)}))
		if objectsText(def.PipelineObjects) != objectsText(helloObjects()) {
			t.Error("replica B sees a different definition")
		}
	})
	t.Run("ClaimsExactlyOnce", func(t *testing.T) {
		const n = 20
		start := time.Date(2024, 2, 1, 0, 0, 0, 0, time.UTC)
		for i := range n {
			queueTask(t, url, id, "Hello", "wg-r", start.Add(time.Duration(i)*time.Hour))
		}
		got := pollAll(t, []*datapipeline.Client{ca, cb, ca, cb}, n)
		if len(got) != n {
			t.Errorf("%d distinct tasks handed out; want %d", len(got), n)
		}
	})
}

// pollAll polls concurrently through the clients until n tasks were
// handed out, failing on any task handed out twice.
func pollAll(t *testing.T, clients []*datapipeline.Client, n int) map[string]bool {
	var mu sync.Mutex
	seen := map[string]bool{}
	var wg sync.WaitGroup
	for i, c := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				out, err := c.PollForTask(context.Background(), &datapipeline.PollForTaskInput{WorkerGroup: aws.String("wg-r"), Hostname: aws.String(fmt.Sprint("h", i))})
				if err != nil || out.TaskObject == nil {
					return
				}
				mu.Lock()
				if seen[aws.ToString(out.TaskObject.AttemptId)] {
					t.Errorf("task %s handed out twice", aws.ToString(out.TaskObject.AttemptId))
				}
				seen[aws.ToString(out.TaskObject.AttemptId)] = true
				done := len(seen) >= n
				mu.Unlock()
				if done {
					return
				}
			}
		}()
	}
	wg.Wait()
	return seen
}
