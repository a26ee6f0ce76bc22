package taskrunner

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/datapipe/datapipe/internal/activity"
)

// The files of an attempt log, by index.
const (
	logFile = iota
	stdoutFile
	stderrFile
)

// localSuffixes name the local files, after <attemptId>.
var localSuffixes = [...]string{logFile: ".log", stdoutFile: ".stdout", stderrFile: ".stderr"}

// attemptLog is the local log of one attempt: LogDir/<pipelineId>/
// <attemptId>.log (combined output and runner messages) with .stdout and
// .stderr beside it. Files are appended to, so an attempt offered to the
// runner again keeps its history. The .stdout and .stderr files are
// created on their first write: most attempts write neither, and on this
// path creating a file costs as much as a small task's bookkeeping.
type attemptLog struct {
	paths [3]string
	files [3]*lazyFile
	// log writes to the .log file, safely from several goroutines.
	log io.Writer
}

// openAttemptLog creates the attempt's log file.
func openAttemptLog(root, pipelineID, attemptID string) (*attemptLog, error) {
	dir := filepath.Join(root, safeName(pipelineID))
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("create the attempt log directory: %w", err)
	}
	l := &attemptLog{}
	for i, suffix := range localSuffixes {
		l.paths[i] = filepath.Join(dir, safeName(attemptID)+suffix)
		l.files[i] = &lazyFile{path: l.paths[i]}
	}
	if err := l.files[logFile].open(); err != nil {
		return nil, fmt.Errorf("open the attempt log: %w", err)
	}
	l.log = activity.SyncWriter(l.files[logFile])
	return l, nil
}

// close closes the files; it is safe on nil and more than once.
func (l *attemptLog) close() {
	if l == nil {
		return
	}
	for _, f := range l.files {
		f.close()
	}
}

// lazyFile is an append-only file created by its first write. Like an
// *os.File, it is written by one goroutine at a time.
type lazyFile struct {
	path string
	f    *os.File
	err  error
}

// open creates or opens the file for appending, once.
func (l *lazyFile) open() error {
	if l.f == nil && l.err == nil {
		l.f, l.err = os.OpenFile(l.path, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o644)
	}
	return l.err
}

// Write implements io.Writer.
func (l *lazyFile) Write(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	if err := l.open(); err != nil {
		return 0, err
	}
	return l.f.Write(p)
}

// close closes the file if it was opened; later writes reopen it.
func (l *lazyFile) close() {
	if l != nil && l.f != nil {
		_ = l.f.Close()
		l.f = nil
	}
}

// safeName makes an id usable as one path element: no separators, and
// never "", "." or "..".
func safeName(id string) string {
	s := strings.NewReplacer("/", "_", "\\", "_", "\x00", "_").Replace(id)
	if s == "" || s == "." || s == ".." {
		return "_" + s
	}
	return s
}
