package s3

import (
	"errors"
	"fmt"

	"github.com/aws/smithy-go"

	"github.com/datapipe/datapipe/internal/datanode"
)

// s3Err turns an SDK error into a node error: missing buckets and keys
// match datanode.ErrNotFound; refused credentials say so.
func (n *Node) s3Err(op string, l location, err error) error {
	switch code := errorCode(err); code {
	case "NoSuchBucket":
		return datanode.NotFoundf(n.name, "%s: bucket %s does not exist", op, l.bucket)
	case "NoSuchKey", "NotFound":
		return datanode.NotFoundf(n.name, "%s does not exist", l.url())
	case "InvalidAccessKeyId", "SignatureDoesNotMatch", "AccessDenied", "Forbidden", "ExpiredToken", "XAdminUserNotFound":
		return fmt.Errorf("%s: %s: access denied (%s): check the S3 credentials: %w", n.name, op, code, err)
	}
	return datanode.Wrap(n.name, op, err)
}

// errorCode returns the API error code of err, "" when it has none.
func errorCode(err error) string {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return ae.ErrorCode()
	}
	return ""
}

// isNotFound reports whether err means a missing bucket or key.
func isNotFound(err error) bool { return errors.Is(err, datanode.ErrNotFound) }

// isNoSuchKey reports whether err means a missing key (not bucket).
func isNoSuchKey(err error) bool {
	switch errorCode(err) {
	case "NoSuchKey", "NotFound":
		return true
	}
	return false
}
