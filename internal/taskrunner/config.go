package taskrunner

import (
	"cmp"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/datapipeline"

	"github.com/datapipe/datapipe/internal/activity"
)

// Client is the part of the Data Pipeline API a runner calls;
// *datapipeline.Client implements it and tests fake it.
type Client interface {
	PollForTask(ctx context.Context, in *datapipeline.PollForTaskInput, opts ...func(*datapipeline.Options)) (*datapipeline.PollForTaskOutput, error)
	ReportTaskProgress(ctx context.Context, in *datapipeline.ReportTaskProgressInput, opts ...func(*datapipeline.Options)) (*datapipeline.ReportTaskProgressOutput, error)
	SetTaskStatus(ctx context.Context, in *datapipeline.SetTaskStatusInput, opts ...func(*datapipeline.Options)) (*datapipeline.SetTaskStatusOutput, error)
	ReportTaskRunnerHeartbeat(ctx context.Context, in *datapipeline.ReportTaskRunnerHeartbeatInput, opts ...func(*datapipeline.Options)) (*datapipeline.ReportTaskRunnerHeartbeatOutput, error)
}

var _ Client = (*datapipeline.Client)(nil)

// Config configures a Runner. Client, WorkerGroup and Executors are
// required; every other zero field takes its default.
type Config struct {
	Client      Client
	WorkerGroup string
	// Concurrency is the number of tasks run at once. Default 1.
	Concurrency int
	// RunnerID identifies the runner in heartbeats. Default
	// <hostname>-<pid>-<random>.
	RunnerID string
	// Hostname is sent with polls and heartbeats. Default os.Hostname().
	Hostname  string
	Executors *activity.Registry
	Logger    *slog.Logger
	// HeartbeatEvery is the heartbeat period. Default 1 minute.
	HeartbeatEvery time.Duration
	// ProgressEvery is the progress-report period of a running task.
	// Default 30 seconds.
	ProgressEvery time.Duration
	// LogDir holds the local attempt logs. Default
	// os.TempDir()/datapipe-logs.
	LogDir string
	// LogFileAfter is how long a running attempt's log may stay in
	// memory before it becomes its own file (see [I] in the package
	// doc); a negative value makes the file at once. Default 1 second.
	LogFileAfter time.Duration
	// StopTimeout bounds the final reports made after Run's context
	// ended. Default 10 seconds.
	StopTimeout time.Duration
	// Clock is the time source. Default the system clock.
	Clock Clock
	// S3 builds the client that uploads attempt logs to an s3://
	// pipelineLogUri; nil makes such uploads fail with a warning.
	S3 S3Clients
}

// withDefaults fills in the zero fields.
func (c Config) withDefaults() Config {
	c.Concurrency = max(1, c.Concurrency)
	if c.Hostname == "" {
		c.Hostname, _ = os.Hostname()
	}
	c.RunnerID = cmp.Or(c.RunnerID, defaultRunnerID(c.Hostname))
	c.Logger = cmp.Or(c.Logger, slog.New(slog.DiscardHandler))
	c.HeartbeatEvery = cmp.Or(c.HeartbeatEvery, time.Minute)
	c.ProgressEvery = cmp.Or(c.ProgressEvery, 30*time.Second)
	c.LogDir = cmp.Or(c.LogDir, filepath.Join(os.TempDir(), "datapipe-logs"))
	c.LogFileAfter = cmp.Or(c.LogFileAfter, time.Second)
	c.StopTimeout = cmp.Or(c.StopTimeout, 10*time.Second)
	if c.Clock == nil {
		c.Clock = systemClock{}
	}
	return c
}

// check reports a missing required field.
func (c Config) check() error {
	switch {
	case c.Client == nil:
		return errors.New("task runner: no API client")
	case c.WorkerGroup == "":
		return errors.New("task runner: no worker group")
	case c.Executors == nil:
		return errors.New("task runner: no executors")
	}
	return nil
}

// defaultRunnerID is unique per process.
func defaultRunnerID(hostname string) string {
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	return fmt.Sprintf("%s-%d-%s", cmp.Or(hostname, "datapipe"), os.Getpid(), hex.EncodeToString(b))
}
