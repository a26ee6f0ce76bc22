package activity

import (
	"fmt"
	"path/filepath"
	"strings"
)

// LocalPath returns the absolute local path a path field names: a
// file:// URI (file:///data/in, or file://data/in relative to the
// runner's working directory) or a plain path. s3:// URIs fail with
// IDNotSupported until the S3 support lands; any other scheme fails with
// IDNotSupported too. field names the field in messages.
func LocalPath(field, uri string) (string, error) {
	if strings.HasPrefix(uri, "s3://") || strings.HasPrefix(uri, "s3n://") || strings.HasPrefix(uri, "s3a://") {
		return "", Errorf(IDNotSupported, "%s %s: s3:// paths need the S3 support from the data issue; this task runner handles file:// and local paths only", field, uri)
	}
	p := strings.TrimPrefix(uri, "file://")
	if scheme, _, ok := strings.Cut(p, "://"); ok && !strings.ContainsAny(scheme, "/.") {
		return "", Errorf(IDNotSupported, "%s %s: the %s:// scheme is not supported; use file:// or a local path", field, uri, scheme)
	}
	if p == "" {
		return "", Errorf(IDInvalidTask, "%s is empty", field)
	}
	abs, err := filepath.Abs(p)
	if err != nil {
		return "", fmt.Errorf("%s %s: %w", field, uri, err)
	}
	return abs, nil
}
