package data

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/smithy-go"

	"github.com/datapipe/datapipe/internal/activity"
	"github.com/datapipe/datapipe/internal/datanode"
	"github.com/datapipe/datapipe/internal/datanode/file"
	"github.com/datapipe/datapipe/internal/pipeline"
)

// ReadURI reads the whole object or file at uri (s3://, file:// or a
// plain path), at most limit bytes; owner's region picks the S3 client.
// field names the field in errors ("scriptUri"). A missing object or
// file is an error matching datanode.ErrNotFound.
func (o *Opener) ReadURI(ctx context.Context, t *activity.Task, owner pipeline.Object, field, uri string, limit int64) ([]byte, error) {
	name := datanode.Name(owner)
	if datanode.IsS3(uri) {
		return o.readS3(ctx, t, owner, field, uri, limit)
	}
	p, err := file.LocalPath(uri)
	if err != nil {
		return nil, activity.Errorf(activity.IDInvalidTask, "%s: %s: %v", name, field, err)
	}
	f, err := os.Open(p)
	if errors.Is(err, os.ErrNotExist) {
		return nil, datanode.NotFoundf(name, "%s %s does not exist", field, uri)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %s: %w", name, field, err)
	}
	defer f.Close()
	return readLimited(f, name, field, uri, limit)
}

// readS3 gets an s3:// object.
func (o *Opener) readS3(ctx context.Context, t *activity.Task, owner pipeline.Object, field, uri string, limit int64) ([]byte, error) {
	name := datanode.Name(owner)
	_, rest, _ := strings.Cut(uri, "://")
	bucket, key, _ := strings.Cut(rest, "/")
	if bucket == "" || key == "" {
		return nil, activity.Errorf(activity.IDInvalidTask, "%s: %s %s names no object", name, field, uri)
	}
	c, err := o.S3(ctx, t, owner)
	if err != nil {
		return nil, err
	}
	out, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: &bucket, Key: &key})
	if err != nil {
		var ae smithy.APIError
		if errors.As(err, &ae) && (ae.ErrorCode() == "NoSuchKey" || ae.ErrorCode() == "NoSuchBucket") {
			return nil, datanode.NotFoundf(name, "%s %s does not exist (%s)", field, uri, ae.ErrorCode())
		}
		return nil, fmt.Errorf("%s: get %s %s: %w", name, field, uri, err)
	}
	defer out.Body.Close()
	return readLimited(out.Body, name, field, uri, limit)
}

// readLimited reads r whole, failing beyond limit bytes.
func readLimited(r io.Reader, name, field, uri string, limit int64) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, fmt.Errorf("%s: read %s %s: %w", name, field, uri, err)
	}
	if int64(len(b)) > limit {
		return nil, activity.Errorf(activity.IDInvalidTask, "%s: %s %s is larger than %d bytes", name, field, uri, limit)
	}
	return b, nil
}
