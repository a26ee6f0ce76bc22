package s3_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	awss3 "github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/datapipe/datapipe/internal/datanode"
	"github.com/datapipe/datapipe/internal/datanode/datanodetest"
	"github.com/datapipe/datapipe/internal/datanode/s3"
	"github.com/datapipe/datapipe/internal/pipeline"
)

// testClient returns a client for the test S3 server; it fails when the
// server's environment is missing (skips in -short mode).
func testClient(t *testing.T) *awss3.Client {
	t.Helper()
	endpoint := os.Getenv("DATAPIPE_TEST_S3_ENDPOINT")
	if endpoint == "" {
		if testing.Short() {
			t.Skip("DATAPIPE_TEST_S3_ENDPOINT is not set")
		}
		t.Fatal(`DATAPIPE_TEST_S3_ENDPOINT is not set: run eval "$(scripts/servers.sh start)"`)
	}
	return NewTestClient(endpoint, os.Getenv("DATAPIPE_TEST_S3_ACCESS_KEY"), os.Getenv("DATAPIPE_TEST_S3_SECRET_KEY"))
}

// NewTestClient builds a path-style client for endpoint.
func NewTestClient(endpoint, key, secret string) *awss3.Client {
	return awss3.New(awss3.Options{
		Region:       "us-east-1",
		Credentials:  credentials.NewStaticCredentialsProvider(key, secret, ""),
		BaseEndpoint: aws.String(endpoint),
		UsePathStyle: true,
	})
}

// newBucket creates a fresh bucket, removed (with its objects) after the
// test.
func newBucket(t *testing.T, c *awss3.Client) string {
	t.Helper()
	b := make([]byte, 6)
	rand.Read(b)
	name := "dp-" + hex.EncodeToString(b)
	ctx := context.Background()
	if _, err := c.CreateBucket(ctx, &awss3.CreateBucketInput{Bucket: &name}); err != nil {
		t.Fatalf("CreateBucket: %v", err)
	}
	t.Cleanup(func() { emptyBucket(c, name) })
	return name
}

// emptyBucket deletes every object and the bucket.
func emptyBucket(c *awss3.Client, name string) {
	ctx := context.Background()
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
}

// smallParts makes multipart and ranged paths run on small data.
var smallParts = s3.Config{PartSize: 5 << 20, UploadConcurrency: 3, DownloadPartSize: 1 << 20, DownloadConcurrency: 3}

func TestNode_Conformance(t *testing.T) {
	c := testClient(t)
	bucket := newBucket(t, c)
	var seq int
	datanodetest.RunFiles(t, datanodetest.FilesHarness{
		Root: func(t *testing.T) string {
			seq++
			return "s3://" + bucket + "/" + strings.ReplaceAll(t.Name(), "/", "_") + "-" + hex.EncodeToString([]byte{byte(seq)})
		},
		Missing: func(t *testing.T) string { return "s3://dp-missing-bucket-x/p" },
		New: func(_ *testing.T, obj pipeline.Object, lookup datanode.Lookup) (datanode.Files, error) {
			return s3.New(obj, lookup, c, smallParts)
		},
	})
}

func TestNew(t *testing.T) {
	c := awss3.New(awss3.Options{Region: "us-east-1"})
	t.Run("ErrInvalid", func(t *testing.T) {
		tests := []struct {
			kv   []string
			want string
		}{
			{[]string{"filePath", "s3://b/"}, "S3DataNode N: filePath: s3://b/ names no object"},
			{[]string{"directoryPath", "s3:///x"}, "S3DataNode N: directoryPath: s3:///x has no bucket"},
			{[]string{"filePath", "/local"}, "S3DataNode N: filePath: /local is not an s3:// URI"},
			{[]string{"filePath", "s3://b/k", "s3EncryptionType", "KMS"}, `S3DataNode N: s3EncryptionType "KMS" is not SERVER_SIDE_ENCRYPTION or NONE`},
			{[]string{"filePath", "s3://b/k", "manifestFilePath", "s3://b/"}, "S3DataNode N: manifestFilePath: s3://b/ names no object"},
		}
		for _, tt := range tests {
			o, lookup := datanodetest.Node("N", tt.kv...)
			if _, err := s3.New(o, lookup, c, s3.Config{}); err == nil || err.Error() != tt.want {
				t.Errorf("%v: got %v, want %q", tt.kv, err, tt.want)
			}
		}
	})
	t.Run("OK", func(t *testing.T) {
		o, lookup := datanodetest.Node("N", "directoryPath", "s3n://bucket/a/b")
		n, err := s3.New(o, lookup, c, s3.Config{})
		if err != nil || n.Bucket() != "bucket" || n.Key() != "a/b/" {
			t.Errorf("got %v, %v", n, err)
		}
	})
}

func TestNode_ErrCredentials(t *testing.T) {
	good := testClient(t)
	bucket := newBucket(t, good)
	bad := NewTestClient(os.Getenv("DATAPIPE_TEST_S3_ENDPOINT"), "wrong", "wrong-secret")
	o, lookup := datanodetest.Node("In", "directoryPath", "s3://"+bucket+"/x")
	n, err := s3.New(o, lookup, bad, s3.Config{})
	if err != nil {
		t.Fatal(err)
	}
	_, err = n.List(context.Background())
	if err == nil || !strings.HasPrefix(err.Error(), "S3DataNode In: list s3://"+bucket+"/x/: access denied") {
		t.Errorf("got %v", err)
	}
}
