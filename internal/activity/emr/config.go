package emr

import (
	"cmp"
	"context"
	"log/slog"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/datapipe/datapipe/internal/activity"
	s3node "github.com/datapipe/datapipe/internal/datanode/s3"
)

// Clients hands out the AWS clients of a region. *awsclient.Factory
// implements it.
type Clients interface {
	// Region returns the region of a node: nodeRegion, else
	// resourceRegion, else the configured default.
	Region(nodeRegion, resourceRegion string) string
	// S3 returns the S3 client of region.
	S3(ctx context.Context, region string) (*s3.Client, error)
	// DynamoDB returns the DynamoDB client of region.
	DynamoDB(ctx context.Context, region string) (*dynamodb.Client, error)
}

// Config configures the EmrActivity executor; zero fields take defaults.
type Config struct {
	// Clients builds the S3 and DynamoDB clients. Required for the
	// native steps; without it they fail with NotSupported.
	Clients Clients
	// Shell runs preStepCommand and postStepCommand values, as a
	// ShellCommandActivity whose command is the value. Without it, an
	// activity that has such commands fails.
	Shell activity.Executor
	// Segments is the number of parallel scan segments of an export
	// whose step names no segment count (default 4).
	Segments int
	// Writers is the number of files an import reads, and batches it
	// writes, at once (default 4).
	Writers int
	// ItemsPerFile is how many items an export file holds before the
	// next one starts (default 100,000, as DynamoDbExport).
	ItemsPerFile int
	// S3 tunes the uploads and downloads. The default is 5 MiB parts, one
	// upload in flight per file, so that an export holds about 10 MiB per
	// segment.
	S3 s3node.Config
	// Now and Sleep are the clock of the rate limiters (default the real
	// one).
	Now   func() time.Time
	Sleep func(ctx context.Context, d time.Duration) error
	// Logger receives debug records; nil discards them.
	Logger *slog.Logger
}

// withDefaults returns c with defaults filled in.
func (c Config) withDefaults() Config {
	c.Segments = max(cmp.Or(c.Segments, 4), 1)
	c.Writers = max(cmp.Or(c.Writers, 4), 1)
	c.ItemsPerFile = max(cmp.Or(c.ItemsPerFile, 100_000), 1)
	c.S3.PartSize = cmp.Or(c.S3.PartSize, 5<<20)
	c.S3.UploadConcurrency = cmp.Or(c.S3.UploadConcurrency, 1)
	c.S3.DownloadConcurrency = cmp.Or(c.S3.DownloadConcurrency, 2)
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.Sleep == nil {
		c.Sleep = sleep
	}
	c.Logger = cmp.Or(c.Logger, slog.New(slog.DiscardHandler))
	return c
}

// sleep waits d or until ctx ends.
func sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return context.Cause(ctx)
	}
}
