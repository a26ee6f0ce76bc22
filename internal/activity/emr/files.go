package emr

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/datapipe/datapipe/internal/datanode"
	"github.com/datapipe/datapipe/internal/datanode/file"
	"github.com/datapipe/datapipe/internal/datanode/format"
	s3node "github.com/datapipe/datapipe/internal/datanode/s3"
	"github.com/datapipe/datapipe/internal/pipeline"
)

// exportFormatID is the id of the DynamoDBExportDataFormat object the
// step's directory is read and written with.
const exportFormatID = "DynamoDbExportFormat"

// exportFormatObject is the format object the step directory refers to.
func exportFormatObject() pipeline.Object {
	return pipeline.Object{ID: exportFormatID, Fields: []pipeline.Field{pipeline.String("type", format.TypeDynamoDBExport)}}
}

// dir is a step's directory: the Files node and, on S3, its client (to
// delete the files of a failed export).
type dir struct {
	datanode.Files
	s3 *s3.Client
}

// openDir returns the directory path (s3://, file:// or a local path)
// as a Files node named id, in the export format, gzip-compressed when
// gzip is set. region picks the S3 client.
func (a *Activity) openDir(ctx context.Context, id, path, region string, gzip bool) (*dir, error) {
	fields := []pipeline.Field{pipeline.String("type", "S3DataNode"), pipeline.String("directoryPath", path),
		pipeline.Reference("dataFormat", exportFormatID)}
	if gzip {
		fields = append(fields, pipeline.String("compression", "gzip"))
	}
	obj := pipeline.Object{ID: id, Fields: fields}
	lookup := datanode.MapLookup(map[string]pipeline.Object{exportFormatID: exportFormatObject()})
	if !datanode.IsS3(path) {
		n, err := file.New(obj, lookup)
		return &dir{Files: n}, err
	}
	if a.cfg.Clients == nil {
		return nil, errors.New("no AWS clients configured for s3:// paths")
	}
	c, err := a.s3Client(ctx, bucketOf(path), region)
	if err != nil {
		return nil, err
	}
	n, err := s3node.New(obj, lookup, c, a.cfg.S3)
	return &dir{Files: n, s3: c}, err
}

// bucketOf is the bucket of an s3:// URI.
func bucketOf(uri string) string {
	_, rest, _ := strings.Cut(uri, "://")
	bucket, _, _ := strings.Cut(rest, "/")
	return bucket
}

// remove deletes files the step wrote, best effort, returning the first
// failure.
func (d *dir) remove(ctx context.Context, files []datanode.File) error {
	var errs []error
	for _, f := range files {
		errs = append(errs, d.removeOne(ctx, f.URL))
	}
	return errors.Join(errs...)
}

// removeOne deletes one file by URL.
func (d *dir) removeOne(ctx context.Context, url string) error {
	if !datanode.IsS3(url) {
		p, err := file.LocalPath(url)
		if err == nil {
			err = os.Remove(p)
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
