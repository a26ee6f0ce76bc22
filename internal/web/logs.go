package web

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/datapipe/datapipe/internal/control"
	"github.com/datapipe/datapipe/internal/pipeline"
	"github.com/datapipe/datapipe/internal/store"
	"github.com/datapipe/datapipe/internal/taskrunner"
)

// maxLogChunk is the most log text one request returns.
const maxLogChunk = 256 << 10

// logChunk is a piece of an attempt's log, as GET /console/api/log
// returns it. Done is true once the attempt is terminal: nothing more
// will be appended.
type logChunk struct {
	Text     string          `json:"text"`
	Offset   int64           `json:"offset"`
	Status   pipeline.Status `json:"status"`
	Done     bool            `json:"done"`
	Location string          `json:"location,omitempty"`
	Error    string          `json:"error,omitempty"`
}

// logJSON serves GET /console/api/log?pipelineId=&attemptId=&offset=.
func (c *Console) logJSON(r *http.Request, caller control.Caller) (any, error) {
	q := r.URL.Query()
	id, aid := q.Get("pipelineId"), q.Get("attemptId")
	if _, err := c.cfg.Store.PipelineGet(r.Context(), store.PipelineGetParams{AccountID: caller.AccountID, ID: id}); err != nil {
		return nil, pipelineErr(id, err)
	}
	o, err := c.object(r.Context(), id, aid)
	if err != nil {
		return nil, err
	}
	if o.Sphere != pipeline.SphereAttempt {
		return nil, badInput("%s is not an attempt", aid)
	}
	off, _ := strconv.ParseInt(q.Get("offset"), 10, 64)
	return c.readLog(o, max(off, 0)), nil
}

// readLog reads an attempt's local log (its runner's logLocation) from
// offset: the file, or, for an attempt that finished without one, its
// lines of the pipeline's quiet.log beside it (taskrunner.ReadAttemptLog).
// Only a location named after the attempt (<attemptId>.log, as the task
// runner writes it) is read, whatever logLocation a runner reported. A
// running attempt's log that its runner, on this machine, still holds in
// memory reads as empty so far (taskrunner.LogMayBeInMemory).
func (c *Console) readLog(o store.Object, offset int64) *logChunk {
	ch := &logChunk{Offset: offset, Status: o.Status, Done: o.Status.Terminal(), Location: fieldOf(o.Fields, "logLocation")}
	host := fieldOf(o.Fields, "hostname")
	switch {
	case ch.Location == "":
		ch.Error = fmt.Sprintf("no log yet: no task runner has started attempt %s (%s)", o.ID, o.Status)
	case filepath.Base(ch.Location) != taskrunner.LogFileName(o.ID):
		ch.Error = fmt.Sprintf("the log location %s is not the attempt's log file", ch.Location)
	default:
		text, next, err := taskrunner.ReadAttemptLog(ch.Location, o.ID, offset, maxLogChunk)
		ch.Text, ch.Offset = text, next
		switch {
		case errors.Is(err, os.ErrNotExist) && taskrunner.LogMayBeInMemory(host, ch.Done):
			// Nothing on disk yet: the log is empty so far.
		case errors.Is(err, os.ErrNotExist):
			ch.Error = fmt.Sprintf("the log %s is on host %q, not on this server", ch.Location, host)
			readUploaded(ch, fieldOf(o.Fields, "logUri"), offset)
		case err != nil:
			ch.Error = err.Error()
		}
	}
	return ch
}

// readUploaded reads the copy of a finished attempt's log that its runner
// uploaded to pipelineLogUri (logUri), when the local log is on another
// host: a file:// copy is read, an s3:// one is named. Only a file named
// Activity.log, as runners upload it, is read.
func readUploaded(ch *logChunk, uri string, offset int64) {
	if uri == "" || path.Base(uri) != "Activity.log" {
		return
	}
	local, ok := strings.CutPrefix(uri, "file://")
	if !ok {
		ch.Error += fmt.Sprintf("; its uploaded copy is at %s", uri)
		return
	}
	text, n, err := readFrom(local, offset)
	if err != nil {
		ch.Error += fmt.Sprintf("; its uploaded copy %s cannot be read: %v", uri, err)
		return
	}
	ch.Text, ch.Offset, ch.Location, ch.Error = text, offset+n, uri, ""
}

// readFrom reads up to maxLogChunk bytes of path from offset: an
// uploaded copy, a plain file (local logs go through
// taskrunner.ReadAttemptLog).
func readFrom(path string, offset int64) (string, int64, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", 0, err
	}
	defer f.Close()
	if _, err := f.Seek(offset, io.SeekStart); err != nil {
		return "", 0, err
	}
	b, err := io.ReadAll(io.LimitReader(f, maxLogChunk))
	return string(b), int64(len(b)), err
}
