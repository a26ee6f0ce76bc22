package awsclient

import (
	"cmp"
	"context"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/smithy-go"

	"github.com/datapipe/datapipe/internal/config"
)

// s3Factory returns a factory for the test S3 server (versitygw) with
// the given secret key ("" means the right one).
func s3Factory(t *testing.T, secret string) *Factory {
	t.Helper()
	return New(Config{AWS: config.AWS{Region: "us-east-1",
		Endpoints:        map[string]string{"s3": serverEnv(t, "DATAPIPE_TEST_S3_ENDPOINT")},
		S3ForcePathStyle: true,
		AccessKeyID:      serverEnv(t, "DATAPIPE_TEST_S3_ACCESS_KEY"),
		SecretAccessKey:  cmp.Or(secret, serverEnv(t, "DATAPIPE_TEST_S3_SECRET_KEY"))}})
}

func TestFactory_S3(t *testing.T) {
	ctx := context.Background()
	t.Run("OK", func(t *testing.T) {
		c, err := s3Factory(t, "").S3(ctx, "")
		if err != nil {
			t.Fatal(err)
		}
		bucket := uniqueName("awsclient")
		if _, err := c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String(bucket)}); err != nil {
			t.Fatalf("CreateBucket: %v", err)
		}
		t.Cleanup(func() { deleteBucket(t, c, bucket) })
		_, err = c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(bucket), Key: aws.String("dir/a.csv"), Body: strings.NewReader("a,b\n1,2\n")})
		if err != nil {
			t.Fatalf("PutObject: %v", err)
		}
		out, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String("dir/a.csv")})
		if err != nil {
			t.Fatalf("GetObject: %v", err)
		}
		defer out.Body.Close()
		if body, _ := io.ReadAll(out.Body); string(body) != "a,b\n1,2\n" {
			t.Fatalf("GetObject body %q", body)
		}
	})
	t.Run("ErrWrongSecret", func(t *testing.T) {
		c, err := s3Factory(t, "not-the-secret").S3(ctx, "")
		if err != nil {
			t.Fatal(err)
		}
		_, err = c.ListBuckets(ctx, &s3.ListBucketsInput{})
		var api smithy.APIError
		if !errors.As(err, &api) || api.ErrorCode() != "SignatureDoesNotMatch" {
			t.Fatalf("ListBuckets with a wrong secret: %v; want SignatureDoesNotMatch", err)
		}
	})
	t.Run("ErrNoSuchBucket", func(t *testing.T) {
		c, err := s3Factory(t, "").S3(ctx, "")
		if err != nil {
			t.Fatal(err)
		}
		_, err = c.HeadBucket(ctx, &s3.HeadBucketInput{Bucket: aws.String(uniqueName("missing"))})
		var api smithy.APIError
		if !errors.As(err, &api) || api.ErrorCode() != "NotFound" {
			t.Fatalf("HeadBucket of a missing bucket: %v; want NotFound", err)
		}
	})
}

// deleteBucket empties and deletes a test bucket.
func deleteBucket(t *testing.T, c *s3.Client, bucket string) {
	ctx := context.Background()
	list, err := c.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String(bucket)})
	if err != nil {
		t.Errorf("ListObjectsV2 %s: %v", bucket, err)
		return
	}
	for _, o := range list.Contents {
		if _, err := c.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String(bucket), Key: o.Key}); err != nil {
			t.Errorf("DeleteObject %s: %v", *o.Key, err)
		}
	}
	if _, err := c.DeleteBucket(ctx, &s3.DeleteBucketInput{Bucket: aws.String(bucket)}); err != nil {
		t.Errorf("DeleteBucket %s: %v", bucket, err)
	}
}
