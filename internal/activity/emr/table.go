package emr

import (
	"context"
	"errors"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/datapipe/datapipe/internal/activity"
)

// onDemandCapacity is the capacity the emr-dynamodb-tools assume for a
// PAY_PER_REQUEST table, in units a second.
const onDemandCapacity = 40_000

// defaultRatio is the tools' throughput ratio when none is given.
const defaultRatio = 0.5

// IDTableNotFound: the step's table does not exist in its region.
const IDTableNotFound = "DynamoDBTableNotFound"

// table is a DynamoDB table as a step sees it.
type table struct {
	name, region string
	client       *dynamodb.Client
	read, write  float64 // capacity units a second
	items, bytes int64   // DescribeTable's (approximate) counts
	onDemand     bool
}

// describeTable looks the table up. A missing table fails with
// IDTableNotFound naming the table and region.
func describeTable(ctx context.Context, c *dynamodb.Client, name, region string) (*table, error) {
	out, err := c.DescribeTable(ctx, &dynamodb.DescribeTableInput{TableName: aws.String(name)})
	var nf *types.ResourceNotFoundException
	if errors.As(err, &nf) {
		return nil, activity.Errorf(IDTableNotFound, "DynamoDB table %s does not exist in region %s", name, region)
	}
	if err != nil {
		return nil, fmt.Errorf("describe DynamoDB table %s in region %s: %w", name, region, err)
	}
	d := out.Table
	t := &table{name: name, region: region, client: c, read: onDemandCapacity, write: onDemandCapacity,
		items: aws.ToInt64(d.ItemCount), bytes: aws.ToInt64(d.TableSizeBytes)}
	t.onDemand = d.BillingModeSummary != nil && d.BillingModeSummary.BillingMode == types.BillingModePayPerRequest
	if p := d.ProvisionedThroughput; !t.onDemand && p != nil && aws.ToInt64(p.ReadCapacityUnits) > 0 {
		t.read, t.write = float64(aws.ToInt64(p.ReadCapacityUnits)), float64(aws.ToInt64(p.WriteCapacityUnits))
	}
	return t, nil
}

// String names the table in messages.
func (t *table) String() string {
	return fmt.Sprintf("DynamoDB table %s (region %s)", t.name, t.region)
}

// consumed is the capacity a response reports, or estimate when the
// server reports none.
func consumed(cc []types.ConsumedCapacity, estimate float64) float64 {
	var sum float64
	for _, c := range cc {
		sum += aws.ToFloat64(c.CapacityUnits)
	}
	if sum == 0 {
		return estimate
	}
	return sum
}

// retryOptions lets the SDK retry throttled requests longer than its
// default three attempts: the limiter keeps to the ratio, but other
// clients share the table.
func retryOptions(o *dynamodb.Options) { o.RetryMaxAttempts = 10 }
