package shell

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/datapipe/datapipe/internal/activity"
)

// tailBytes is how much of standard error is kept for failure messages.
const tailBytes = 8 << 10

// outputs are where one command's streams go.
type outputs struct {
	stdout, stderr io.Writer
	tail           *tail
	files          []*os.File
}

// openOutputs builds the stream writers: the attempt log, the Env's
// per-stream sinks, the stdout/stderr files of the spec (appended to),
// and, for standard error, the tail kept for failure messages.
func openOutputs(sp spec, env *activity.Env, tailLines int) (*outputs, error) {
	o := &outputs{tail: &tail{}}
	outSinks := []io.Writer{env.Log, env.Stdout}
	errSinks := []io.Writer{env.Log, env.Stderr, o.tail}
	for _, f := range []struct {
		path  string
		sinks *[]io.Writer
	}{{sp.stdout, &outSinks}, {sp.stderr, &errSinks}} {
		if f.path == "" {
			continue
		}
		file, err := openAppend(f.path)
		if err != nil {
			o.close()
			return nil, err
		}
		o.files = append(o.files, file)
		*f.sinks = append(*f.sinks, file)
	}
	o.stdout, o.stderr = fanout(outSinks), fanout(errSinks)
	return o, nil
}

// openAppend opens path for appending, creating it and its directory.
func openAppend(path string) (*os.File, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, activity.Errorf(IDCommandFailed, "open output file %s: %v", path, err)
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o644)
	if err != nil {
		return nil, activity.Errorf(IDCommandFailed, "open output file %s: %v", path, err)
	}
	return f, nil
}

// close closes the output files.
func (o *outputs) close() {
	for _, f := range o.files {
		_ = f.Close()
	}
}

// fanout writes to every non-nil writer, ignoring their errors: a full
// disk must not stop the copy, or the command would block on its pipe.
func fanout(ws []io.Writer) io.Writer {
	var live multi
	for _, w := range ws {
		if w != nil {
			live = append(live, w)
		}
	}
	return live
}

type multi []io.Writer

func (m multi) Write(p []byte) (int, error) {
	for _, w := range m {
		_, _ = w.Write(p)
	}
	return len(p), nil
}

// tail keeps the last tailBytes written to it.
type tail struct {
	mu  sync.Mutex
	buf []byte
}

func (t *tail) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.buf = append(t.buf, p...)
	if over := len(t.buf) - tailBytes; over > 0 {
		t.buf = append(t.buf[:0:0], t.buf[over:]...)
	}
	return len(p), nil
}

// lines returns up to the last n non-empty lines.
func (t *tail) lines(n int) []string {
	t.mu.Lock()
	defer t.mu.Unlock()
	var out []string
	for _, l := range strings.Split(string(bytes.TrimRight(t.buf, "\n")), "\n") {
		if l = strings.TrimRight(l, "\r"); l != "" {
			out = append(out, l)
		}
	}
	return out[max(0, len(out)-n):]
}
