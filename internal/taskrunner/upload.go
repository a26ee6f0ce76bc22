package taskrunner

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/datapipe/datapipe/internal/activity"
)

// uploadNames are the names of the uploaded files, as AWS names them in
// an attempt's log directory (uncompressed here).
var uploadNames = [...]string{logFile: "Activity.log", stdoutFile: "StdOutput", stderrFile: "StdError"}

// upload closes the local log and copies it under the attempt's
// pipelineLogUri, when it has one. It returns a warning for the attempt,
// or "": an upload never fails an attempt.
func (a *attempt) upload() string {
	if a.task == nil || a.files == nil {
		return ""
	}
	uri, _ := a.task.Field("pipelineLogUri")
	paths := a.files.paths
	a.files.close()
	if uri == "" {
		return ""
	}
	dest, err := uploadLogs(a.task, uri, paths)
	if err != nil {
		a.log.Warn("log upload failed", "err", err)
		return fmt.Sprintf("%v; the log stays at %s", err, paths[logFile])
	}
	a.log.Info("log uploaded", "log_uri", dest)
	return ""
}

// uploadLogs copies the log files to
// <uri>/<pipelineId>/<componentId>/<instanceId>/<attemptId>/ and returns
// that directory.
func uploadLogs(t *activity.Task, uri string, paths [3]string) (string, error) {
	if strings.HasPrefix(uri, "s3://") {
		return "", fmt.Errorf("log upload to s3:// (%s) needs the S3 support from the data issue", uri)
	}
	root, err := activity.LocalPath("pipelineLogUri", uri)
	if err != nil {
		return "", fmt.Errorf("log upload: %w", err)
	}
	dir := filepath.Join(root, safeName(t.PipelineID), safeName(t.ComponentID()), safeName(t.InstanceID()), safeName(t.AttemptID))
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("log upload: %w", err)
	}
	for i, p := range paths {
		if err := copyLog(p, filepath.Join(dir, uploadNames[i]), i == logFile); err != nil {
			return "", fmt.Errorf("log upload to %s: %w", dir, err)
		}
	}
	return dir, nil
}

// copyLog copies one log file; an empty or never created stream file is
// skipped unless always.
func copyLog(from, to string, always bool) error {
	in, err := os.Open(from)
	if errors.Is(err, fs.ErrNotExist) && !always {
		return nil
	}
	if err != nil {
		return err
	}
	defer in.Close()
	if info, err := in.Stat(); err != nil || (info.Size() == 0 && !always) {
		return err
	}
	out, err := os.Create(to)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		_ = out.Close()
		return err
	}
	return out.Close()
}
