package datanodetest_test

// Throughput benchmarks of the data layer against the real test servers.
// scripts/bench-data.sh runs each in its own process so that the
// peak-RSS-MB metric (VmHWM, reset after the set-up) is the benchmark's.
//
//	DATAPIPE_BENCH_MB     size of the S3 objects (default 256)
//	DATAPIPE_BENCH_ITEMS  items of the DynamoDB export (default 100000)

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/credentials"
	awsddb "github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	awss3 "github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/datapipe/datapipe/internal/datanode"
	"github.com/datapipe/datapipe/internal/datanode/datanodetest"
	"github.com/datapipe/datapipe/internal/datanode/dynamodb"
	"github.com/datapipe/datapipe/internal/datanode/s3"
	dsql "github.com/datapipe/datapipe/internal/datanode/sql"
	"github.com/datapipe/datapipe/internal/pipeline"
)

// benchEnv returns an environment variable or fails.
func benchEnv(b *testing.B, key string) string {
	v := os.Getenv(key)
	if v == "" {
		b.Fatalf(`%s is not set: run eval "$(scripts/servers.sh start)"`, key)
	}
	return v
}

// benchInt reads an integer environment variable with a default.
func benchInt(key string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(key)); err == nil && v > 0 {
		return v
	}
	return def
}

// s3Client returns a new client for the test S3 server.
func s3Client(b *testing.B) *awss3.Client {
	return awss3.New(awss3.Options{
		Region: "us-east-1", BaseEndpoint: aws.String(benchEnv(b, "DATAPIPE_TEST_S3_ENDPOINT")), UsePathStyle: true,
		Credentials: credentials.NewStaticCredentialsProvider(os.Getenv("DATAPIPE_TEST_S3_ACCESS_KEY"), os.Getenv("DATAPIPE_TEST_S3_SECRET_KEY"), ""),
	})
}

// benchBucket creates a bucket removed after the benchmark.
func benchBucket(b *testing.B, c *awss3.Client) string {
	r := make([]byte, 5)
	rand.Read(r)
	name := "bench-" + hex.EncodeToString(r)
	ctx := context.Background()
	if _, err := c.CreateBucket(ctx, &awss3.CreateBucketInput{Bucket: &name}); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() {
		p := awss3.NewListObjectsV2Paginator(c, &awss3.ListObjectsV2Input{Bucket: &name})
		for p.HasMorePages() {
			page, err := p.NextPage(ctx)
			if err != nil {
				break
			}
			for _, o := range page.Contents {
				c.DeleteObject(ctx, &awss3.DeleteObjectInput{Bucket: &name, Key: o.Key})
			}
		}
		c.DeleteBucket(ctx, &awss3.DeleteBucketInput{Bucket: &name})
	})
	return name
}

// s3Files builds an S3DataNode on client.
func s3Files(b *testing.B, c *awss3.Client, kv ...string) datanode.Files {
	return s3FilesConfig(b, c, s3.Config{}, kv...)
}

// s3FilesConfig builds an S3DataNode on client with cfg.
func s3FilesConfig(b *testing.B, c *awss3.Client, cfg s3.Config, kv ...string) datanode.Files {
	o, lookup := datanodetest.Node("Bench", kv...)
	n, err := s3.New(o, lookup, c, cfg)
	if err != nil {
		b.Fatal(err)
	}
	return n
}

// upload writes size bytes of CSV to the object uri.
func upload(b *testing.B, c *awss3.Client, uri string, size int64) datanode.File {
	n := s3Files(b, c, "filePath", uri)
	out, err := n.Create(context.Background(), "")
	if err != nil {
		b.Fatal(err)
	}
	if _, err := io.CopyBuffer(out, datanodetest.CSV(size), make([]byte, 1<<20)); err != nil {
		b.Fatal(err)
	}
	f, err := out.Commit(context.Background())
	if err != nil {
		b.Fatal(err)
	}
	return f
}

// report records throughput and peak memory.
func report(b *testing.B, bytes int64, start time.Time) {
	secs := time.Since(start).Seconds()
	b.ReportMetric(float64(bytes)/secs/(1<<20), "MB/s")
	b.ReportMetric(datanodetest.PeakMB(), "peak-RSS-MB")
}

// BenchmarkS3Copy streams one object from one S3 node to another through
// the runner (two clients, so no server-side copy) with the datanode
// layer ("datanode": one streaming GET, the default; "datanode-ranged":
// four ranged GETs in parallel) and with a plain SDK GetObject then PutObject of the
// body ("sdk").
func BenchmarkS3Copy(b *testing.B) {
	size := int64(benchInt("DATAPIPE_BENCH_MB", 256)) << 20
	src, dst := s3Client(b), s3Client(b)
	bucket := benchBucket(b, src)
	f := upload(b, src, "s3://"+bucket+"/src/data.csv", size)
	ctx := context.Background()
	for name, cfg := range map[string]s3.Config{"datanode": {}, "datanode-ranged": {DownloadConcurrency: 4}} {
		b.Run(name, func(b *testing.B) {
			in := s3FilesConfig(b, src, cfg, "directoryPath", "s3://"+bucket+"/src")
			out := s3Files(b, dst, "directoryPath", "s3://"+bucket+"/dst")
			datanodetest.ResetPeak()
			start := time.Now()
			for b.Loop() {
				if _, err := datanode.CopyFile(ctx, in, f, out, "copy.csv"); err != nil {
					b.Fatal(err)
				}
			}
			report(b, size*int64(b.N), start)
		})
	}
	b.Run("sdk", func(b *testing.B) {
		datanodetest.ResetPeak()
		start := time.Now()
		for b.Loop() {
			get, err := src.GetObject(ctx, &awss3.GetObjectInput{Bucket: &bucket, Key: aws.String("src/data.csv")})
			if err != nil {
				b.Fatal(err)
			}
			_, err = dst.PutObject(ctx, &awss3.PutObjectInput{Bucket: &bucket, Key: aws.String("sdk/copy.csv"), Body: get.Body, ContentLength: get.ContentLength},
				awss3.WithAPIOptions(v4.SwapComputePayloadSHA256ForUnsignedPayloadMiddleware))
			get.Body.Close()
			if err != nil {
				b.Fatal(err)
			}
		}
		report(b, size*int64(b.N), start)
	})
}

// pgNode returns a SqlDataNode on a fresh table (id, name, amount) in a
// fresh schema of the test PostgreSQL, and the DSN.
func pgNode(b *testing.B) (*dsql.Node, string) {
	dsn := benchEnv(b, "DATAPIPE_TEST_POSTGRES")
	u, err := url.Parse(dsn)
	if err != nil {
		b.Fatal(err)
	}
	pass, _ := u.User.Password()
	r := make([]byte, 5)
	rand.Read(r)
	schema := "bench_" + hex.EncodeToString(r)
	db := pipeline.Object{ID: "Db", Fields: []pipeline.Field{
		pipeline.String("type", "JdbcDatabase"), pipeline.String("connectionString", "jdbc:postgresql://"+u.Host+u.Path+"?sslmode=disable"),
		pipeline.String("username", u.User.Username()), pipeline.String("*password", pass),
	}}
	o := pipeline.Object{ID: "Bench", Fields: []pipeline.Field{
		pipeline.String("type", "SqlDataNode"), pipeline.Reference("database", "Db"),
		pipeline.String("schemaName", schema), pipeline.String("table", "sales"),
	}}
	n, err := dsql.New(o, datanode.MapLookup(map[string]pipeline.Object{"Db": db}), dsql.Config{})
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	for _, q := range []string{"CREATE SCHEMA " + schema, "CREATE TABLE " + n.QualifiedTable() + " (id BIGINT, name TEXT, amount NUMERIC)"} {
		if _, err := n.DB().ExecContext(ctx, q); err != nil {
			b.Fatal(err)
		}
	}
	b.Cleanup(func() { n.DB().ExecContext(ctx, "DROP SCHEMA "+schema+" CASCADE"); n.Close() })
	return n, dsn
}

// BenchmarkS3ToPostgres loads one CSV object from S3 into PostgreSQL with
// COPY through the datanode layer ("datanode"), and the same bytes from a
// local file with psql's \copy ("psql").
func BenchmarkS3ToPostgres(b *testing.B) {
	size := int64(benchInt("DATAPIPE_BENCH_MB", 256)) << 20
	c := s3Client(b)
	bucket := benchBucket(b, c)
	f := upload(b, c, "s3://"+bucket+"/in/data.csv", size)
	table, dsn := pgNode(b)
	ctx := context.Background()
	b.Run("datanode", func(b *testing.B) {
		in := s3Files(b, c, "directoryPath", "s3://"+bucket+"/in")
		opts, _ := dsql.CopyOptionsFor(in.Format())
		datanodetest.ResetPeak()
		start := time.Now()
		for b.Loop() {
			rc, err := in.Open(ctx, f)
			if err != nil {
				b.Fatal(err)
			}
			if _, err := table.Load(ctx, datanode.Replace, rc, opts); err != nil {
				b.Fatal(err)
			}
			rc.Close()
		}
		report(b, size*int64(b.N), start)
	})
	b.Run("psql", func(b *testing.B) {
		path := filepath.Join(b.TempDir(), "data.csv")
		fh, err := os.Create(path)
		if err != nil {
			b.Fatal(err)
		}
		io.CopyBuffer(fh, datanodetest.CSV(size), make([]byte, 1<<20))
		fh.Close()
		psql := func(cmd string) {
			out, err := exec.Command("psql", dsn, "-v", "ON_ERROR_STOP=1", "-qc", cmd).CombinedOutput()
			if err != nil {
				b.Fatalf("psql %s: %v: %s", cmd, err, out)
			}
		}
		var elapsed time.Duration
		for b.Loop() {
			psql("TRUNCATE " + table.QualifiedTable())
			start := time.Now()
			psql(`\copy ` + table.QualifiedTable() + ` FROM '` + path + `' WITH (FORMAT csv)`)
			elapsed += time.Since(start)
		}
		b.ReportMetric(float64(size*int64(b.N))/elapsed.Seconds()/(1<<20), "MB/s")
	})
}

// BenchmarkDynamoDBExport exports a table of DATAPIPE_BENCH_ITEMS items
// to S3 in the DynamoDbExport layout.
func BenchmarkDynamoDBExport(b *testing.B) {
	items := benchInt("DATAPIPE_BENCH_ITEMS", 100000)
	ddb := awsddb.New(awsddb.Options{
		Region: "us-east-1", BaseEndpoint: aws.String(benchEnv(b, "DATAPIPE_TEST_DYNAMODB_ENDPOINT")),
		Credentials: credentials.NewStaticCredentialsProvider("k", "s", ""),
	})
	table := benchTable(b, ddb)
	src := dynamoNode(b, ddb, table)
	fill(b, src, items)
	c := s3Client(b)
	bucket := benchBucket(b, c)
	ctx := context.Background()
	datanodetest.ResetPeak()
	start := time.Now()
	for i := 0; b.Loop(); i++ {
		dst := s3Files(b, c, "directoryPath", fmt.Sprintf("s3://%s/export-%d", bucket, i))
		res, err := dynamodb.Export(ctx, src, dst, dynamodb.ExportOptions{})
		if err != nil || res.Items != int64(items) {
			b.Fatalf("Export = %+v, %v", res, err)
		}
	}
	b.ReportMetric(float64(items*b.N)/time.Since(start).Seconds(), "items/s")
	b.ReportMetric(datanodetest.PeakMB(), "peak-RSS-MB")
}

// benchTable creates a table keyed by the number id with ample capacity.
func benchTable(b *testing.B, c *awsddb.Client) string {
	r := make([]byte, 5)
	rand.Read(r)
	name := "bench-" + hex.EncodeToString(r)
	ctx := context.Background()
	_, err := c.CreateTable(ctx, &awsddb.CreateTableInput{
		TableName:             &name,
		AttributeDefinitions:  []types.AttributeDefinition{{AttributeName: aws.String("id"), AttributeType: types.ScalarAttributeTypeN}},
		KeySchema:             []types.KeySchemaElement{{AttributeName: aws.String("id"), KeyType: types.KeyTypeHash}},
		ProvisionedThroughput: &types.ProvisionedThroughput{ReadCapacityUnits: aws.Int64(1_000_000), WriteCapacityUnits: aws.Int64(1_000_000)},
	})
	if err != nil {
		b.Fatal(err)
	}
	w := awsddb.NewTableExistsWaiter(c, func(o *awsddb.TableExistsWaiterOptions) { o.MinDelay = 20 * time.Millisecond })
	if err := w.Wait(ctx, &awsddb.DescribeTableInput{TableName: &name}, time.Minute); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { c.DeleteTable(ctx, &awsddb.DeleteTableInput{TableName: &name}) })
	return name
}

// dynamoNode builds a DynamoDBDataNode on table (read and write percent
// 1.0).
func dynamoNode(b *testing.B, c *awsddb.Client, table string) *dynamodb.Node {
	o := pipeline.Object{ID: "Bench", Fields: []pipeline.Field{
		pipeline.String("type", "DynamoDBDataNode"), pipeline.String("tableName", table),
		pipeline.String("readThroughputPercent", "1.0"), pipeline.String("writeThroughputPercent", "1.0"),
	}}
	n, err := dynamodb.New(o, nil, c, dynamodb.Config{})
	if err != nil {
		b.Fatal(err)
	}
	return n
}

// fill writes n items of a few attributes.
func fill(b *testing.B, t *dynamodb.Node, n int) {
	ctx := context.Background()
	w, err := t.Write(ctx, datanode.Append)
	if err != nil {
		b.Fatal(err)
	}
	for _, rec := range datanodetest.Rows(0, n) {
		if err := w.Write(ctx, rec); err != nil {
			b.Fatal(err)
		}
	}
	if _, err := w.Commit(ctx); err != nil {
		b.Fatal(err)
	}
}
