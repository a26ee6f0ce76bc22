package precondition

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	awss3 "github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/smithy-go"

	"github.com/datapipe/datapipe/internal/activity"
	"github.com/datapipe/datapipe/internal/activity/data"
	"github.com/datapipe/datapipe/internal/datanode"
	"github.com/datapipe/datapipe/internal/pipeline"
)

// S3KeyExists executes S3KeyExists attempts.
type S3KeyExists struct{ open *data.Opener }

// S3PrefixNotEmpty executes S3PrefixNotEmpty attempts.
type S3PrefixNotEmpty struct{ open *data.Opener }

var (
	_ activity.Executor = (*S3KeyExists)(nil)
	_ activity.Executor = (*S3PrefixNotEmpty)(nil)
)

// NewS3KeyExists returns the S3KeyExists executor.
func NewS3KeyExists(open *data.Opener) *S3KeyExists { return &S3KeyExists{open: open} }

// NewS3PrefixNotEmpty returns the S3PrefixNotEmpty executor.
func NewS3PrefixNotEmpty(open *data.Opener) *S3PrefixNotEmpty { return &S3PrefixNotEmpty{open: open} }

// Execute checks that the object s3Key exists.
func (p *S3KeyExists) Execute(ctx context.Context, t *activity.Task, env *activity.Env) (activity.Outcome, error) {
	key, err := required(t, "s3Key")
	if err != nil {
		return 0, err
	}
	obj := self(t, pipeline.String("filePath", key))
	n, err := p.open.FilesOf(ctx, t, obj)
	if err != nil {
		return 0, data.Fail(err)
	}
	ok, err := n.Exists(ctx)
	return outcome(env, ok, err, "object "+key)
}

// Execute checks that an object lies under s3Prefix.
func (p *S3PrefixNotEmpty) Execute(ctx context.Context, t *activity.Task, env *activity.Env) (activity.Outcome, error) {
	prefix, err := required(t, "s3Prefix")
	if err != nil {
		return 0, err
	}
	if !datanode.IsS3(prefix) {
		n, err := p.open.FilesOf(ctx, t, self(t, pipeline.String("directoryPath", prefix)))
		if err != nil {
			return 0, data.Fail(err)
		}
		ok, err := n.Exists(ctx)
		return outcome(env, ok, err, "prefix "+prefix)
	}
	ok, err := p.anyUnder(ctx, t, prefix)
	return outcome(env, ok, err, "prefix "+prefix)
}

// anyUnder lists at most one key under an s3:// prefix.
func (p *S3PrefixNotEmpty) anyUnder(ctx context.Context, t *activity.Task, uri string) (bool, error) {
	_, rest, _ := strings.Cut(uri, "://")
	bucket, prefix, _ := strings.Cut(rest, "/")
	if bucket == "" {
		return false, activity.Errorf(activity.IDInvalidTask, "%s: s3Prefix %s names no bucket", name(t), uri)
	}
	c, err := p.open.S3(ctx, t, t.Attempt)
	if err != nil {
		return false, err
	}
	out, err := c.ListObjectsV2(ctx, &awss3.ListObjectsV2Input{Bucket: &bucket, Prefix: aws.String(prefix), MaxKeys: aws.Int32(1)})
	var ae smithy.APIError
	if errors.As(err, &ae) {
		switch ae.ErrorCode() {
		case "NoSuchBucket":
			return false, nil
		case "InvalidAccessKeyId", "SignatureDoesNotMatch", "AccessDenied", "Forbidden", "ExpiredToken":
			return false, fmt.Errorf("%s: list %s: access denied (%s): check the S3 credentials: %w", name(t), uri, ae.ErrorCode(), err)
		}
	}
	if err != nil {
		return false, fmt.Errorf("%s: list %s: %w", name(t), uri, err)
	}
	return len(out.Contents) > 0, nil
}

// required returns a field the precondition needs.
func required(t *activity.Task, key string) (string, error) {
	v, _ := t.Field(key)
	if v = strings.TrimSpace(v); v == "" {
		return "", activity.Errorf(activity.IDInvalidTask, "%s: %s is not set", name(t), key)
	}
	return v, nil
}

// name names the precondition in messages: "S3KeyExists InputReady".
func name(t *activity.Task) string {
	return t.Type() + " " + cmp.Or(t.ComponentID(), t.AttemptID)
}

// self is an object standing for the precondition, with extra fields,
// for the adapters (whose errors then name the precondition).
func self(t *activity.Task, fields ...pipeline.Field) pipeline.Object {
	o := pipeline.Object{ID: cmp.Or(t.ComponentID(), t.AttemptID), Fields: []pipeline.Field{pipeline.String("type", t.Type())}}
	if r, ok := t.Field("region"); ok {
		o.Fields = append(o.Fields, pipeline.String("region", r))
	}
	return pipeline.Object{ID: o.ID, Fields: append(o.Fields, fields...)}
}

// outcome reports a check: Finished when ok, False when not, the error
// (classified by data.Fail) when it failed.
func outcome(env *activity.Env, ok bool, err error, what string) (activity.Outcome, error) {
	switch {
	case err != nil:
		return 0, data.Fail(err)
	case ok:
		env.Printf("%s: the condition holds", what)
		return activity.Finished, nil
	}
	env.Printf("%s: the condition does not hold yet", what)
	return activity.False, nil
}
