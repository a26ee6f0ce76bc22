package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/datapipeline"
	"github.com/aws/aws-sdk-go-v2/service/datapipeline/types"
)

// TestEngine_OnDemandChain activates an on-demand pipeline of two
// dependent shell activities on the real server; the scheduler queues
// them and a real task runner runs them to FINISHED.
func TestEngine_OnDemandChain(t *testing.T) {
	s := startServer(t, "sqlite:"+filepath.Join(t.TempDir(), "engine.db"))
	c := s.local()
	ctx := context.Background()
	out := filepath.Join(t.TempDir(), "out.txt")
	f := func(k, v string) types.Field { return types.Field{Key: aws.String(k), StringValue: aws.String(v)} }
	r := func(k, v string) types.Field { return types.Field{Key: aws.String(k), RefValue: aws.String(v)} }
	objs := []types.PipelineObject{
		{Id: aws.String("Default"), Name: aws.String("Default"), Fields: []types.Field{f("scheduleType", "ondemand"), f("workerGroup", "wg-engine")}},
		{Id: aws.String("First"), Name: aws.String("First"), Fields: []types.Field{f("type", "ShellCommandActivity"), f("command", "echo first >> "+out)}},
		{Id: aws.String("Second"), Name: aws.String("Second"), Fields: []types.Field{f("type", "ShellCommandActivity"), f("command", "echo second >> "+out), r("dependsOn", "First")}},
	}
	id := newPipeline(t, c, "engine")
	put := must[*datapipeline.PutPipelineDefinitionOutput](t)(c.PutPipelineDefinition(ctx, &datapipeline.PutPipelineDefinitionInput{PipelineId: aws.String(id), PipelineObjects: objs}))
	if put.Errored {
		t.Fatalf("definition: %+v", put.ValidationErrors)
	}
	must[*datapipeline.ActivatePipelineOutput](t)(c.ActivatePipeline(ctx, &datapipeline.ActivatePipelineInput{PipelineId: aws.String(id)}))
	runner := startEngineRunner(t, s, "wg-engine")
	defer runner()
	waitState(t, c, id, "FINISHED", 30*time.Second)
	data, _ := os.ReadFile(out)
	if string(data) != "first\nsecond\n" {
		t.Errorf("commands ran as %q", data)
	}
	ids := must[*datapipeline.QueryObjectsOutput](t)(c.QueryObjects(ctx, &datapipeline.QueryObjectsInput{PipelineId: aws.String(id), Sphere: aws.String("INSTANCE"),
		Query: &types.Query{Selectors: []types.Selector{{FieldName: aws.String("@status"), Operator: &types.Operator{Type: types.OperatorTypeEqual, Values: []string{"FINISHED"}}}}}}))
	if len(ids.Ids) != 2 {
		t.Errorf("finished instances = %v", ids.Ids)
	}
	if h := describeOne(t, c, id)["@healthStatus"]; h != "HEALTHY" {
		t.Errorf("pipeline health %q; want HEALTHY", h)
	}
}

// startEngineRunner runs `datapipe taskrunner` against the server.
func startEngineRunner(t *testing.T, s *server, group string) func() {
	ctx, cancel := context.WithCancel(context.Background())
	m := NewMain(strings.NewReader(""), &syncBuffer{}, &syncBuffer{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		m.Run(ctx, []string{"taskrunner", "--endpoint-url", s.endpoint, "--worker-group", group, "--log-dir", t.TempDir()})
	}()
	return func() { cancel(); <-done; _ = m.Close() }
}

// waitState polls DescribePipelines until the state is reached.
func waitState(t *testing.T, c *datapipeline.Client, id, state string, within time.Duration) {
	t.Helper()
	deadline := time.Now().Add(within)
	for time.Now().Before(deadline) {
		if describeOne(t, c, id)["@pipelineState"] == state {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("pipeline %s did not reach %s in %v (state %s)", id, state, within, describeOne(t, c, id)["@pipelineState"])
}

// TestEngine_RunsOnResource runs an activity that runsOn an Ec2Resource on
// the real server with no runner started by hand: the local resource
// provider serves the resource's worker group.
func TestEngine_RunsOnResource(t *testing.T) {
	s := startServer(t, "sqlite:"+filepath.Join(t.TempDir(), "resource.db"))
	c := s.local()
	ctx := context.Background()
	out := filepath.Join(t.TempDir(), "out.txt")
	f := func(k, v string) types.Field { return types.Field{Key: aws.String(k), StringValue: aws.String(v)} }
	r := func(k, v string) types.Field { return types.Field{Key: aws.String(k), RefValue: aws.String(v)} }
	objs := []types.PipelineObject{
		{Id: aws.String("Default"), Name: aws.String("Default"), Fields: []types.Field{f("scheduleType", "ondemand"),
			f("role", "DataPipelineDefaultRole"), f("resourceRole", "DataPipelineDefaultResourceRole")}},
		{Id: aws.String("Box"), Name: aws.String("Box"), Fields: []types.Field{f("type", "Ec2Resource"), f("terminateAfter", "1 Hour")}},
		{Id: aws.String("Hello"), Name: aws.String("Hello"), Fields: []types.Field{f("type", "ShellCommandActivity"),
			f("command", "echo on-resource > "+out), r("runsOn", "Box")}},
	}
	id := newPipeline(t, c, "resource")
	put := must[*datapipeline.PutPipelineDefinitionOutput](t)(c.PutPipelineDefinition(ctx, &datapipeline.PutPipelineDefinitionInput{PipelineId: aws.String(id), PipelineObjects: objs}))
	if put.Errored {
		t.Fatalf("definition: %+v", put.ValidationErrors)
	}
	must[*datapipeline.ActivatePipelineOutput](t)(c.ActivatePipeline(ctx, &datapipeline.ActivatePipelineInput{PipelineId: aws.String(id)}))
	waitState(t, c, id, "FINISHED", 30*time.Second)
	if data, _ := os.ReadFile(out); string(data) != "on-resource\n" {
		t.Errorf("output %q", data)
	}
}
