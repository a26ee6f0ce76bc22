package emr

import (
	"errors"
	"fmt"
	"net/http"
	"testing"

	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/smithy-go"
	smithyhttp "github.com/aws/smithy-go/transport/http"
)

func TestBucketRegion(t *testing.T) {
	redirect := &awshttp.ResponseError{ResponseError: &smithyhttp.ResponseError{
		Response: &smithyhttp.Response{Response: &http.Response{StatusCode: 301, Header: http.Header{"X-Amz-Bucket-Region": {"eu-west-1"}}}},
		Err:      &smithy.GenericAPIError{Code: "PermanentRedirect"}}}
	for _, tc := range []struct {
		name   string
		err    error
		region string
		wrong  bool
	}{
		{"OKNoError", nil, "", false},
		{"OKHeader", fmt.Errorf("list: %w", redirect), "eu-west-1", true},
		{"OKMessage", &smithy.GenericAPIError{Code: "AuthorizationHeaderMalformed",
			Message: `The authorization header is malformed; the region "eu-west-1" is wrong; expecting "us-east-1"`}, "us-east-1", true},
		{"OKUnnamed", &smithy.GenericAPIError{Code: "PermanentRedirect"}, "", true},
		{"OKOtherError", &smithy.GenericAPIError{Code: "NoSuchBucket"}, "", false},
		{"OKPlainError", errors.New("connection refused"), "", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			region, wrong := bucketRegion(tc.err)
			if region != tc.region || wrong != tc.wrong {
				t.Fatalf("bucketRegion = %q, %v; want %q, %v", region, wrong, tc.region, tc.wrong)
			}
		})
	}
}
