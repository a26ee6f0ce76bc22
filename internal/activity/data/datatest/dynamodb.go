package datatest

import (
	"context"
	"sort"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// DynamoDB returns the DynamoDB client of region ("" for the default;
// OtherRegion reaches the second server).
func DynamoDB(t testing.TB, region string) *dynamodb.Client {
	t.Helper()
	c, err := Factory(t).DynamoDB(context.Background(), region)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// Table creates a fresh table keyed by the string attribute id, waits
// until it is active and deletes it after the test. It returns its name.
func Table(t testing.TB, c *dynamodb.Client) string {
	t.Helper()
	name := Name("dp-act-")
	ctx := context.Background()
	_, err := c.CreateTable(ctx, &dynamodb.CreateTableInput{TableName: aws.String(name),
		AttributeDefinitions: []types.AttributeDefinition{{AttributeName: aws.String("id"), AttributeType: types.ScalarAttributeTypeS}},
		KeySchema:            []types.KeySchemaElement{{AttributeName: aws.String("id"), KeyType: types.KeyTypeHash}},
		BillingMode:          types.BillingModePayPerRequest})
	if err != nil {
		t.Fatalf("CreateTable %s: %v", name, err)
	}
	t.Cleanup(func() {
		_, _ = c.DeleteTable(context.Background(), &dynamodb.DeleteTableInput{TableName: aws.String(name)})
	})
	w := dynamodb.NewTableExistsWaiter(c, func(o *dynamodb.TableExistsWaiterOptions) {
		o.MinDelay, o.MaxDelay = 20*time.Millisecond, 200*time.Millisecond
	})
	if err := w.Wait(ctx, &dynamodb.DescribeTableInput{TableName: aws.String(name)}, 20*time.Second); err != nil {
		t.Fatalf("table %s did not become active: %v", name, err)
	}
	return name
}

// PutItems writes items of string attributes.
func PutItems(t testing.TB, c *dynamodb.Client, table string, items ...map[string]string) {
	t.Helper()
	for _, it := range items {
		av := map[string]types.AttributeValue{}
		for k, v := range it {
			av[k] = &types.AttributeValueMemberS{Value: v}
		}
		if _, err := c.PutItem(context.Background(), &dynamodb.PutItemInput{TableName: aws.String(table), Item: av}); err != nil {
			t.Fatalf("PutItem: %v", err)
		}
	}
}

// Items scans the table and returns its items with every attribute as
// text (numbers as their decimal text), sorted by id.
func Items(t testing.TB, c *dynamodb.Client, table string) []map[string]string {
	t.Helper()
	out, err := c.Scan(context.Background(), &dynamodb.ScanInput{TableName: aws.String(table)})
	if err != nil {
		t.Fatalf("Scan %s: %v", table, err)
	}
	var items []map[string]string
	for _, it := range out.Items {
		m := map[string]string{}
		for k, v := range it {
			switch x := v.(type) {
			case *types.AttributeValueMemberS:
				m[k] = x.Value
			case *types.AttributeValueMemberN:
				m[k] = "N:" + x.Value
			default:
				m[k] = "?"
			}
		}
		items = append(items, m)
	}
	sort.Slice(items, func(i, j int) bool { return items[i]["id"] < items[j]["id"] })
	return items
}
