package datatest

import (
	"bytes"
	"context"
	"io"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	awss3 "github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
)

// S3 returns the S3 client of the test factory.
func S3(t testing.TB) *awss3.Client {
	t.Helper()
	c, err := Factory(t).S3(context.Background(), "")
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// Bucket creates a fresh bucket, emptied and removed after the test.
func Bucket(t testing.TB, c *awss3.Client) string {
	t.Helper()
	name := Name("dp-act-")
	ctx := context.Background()
	if _, err := c.CreateBucket(ctx, &awss3.CreateBucketInput{Bucket: &name}); err != nil {
		t.Fatalf("CreateBucket: %v", err)
	}
	t.Cleanup(func() { EmptyBucket(c, name) })
	return name
}

// EmptyBucket deletes every object, every unfinished upload and the
// bucket.
func EmptyBucket(c *awss3.Client, bucket string) {
	ctx := context.Background()
	p := awss3.NewListObjectsV2Paginator(c, &awss3.ListObjectsV2Input{Bucket: &bucket})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			break
		}
		for _, o := range page.Contents {
			_, _ = c.DeleteObject(ctx, &awss3.DeleteObjectInput{Bucket: &bucket, Key: o.Key})
		}
	}
	if ups, err := c.ListMultipartUploads(ctx, &awss3.ListMultipartUploadsInput{Bucket: &bucket}); err == nil {
		for _, u := range ups.Uploads {
			_, _ = c.AbortMultipartUpload(ctx, &awss3.AbortMultipartUploadInput{Bucket: &bucket, Key: u.Key, UploadId: u.UploadId})
		}
	}
	_, _ = c.DeleteBucket(ctx, &awss3.DeleteBucketInput{Bucket: &bucket})
}

// Put writes an object.
func Put(t testing.TB, c *awss3.Client, bucket, key, body string) {
	t.Helper()
	_, err := c.PutObject(context.Background(), &awss3.PutObjectInput{Bucket: &bucket, Key: &key, Body: bytes.NewReader([]byte(body))})
	if err != nil {
		t.Fatalf("PutObject %s: %v", key, err)
	}
}

// Get reads an object; ok is false when it does not exist.
func Get(t testing.TB, c *awss3.Client, bucket, key string) (string, bool) {
	t.Helper()
	out, err := c.GetObject(context.Background(), &awss3.GetObjectInput{Bucket: &bucket, Key: &key})
	var nsk *types.NoSuchKey
	if isErr(err, &nsk) {
		return "", false
	}
	if err != nil {
		t.Fatalf("GetObject %s: %v", key, err)
	}
	defer out.Body.Close()
	b, err := io.ReadAll(out.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b), true
}

// Keys lists the keys under prefix.
func Keys(t testing.TB, c *awss3.Client, bucket, prefix string) []string {
	t.Helper()
	out, err := c.ListObjectsV2(context.Background(), &awss3.ListObjectsV2Input{Bucket: &bucket, Prefix: aws.String(prefix)})
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, o := range out.Contents {
		keys = append(keys, aws.ToString(o.Key))
	}
	return keys
}
