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

// e2eField and e2eRef build definition fields.
func e2eField(k, v string) types.Field {
	return types.Field{Key: aws.String(k), StringValue: aws.String(v)}
}
func e2eRef(k, v string) types.Field { return types.Field{Key: aws.String(k), RefValue: aws.String(v)} }

// e2eObject is a pipeline object with the given fields.
func e2eObject(id string, fields ...types.Field) types.PipelineObject {
	return types.PipelineObject{Id: aws.String(id), Name: aws.String(id), Fields: fields}
}

// activate creates a pipeline with objs and activates it.
func activate(t *testing.T, c *datapipeline.Client, name string, objs ...types.PipelineObject) string {
	t.Helper()
	ctx := context.Background()
	id := newPipeline(t, c, name)
	put := must[*datapipeline.PutPipelineDefinitionOutput](t)(c.PutPipelineDefinition(ctx, &datapipeline.PutPipelineDefinitionInput{PipelineId: aws.String(id), PipelineObjects: objs}))
	if put.Errored {
		t.Fatalf("definition: %+v", put.ValidationErrors)
	}
	must[*datapipeline.ActivatePipelineOutput](t)(c.ActivatePipeline(ctx, &datapipeline.ActivatePipelineInput{PipelineId: aws.String(id)}))
	return id
}

// instanceOf returns the id of the first instance of a component,
// waiting up to 10 s for the scheduler to create it.
func instanceOf(t *testing.T, c *datapipeline.Client, pipelineID, comp string) string {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		out := must[*datapipeline.QueryObjectsOutput](t)(c.QueryObjects(context.Background(), &datapipeline.QueryObjectsInput{
			PipelineId: aws.String(pipelineID), Sphere: aws.String("INSTANCE")}))
		for _, id := range out.Ids {
			if strings.HasPrefix(id, "@"+comp+"_") {
				return id
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("no instance of %s among %v", comp, out.Ids)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// objectFields describes one object (evaluated) as a map; multi-valued
// keys keep their last value.
func objectFields(t *testing.T, c *datapipeline.Client, pipelineID, objectID string) map[string]string {
	t.Helper()
	out := must[*datapipeline.DescribeObjectsOutput](t)(c.DescribeObjects(context.Background(), &datapipeline.DescribeObjectsInput{
		PipelineId: aws.String(pipelineID), ObjectIds: []string{objectID}, EvaluateExpressions: true}))
	fields := map[string]string{}
	if len(out.PipelineObjects) == 0 {
		return fields
	}
	for _, f := range out.PipelineObjects[0].Fields {
		fields[aws.ToString(f.Key)] = aws.ToString(f.StringValue) + aws.ToString(f.RefValue)
	}
	return fields
}

// waitObject polls an object until its @status is want.
func waitObject(t *testing.T, c *datapipeline.Client, pipelineID, objectID, want string, within time.Duration) map[string]string {
	t.Helper()
	deadline := time.Now().Add(within)
	for {
		f := objectFields(t, c, pipelineID, objectID)
		if f["@status"] == want {
			return f
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s is %q after %v; want %s (%v)", objectID, f["@status"], within, want, f)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

var resourceDefaults = e2eObject("Default", e2eField("scheduleType", "ondemand"), e2eField("role", "DataPipelineDefaultRole"),
	e2eField("resourceRole", "DataPipelineDefaultResourceRole"), e2eField("maximumRetries", "0"))

// TestEngine_ResourceInstance runs two activities on one Ec2Resource: the
// resource gets an instance, shown like the service shows it, that goes
// CREATING → RUNNING → SHUTTING_DOWN → FINISHED; both activities share its
// runner.
func TestEngine_ResourceInstance(t *testing.T) {
	s := startServer(t, "sqlite:"+filepath.Join(t.TempDir(), "resource.db"))
	c := s.local()
	out := filepath.Join(t.TempDir(), "out.txt")
	id := activate(t, c, "resource-instance", resourceDefaults,
		e2eObject("Box", e2eField("type", "Ec2Resource"), e2eField("terminateAfter", "1 Hour"), e2eField("instanceType", "t2.micro")),
		e2eObject("First", e2eField("type", "ShellCommandActivity"), e2eField("command", "echo first >> "+out), e2eRef("runsOn", "Box")),
		e2eObject("Second", e2eField("type", "ShellCommandActivity"), e2eField("command", "echo second >> "+out), e2eRef("runsOn", "Box"),
			e2eRef("dependsOn", "First")))
	waitState(t, c, id, "FINISHED", 30*time.Second)
	if data, _ := os.ReadFile(out); string(data) != "first\nsecond\n" {
		t.Errorf("output %q", data)
	}
	box := instanceOf(t, c, id, "Box")
	f := objectFields(t, c, id, box)
	for key, want := range map[string]string{"@status": "FINISHED", "@componentParent": "Box", "@sphere": "INSTANCE", "type": "Ec2Resource",
		"instanceType": "t2.micro"} {
		if f[key] != want {
			t.Errorf("%s %s = %q; want %q", box, key, f[key], want)
		}
	}
	for _, key := range []string{"@scheduledStartTime", "@actualStartTime", "@actualEndTime", "@resourceId"} {
		if f[key] == "" {
			t.Errorf("%s has no %s: %v", box, key, f)
		}
	}
	first := objectFields(t, c, id, instanceOf(t, c, id, "First")+"_Attempt=1")
	second := objectFields(t, c, id, instanceOf(t, c, id, "Second")+"_Attempt=1")
	if first["hostname"] == "" || first["hostname"] != second["hostname"] {
		t.Errorf("the activities ran on runners %q and %q; want one", first["hostname"], second["hostname"])
	}
}

// TestEngine_ResourceTerminateAfter runs a long command on a resource
// whose terminateAfter passes: the resource is TIMEDOUT, the attempt
// fails with a clear message, the command is killed.
func TestEngine_ResourceTerminateAfter(t *testing.T) {
	s := startServer(t, "sqlite:"+filepath.Join(t.TempDir(), "terminate.db"))
	c := s.local()
	out := filepath.Join(t.TempDir(), "late.txt")
	id := activate(t, c, "resource-terminate", resourceDefaults,
		e2eObject("Box", e2eField("type", "Ec2Resource"), e2eField("terminateAfter", "2 seconds")),
		e2eObject("Slow", e2eField("type", "ShellCommandActivity"), e2eField("command", "sleep 4; echo late > "+out), e2eRef("runsOn", "Box")))
	started := time.Now()
	waitObject(t, c, id, instanceOf(t, c, id, "Box"), "TIMEDOUT", 15*time.Second)
	slow := waitObject(t, c, id, instanceOf(t, c, id, "Slow"), "FAILED", 15*time.Second)
	if slow["errorId"] != "ResourceTimedOut" || !strings.Contains(slow["errorMessage"], "terminateAfter (2 seconds) passed") {
		t.Errorf("errorId %q, errorMessage %q", slow["errorId"], slow["errorMessage"])
	}
	waitState(t, c, id, "FINISHED", 10*time.Second)
	time.Sleep(time.Until(started.Add(5 * time.Second)))
	if _, err := os.Stat(out); err == nil {
		t.Error("the command went on after its resource was terminated")
	}
}

// TestEngine_AttemptTimeout acknowledges a task as a runner that then
// hangs: the server ends the attempt TIMEDOUT after attemptTimeout, retries
// it, and fails the instance when no tries are left; the runner is told
// canceled.
func TestEngine_AttemptTimeout(t *testing.T) {
	s := startServer(t, "sqlite:"+filepath.Join(t.TempDir(), "timeout.db"))
	c := s.local()
	ctx := context.Background()
	id := activate(t, c, "attempt-timeout", e2eObject("Default", e2eField("scheduleType", "ondemand"), e2eField("workerGroup", "wg-hang")),
		e2eObject("Hang", e2eField("type", "ShellCommandActivity"), e2eField("command", "sleep 600"), e2eField("attemptTimeout", "1 seconds"),
			e2eField("maximumRetries", "1"), e2eField("retryDelay", "1 seconds")))
	var tasks []string
	for range 2 {
		task := must[*datapipeline.PollForTaskOutput](t)(c.PollForTask(ctx, &datapipeline.PollForTaskInput{WorkerGroup: aws.String("wg-hang")}))
		if task.TaskObject == nil {
			t.Fatal("no task")
		}
		tid := task.TaskObject.TaskId
		must[*datapipeline.ReportTaskProgressOutput](t)(c.ReportTaskProgress(ctx, &datapipeline.ReportTaskProgressInput{TaskId: tid}))
		tasks = append(tasks, aws.ToString(task.TaskObject.AttemptId))
		waitObject(t, c, id, aws.ToString(task.TaskObject.AttemptId), "TIMEDOUT", 10*time.Second)
		rep, err := c.ReportTaskProgress(ctx, &datapipeline.ReportTaskProgressInput{TaskId: tid})
		if err != nil || !rep.Canceled {
			t.Errorf("progress after the time-out: %+v, %v; want canceled", rep, err)
		}
	}
	inst := waitObject(t, c, id, instanceOf(t, c, id, "Hang"), "FAILED", 10*time.Second)
	if inst["errorId"] != "AttemptTimeout" || inst["@attemptCount"] != "2" {
		t.Errorf("instance errorId %q, attempts %q", inst["errorId"], inst["@attemptCount"])
	}
	if a := objectFields(t, c, id, tasks[0]); a["@status"] != "TIMEDOUT" {
		t.Errorf("attempt 1 is %s after the runner's report; want TIMEDOUT", a["@status"])
	}
}

// TestEngine_CascadeRerun fails an activity whose consumer then
// CASCADE_FAILs; SetStatus RERUN on the failed one reruns both
// (failureAndRerunMode cascade) to FINISHED.
func TestEngine_CascadeRerun(t *testing.T) {
	s := startServer(t, "sqlite:"+filepath.Join(t.TempDir(), "rerun.db"))
	c := s.local()
	ctx := context.Background()
	dir := t.TempDir()
	marker := filepath.Join(dir, "ready")
	start := time.Now().UTC().Add(-time.Hour).Truncate(time.Hour).Format("2006-01-02T15:04:05")
	id := activate(t, c, "cascade-rerun",
		e2eObject("Default", e2eField("scheduleType", "cron"), e2eField("workerGroup", "wg-rerun"), e2eField("maximumRetries", "0"),
			e2eField("failureAndRerunMode", "cascade"), e2eRef("schedule", "Daily")),
		e2eObject("Daily", e2eField("type", "Schedule"), e2eField("period", "1 day"), e2eField("startDateTime", start)),
		e2eObject("Check", e2eField("type", "ShellCommandActivity"), e2eField("command", "test -e "+marker)),
		e2eObject("After", e2eField("type", "ShellCommandActivity"), e2eField("command", "echo after >> "+filepath.Join(dir, "out")),
			e2eRef("dependsOn", "Check")))
	stop := startEngineRunner(t, s, "wg-rerun")
	defer stop()
	check, after := instanceOf(t, c, id, "Check"), instanceOf(t, c, id, "After")
	waitObject(t, c, id, check, "FAILED", 20*time.Second)
	waitObject(t, c, id, after, "CASCADE_FAILED", 20*time.Second)
	if err := os.WriteFile(marker, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	must[*datapipeline.SetStatusOutput](t)(c.SetStatus(ctx, &datapipeline.SetStatusInput{PipelineId: aws.String(id),
		ObjectIds: []string{check}, Status: aws.String("RERUN")}))
	waitObject(t, c, id, check, "FINISHED", 20*time.Second)
	f := waitObject(t, c, id, after, "FINISHED", 20*time.Second)
	if f["@cascadeFailedOn"] != "" {
		t.Errorf("the rerun kept @cascadeFailedOn: %v", f)
	}
	if a := objectFields(t, c, id, check); a["@attemptCount"] != "2" {
		t.Errorf("Check @attemptCount %q; want 2 (the rerun continues the numbering)", a["@attemptCount"])
	}
}
