package awsclient

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/datapipe/datapipe/internal/config"
)

// Two dynalite servers stand in for two regions: the first serves every
// region through aws.endpoints, the second serves eu-west-1 through
// aws.regionEndpoints.
func TestFactory_DynamoDB(t *testing.T) {
	ctx := context.Background()
	f := New(Config{AWS: config.AWS{Region: "us-east-1",
		Endpoints:       map[string]string{"dynamodb": serverEnv(t, "DATAPIPE_TEST_DYNAMODB_ENDPOINT")},
		RegionEndpoints: map[string]map[string]string{"eu-west-1": {"dynamodb": serverEnv(t, "DATAPIPE_TEST_DYNAMODB_ENDPOINT2")}},
		AccessKeyID:     "AKIDTEST", SecretAccessKey: "secret"}})
	home, err := f.DynamoDB(ctx, f.Region("", ""))
	if err != nil {
		t.Fatal(err)
	}
	away, err := f.DynamoDB(ctx, f.Region("eu-west-1", "us-east-1"))
	if err != nil {
		t.Fatal(err)
	}
	table := uniqueName("awsclient")
	t.Run("OK", func(t *testing.T) {
		createTable(t, home, table)
		createTable(t, away, table)
		if _, err := home.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String(table),
			Item: map[string]types.AttributeValue{"id": &types.AttributeValueMemberS{Value: "home"}}}); err != nil {
			t.Fatalf("PutItem: %v", err)
		}
		for _, tc := range []struct {
			name  string
			c     *dynamodb.Client
			items int32
		}{{"us-east-1", home, 1}, {"eu-west-1", away, 0}} {
			out, err := tc.c.Scan(ctx, &dynamodb.ScanInput{TableName: aws.String(table)})
			if err != nil || out.Count != tc.items {
				t.Errorf("Scan in %s: %v items, %v; want %d", tc.name, out, err, tc.items)
			}
		}
	})
	t.Run("ErrTableInOtherRegion", func(t *testing.T) {
		other := uniqueName("awsclient-home-only")
		createTable(t, home, other)
		_, err := away.DescribeTable(ctx, &dynamodb.DescribeTableInput{TableName: aws.String(other)})
		var notFound *types.ResourceNotFoundException
		if !errors.As(err, &notFound) {
			t.Fatalf("DescribeTable in eu-west-1 of a us-east-1 table: %v; want ResourceNotFoundException", err)
		}
	})
}

// createTable creates a table keyed by the string id, waits until it is
// active and deletes it when the test ends.
func createTable(t *testing.T, c *dynamodb.Client, name string) {
	t.Helper()
	ctx := context.Background()
	_, err := c.CreateTable(ctx, &dynamodb.CreateTableInput{TableName: aws.String(name),
		AttributeDefinitions: []types.AttributeDefinition{{AttributeName: aws.String("id"), AttributeType: types.ScalarAttributeTypeS}},
		KeySchema:            []types.KeySchemaElement{{AttributeName: aws.String("id"), KeyType: types.KeyTypeHash}},
		BillingMode:          types.BillingModePayPerRequest})
	if err != nil {
		t.Fatalf("CreateTable %s: %v", name, err)
	}
	t.Cleanup(func() {
		if _, err := c.DeleteTable(context.Background(), &dynamodb.DeleteTableInput{TableName: aws.String(name)}); err != nil {
			t.Errorf("DeleteTable %s: %v", name, err)
		}
	})
	w := dynamodb.NewTableExistsWaiter(c, func(o *dynamodb.TableExistsWaiterOptions) {
		o.MinDelay, o.MaxDelay = 50*time.Millisecond, 200*time.Millisecond
	})
	if err := w.Wait(ctx, &dynamodb.DescribeTableInput{TableName: aws.String(name)}, 10*time.Second); err != nil {
		t.Fatalf("table %s did not become active: %v", name, err)
	}
}
