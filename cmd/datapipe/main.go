// Command datapipe is a self-hosted AWS Data Pipeline: one binary holding
// the server, the task runner, the local runner and aws-cli-style client
// commands. Everything is wired here, in Main; the packages under internal/
// never choose their own adapters.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sync"
	"syscall"
	_ "time/tzdata" // inTimeZone must work on hosts without a zoneinfo database

	"github.com/datapipe/datapipe/internal/awsclient"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	m := NewMain(os.Stdin, os.Stdout, os.Stderr)
	code := m.Run(ctx, os.Args[1:])
	if err := m.Close(); err != nil {
		fmt.Fprintln(os.Stderr, "datapipe:", err)
	}
	stop()
	os.Exit(code)
}

// Exit codes shared by every subcommand.
const (
	exitOK      = 0 // success; for validate: valid (warnings allowed)
	exitInvalid = 1 // the command ran and found a problem (validation errors)
	exitUsage   = 2 // the input could not be read or parsed, or bad usage
)

// Main is the program: its I/O and the subcommand it runs. Tests run it
// directly with buffers.
type Main struct {
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer
	// ReadFile reads input files; tests may replace it.
	ReadFile func(name string) ([]byte, error)

	// closers run on Close, last opened first.
	closers []func() error
	// aws builds the AWS clients (S3, DynamoDB, SNS) of the --config
	// file's aws section, for the executors of data activities; set by
	// server, taskrunner and run.
	aws *awsclient.Factory
	// addr is the address a server subcommand listens on, once it does.
	mu    sync.Mutex
	addr  string
	ready chan struct{}
}

// NewMain returns a Main on the given streams, reading files from disk.
func NewMain(stdin io.Reader, stdout, stderr io.Writer) *Main {
	return &Main{Stdin: stdin, Stdout: stdout, Stderr: stderr, ReadFile: os.ReadFile, ready: make(chan struct{})}
}

// setAddr records the listening address and signals readiness.
func (m *Main) setAddr(addr string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.addr == "" {
		m.addr = addr
		close(m.ready)
	}
}

// WaitAddr blocks until a server subcommand listens, and returns its
// address (tests run the real Main on 127.0.0.1:0).
func (m *Main) WaitAddr(ctx context.Context) (string, error) {
	select {
	case <-m.ready:
		m.mu.Lock()
		defer m.mu.Unlock()
		return m.addr, nil
	case <-ctx.Done():
		return "", ctx.Err()
	}
}

// Run runs the subcommand named by args[0] and returns the exit code.
func (m *Main) Run(ctx context.Context, args []string) int {
	if len(args) == 0 {
		m.usage()
		return exitUsage
	}
	switch args[0] {
	case "validate":
		return m.runValidate(args[1:])
	case "server":
		return m.runServer(ctx, args[1:])
	case "taskrunner":
		return m.runTaskRunner(ctx, args[1:])
	case "logs":
		return m.runLogs(ctx, args[1:])
	case "explain":
		return m.runExplain(ctx, args[1:])
	case "run":
		return m.runRun(ctx, args[1:])
	case "plan":
		return m.runPlan(args[1:])
	case "help", "-h", "--help":
		m.usage()
		return exitOK
	case "version", "--version":
		fmt.Fprintln(m.Stdout, "datapipe", version)
		return exitOK
	}
	if code, ok := m.runClient(ctx, args); ok {
		return code
	}
	fmt.Fprintf(m.Stderr, "datapipe: unknown command %q\n\n", args[0])
	m.usage()
	return exitUsage
}

// Close releases what Run opened, last opened first. It is safe to call
// more than once.
func (m *Main) Close() error {
	var errs []error
	for i := len(m.closers) - 1; i >= 0; i-- {
		errs = append(errs, m.closers[i]())
	}
	m.closers = nil
	return errors.Join(errs...)
}

const version = "0.1.0-dev"

func (m *Main) usage() {
	fmt.Fprint(m.Stderr, `usage: datapipe <command> [arguments]

commands:
  server [--config FILE] [--addr 127.0.0.1:8080] [--store sqlite:PATH|postgres://…] [--keys-file F]
         [--poll-wait 20s] [--ack-timeout 2m] [--progress-timeout 15m]
         [--log-format text|json] [--log-level info]
      serve the AWS Data Pipeline API (local mode without keys: loopback only)
  taskrunner --worker-group NAME [--config FILE] [--endpoint-url URL] [--concurrency N] [--runner-id ID] [--log-dir D]
      poll a worker group and run its shell activities and preconditions
  logs --pipeline-id P --object-id O [--follow]
      print the log of an attempt, or of an instance's latest attempt
  explain --pipeline-id P --object-id I
      say why instance I is not running (asks the server's console endpoint)
  run FILE [--config FILE] [--lenient] [--parameter-values k=v ...] [--parameter-values-uri file://V]
           [--until YYYY-MM-DDTHH:MM:SS] [--store sqlite:PATH] [--timeout 24h]
      run a definition to completion on an embedded store with in-process runners
  plan FILE [--hours 24] [--from T] [--start-timestamp T] [--parameter-values k=v ...]
      list the instances the scheduler would create in the next hours
  validate FILE... [--lenient] [--output text|json] [--max-objects N]
                   [--parameter-objects file://P] [--parameter-values k=v ...]
                   [--parameter-values-uri file://V]
      check pipeline definitions the way PutPipelineDefinition does
  version          print the version

  --config FILE: YAML settings for server, taskrunner and run (AWS endpoints,
    regions and credentials, notifications, flag defaults); see docs/config.md

client commands (those of "aws datapipeline", same options; "datapipe <command> help"):
  create-pipeline, delete-pipeline, list-pipelines, describe-pipelines,
  put-pipeline-definition, get-pipeline-definition, validate-pipeline-definition,
  activate-pipeline, deactivate-pipeline, describe-objects, query-objects,
  evaluate-expression, set-status, add-tags, remove-tags, list-runs
  global options: --endpoint-url URL (else AWS_ENDPOINT_URL_DATA_PIPELINE, AWS_ENDPOINT_URL)
    --region R (else AWS_REGION, AWS_DEFAULT_REGION, us-east-1) --profile P
    --output json|text|table (else AWS_DEFAULT_OUTPUT, json) --no-sign-request
  credentials: the standard AWS chain; against a loopback endpoint without
    credentials, dummy ones are used
  exit codes (aws CLI v2): 0 ok, 252 bad arguments or parameters,
    253 configuration (no credentials), 254 service error, 255 other
`)
}
