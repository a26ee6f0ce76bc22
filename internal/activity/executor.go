package activity

import (
	"context"
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/datapipe/datapipe/internal/pipeline"
)

// Executor does the work of one kind of attempt.
//
// Execute runs the attempt t and returns Finished or False (False only
// for preconditions that did not hold), or an error for a failure (see
// AsError for how it is reported). It must return promptly once ctx is
// done, having stopped everything it started; the error it then returns
// should wrap context.Cause(ctx), which carries the AttemptTimeout *Error
// when the attempt timed out. Execute is called concurrently for
// different tasks.
type Executor interface {
	Execute(ctx context.Context, t *Task, env *Env) (Outcome, error)
}

// Outcome is a successful result of an attempt.
type Outcome int

// The outcomes.
const (
	// Finished: the work is done, or the precondition holds.
	Finished Outcome = iota + 1
	// False: the precondition does not hold (SetTaskStatus FALSE).
	False
)

// String returns the task status the outcome is reported as.
func (o Outcome) String() string {
	switch o {
	case Finished:
		return string(pipeline.TaskFinished)
	case False:
		return string(pipeline.TaskFalse)
	}
	return fmt.Sprintf("Outcome(%d)", int(o))
}

// Env is what the runner lends an executor for one attempt.
type Env struct {
	// Log is the attempt log: the command's combined output and the
	// runner's messages. It is safe for concurrent use and never nil
	// when the runner builds the Env.
	Log io.Writer
	// Stdout and Stderr, when not nil, receive the command's standard
	// output and standard error as well (the attempt's StdOutput and
	// StdError files). Each is written by one goroutine at a time.
	Stdout, Stderr io.Writer
	// Progress, when not nil, queues fields for the attempt's next
	// ReportTaskProgress (the service stores them on the attempt).
	Progress func(fields ...pipeline.Field)
	// Now, when not nil, stamps Printf lines.
	Now func() time.Time
}

// Printf writes one runner message line to the log.
func (e *Env) Printf(format string, args ...any) {
	if e == nil || e.Log == nil {
		return
	}
	prefix := "datapipe: "
	if e.Now != nil {
		prefix = e.Now().UTC().Format(time.RFC3339) + " " + prefix
	}
	fmt.Fprintf(e.Log, prefix+format+"\n", args...)
}

// Report queues progress fields, when the runner accepts them.
func (e *Env) Report(fields ...pipeline.Field) {
	if e != nil && e.Progress != nil {
		e.Progress(fields...)
	}
}

// SyncWriter returns a writer that serialises writes to w, for an Env.Log
// shared by a command's output streams and the runner.
func SyncWriter(w io.Writer) io.Writer { return &syncWriter{w: w} }

type syncWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (s *syncWriter) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.w.Write(p)
}
