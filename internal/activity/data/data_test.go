package data_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/datapipe/datapipe/internal/activity"
	"github.com/datapipe/datapipe/internal/activity/data"
	"github.com/datapipe/datapipe/internal/datanode"
	"github.com/datapipe/datapipe/internal/datanode/format"
	"github.com/datapipe/datapipe/internal/pipeline"
)

func TestFail(t *testing.T) {
	for _, tc := range []struct {
		name string
		err  error
		id   string
	}{
		{"OKMalformed", fmt.Errorf("copy: %w", &format.RowError{Source: "S3DataNode In s3://b/k", Row: 2, Err: errors.New("bad")}), data.IDMalformed},
		{"OKNotFound", datanode.NotFoundf("SqlDataNode T", "table t does not exist"), data.IDNotFound},
		{"OKInvalid", datanode.Invalidf("S3DataNode In", "neither directoryPath nor filePath is set"), data.IDInvalidNode},
		{"OKAccessDenied", errors.New("S3DataNode In: get: access denied (SignatureDoesNotMatch): check the S3 credentials"), data.IDAccessDenied},
		{"OKKeepsActivityError", fmt.Errorf("x: %w", activity.Errorf(activity.IDNotSupported, "no")), activity.IDNotSupported},
		{"OKCanceled", fmt.Errorf("x: %w", context.Canceled), activity.IDRunnerError},
		{"OKOther", errors.New("boom"), activity.IDRunnerError},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := data.Fail(tc.err)
			if got := activity.AsError(err); got.ID != tc.id || got.Message != tc.err.Error() {
				t.Errorf("AsError(Fail(%v)) = %+v; want id %s and the message unchanged", tc.err, got, tc.id)
			}
			if !errors.Is(err, tc.err) {
				t.Errorf("Fail lost the chain")
			}
		})
	}
	if data.Fail(nil) != nil {
		t.Error("Fail(nil) != nil")
	}
}

func TestKindOf(t *testing.T) {
	for typ, want := range map[string]data.Kind{"S3DataNode": data.KindFiles, "SqlDataNode": data.KindSQL, "MySqlDataNode": data.KindSQL,
		"RedshiftDataNode": data.KindSQL, "DynamoDBDataNode": data.KindDynamoDB, "HttpDataNode": 0} {
		got, ok := data.KindOf(pipeline.Object{Fields: []pipeline.Field{pipeline.String("type", typ)}})
		if got != want || ok != (want != 0) {
			t.Errorf("KindOf(%s) = %v, %v; want %v", typ, got, ok, want)
		}
	}
}

func TestOpener_NoAWS(t *testing.T) {
	o := data.New(data.Config{})
	node := pipeline.Object{ID: "In", Fields: []pipeline.Field{pipeline.String("type", "S3DataNode"), pipeline.String("filePath", "s3://b/k")}}
	tk, err := activity.NewTask("t", "df", "a", map[string]pipeline.Object{"a": {ID: "a"}, "In": node})
	if err != nil {
		t.Fatal(err)
	}
	_, err = o.Files(context.Background(), tk, node)
	if e := activity.AsError(err); e == nil || e.ID != activity.IDNotSupported {
		t.Fatalf("Files(s3://) without AWS = %v; want NotSupported", err)
	}
}
