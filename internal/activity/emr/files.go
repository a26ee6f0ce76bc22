package emr

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/datapipe/datapipe/internal/activity"
	"github.com/datapipe/datapipe/internal/activity/data"
	"github.com/datapipe/datapipe/internal/datanode"
	"github.com/datapipe/datapipe/internal/datanode/file"
	s3node "github.com/datapipe/datapipe/internal/datanode/s3"
	"github.com/datapipe/datapipe/internal/pipeline"
)

// dir is a step's directory: the Files node and, on S3, its client (to
// delete the files of a failed export).
type dir struct {
	datanode.Files
	s3 *s3.Client
}

// openDir returns the step's directory (s3://, file:// or a local
// path) as a Files node. It is named after the activity's S3DataNode of
// that directoryPath when there is one ("S3DataNode S3TempLocation"),
// whose region field, else the resource's, picks the S3 client.
func (a *Activity) openDir(ctx context.Context, t *activity.Task, path string) (*dir, error) {
	node := findNode(t, "S3DataNode", func(o pipeline.Object) bool { return samePath(datanode.Str(o, "directoryPath"), path) })
	id := node.ID
	if id == "" {
		id = "StepDirectory"
	}
	obj := pipeline.Object{ID: id, Fields: []pipeline.Field{pipeline.String("type", "S3DataNode"), pipeline.String("directoryPath", path)}}
	if !datanode.IsS3(path) {
		n, err := file.New(obj, nil)
		return &dir{Files: n}, data.Fail(err)
	}
	region := a.cfg.Clients.Region(datanode.Str(node, "region"), resourceRegion(t))
	c, err := a.s3Client(ctx, bucketOf(path), region)
	if err != nil {
		return nil, err
	}
	n, err := s3node.New(obj, nil, c, a.cfg.S3)
	return &dir{Files: n, s3: c}, data.Fail(err)
}

// samePath compares directory paths, ignoring a trailing slash.
func samePath(a, b string) bool {
	return a != "" && strings.TrimSuffix(a, "/") == strings.TrimSuffix(b, "/")
}

// bucketOf is the bucket of an s3:// URI.
func bucketOf(uri string) string {
	_, rest, _ := strings.Cut(uri, "://")
	bucket, _, _ := strings.Cut(rest, "/")
	return bucket
}

// remove deletes files a failed step wrote, best effort: files already
// gone are no failure.
func (d *dir) remove(ctx context.Context, files []datanode.File) error {
	var errs []error
	for _, f := range files {
		errs = append(errs, d.removeOne(ctx, f.URL))
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("remove the files of the failed export: %w", err)
	}
	return nil
}

// removeOne deletes one file by URL.
func (d *dir) removeOne(ctx context.Context, url string) error {
	if !datanode.IsS3(url) {
		p, err := file.LocalPath(url)
		if err == nil {
			err = os.Remove(p)
		}
		if errors.Is(err, os.ErrNotExist) {
			return nil
		}
		return err
	}
	if d.s3 == nil {
		return fmt.Errorf("remove %s: no S3 client", url)
	}
	bucket := bucketOf(url)
	key := strings.TrimPrefix(url[strings.Index(url, "://")+3:], bucket+"/")
	_, err := d.s3.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: &bucket, Key: &key})
	return err
}
