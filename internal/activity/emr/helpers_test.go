package emr_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/datapipe/datapipe/internal/activity"
	"github.com/datapipe/datapipe/internal/awsclient"
	"github.com/datapipe/datapipe/internal/config"
	"github.com/datapipe/datapipe/internal/pipeline"
)

// awayRegion is the region the second dynalite serves.
const awayRegion = "eu-west-1"

// serverEnv returns a test server's environment variable; unset, the
// test fails (skips under -short).
func serverEnv(t *testing.T, name string) string {
	t.Helper()
	v := os.Getenv(name)
	if v == "" {
		if testing.Short() {
			t.Skipf("%s is not set (-short)", name)
		}
		t.Fatalf("%s is not set: run eval \"$(scripts/servers.sh start)\"", name)
	}
	return v
}

// testFactory returns clients for the test servers: versitygw for S3 in
// every region, the first dynalite for DynamoDB in us-east-1 and the
// second in eu-west-1.
func testFactory(t *testing.T) *awsclient.Factory {
	t.Helper()
	return awsclient.New(awsclient.Config{AWS: config.AWS{Region: "us-east-1",
		Endpoints: map[string]string{"s3": serverEnv(t, "DATAPIPE_TEST_S3_ENDPOINT"),
			"dynamodb": serverEnv(t, "DATAPIPE_TEST_DYNAMODB_ENDPOINT")},
		RegionEndpoints:  map[string]map[string]string{awayRegion: {"dynamodb": serverEnv(t, "DATAPIPE_TEST_DYNAMODB_ENDPOINT2")}},
		S3ForcePathStyle: true,
		AccessKeyID:      serverEnv(t, "DATAPIPE_TEST_S3_ACCESS_KEY"), SecretAccessKey: serverEnv(t, "DATAPIPE_TEST_S3_SECRET_KEY")}})
}

// uniqueName returns a name no other test run uses.
func uniqueName(prefix string) string {
	b := make([]byte, 5)
	_, _ = rand.Read(b)
	return prefix + "-" + hex.EncodeToString(b)
}

// newBucket creates a bucket, emptied and removed after the test.
func newBucket(t *testing.T, c *s3.Client) string {
	t.Helper()
	name := uniqueName("emr")
	if _, err := c.CreateBucket(t.Context(), &s3.CreateBucketInput{Bucket: &name}); err != nil {
		t.Fatalf("CreateBucket: %v", err)
	}
	t.Cleanup(func() {
		ctx := context.Background()
		for _, k := range listKeys(t, c, name, "") {
			_, _ = c.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: &name, Key: aws.String(k)})
		}
		_, _ = c.DeleteBucket(ctx, &s3.DeleteBucketInput{Bucket: &name})
	})
	return name
}

// listKeys lists the keys under prefix.
func listKeys(t *testing.T, c *s3.Client, bucket, prefix string) []string {
	t.Helper()
	var keys []string
	p := s3.NewListObjectsV2Paginator(c, &s3.ListObjectsV2Input{Bucket: &bucket, Prefix: &prefix})
	for p.HasMorePages() {
		page, err := p.NextPage(context.Background())
		if err != nil {
			t.Fatalf("list s3://%s/%s: %v", bucket, prefix, err)
		}
		for _, o := range page.Contents {
			keys = append(keys, aws.ToString(o.Key))
		}
	}
	return keys
}

// createTable creates a table keyed by the string id (on-demand, or
// provisioned with rcu/wcu when rcu > 0), deleted after the test.
func createTable(t *testing.T, c *dynamodb.Client, name string, rcu int64) {
	t.Helper()
	in := &dynamodb.CreateTableInput{TableName: aws.String(name),
		AttributeDefinitions: []types.AttributeDefinition{{AttributeName: aws.String("id"), AttributeType: types.ScalarAttributeTypeS}},
		KeySchema:            []types.KeySchemaElement{{AttributeName: aws.String("id"), KeyType: types.KeyTypeHash}},
		BillingMode:          types.BillingModePayPerRequest}
	if rcu > 0 {
		in.BillingMode = types.BillingModeProvisioned
		in.ProvisionedThroughput = &types.ProvisionedThroughput{ReadCapacityUnits: aws.Int64(rcu), WriteCapacityUnits: aws.Int64(rcu)}
	}
	if _, err := c.CreateTable(t.Context(), in); err != nil {
		t.Fatalf("CreateTable %s: %v", name, err)
	}
	t.Cleanup(func() {
		_, _ = c.DeleteTable(context.Background(), &dynamodb.DeleteTableInput{TableName: aws.String(name)})
	})
	w := dynamodb.NewTableExistsWaiter(c, func(o *dynamodb.TableExistsWaiterOptions) {
		o.MinDelay, o.MaxDelay = 20*time.Millisecond, 200*time.Millisecond
	})
	if err := w.Wait(t.Context(), &dynamodb.DescribeTableInput{TableName: aws.String(name)}, 20*time.Second); err != nil {
		t.Fatalf("table %s did not become active: %v", name, err)
	}
}

// testItem is item i of a source table: every attribute type.
func testItem(i int) map[string]types.AttributeValue {
	item := map[string]types.AttributeValue{
		"id":   &types.AttributeValueMemberS{Value: fmt.Sprintf("item-%04d \"q\"\n\u00e9", i)},
		"n":    &types.AttributeValueMemberN{Value: fmt.Sprint(i)},
		"flag": &types.AttributeValueMemberBOOL{Value: i%2 == 0},
		"tags": &types.AttributeValueMemberSS{Value: []string{"a", fmt.Sprint("t", i)}},
		"doc": &types.AttributeValueMemberM{Value: map[string]types.AttributeValue{
			"list": &types.AttributeValueMemberL{Value: []types.AttributeValue{&types.AttributeValueMemberN{Value: "1.5"}, &types.AttributeValueMemberNULL{Value: true}}},
			"bin":  &types.AttributeValueMemberB{Value: []byte{0, byte(i)}},
		}},
	}
	if i%3 == 0 {
		item["nums"] = &types.AttributeValueMemberNS{Value: []string{"1", "2"}}
		item["blobs"] = &types.AttributeValueMemberBS{Value: [][]byte{{1}, {2, 3}}}
	}
	return item
}

// fill writes n test items into the table.
func fill(t *testing.T, c *dynamodb.Client, table string, n int) {
	t.Helper()
	for start := 0; start < n; start += 25 {
		var reqs []types.WriteRequest
		for i := start; i < min(start+25, n); i++ {
			reqs = append(reqs, types.WriteRequest{PutRequest: &types.PutRequest{Item: testItem(i)}})
		}
		out, err := c.BatchWriteItem(t.Context(), &dynamodb.BatchWriteItemInput{RequestItems: map[string][]types.WriteRequest{table: reqs}})
		if err != nil || len(out.UnprocessedItems) > 0 {
			t.Fatalf("fill %s: %v (%d unprocessed)", table, err, len(out.UnprocessedItems))
		}
	}
}

// scanAll returns a table's items keyed by id.
func scanAll(t *testing.T, c *dynamodb.Client, table string) map[string]map[string]types.AttributeValue {
	t.Helper()
	items := map[string]map[string]types.AttributeValue{}
	p := dynamodb.NewScanPaginator(c, &dynamodb.ScanInput{TableName: aws.String(table)})
	for p.HasMorePages() {
		page, err := p.NextPage(t.Context())
		if err != nil {
			t.Fatalf("scan %s: %v", table, err)
		}
		for _, it := range page.Items {
			items[it["id"].(*types.AttributeValueMemberS).Value] = it
		}
	}
	return items
}

// newTask builds an EmrActivity task: the attempt's fields and the
// objects it refers to.
func newTask(t *testing.T, fields []pipeline.Field, objects ...pipeline.Object) *activity.Task {
	t.Helper()
	const attemptID = "@Copy_2024-01-01T00:00:00_Attempt=1"
	all := append([]pipeline.Field{pipeline.String("type", "EmrActivity"), pipeline.Reference("@componentParent", "Copy")}, fields...)
	objs := map[string]pipeline.Object{attemptID: {ID: attemptID, Fields: all}}
	for _, o := range objects {
		objs[o.ID] = o
	}
	tk, err := activity.NewTask("task-1", "df-1", attemptID, objs)
	if err != nil {
		t.Fatal(err)
	}
	return tk
}

// object builds a pipeline object of type typ.
func object(id, typ string, fields ...pipeline.Field) pipeline.Object {
	return pipeline.Object{ID: id, Fields: append([]pipeline.Field{pipeline.String("type", typ)}, fields...)}
}

// wantID fails unless err carries the error id.
func wantID(t *testing.T, err error, id string) {
	t.Helper()
	if got := activity.AsError(err); got == nil || got.ID != id {
		t.Fatalf("error = %v (id %v); want id %s", err, got, id)
	}
}
