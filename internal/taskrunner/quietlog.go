package taskrunner

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
)

// quietName is the file, in a pipeline's log directory, that holds the
// lines of the attempts that finished without a log file of their own
// (see [I] in the package doc), each line as <attemptId>\t<line>.
const quietName = "quiet.log"

// quietLogs are a Runner's open quiet.log files, by pipeline directory.
// Each is opened once, for appending, and kept open until Run returns:
// opening it for every attempt would cost much of what it saves.
type quietLogs struct {
	mu    sync.Mutex
	files map[string]*os.File
}

// append writes the lines of attempt attemptID to dir's quiet.log with
// one Write: with O_APPEND the record lands whole after whatever other
// runners, in this process or another, appended before it, and is never
// interleaved with theirs.
func (q *quietLogs) append(dir, attemptID string, lines []byte) error {
	f, err := q.file(dir)
	if err != nil {
		return err
	}
	_, err = f.Write(quietRecord(quietKey(attemptID), lines))
	return err
}

// file returns dir's quiet.log, opening it on first use.
func (q *quietLogs) file(dir string) (*os.File, error) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if f := q.files[dir]; f != nil {
		return f, nil
	}
	f, err := os.OpenFile(filepath.Join(dir, quietName), os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o644)
	if err != nil {
		return nil, err
	}
	if q.files == nil {
		q.files = make(map[string]*os.File)
	}
	q.files[dir] = f
	return f, nil
}

// close closes the files; a later append opens them again.
func (q *quietLogs) close() {
	q.mu.Lock()
	defer q.mu.Unlock()
	for dir, f := range q.files {
		_ = f.Close()
		delete(q.files, dir)
	}
}

// quietKey is the attempt's key in quiet.log: its id as in its file name,
// with the characters that delimit quiet.log's fields replaced too.
func quietKey(attemptID string) string {
	key := safeName(attemptID)
	if !strings.ContainsAny(key, "\t\n\r") {
		return key
	}
	return strings.NewReplacer("\t", "_", "\n", "_", "\r", "_").Replace(key)
}

// quietRecord prefixes every line with key and a tab; a last line
// without a newline gets one, so that the next record starts a line.
func quietRecord(key string, lines []byte) []byte {
	n := bytes.Count(lines, []byte{'\n'}) + 1
	out := make([]byte, 0, len(lines)+n*(len(key)+2))
	for len(lines) > 0 {
		line, rest, _ := bytes.Cut(lines, []byte{'\n'})
		out = append(out, key...)
		out = append(out, '\t')
		out = append(out, line...)
		out = append(out, '\n')
		lines = rest
	}
	return out
}

// ReadAttemptLog reads the local log of attempt attemptID, whose runner
// reported location as its logLocation, from byte offset, at most limit
// bytes (limit <= 0: to the end). It returns the text and the offset
// after it, to pass to the next call when following a growing log.
//
// The log is the file at location when it exists. When it does not, the
// attempt may have finished without a log file of its own: its lines are
// then those of quiet.log in the same directory that start with
// <attemptId>\t, without that prefix, and offset counts in that text. An
// error satisfying errors.Is(err, fs.ErrNotExist) means that neither has
// the attempt: its log is on another host, or still in its runner's
// memory (see LogMayBeInMemory).
func ReadAttemptLog(location, attemptID string, offset, limit int64) (text string, next int64, err error) {
	b, err := readFileFrom(location, offset, limit)
	if errors.Is(err, fs.ErrNotExist) {
		b, err = readQuiet(location, attemptID, offset, limit, err)
	}
	if err != nil {
		return "", offset, err
	}
	return string(b), offset + int64(len(b)), nil
}

// LogMayBeInMemory reports whether an attempt log that ReadAttemptLog
// did not find may simply not be written yet: the attempt is not
// terminal, and the runner that reported it (its hostname field) runs on
// this machine. A runner keeps an attempt's first lines in memory until
// the command prints, LogFileAfter passes or the attempt ends.
func LogMayBeInMemory(hostname string, terminal bool) bool {
	if terminal || hostname == "" {
		return false
	}
	me, err := os.Hostname()
	return err == nil && me == hostname
}

// readFileFrom reads up to limit bytes (limit <= 0: all) of path from
// offset.
func readFileFrom(path string, offset, limit int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var r io.Reader = io.NewSectionReader(f, offset, 1<<62)
	if limit > 0 {
		r = io.LimitReader(r, limit)
	}
	return io.ReadAll(r)
}

// readQuiet reads the attempt's lines in quiet.log beside location, from
// offset; notFound is returned when quiet.log has none.
func readQuiet(location, attemptID string, offset, limit int64, notFound error) ([]byte, error) {
	lines, found, err := quietLines(filepath.Join(filepath.Dir(location), quietName), quietKey(attemptID))
	switch {
	case errors.Is(err, fs.ErrNotExist) || err == nil && !found:
		return nil, notFound
	case err != nil:
		return nil, fmt.Errorf("read the attempt's lines in %s: %w", quietName, err)
	}
	lines = lines[min(offset, int64(len(lines))):]
	if limit > 0 && int64(len(lines)) > limit {
		lines = lines[:limit]
	}
	return lines, nil
}

// quietLines returns the lines of the quiet.log at path that start with
// key and a tab, without that prefix, and whether there was one. The
// file is read once, a line at a time, so its size bounds only the time
// taken, not the memory.
func quietLines(path, key string) (lines []byte, found bool, err error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, false, err
	}
	defer f.Close()
	prefix := []byte(key + "\t")
	r := bufio.NewReaderSize(f, max(64<<10, len(prefix)+1))
	for {
		head, _ := r.Peek(len(prefix))
		mine := bytes.Equal(head, prefix)
		if mine {
			_, _ = r.Discard(len(prefix))
			found = true
		}
		end, err := copyLine(r, &lines, mine)
		if end || err != nil {
			return lines, found, err
		}
	}
}

// copyLine reads the rest of a line, appending it to out when keep. It
// reports whether the file ended. A last line without a newline (a record
// being appended as we read) is kept as it is: what follows only extends
// it, so offsets stay valid for the next read.
func copyLine(r *bufio.Reader, out *[]byte, keep bool) (end bool, err error) {
	for {
		chunk, err := r.ReadSlice('\n')
		if keep {
			*out = append(*out, chunk...)
		}
		switch {
		case errors.Is(err, bufio.ErrBufferFull):
			continue
		case errors.Is(err, io.EOF):
			return true, nil
		}
		return false, err
	}
}
