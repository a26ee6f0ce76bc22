package taskrunner

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
)

// The files of an attempt log, by index.
const (
	logFile = iota
	stdoutFile
	stderrFile
)

// localSuffixes name the local files, after <attemptId>.
var localSuffixes = [...]string{logFile: ".log", stdoutFile: ".stdout", stderrFile: ".stderr"}

// maxMemLog is the most an attempt log holds in memory: a log that grows
// past it becomes its own file. quiet.log is for short logs; a long one
// is better read, and followed, on its own.
const maxMemLog = 64 << 10

// attemptLog is the local log of one attempt: LogDir/<pipelineId>/
// <attemptId>.log (combined output and runner messages) with .stdout and
// .stderr beside it. Files are appended to, so an attempt offered to the
// runner again keeps its history.
//
// No file is created for an attempt that does not need one (see [I] in
// the package doc): the .stdout and .stderr files are created on their
// first write, and the .log starts as a buffer in memory that becomes the
// file (spill) when the command first writes to either stream, when the
// buffer outgrows maxMemLog, or when the runner asks (after LogFileAfter,
// and at the end of an attempt that must keep a file). settle ends the
// buffer's life: the lines of an attempt that needs no file of its own go
// to the pipeline's quiet.log.
//
// attemptLog is an io.Writer for the .log, safe for concurrent use.
type attemptLog struct {
	paths [3]string
	files [3]*lazyFile

	mu sync.Mutex
	// mem holds the .log's lines while it is not a file.
	mem []byte
	// onDisk: the .log is a file and writes go to it.
	onDisk bool
	// sealed: settle handed the lines to quiet.log; no file is made.
	sealed bool
	// err is why the .log could not become a file; the lines then stay
	// in memory and settle hands them to quiet.log.
	err error
}

// openAttemptLog prepares the attempt's log; it creates the pipeline's
// log directory (shared by its attempts) but no file.
func openAttemptLog(root, pipelineID, attemptID string) (*attemptLog, error) {
	dir := filepath.Join(root, safeName(pipelineID))
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("create the attempt log directory: %w", err)
	}
	l := &attemptLog{}
	for i, suffix := range localSuffixes {
		l.paths[i] = localPath(root, pipelineID, attemptID, suffix)
		l.files[i] = &lazyFile{path: l.paths[i]}
	}
	// Output on either stream is worth a file of its own, and its .log
	// (which has the same lines, interleaved with the runner's) beside it.
	l.files[stdoutFile].onCreate = l.spill
	l.files[stderrFile].onCreate = l.spill
	return l, nil
}

// localPath is where an attempt's local file with suffix lives under
// root.
func localPath(root, pipelineID, attemptID, suffix string) string {
	return filepath.Join(root, safeName(pipelineID), safeName(attemptID)+suffix)
}

// LogLocation is the logLocation a runner with logDir reports for an
// attempt.
func LogLocation(logDir, pipelineID, attemptID string) string {
	return localPath(logDir, pipelineID, attemptID, localSuffixes[logFile])
}

// dir is the pipeline's log directory.
func (l *attemptLog) dir() string { return filepath.Dir(l.paths[logFile]) }

// Write implements io.Writer for the .log.
func (l *attemptLog) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.onDisk {
		return l.files[logFile].Write(p)
	}
	l.mem = append(l.mem, p...)
	if len(l.mem) > maxMemLog {
		l.spillLocked()
	}
	return len(p), nil
}

// spill makes the .log its own file, once; it is safe on nil. A failure
// is kept for settle to report.
func (l *attemptLog) spill() {
	if l == nil {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	l.spillLocked()
}

// spillLocked is spill with l.mu held.
func (l *attemptLog) spillLocked() {
	if l.onDisk || l.sealed || l.err != nil {
		return
	}
	if l.err = l.files[logFile].open(); l.err == nil {
		l.toDiskLocked()
	}
}

// toDiskLocked writes the buffered lines to the open .log file and sends
// later writes there.
func (l *attemptLog) toDiskLocked() {
	if len(l.mem) > 0 {
		if _, err := l.files[logFile].f.Write(l.mem); err != nil {
			l.err = err
		}
	}
	l.mem, l.onDisk = nil, true
}

// settle ends the .log's time in memory when the attempt ends. With keep
// the .log becomes a file. Without it the lines are returned for
// quiet.log, unless the .log file already exists (an earlier run of the
// same attempt, offered again): they are appended to it, so that readers,
// who look in quiet.log only when there is no file, see them. The lines
// are also returned when the file could not be created, with the reason:
// quiet.log is then the only place for them. It is safe on nil.
func (l *attemptLog) settle(keep bool) (quiet []byte, err error) {
	if l == nil {
		return nil, nil
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if keep {
		l.spillLocked()
	} else if !l.onDisk && l.files[logFile].openExisting() {
		l.toDiskLocked()
	}
	if l.onDisk {
		return nil, l.err
	}
	l.sealed = true
	return l.mem, l.err
}

// close closes the files; it is safe on nil and more than once.
func (l *attemptLog) close() {
	if l == nil {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, f := range l.files {
		f.close()
	}
}

// lazyFile is an append-only file created by its first write. Like an
// *os.File, it is written by one goroutine at a time.
type lazyFile struct {
	path string
	// onCreate, when set, runs before the file is first opened.
	onCreate func()
	f        *os.File
	err      error
}

// open creates or opens the file for appending, once.
func (l *lazyFile) open() error {
	if l.f == nil && l.err == nil {
		if l.onCreate != nil {
			l.onCreate()
			l.onCreate = nil
		}
		l.f, l.err = os.OpenFile(l.path, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o644)
	}
	return l.err
}

// openExisting opens the file for appending when it exists, without
// creating it (a failed open costs little; a creation is what costs).
func (l *lazyFile) openExisting() bool {
	if l.f == nil && l.err == nil {
		f, err := os.OpenFile(l.path, os.O_WRONLY|os.O_APPEND, 0)
		if err != nil {
			return false
		}
		l.f = f
	}
	return l.f != nil
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

// LogFileName is the name of an attempt's local log file, as its runner
// writes it in the pipeline's log directory and reports it in
// logLocation: readers accept no other name there.
func LogFileName(attemptID string) string { return safeName(attemptID) + localSuffixes[logFile] }

// safeName makes an id usable as one path element: no separators, and
// never "", "." or "..".
func safeName(id string) string {
	s := id
	if strings.ContainsAny(id, "/\\\x00") {
		s = strings.NewReplacer("/", "_", "\\", "_", "\x00", "_").Replace(id)
	}
	if s == "" || s == "." || s == ".." {
		return "_" + s
	}
	return s
}
