package emr

import (
	"context"
	"errors"
	"regexp"

	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/smithy-go"
)

// s3Client returns the S3 client for bucket. It starts from region (the
// directory node's, else the resource's, else the default): the bucket
// of a cross-region copy lives in one of the two regions, and S3 refuses
// requests signed for another, so when the bucket answers that it lives
// elsewhere the client of its region is returned instead. Real S3 names
// that region in x-amz-bucket-region; S3-compatible servers in the
// message ("expecting \"us-east-1\""); failing both, the default region
// is used. Other errors are left to the operations that follow, which
// report them with the node's name.
func (a *Activity) s3Client(ctx context.Context, bucket, region string) (*s3.Client, error) {
	c, err := a.cfg.Clients.S3(ctx, region)
	if err != nil {
		return nil, err
	}
	_, err = c.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: &bucket, MaxKeys: new(int32(1))})
	other, wrong := bucketRegion(err)
	if !wrong {
		return c, nil
	}
	if other == "" {
		other = a.cfg.Clients.Region("", "")
	}
	if other == region {
		return c, nil
	}
	a.cfg.Logger.Debug("bucket lives in another region", "bucket", bucket, "region", region, "bucket_region", other)
	return a.cfg.Clients.S3(ctx, other)
}

// expectingRegion finds the region in an S3-compatible server's message.
var expectingRegion = regexp.MustCompile(`expecting "([a-z0-9-]+)"`)

// bucketRegion reports whether err says the request went to the wrong
// region, and the bucket's region when it says which.
func bucketRegion(err error) (string, bool) {
	if err == nil {
		return "", false
	}
	var re *awshttp.ResponseError
	if errors.As(err, &re) && re.Response != nil {
		if r := re.Response.Header.Get("X-Amz-Bucket-Region"); r != "" {
			return r, true
		}
	}
	var ae smithy.APIError
	if !errors.As(err, &ae) {
		return "", false
	}
	switch ae.ErrorCode() {
	case "AuthorizationHeaderMalformed", "PermanentRedirect", "IllegalLocationConstraintException":
		if m := expectingRegion.FindStringSubmatch(ae.ErrorMessage()); m != nil {
			return m[1], true
		}
		return "", true
	}
	return "", false
}
