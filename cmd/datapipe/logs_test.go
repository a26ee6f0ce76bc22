package main

import (
	"bytes"
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

// startedAttempt queues a task of Echo in group and plays the runner's
// part up to the acknowledgement, reporting logPath as logLocation. It
// returns the attempt and task ids.
func startedAttempt(t *testing.T, c *datapipeline.Client, url, id, group string, start time.Time, logPath string) (string, *string) {
	t.Helper()
	return startedOn(t, c, url, id, group, start, logPath, "")
}

// startedOn is startedAttempt for a runner polling as host ("" for none).
func startedOn(t *testing.T, c *datapipeline.Client, url, id, group string, start time.Time, logPath, host string) (string, *string) {
	t.Helper()
	ctx := context.Background()
	attempt := queueTask(t, url, id, "Echo", group, start)
	in := &datapipeline.PollForTaskInput{WorkerGroup: aws.String(group)}
	if host != "" {
		in.Hostname = aws.String(host)
	}
	poll := must[*datapipeline.PollForTaskOutput](t)(c.PollForTask(ctx, in))
	if poll.TaskObject == nil || aws.ToString(poll.TaskObject.AttemptId) != attempt {
		t.Fatalf("poll = %+v", poll.TaskObject)
	}
	must[*datapipeline.ReportTaskProgressOutput](t)(c.ReportTaskProgress(ctx, &datapipeline.ReportTaskProgressInput{TaskId: poll.TaskObject.TaskId,
		Fields: []types.Field{{Key: aws.String("logLocation"), StringValue: aws.String(logPath)}}}))
	return attempt, poll.TaskObject.TaskId
}

func TestMain_Logs(t *testing.T) {
	clientEnv(t)
	url := "sqlite:" + filepath.Join(t.TempDir(), "datapipe.db")
	s := startServer(t, url)
	c := s.local()
	id := activeRunnerPipeline(t, c, "logs", "wg-logs", "file://"+t.TempDir(), "echo hi")
	logPath := filepath.Join(t.TempDir(), "attempt.log")
	writeLog(t, logPath, "line1\n")
	start := time.Date(2024, 1, 1, 5, 0, 0, 0, time.UTC)
	attempt, taskID := startedAttempt(t, c, url, id, "wg-logs", start, logPath)
	logs := func(args ...string) (int, string, string) {
		return run(t, append([]string{"logs", "--endpoint-url", s.endpoint, "--pipeline-id", id}, args...)...)
	}
	t.Run("OKAttempt", func(t *testing.T) {
		if code, out, errOut := logs("--object-id", attempt); code != exitOK || out != "line1\n" {
			t.Errorf("exit %d stdout %q stderr %q", code, out, errOut)
		}
	})
	t.Run("OKInstance", func(t *testing.T) {
		if code, out, errOut := logs("--object-id", "@Echo_2024-01-01T05:00:00"); code != exitOK || out != "line1\n" {
			t.Errorf("exit %d stdout %q stderr %q", code, out, errOut)
		}
	})
	t.Run("OKFollow", func(t *testing.T) {
		testFollow(t, c, s.endpoint, id, attempt, taskID, logPath)
	})
	t.Run("ErrNoLogYet", func(t *testing.T) {
		idle := queueTask(t, url, id, "Echo", "wg-logs-idle", start.Add(time.Hour))
		code, _, errOut := logs("--object-id", idle)
		wantExit(t, code, errOut, exitInvalid, "has no log yet (status WAITING_FOR_RUNNER)")
	})
	t.Run("ErrLogElsewhere", func(t *testing.T) {
		other, _ := startedAttempt(t, c, url, id, "wg-logs", start.Add(2*time.Hour), filepath.Join(t.TempDir(), "gone.log"))
		code, _, errOut := logs("--object-id", other)
		wantExit(t, code, errOut, exitInvalid, "which is not on this machine")
	})
	t.Run("OKQuietLog", func(t *testing.T) {
		// A quiet attempt's lines are in quiet.log beside its logLocation.
		dir := t.TempDir()
		quiet, _ := startedAttempt(t, c, url, id, "wg-logs", start.Add(3*time.Hour), filepath.Join(dir, "quiet-attempt.log"))
		writeLog(t, filepath.Join(dir, "quiet.log"), "@Other_Attempt=1\tnot this one\n"+quiet+"\tquiet one\n"+quiet+"\tquiet two\n")
		if code, out, errOut := logs("--object-id", quiet); code != exitOK || out != "quiet one\nquiet two\n" {
			t.Errorf("exit %d stdout %q stderr %q", code, out, errOut)
		}
	})
	t.Run("OKInRunnerMemory", func(t *testing.T) {
		// A running attempt of a runner on this machine with nothing on
		// disk yet: its runner still holds its first lines in memory.
		host, err := os.Hostname()
		if err != nil {
			t.Skip(err)
		}
		fresh, _ := startedOn(t, c, url, id, "wg-logs", start.Add(4*time.Hour), filepath.Join(t.TempDir(), "fresh.log"), host)
		if code, out, errOut := logs("--object-id", fresh); code != exitOK || out != "" {
			t.Errorf("exit %d stdout %q stderr %q", code, out, errOut)
		}
	})
	t.Run("ErrComponent", func(t *testing.T) {
		code, _, errOut := logs("--object-id", "Echo")
		wantExit(t, code, errOut, exitInvalid, "Echo is a component")
	})
	t.Run("ErrUnknownObject", func(t *testing.T) {
		code, _, errOut := logs("--object-id", "@Nope")
		wantExit(t, code, errOut, exitInvalid, "has no object @Nope")
	})
	t.Run("ErrMissingArgs", func(t *testing.T) {
		code, _, errOut := run(t, "logs", "--endpoint-url", s.endpoint)
		wantExit(t, code, errOut, exitClientUsage, "the following arguments are required: --pipeline-id, --object-id")
	})
}

// testFollow follows a running attempt, appends to its log and finishes
// it: logs --follow prints everything and stops.
func testFollow(t *testing.T, c *datapipeline.Client, endpoint, id, attempt string, taskID *string, logPath string) {
	var stdout syncBuffer
	m := NewMain(strings.NewReader(""), &stdout, &bytes.Buffer{})
	defer m.Close()
	done := make(chan int, 1)
	go func() {
		done <- m.Run(context.Background(), []string{"logs", "--endpoint-url", endpoint, "--pipeline-id", id, "--object-id", attempt, "--follow"})
	}()
	waitOutput(t, &stdout, "line1\n")
	appendLog(t, logPath, "line2\n")
	waitOutput(t, &stdout, "line1\nline2\n")
	appendLog(t, logPath, "line3\n")
	must[*datapipeline.SetTaskStatusOutput](t)(c.SetTaskStatus(context.Background(), &datapipeline.SetTaskStatusInput{TaskId: taskID, TaskStatus: types.TaskStatusFinished}))
	select {
	case code := <-done:
		if code != exitOK || stdout.String() != "line1\nline2\nline3\n" {
			t.Errorf("exit %d stdout %q", code, stdout.String())
		}
	case <-time.After(30 * time.Second):
		t.Fatal("logs --follow did not stop after the attempt finished")
	}
}

// waitOutput waits until b holds exactly want.
func waitOutput(t *testing.T, b *syncBuffer, want string) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for b.String() != want {
		if time.Now().After(deadline) {
			t.Fatalf("output %q; want %q", b.String(), want)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func writeLog(t *testing.T, path, s string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
}

func appendLog(t *testing.T, path, s string) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.WriteString(s); err != nil {
		t.Fatal(err)
	}
}
