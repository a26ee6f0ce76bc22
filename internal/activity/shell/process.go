package shell

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/datapipe/datapipe/internal/activity"
)

// drainWait bounds how long output copying may go on after the process
// group is gone (a process that left the group can hold the pipes).
const drainWait = 2 * time.Second

// proc is one process to run.
type proc struct {
	// path is the file to execute; "" looks argv[0] up in the runner's
	// PATH.
	path string
	argv []string
	dir  string
	// physDir is dir without symbolic links when known, else "".
	physDir        string
	env            []string
	stdout, stderr io.Writer
}

// result is how a command ended on its own.
type result struct {
	code   int
	signal string
	tail   []string
}

// ok reports a zero exit.
func (r result) ok() bool { return r.code == 0 && r.signal == "" }

// String describes the exit ("exited with code 3").
func (r result) String() string {
	if r.signal != "" {
		return "was killed by signal " + r.signal
	}
	return fmt.Sprintf("exited with code %d", r.code)
}

// failure is the ShellCommandFailed error for a non-zero exit.
func (r result) failure() error {
	msg := "the command " + r.String()
	if len(r.tail) > 0 {
		msg += "; last lines of standard error:\n" + strings.Join(r.tail, "\n")
	}
	return activity.Errorf(IDCommandFailed, "%s", msg)
}

// runProcess runs p as the leader of a new process group and waits for
// it. When p cannot be started (nothing ran) and alternatives are
// given, the first of them that starts runs instead. When ctx ends
// first, the group is stopped (SIGTERM, then SIGKILL after grace) and
// the error wraps context.Cause(ctx). Whatever is left in the group
// after the leader exits is stopped the same way.
func runProcess(ctx context.Context, grace time.Duration, p proc, alternatives ...proc) (result, error) {
	if ctx.Err() != nil {
		return result{}, fmt.Errorf("the command was not started: %w", context.Cause(ctx))
	}
	cmd, out, err := startProcess(p)
	for _, alt := range alternatives {
		if err == nil {
			break
		}
		cmd, out, err = startProcess(alt)
	}
	if err != nil {
		return result{}, err
	}
	werr := waitOrStop(ctx, cmd, grace)
	stopGroup(cmd.Process.Pid, grace)
	out.wait(drainWait)
	if ctx.Err() != nil {
		return result{}, fmt.Errorf("the command was stopped: %w", context.Cause(ctx))
	}
	return exitResult(werr)
}

// startProcess starts p in a new process group with its output
// attached; on error nothing was started.
func startProcess(p proc) (*exec.Cmd, *output, error) {
	// A resolved path skips exec.Command's PATH lookup (a stat per
	// command): direct already found the file as bash would.
	cmd := &exec.Cmd{Path: p.path, Args: p.argv}
	if p.path == "" {
		cmd = exec.Command(p.argv[0], p.argv[1:]...)
	}
	cmd.Dir, cmd.Env = p.dir, p.env
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	out, err := attachOutput(cmd, p.stdout, p.stderr)
	if err != nil {
		return nil, nil, err
	}
	if err := cmd.Start(); err != nil {
		out.abort()
		return nil, nil, activity.Errorf(IDCommandFailed, "start %s: %v", p.argv[0], err)
	}
	out.started()
	return cmd, out, nil
}

// waitOrStop waits for the leader, stopping its group if ctx ends first.
func waitOrStop(ctx context.Context, cmd *exec.Cmd, grace time.Duration) error {
	waited := make(chan error, 1)
	go func() { waited <- cmd.Wait() }()
	select {
	case err := <-waited:
		return err
	case <-ctx.Done():
	}
	stopGroup(cmd.Process.Pid, grace)
	return <-waited
}

// exitResult turns Wait's error into an exit code or signal.
func exitResult(err error) (result, error) {
	var ee *exec.ExitError
	switch {
	case err == nil:
		return result{}, nil
	case errors.As(err, &ee):
		if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
			return result{code: -1, signal: ws.Signal().String()}, nil
		}
		return result{code: ee.ExitCode()}, nil
	}
	return result{}, fmt.Errorf("wait for the command: %w", err)
}

// output copies a process's standard output and error through pipes the
// runner owns, so that waiting for the leader never waits for the
// processes it leaves behind.
type output struct {
	readers, writers []*os.File
	done             sync.WaitGroup
}

// attachOutput connects cmd's stdout and stderr to pipes copied to the
// given writers.
func attachOutput(cmd *exec.Cmd, stdout, stderr io.Writer) (*output, error) {
	o := &output{}
	for _, w := range []io.Writer{stdout, stderr} {
		r, pw, err := outputPipe()
		if err != nil {
			o.abort()
			return nil, fmt.Errorf("create output pipe: %w", err)
		}
		o.readers, o.writers = append(o.readers, r), append(o.writers, pw)
		o.done.Add(1)
		go func() {
			defer o.done.Done()
			copyOutput(w, r)
		}()
	}
	cmd.Stdout, cmd.Stderr = o.writers[0], o.writers[1]
	return o, nil
}

// copyOutput copies r to w until r ends or w fails, as io.Copy does, with
// a buffer that starts at 512 bytes and doubles, up to 32 KB, while reads
// fill it. Most commands write little or nothing, and io.Copy's 32 KB
// buffer per stream was most of what a short attempt allocated (64 KB of
// garbage per `true`).
func copyOutput(w io.Writer, r io.Reader) {
	buf := make([]byte, 512)
	for {
		n, err := r.Read(buf)
		if n > 0 {
			if _, werr := w.Write(buf[:n]); werr != nil {
				return
			}
		}
		if err != nil {
			return
		}
		if n == len(buf) && len(buf) < 32<<10 {
			buf = make([]byte, 2*len(buf))
		}
	}
}

// started closes the runner's copies of the write ends.
func (o *output) started() {
	for _, w := range o.writers {
		_ = w.Close()
	}
}

// abort closes every pipe end (the process did not start).
func (o *output) abort() {
	o.started()
	for _, r := range o.readers {
		_ = r.Close()
	}
	o.done.Wait()
}

// wait lets the copies finish, up to limit, then closes the pipes.
func (o *output) wait(limit time.Duration) {
	finished := make(chan struct{})
	go func() {
		o.done.Wait()
		close(finished)
	}()
	select {
	case <-finished:
	case <-time.After(limit):
	}
	for _, r := range o.readers {
		_ = r.Close()
	}
	<-finished
}
