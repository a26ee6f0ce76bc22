package dynamodb_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	awsddb "github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/datapipe/datapipe/internal/datanode"
	"github.com/datapipe/datapipe/internal/datanode/datanodetest"
	"github.com/datapipe/datapipe/internal/datanode/dynamodb"
	"github.com/datapipe/datapipe/internal/pipeline"
)

// testClient returns a client for the first test dynalite.
func testClient(t *testing.T) *awsddb.Client {
	t.Helper()
	endpoint := os.Getenv("DATAPIPE_TEST_DYNAMODB_ENDPOINT")
	if endpoint == "" {
		if testing.Short() {
			t.Skip("DATAPIPE_TEST_DYNAMODB_ENDPOINT is not set")
		}
		t.Fatal(`DATAPIPE_TEST_DYNAMODB_ENDPOINT is not set: run eval "$(scripts/servers.sh start)"`)
	}
	return awsddb.New(awsddb.Options{
		Region: "us-east-1", BaseEndpoint: aws.String(endpoint),
		Credentials: credentials.NewStaticCredentialsProvider("k", "s", ""),
	})
}

// newTable creates a table keyed by the number id, deleted after the
// test.
func newTable(t *testing.T, c *awsddb.Client, rcu, wcu int64) string {
	t.Helper()
	b := make([]byte, 6)
	rand.Read(b)
	name := "t-" + hex.EncodeToString(b)
	ctx := context.Background()
	_, err := c.CreateTable(ctx, &awsddb.CreateTableInput{
		TableName:             &name,
		AttributeDefinitions:  []types.AttributeDefinition{{AttributeName: aws.String("id"), AttributeType: types.ScalarAttributeTypeN}},
		KeySchema:             []types.KeySchemaElement{{AttributeName: aws.String("id"), KeyType: types.KeyTypeHash}},
		ProvisionedThroughput: &types.ProvisionedThroughput{ReadCapacityUnits: &rcu, WriteCapacityUnits: &wcu},
	})
	if err != nil {
		t.Fatalf("CreateTable: %v", err)
	}
	w := awsddb.NewTableExistsWaiter(c, func(o *awsddb.TableExistsWaiterOptions) { o.MinDelay = 20 * time.Millisecond })
	if err := w.Wait(ctx, &awsddb.DescribeTableInput{TableName: &name}, 10*time.Second); err != nil {
		t.Fatalf("wait for %s: %v", name, err)
	}
	t.Cleanup(func() { c.DeleteTable(context.Background(), &awsddb.DeleteTableInput{TableName: &name}) })
	return name
}

// node builds a DynamoDBDataNode "Table".
func node(t *testing.T, c *awsddb.Client, cfg dynamodb.Config, kv ...string) *dynamodb.Node {
	t.Helper()
	o := pipeline.Object{ID: "Table", Fields: []pipeline.Field{pipeline.String("type", "DynamoDBDataNode")}}
	for i := 0; i+1 < len(kv); i += 2 {
		o.Fields = append(o.Fields, pipeline.String(kv[i], kv[i+1]))
	}
	n, err := dynamodb.New(o, nil, c, cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return n
}

func TestNode_Conformance(t *testing.T) {
	c := testClient(t)
	datanodetest.RunTables(t, datanodetest.TablesHarness{
		NewTable: func(t *testing.T) datanode.Table {
			return node(t, c, dynamodb.Config{}, "tableName", newTable(t, c, 10000, 10000))
		},
		Missing: func(t *testing.T) datanode.Table {
			return node(t, c, dynamodb.Config{}, "tableName", "no-such-table")
		},
	})
}

// fakeClock advances only when slept on; safe for concurrent use.
type fakeClock struct {
	mu    sync.Mutex
	now   time.Time
	slept time.Duration
}

func (f *fakeClock) Now() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.now
}

func (f *fakeClock) Sleep(_ context.Context, d time.Duration) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.now = f.now.Add(d)
	f.slept += d
	return nil
}

func TestNode_Throughput(t *testing.T) {
	c := testClient(t)
	table := newTable(t, c, 10, 10)
	t.Run("OKWriteLimited", func(t *testing.T) {
		clock := &fakeClock{now: time.Unix(0, 0)}
		n := node(t, c, dynamodb.Config{Clock: clock}, "tableName", table, "writeThroughputPercent", "0.5")
		datanodetest.WriteTable(t, n, datanode.Append, datanodetest.Rows(0, 100))
		// 100 one-unit writes in batches of 25 at 5 units/s: 5 units of burst
		// and the last batch still owed leave 70 units, 14 s.
		if clock.slept < 13*time.Second || clock.slept > 16*time.Second {
			t.Errorf("slept %v, want about 14s", clock.slept)
		}
	})
	t.Run("OKReadLimited", func(t *testing.T) {
		clock := &fakeClock{now: time.Unix(0, 0)}
		n := node(t, c, dynamodb.Config{Clock: clock, Segments: 2}, "tableName", table, "readThroughputPercent", "0.2")
		got := datanodetest.ReadTable(t, n)
		if len(got) != 100 {
			t.Fatalf("read %d items", len(got))
		}
		if clock.slept == 0 {
			t.Errorf("a scan at 2 units/s never waited")
		}
		t.Logf("slept %v", clock.slept)
	})
}

func TestNode_HasItems(t *testing.T) {
	c := testClient(t)
	n := node(t, c, dynamodb.Config{}, "tableName", newTable(t, c, 100, 100))
	ctx := context.Background()
	if ok, err := n.HasItems(ctx); ok || err != nil {
		t.Errorf("empty: %v, %v", ok, err)
	}
	datanodetest.WriteTable(t, n, datanode.Append, datanodetest.Rows(0, 1))
	if ok, err := n.HasItems(ctx); !ok || err != nil {
		t.Errorf("one item: %v, %v", ok, err)
	}
}

func TestNew(t *testing.T) {
	c := awsddb.New(awsddb.Options{Region: "us-east-1"})
	for _, tt := range []struct {
		kv   []string
		want string
	}{
		{nil, "DynamoDBDataNode Table: tableName is not set"},
		{[]string{"tableName", "x", "readThroughputPercent", "2"}, `DynamoDBDataNode Table: readThroughputPercent "2" is not a ratio between 0.1 and 1.0`},
	} {
		o := pipeline.Object{ID: "Table", Fields: []pipeline.Field{pipeline.String("type", "DynamoDBDataNode")}}
		for i := 0; i+1 < len(tt.kv); i += 2 {
			o.Fields = append(o.Fields, pipeline.String(tt.kv[i], tt.kv[i+1]))
		}
		if _, err := dynamodb.New(o, nil, c, dynamodb.Config{}); err == nil || err.Error() != tt.want {
			t.Errorf("%v: got %v", tt.kv, err)
		}
	}
}
