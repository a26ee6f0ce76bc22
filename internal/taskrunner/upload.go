package taskrunner

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/datapipe/datapipe/internal/activity"
	"github.com/datapipe/datapipe/internal/pipeline"
)

// S3Clients builds the S3 client that uploads attempt logs to an s3://
// pipelineLogUri; *awsclient.Factory implements it.
type S3Clients interface {
	// S3 returns the client of region ("" for the default region).
	S3(ctx context.Context, region string) (*s3.Client, error)
}

// uploadTimeout bounds one attempt's log upload.
const uploadTimeout = 2 * time.Minute

// uploadNames are the names of the uploaded files, as AWS names them in
// an attempt's log directory (uncompressed here).
var uploadNames = [...]string{logFile: "Activity.log", stdoutFile: "StdOutput", stderrFile: "StdError"}

// upload closes the local log and copies it under the attempt's
// pipelineLogUri, when it has one. It returns the fields to report: a
// logUploadWarning (an upload never fails an attempt), or the uploaded
// log's location as logUri (consoles on other hosts read it there).
func (a *attempt) upload() []pipeline.Field {
	if a.task == nil || a.files == nil {
		return nil
	}
	uri := a.logURI()
	paths := a.files.paths
	a.files.close()
	if uri == "" {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), uploadTimeout)
	defer cancel()
	dest, err := uploadLogs(ctx, a.r.cfg.S3, a.task, uri, paths)
	if err != nil {
		a.log.Warn("log upload failed", "err", err)
		return []pipeline.Field{pipeline.String("logUploadWarning", clean(fmt.Sprintf("%v; the log stays at %s", err, paths[logFile]), maxFieldValue))}
	}
	a.log.Info("log uploaded", "log_uri", dest)
	if !strings.Contains(dest, "://") {
		dest = "file://" + dest
	}
	return []pipeline.Field{pipeline.String("logUri", strings.TrimSuffix(dest, "/")+"/"+uploadNames[logFile])}
}

// logURI is the attempt's pipelineLogUri, or "".
func (a *attempt) logURI() string {
	if a.task == nil {
		return ""
	}
	uri, _ := a.task.Field("pipelineLogUri")
	return uri
}

// uploadLogs copies the log files to
// <uri>/<pipelineId>/<componentId>/<instanceId>/<attemptId>/ and returns
// that directory.
func uploadLogs(ctx context.Context, clients S3Clients, t *activity.Task, uri string, paths [3]string) (string, error) {
	if isS3(uri) {
		return uploadS3(ctx, clients, t, uri, paths)
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

// isS3 reports whether uri is an s3:// (s3n://, s3a://) URI.
func isS3(uri string) bool {
	scheme, _, ok := strings.Cut(uri, "://")
	switch strings.ToLower(scheme) {
	case "s3", "s3n", "s3a":
		return ok
	}
	return false
}

// uploadS3 puts the log files under the attempt's prefix of an s3://
// pipelineLogUri and returns the prefix's URL. Empty stream files are
// skipped, as locally.
func uploadS3(ctx context.Context, clients S3Clients, t *activity.Task, uri string, paths [3]string) (string, error) {
	if clients == nil {
		return "", fmt.Errorf("log upload to %s: this task runner has no AWS configuration for s3://", uri)
	}
	_, rest, _ := strings.Cut(uri, "://")
	bucket, prefix, _ := strings.Cut(rest, "/")
	if bucket == "" {
		return "", fmt.Errorf("log upload to %s: the URI names no bucket", uri)
	}
	if prefix != "" && !strings.HasSuffix(prefix, "/") {
		prefix += "/"
	}
	prefix += strings.Join([]string{safeName(t.PipelineID), safeName(t.ComponentID()), safeName(t.InstanceID()), safeName(t.AttemptID)}, "/") + "/"
	dest := "s3://" + bucket + "/" + prefix
	client, err := clients.S3(ctx, "")
	if err != nil {
		return "", fmt.Errorf("log upload to %s: %w", dest, err)
	}
	for i, p := range paths {
		if err := putLog(ctx, client, bucket, prefix+uploadNames[i], p, i == logFile); err != nil {
			return "", fmt.Errorf("log upload to %s: %w", dest, err)
		}
	}
	return dest, nil
}

// putLog uploads one log file; an empty or never created stream file is
// skipped unless always.
func putLog(ctx context.Context, c *s3.Client, bucket, key, path string, always bool) error {
	in, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) && !always {
		return nil
	}
	if err != nil {
		return err
	}
	defer in.Close()
	info, err := in.Stat()
	if err != nil || (info.Size() == 0 && !always) {
		return err
	}
	_, err = c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(bucket), Key: aws.String(key), Body: in,
		ContentLength: aws.Int64(info.Size()), ContentType: aws.String("text/plain; charset=utf-8")})
	return err
}
