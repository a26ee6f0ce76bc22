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

// runnerObjects is a definition whose ShellCommandActivity Echo echoes
// its scheduled start in worker group group, logging under logURI. Its
// schedule starts far ahead, so that only queued tasks run.
func runnerObjects(group, logURI, command string) []types.PipelineObject {
	f := func(k, v string) types.Field { return types.Field{Key: aws.String(k), StringValue: aws.String(v)} }
	r := func(k, v string) types.Field { return types.Field{Key: aws.String(k), RefValue: aws.String(v)} }
	return []types.PipelineObject{
		{Id: aws.String("Default"), Name: aws.String("Default"), Fields: []types.Field{
			f("scheduleType", "cron"), r("schedule", "Hourly"), f("workerGroup", group), f("pipelineLogUri", logURI)}},
		{Id: aws.String("Hourly"), Name: aws.String("Hourly"), Fields: []types.Field{
			f("type", "Schedule"), f("period", "1 hour"), f("startDateTime", "2099-01-01T00:00:00")}},
		{Id: aws.String("Echo"), Name: aws.String("Echo"), Fields: []types.Field{
			f("type", "ShellCommandActivity"), f("command", command)}},
	}
}

// activeRunnerPipeline creates, defines and activates a runner pipeline.
func activeRunnerPipeline(t *testing.T, c *datapipeline.Client, name, group, logURI, command string) string {
	t.Helper()
	ctx := context.Background()
	id := newPipeline(t, c, name)
	out := must[*datapipeline.PutPipelineDefinitionOutput](t)(c.PutPipelineDefinition(ctx, &datapipeline.PutPipelineDefinitionInput{
		PipelineId: aws.String(id), PipelineObjects: runnerObjects(group, logURI, command)}))
	if out.Errored {
		t.Fatalf("definition errored: %+v", out.ValidationErrors)
	}
	must[*datapipeline.ActivatePipelineOutput](t)(c.ActivatePipeline(ctx, &datapipeline.ActivatePipelineInput{PipelineId: aws.String(id)}))
	return id
}

// waitAttempt polls the attempt's status until it is want.
func waitAttempt(t *testing.T, c *datapipeline.Client, id, attempt, want string) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		st := attemptStatus(t, c, id, attempt)
		if st == want {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("attempt %s is %s; want %s", attempt, st, want)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// startRunner runs `datapipe taskrunner` against s until the test ends.
func startRunner(t *testing.T, s *server, args ...string) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	errOut := &syncBuffer{}
	m := NewMain(strings.NewReader(""), &syncBuffer{}, errOut)
	done := make(chan int, 1)
	go func() { done <- m.Run(ctx, append([]string{"taskrunner", "--endpoint-url", s.endpoint}, args...)) }()
	t.Cleanup(func() {
		cancel()
		select {
		case code := <-done:
			if code != exitOK {
				t.Errorf("taskrunner exited %d:\n%s", code, errOut)
			}
		case <-time.After(30 * time.Second):
			t.Errorf("taskrunner did not stop:\n%s", errOut)
		}
		_ = m.Close()
	})
}

func TestTaskRunner_EndToEnd(t *testing.T) {
	clientEnv(t)
	url := "sqlite:" + filepath.Join(t.TempDir(), "datapipe.db")
	s := startServer(t, url)
	c := s.local()
	logs := t.TempDir()
	id := activeRunnerPipeline(t, c, "runner", "wg-e2e", "file://"+logs, "echo hello-#{@scheduledStartTime}")
	start := time.Date(2024, 1, 1, 5, 0, 0, 0, time.UTC)
	attempt := queueTask(t, url, id, "Echo", "wg-e2e", start)
	startRunner(t, s, "--worker-group", "wg-e2e", "--runner-id", "e2e-runner", "--log-dir", t.TempDir())
	waitAttempt(t, c, id, attempt, "FINISHED")

	const want = "hello-2024-01-01T05:00:00\n"
	instance := "@Echo_2024-01-01T05:00:00"
	uploaded := filepath.Join(logs, id, "Echo", instance, attempt, "Activity.log")
	if b, err := os.ReadFile(uploaded); err != nil || !strings.Contains(string(b), want) {
		t.Errorf("uploaded log %s = %q, %v", uploaded, b, err)
	}
	if b, err := os.ReadFile(filepath.Join(filepath.Dir(uploaded), "StdOutput")); err != nil || string(b) != want {
		t.Errorf("uploaded StdOutput = %q, %v", b, err)
	}
	out := must[*datapipeline.DescribeObjectsOutput](t)(c.DescribeObjects(context.Background(), &datapipeline.DescribeObjectsInput{
		PipelineId: aws.String(id), ObjectIds: []string{attempt}}))
	if loc := fieldOf(out.PipelineObjects[0], "logLocation"); !strings.HasSuffix(loc, attempt+".log") {
		t.Errorf("logLocation = %q", loc)
	}
	for _, obj := range []string{attempt, instance} {
		code, stdout, stderr := run(t, "logs", "--endpoint-url", s.endpoint, "--pipeline-id", id, "--object-id", obj)
		if code != exitOK || !strings.Contains(stdout, want) || !strings.Contains(stdout, "attempt FINISHED") {
			t.Errorf("logs --object-id %s: exit %d\nstdout:\n%s\nstderr:\n%s", obj, code, stdout, stderr)
		}
	}
}

func TestTaskRunner_EndToEndFailure(t *testing.T) {
	clientEnv(t)
	url := "sqlite:" + filepath.Join(t.TempDir(), "datapipe.db")
	s := startServer(t, url)
	c := s.local()
	id := activeRunnerPipeline(t, c, "runner-fail", "wg-fail", "file://"+t.TempDir(), "echo broken >&2; exit 7")
	attempt := queueTask(t, url, id, "Echo", "wg-fail", time.Date(2024, 1, 1, 5, 0, 0, 0, time.UTC))
	startRunner(t, s, "--worker-group", "wg-fail", "--log-dir", t.TempDir(), "--concurrency", "2")
	waitAttempt(t, c, id, attempt, "FAILED")
	out := must[*datapipeline.DescribeObjectsOutput](t)(c.DescribeObjects(context.Background(), &datapipeline.DescribeObjectsInput{
		PipelineId: aws.String(id), ObjectIds: []string{attempt}}))
	obj := out.PipelineObjects[0]
	if fieldOf(obj, "errorId") != "ShellCommandFailed" || !strings.Contains(fieldOf(obj, "errorMessage"), "exited with code 7") ||
		!strings.Contains(fieldOf(obj, "errorMessage"), "broken") {
		t.Errorf("attempt = %s", objectsText(out.PipelineObjects))
	}
}

func TestTaskRunner_Flags(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
		code int
		want string
	}{
		{"OKHelp", []string{"taskrunner", "help"}, exitOK, ""},
		{"ErrNoWorkerGroup", []string{"taskrunner", "--endpoint-url", "http://127.0.0.1:1"}, exitUsage, "--worker-group is required"},
		{"ErrConcurrency", []string{"taskrunner", "--worker-group", "wg", "--concurrency", "0"}, exitUsage, "--concurrency"},
		{"ErrUnknown", []string{"taskrunner", "--worker-group", "wg", "--bogus", "1"}, exitUsage, "unknown option --bogus"},
		{"ErrEndpoint", []string{"taskrunner", "--worker-group", "wg", "--endpoint-url", "nohost"}, exitUsage, "scheme is missing"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := run(t, tc.args...)
			if code != tc.code || !strings.Contains(stderr, tc.want) {
				t.Errorf("exit %d\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
			}
		})
	}
}
