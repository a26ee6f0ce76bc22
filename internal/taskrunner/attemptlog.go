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
// runner again keeps its history.
type attemptLog struct {
	paths [3]string
	files [3]*os.File
	// log writes to the .log file, safely from several goroutines.
	log io.Writer
}

// openAttemptLog creates the attempt's log files.
func openAttemptLog(root, pipelineID, attemptID string) (*attemptLog, error) {
	dir := filepath.Join(root, safeName(pipelineID))
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("create the attempt log directory: %w", err)
	}
	l := &attemptLog{}
	for i, suffix := range localSuffixes {
		l.paths[i] = filepath.Join(dir, safeName(attemptID)+suffix)
		f, err := os.OpenFile(l.paths[i], os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o644)
		if err != nil {
			l.close()
			return nil, fmt.Errorf("open the attempt log: %w", err)
		}
		l.files[i] = f
	}
	l.log = activity.SyncWriter(l.files[logFile])
	return l, nil
}

// close closes the files; it is safe on nil and more than once.
func (l *attemptLog) close() {
	if l == nil {
		return
	}
	for i, f := range l.files {
		if f != nil {
			_ = f.Close()
			l.files[i] = nil
		}
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
