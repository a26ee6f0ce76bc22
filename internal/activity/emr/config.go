package emr

import (
	"cmp"
	"context"
	"log/slog"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/datapipe/datapipe/internal/activity"
	"github.com/datapipe/datapipe/internal/datanode"
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
	// Clients builds the S3 and DynamoDB clients. Without it the native
	// steps fail with NotSupported.
	Clients Clients
	// Shell runs preStepCommand and postStepCommand values, as a
	// ShellCommandActivity whose command is the value. Without it, an
	// activity that has such commands fails.
	Shell activity.Executor
	// Segments is the number of parallel scan segments of an export
	// whose step names no segment count (default 4).
	Segments int
	// WriteConcurrency is the BatchWriteItem calls an import has in
	// flight (default 4).
	WriteConcurrency int
	// ItemsPerFile is how many items an export file holds before the
	// next one starts (default 100,000, as DynamoDbExport).
	ItemsPerFile int64
	// S3 tunes uploads and downloads. The default is 5 MiB parts with
	// one upload in flight, about 10 MiB for an export's output.
	S3 s3node.Config
	// Clock paces reads and writes to their throughput ratio (default
	// the system clock).
	Clock datanode.Clock
	// Logger receives debug records; nil discards them.
	Logger *slog.Logger
}

// withDefaults returns c with defaults filled in.
func (c Config) withDefaults() Config {
	c.Segments = max(cmp.Or(c.Segments, 4), 1)
	c.WriteConcurrency = max(cmp.Or(c.WriteConcurrency, 4), 1)
	c.ItemsPerFile = max(cmp.Or(c.ItemsPerFile, 100_000), 1)
	c.S3.PartSize = cmp.Or(c.S3.PartSize, 5<<20)
	c.S3.UploadConcurrency = cmp.Or(c.S3.UploadConcurrency, 1)
	if c.Clock == nil {
		c.Clock = datanode.SystemClock{}
	}
	c.Logger = cmp.Or(c.Logger, slog.New(slog.DiscardHandler))
	c.S3.Logger = cmp.Or(c.S3.Logger, c.Logger)
	return c
}
