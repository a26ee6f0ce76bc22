package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	ddbtypes "github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/datapipe/datapipe/internal/awsclient"
	"github.com/datapipe/datapipe/internal/config"
)

// emrSamples is where the shared AWS samples are kept.
const emrSamples = "../../testdata/samples/aws-samples"

// emrCleanup is the samples' final AWS-CLI cleanup command, the only
// part of them the tests override (there is no aws CLI here).
const emrCleanup = "(sudo yum -y update aws-cli) && (aws s3 rm #{input.directoryPath} --recursive)"

// emrEnv is the test servers of the DynamoDB tests: versitygw for S3,
// two dynalites standing in for us-east-1 and eu-west-1.
type emrEnv struct {
	conf     string // the --config file
	bucket   string
	s3       *s3.Client
	home     *dynamodb.Client // us-east-1
	away     *dynamodb.Client // eu-west-1
	factory  *awsclient.Factory
	yamlBody string
}

// newEMREnv reads the servers' addresses, writes a --config file
// pointing at them (and at goaws for SNS alarms when sns is set) and
// creates a bucket.
func newEMREnv(t *testing.T, sns bool) *emrEnv {
	t.Helper()
	s3ep, ddb1, ddb2 := testServerEnv(t, "DATAPIPE_TEST_S3_ENDPOINT"), testServerEnv(t, "DATAPIPE_TEST_DYNAMODB_ENDPOINT"), testServerEnv(t, "DATAPIPE_TEST_DYNAMODB_ENDPOINT2")
	key, secret := testServerEnv(t, "DATAPIPE_TEST_S3_ACCESS_KEY"), testServerEnv(t, "DATAPIPE_TEST_S3_SECRET_KEY")
	e := &emrEnv{conf: filepath.Join(t.TempDir(), "datapipe.yaml")}
	e.yamlBody = fmt.Sprintf("aws:\n  region: us-east-1\n  s3ForcePathStyle: true\n  accessKeyId: %s\n  secretAccessKey: %s\n"+
		"  regionEndpoints:\n    eu-west-1:\n      dynamodb: %s\n  endpoints:\n    s3: %s\n    dynamodb: %s\n", key, secret, ddb2, s3ep, ddb1)
	if sns {
		e.yamlBody += "    sns: " + testServerEnv(t, "DATAPIPE_TEST_SNS_ENDPOINT") + "\nnotify:\n  sns:\n    enabled: true\n"
	}
	writeFile(t, e.conf, e.yamlBody)
	e.factory = awsclient.New(awsclient.Config{AWS: config.AWS{Region: "us-east-1", S3ForcePathStyle: true,
		AccessKeyID: key, SecretAccessKey: secret, Endpoints: map[string]string{"s3": s3ep, "dynamodb": ddb1},
		RegionEndpoints: map[string]map[string]string{"eu-west-1": {"dynamodb": ddb2}}}})
	ctx := t.Context()
	e.s3, _ = e.factory.S3(ctx, "")
	e.home, _ = e.factory.DynamoDB(ctx, "us-east-1")
	e.away, _ = e.factory.DynamoDB(ctx, "eu-west-1")
	e.bucket = emrName("emr-e2e")
	if _, err := e.s3.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: &e.bucket}); err != nil {
		t.Fatalf("CreateBucket: %v", err)
	}
	t.Cleanup(func() { emrEmptyBucket(e.s3, e.bucket) })
	return e
}

// emrName returns a bucket or table name no other run uses.
func emrName(prefix string) string {
	b := make([]byte, 5)
	_, _ = rand.Read(b)
	return prefix + "-" + hex.EncodeToString(b)
}

// emrEmptyBucket deletes a bucket and its objects.
func emrEmptyBucket(c *s3.Client, bucket string) {
	ctx := context.Background()
	p := s3.NewListObjectsV2Paginator(c, &s3.ListObjectsV2Input{Bucket: &bucket})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			break
		}
		for _, o := range page.Contents {
			_, _ = c.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: &bucket, Key: o.Key})
		}
	}
	_, _ = c.DeleteBucket(ctx, &s3.DeleteBucketInput{Bucket: &bucket})
}

// emrTable creates an on-demand table keyed by the string id, deleted
// after the test.
func emrTable(t *testing.T, c *dynamodb.Client, name string) {
	t.Helper()
	ctx := t.Context()
	_, err := c.CreateTable(ctx, &dynamodb.CreateTableInput{TableName: aws.String(name),
		AttributeDefinitions: []ddbtypes.AttributeDefinition{{AttributeName: aws.String("id"), AttributeType: ddbtypes.ScalarAttributeTypeS}},
		KeySchema:            []ddbtypes.KeySchemaElement{{AttributeName: aws.String("id"), KeyType: ddbtypes.KeyTypeHash}},
		BillingMode:          ddbtypes.BillingModePayPerRequest})
	if err != nil {
		t.Fatalf("CreateTable %s: %v", name, err)
	}
	t.Cleanup(func() {
		_, _ = c.DeleteTable(context.Background(), &dynamodb.DeleteTableInput{TableName: aws.String(name)})
	})
	w := dynamodb.NewTableExistsWaiter(c, func(o *dynamodb.TableExistsWaiterOptions) { o.MinDelay = 20 * time.Millisecond })
	if err := w.Wait(ctx, &dynamodb.DescribeTableInput{TableName: aws.String(name)}, 20*time.Second); err != nil {
		t.Fatalf("table %s: %v", name, err)
	}
}

// emrFill writes n items of several attribute types into a table.
func emrFill(t *testing.T, c *dynamodb.Client, table string, n int) {
	t.Helper()
	for start := 0; start < n; start += 25 {
		var reqs []ddbtypes.WriteRequest
		for i := start; i < min(start+25, n); i++ {
			item := map[string]ddbtypes.AttributeValue{
				"id":    &ddbtypes.AttributeValueMemberS{Value: fmt.Sprintf("user-%05d", i)},
				"score": &ddbtypes.AttributeValueMemberN{Value: fmt.Sprint(i * 7)},
				"tags":  &ddbtypes.AttributeValueMemberSS{Value: []string{"a", fmt.Sprint("t", i%5)}},
				"profile": &ddbtypes.AttributeValueMemberM{Value: map[string]ddbtypes.AttributeValue{
					"active": &ddbtypes.AttributeValueMemberBOOL{Value: i%2 == 0},
					"note":   &ddbtypes.AttributeValueMemberS{Value: "line one\nline \"two\""}}},
			}
			reqs = append(reqs, ddbtypes.WriteRequest{PutRequest: &ddbtypes.PutRequest{Item: item}})
		}
		out, err := c.BatchWriteItem(t.Context(), &dynamodb.BatchWriteItemInput{RequestItems: map[string][]ddbtypes.WriteRequest{table: reqs}})
		if err != nil || len(out.UnprocessedItems) > 0 {
			t.Fatalf("fill %s: %v", table, err)
		}
	}
}

// emrItems returns a table's items keyed by id.
func emrItems(t *testing.T, c *dynamodb.Client, table string) map[string]map[string]ddbtypes.AttributeValue {
	t.Helper()
	items := map[string]map[string]ddbtypes.AttributeValue{}
	p := dynamodb.NewScanPaginator(c, &dynamodb.ScanInput{TableName: aws.String(table)})
	for p.HasMorePages() {
		page, err := p.NextPage(t.Context())
		if err != nil {
			t.Fatalf("scan %s: %v", table, err)
		}
		for _, it := range page.Items {
			items[it["id"].(*ddbtypes.AttributeValueMemberS).Value] = it
		}
	}
	return items
}

// emrSample copies a shared sample into dir with its cleanup command
// replaced by cleanup, and returns the copy's path.
func emrSample(t *testing.T, name, dir, cleanup string) string {
	t.Helper()
	def := string(readTestFile(t, filepath.Join(emrSamples, name)))
	if strings.Count(def, emrCleanup) != 1 {
		t.Fatalf("%s no longer has the cleanup command %q", name, emrCleanup)
	}
	path := filepath.Join(dir, name)
	writeFile(t, path, strings.Replace(def, emrCleanup, cleanup, 1))
	return path
}

// emrWantCopy fails unless dest holds exactly the items of source.
func emrWantCopy(t *testing.T, src *dynamodb.Client, source string, dst *dynamodb.Client, dest string, n int) {
	t.Helper()
	want, got := emrItems(t, src, source), emrItems(t, dst, dest)
	if len(want) != n || !reflect.DeepEqual(got, want) {
		t.Fatalf("destination %s holds %d items, source %s %d (of %d written); want the same items", dest, len(got), source, len(want), n)
	}
}

// Each shared DynamoDB-to-DynamoDB sample runs unchanged but for its
// final AWS-CLI cleanup command: its DynamoDbExport and DynamoDbImport
// EMR steps run natively on the in-process runners of its EmrClusters,
// through S3 on versitygw, between one dynalite (same region) or two
// (cross region, the second serving eu-west-1 via aws.regionEndpoints).
func TestRun_DynamoDBSamples(t *testing.T) {
	e := newEMREnv(t, false)
	for _, tc := range []struct {
		sample  string
		regions []string // parameter=region
		dst     *dynamodb.Client
	}{
		{"dynamodb-to-dynamodb__pipeline.json", []string{"myDDBRegion=us-east-1"}, e.home},
		{"dynamodb-to-dynamodb-crossregion__pipeline.json", []string{"myDDBSourceRegion=us-east-1", "myDDBDestinationRegion=eu-west-1"}, e.away},
	} {
		t.Run(strings.TrimSuffix(tc.sample, "__pipeline.json"), func(t *testing.T) {
			dir := t.TempDir()
			marker := filepath.Join(dir, "cleaned")
			def := emrSample(t, tc.sample, dir, "echo #{input.directoryPath} > "+marker)
			source, dest := emrName("src"), emrName("dst")
			emrTable(t, e.home, source)
			emrTable(t, tc.dst, dest)
			emrFill(t, e.home, source, 500)
			tmp := "s3://" + e.bucket + "/" + source
			args := []string{def, "--config", e.conf, "--timeout", "120s",
				"--parameter-values", "myS3LogsPath=s3://" + e.bucket + "/logs", "myDDBSourceTableName=" + source,
				"myDDBDestinationTableName=" + dest, "myTempS3Folder=" + tmp}
			args = append(args, tc.regions...)
			code, out, errOut := runMain(t, args...)
			if code != exitOK {
				t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
			}
			emrWantCopy(t, e.home, source, tc.dst, dest, 500)
			cleaned, err := os.ReadFile(marker)
			if err != nil || !strings.HasPrefix(string(cleaned), tmp+"/") {
				t.Errorf("the cleanup step saw %q, %v; want the export directory under %s", cleaned, err, tmp)
			}
			if keys := emrKeys(t, e.s3, e.bucket, source+"/"); !containsSuffix(keys, "/manifest") || !containsSuffix(keys, "/_SUCCESS") {
				t.Errorf("the export directory holds %v; want a manifest and _SUCCESS", keys)
			}
		})
	}
}

// emrKeys lists the keys under prefix.
func emrKeys(t *testing.T, c *s3.Client, bucket, prefix string) []string {
	t.Helper()
	out, err := c.ListObjectsV2(t.Context(), &s3.ListObjectsV2Input{Bucket: &bucket, Prefix: &prefix})
	if err != nil {
		t.Fatalf("list: %v", err)
	}
	var keys []string
	for _, o := range out.Contents {
		keys = append(keys, aws.ToString(o.Key))
	}
	return keys
}

// containsSuffix reports whether a key ends with suffix.
func containsSuffix(keys []string, suffix string) bool {
	for _, k := range keys {
		if strings.HasSuffix(k, suffix) {
			return true
		}
	}
	return false
}

// The shipped example copies a table of us-east-1 into one of eu-west-1
// through S3, natively, once the source table exists
// (DynamoDBTableExists), and tells an SNS topic (goaws) of success and
// of failure.
func TestRun_DynamoDBCrossRegionExample(t *testing.T) {
	e := newEMREnv(t, true)
	topic, notes := goawsTopic(t, testServerEnv(t, "DATAPIPE_TEST_SNS_ENDPOINT"))
	source := emrName("src")
	emrTable(t, e.home, source)
	emrFill(t, e.home, source, 300)
	const example = "../../examples/dynamodb-cross-region/pipeline.json"
	run := func(t *testing.T, def, dest string) (int, string) {
		t.Helper()
		code, _, errOut := runMain(t, def, "--config", e.conf, "--timeout", "120s",
			"--parameter-values", "mySourceTableName="+source, "myDestinationTableName="+dest,
			"myStagingS3Folder=s3://"+e.bucket+"/staging/"+dest, "myS3LogsPath=s3://"+e.bucket+"/logs", "myTopicArn="+topic)
		return code, errOut
	}
	t.Run("OK", func(t *testing.T) {
		dest := emrName("dst")
		emrTable(t, e.away, dest)
		if code, errOut := run(t, example, dest); code != exitOK {
			t.Fatalf("exit %d\nstderr:\n%s", code, errOut)
		}
		emrWantCopy(t, e.home, source, e.away, dest, 300)
		n := emrNote(t, notes)
		if n.Subject != "DynamoDB copy succeeded: "+source+" to "+dest || !strings.Contains(n.Message, "ImportFromS3 copied "+source+" (us-east-1) to "+dest+" (eu-west-1)") {
			t.Fatalf("notification %+v; want the CopySucceeded alarm", n)
		}
	})
	// A missing source table holds the export back: DynamoDBTableExists
	// stays false (until its hour-long preconditionTimeout; the run's
	// --timeout ends it first) and nothing is staged.
	t.Run("ErrSourceMissing", func(t *testing.T) {
		staging := "staging/" + emrName("none")
		code, out, _ := runMain(t, example, "--config", e.conf, "--timeout", "4s", "--parameter-values",
			"mySourceTableName="+emrName("absent"), "myDestinationTableName=unused", "myStagingS3Folder=s3://"+e.bucket+"/"+staging,
			"myS3LogsPath=s3://"+e.bucket+"/logs", "myTopicArn="+topic)
		if code == exitOK {
			t.Fatalf("exit 0; want the run to time out waiting for the source table\n%s", out)
		}
		if keys := emrKeys(t, e.s3, e.bucket, staging); len(keys) > 0 {
			t.Fatalf("the export ran without its source table: %v", keys)
		}
	})
	// Without retries (each waits retryDelay, 10 minutes by default), the
	// import fails at once.
	t.Run("ErrDestinationMissing", func(t *testing.T) {
		def := strings.ReplaceAll(string(readTestFile(t, example)), `"maximumRetries": "2"`, `"maximumRetries": "0"`)
		path := filepath.Join(t.TempDir(), "pipeline.json")
		writeFile(t, path, def)
		dest := emrName("missing")
		if code, _ := run(t, path, dest); code == exitOK {
			t.Fatal("exit 0; want a failure")
		}
		n := emrNote(t, notes)
		if n.Subject != "DynamoDB copy failed: "+source+" to "+dest {
			t.Fatalf("notification %+v; want the CopyFailed alarm", n)
		}
		// The message quotes #{node.errorMessage}, which the scheduler
		// does not copy from the failed attempt to the instance yet: the
		// message then fails to evaluate and arrives empty.
		if n.Message != "" && !strings.Contains(n.Message, dest+" does not exist in region eu-west-1") {
			t.Fatalf("notification message %q; want the error naming the table and region", n.Message)
		}
	})
}

// emrNote waits for the next SNS notification.
func emrNote(t *testing.T, notes <-chan snsNotification) snsNotification {
	t.Helper()
	select {
	case n := <-notes:
		return n
	case <-time.After(10 * time.Second):
		t.Fatal("no SNS notification reached the subscriber")
	}
	return snsNotification{}
}
