package dynamodb

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/smithy-go"

	"github.com/datapipe/datapipe/internal/datanode"
	"github.com/datapipe/datapipe/internal/pipeline"
)

// Config tunes a DynamoDB node.
type Config struct {
	// Segments is the parallel scan segments of Read (default 4).
	Segments int
	// WriteConcurrency is the BatchWriteItem calls in flight (default 4).
	WriteConcurrency int
	// OnDemandRate is the capacity units per second a throughput percent
	// applies to when the table is on-demand (PAY_PER_REQUEST) and so
	// reports no provisioned capacity (default 40000, the on-demand
	// table default maximum).
	OnDemandRate float64
	// Clock times rate limits and back-offs (default the system clock).
	Clock datanode.Clock
	// Logger receives debug records; nil discards them.
	Logger *slog.Logger
}

// withDefaults fills in defaults.
func (c Config) withDefaults() Config {
	c.Segments = max(cmp.Or(c.Segments, 4), 1)
	c.WriteConcurrency = max(cmp.Or(c.WriteConcurrency, 4), 1)
	c.OnDemandRate = cmp.Or(c.OnDemandRate, 40000)
	if c.Clock == nil {
		c.Clock = datanode.SystemClock{}
	}
	c.Logger = cmp.Or(c.Logger, slog.New(slog.DiscardHandler))
	return c
}

// defaultPercent is the throughput share used when the node sets none,
// as the EMR DynamoDB connector does (dynamodb.throughput.*.percent).
const defaultPercent = 0.5

// Node is a DynamoDBDataNode.
type Node struct {
	name     string
	client   *dynamodb.Client
	cfg      Config
	table    string
	region   string
	readPct  float64
	writePct float64
	readSet  bool
	writeSet bool
}

var _ datanode.Table = (*Node)(nil)

// New returns the node for obj using client (whose region must be the
// node's: see Region). Errors match datanode.ErrInvalid and name the node
// and field.
func New(obj pipeline.Object, _ datanode.Lookup, client *dynamodb.Client, cfg Config) (*Node, error) {
	name := datanode.Name(obj)
	n := &Node{name: name, client: client, cfg: cfg.withDefaults(), table: datanode.Str(obj, "tableName"), region: datanode.Str(obj, "region")}
	if n.table == "" {
		return nil, datanode.Invalidf(name, "tableName is not set")
	}
	if client == nil {
		return nil, datanode.Invalidf(name, "no DynamoDB client")
	}
	var err error
	if n.readPct, err = datanode.Percent(obj, "readThroughputPercent", defaultPercent); err != nil {
		return nil, err
	}
	if n.writePct, err = datanode.Percent(obj, "writeThroughputPercent", defaultPercent); err != nil {
		return nil, err
	}
	n.readSet, n.writeSet = datanode.Str(obj, "readThroughputPercent") != "", datanode.Str(obj, "writeThroughputPercent") != ""
	return n, nil
}

// Name returns "<type> <id>".
func (n *Node) Name() string { return n.name }

// TableName returns the table name.
func (n *Node) TableName() string { return n.table }

// Region returns the node's region field ("" when unset); the caller
// picks the client for it.
func (n *Node) Region() string { return n.region }

// Close does nothing: the client is the caller's.
func (n *Node) Close() error { return nil }

// Exists reports whether the table exists.
func (n *Node) Exists(ctx context.Context) (bool, error) {
	_, err := n.describe(ctx)
	if errors.Is(err, datanode.ErrNotFound) {
		return false, nil
	}
	return err == nil, err
}

// HasItems reports whether the table holds at least one item
// (DynamoDBDataExists). A missing table fails with ErrNotFound.
func (n *Node) HasItems(ctx context.Context) (bool, error) {
	out, err := n.client.Scan(ctx, &dynamodb.ScanInput{TableName: &n.table, Limit: aws.Int32(1)})
	if err != nil {
		return false, n.apiErr("scan", err)
	}
	return len(out.Items) > 0 || out.LastEvaluatedKey != nil, nil
}

// describe returns the table's description.
func (n *Node) describe(ctx context.Context) (*types.TableDescription, error) {
	out, err := n.client.DescribeTable(ctx, &dynamodb.DescribeTableInput{TableName: &n.table})
	if err != nil {
		return nil, n.apiErr("describe table "+n.table, err)
	}
	return out.Table, nil
}

// rates returns the read and write capacity units per second the node
// may use: the table's provisioned capacity times the throughput
// percents. An on-demand table (no provisioned capacity) is limited to
// OnDemandRate times a percent the node sets, and not at all otherwise
// (0).
func (n *Node) rates(d *types.TableDescription) (read, write float64) {
	if pt := d.ProvisionedThroughput; pt != nil && aws.ToInt64(pt.ReadCapacityUnits) > 0 {
		return float64(aws.ToInt64(pt.ReadCapacityUnits)) * n.readPct, float64(aws.ToInt64(pt.WriteCapacityUnits)) * n.writePct
	}
	if n.readSet {
		read = n.cfg.OnDemandRate * n.readPct
	}
	if n.writeSet {
		write = n.cfg.OnDemandRate * n.writePct
	}
	return read, write
}

// apiErr names the node; a missing table matches ErrNotFound.
func (n *Node) apiErr(op string, err error) error {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		switch ae.ErrorCode() {
		case "ResourceNotFoundException":
			return datanode.NotFoundf(n.name, "%s: table %s does not exist", op, n.table)
		case "UnrecognizedClientException", "InvalidSignatureException", "AccessDeniedException", "MissingAuthenticationTokenException":
			return fmt.Errorf("%s: %s: access denied (%s): check the DynamoDB credentials: %w", n.name, op, ae.ErrorCode(), err)
		}
	}
	return datanode.Wrap(n.name, op, err)
}
