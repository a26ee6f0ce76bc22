package api

import (
	"context"
	"errors"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/datapipeline"
	"github.com/aws/aws-sdk-go-v2/service/datapipeline/types"
	"github.com/aws/smithy-go"

	"github.com/datapipe/datapipe/internal/control"
	"github.com/datapipe/datapipe/internal/definition"
	"github.com/datapipe/datapipe/internal/pipeline"
)

// pagedControl serves ListPipelines in two pages.
type pagedControl struct{ *fakeControl }

func (p pagedControl) ListPipelines(ctx context.Context, c control.Caller, marker string) ([]control.PipelineIDName, control.Page, error) {
	_ = p.record("ListPipelines", c, marker)
	if marker == "" {
		return []control.PipelineIDName{{ID: "df-1", Name: "a"}}, control.Page{Marker: "m1", HasMore: true}, nil
	}
	return []control.PipelineIDName{{ID: "df-2", Name: "b"}}, control.Page{}, nil
}

// sdkClient returns an official aws-sdk-go-v2 Data Pipeline client of a
// KeyAuth server backed by f, signing with secret.
func sdkClient(t *testing.T, f *fakeControl, secret string) *datapipeline.Client {
	auth, err := NewKeyAuth(testKeys, nil)
	if err != nil {
		t.Fatal(err)
	}
	s := newTestServer(Config{Auth: auth}, f)
	s.ctl = pagedControl{f}
	srv := httptest.NewServer(s.Handler())
	t.Cleanup(srv.Close)
	creds := aws.Credentials{AccessKeyID: testKeys[0].AccessKeyID, SecretAccessKey: secret}
	return datapipeline.New(datapipeline.Options{
		Region:           "us-west-2",
		BaseEndpoint:     aws.String(srv.URL),
		Credentials:      aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) { return creds, nil }),
		RetryMaxAttempts: 1,
		HTTPClient:       srv.Client(),
	})
}

// apiCode returns the error code of an SDK error.
func apiCode(err error) string {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return ae.ErrorCode()
	}
	return ""
}

func TestServer_SDK(t *testing.T) {
	ctx := context.Background()
	alice := control.Caller{AccountID: "123456789012", UserID: "alice"}
	t.Run("OKCreatePipeline", func(t *testing.T) {
		f := &fakeControl{pipelineID: "df-0123456789ABCDEFGHIJ"}
		out, err := sdkClient(t, f, testKeys[0].SecretAccessKey).CreatePipeline(ctx, &datapipeline.CreatePipelineInput{
			Name: aws.String("n"), UniqueId: aws.String("u"), Tags: []types.Tag{{Key: aws.String("k"), Value: aws.String("")}}})
		if err != nil || aws.ToString(out.PipelineId) != f.pipelineID || f.last(t).caller != alice {
			t.Errorf("got %v, %v as %+v", out, err, f.last(t).caller)
		}
	})
	t.Run("OKListPipelinesPaginator", func(t *testing.T) {
		c := sdkClient(t, &fakeControl{}, testKeys[0].SecretAccessKey)
		var ids []string
		for p := datapipeline.NewListPipelinesPaginator(c, &datapipeline.ListPipelinesInput{}); p.HasMorePages(); {
			out, err := p.NextPage(ctx)
			if err != nil {
				t.Fatal(err)
			}
			for _, id := range out.PipelineIdList {
				ids = append(ids, aws.ToString(id.Id))
			}
		}
		if strings.Join(ids, ",") != "df-1,df-2" {
			t.Errorf("ids = %v", ids)
		}
	})
	t.Run("OKDescribePipelines", func(t *testing.T) {
		f := &fakeControl{descs: []control.PipelineDescription{{PipelineID: "df-1", Name: "n", Description: "d",
			Fields: []pipeline.Field{pipeline.String("@pipelineState", "PENDING")}}}}
		out, err := sdkClient(t, f, testKeys[0].SecretAccessKey).DescribePipelines(ctx, &datapipeline.DescribePipelinesInput{PipelineIds: []string{"df-1"}})
		if err != nil || len(out.PipelineDescriptionList) != 1 || aws.ToString(out.PipelineDescriptionList[0].Fields[0].StringValue) != "PENDING" ||
			out.PipelineDescriptionList[0].Tags == nil {
			t.Errorf("got %+v, %v", out, err)
		}
	})
	t.Run("OKActivatePipeline", func(t *testing.T) {
		f := &fakeControl{}
		at := time.Date(2024, 4, 7, 1, 2, 3, 456e6, time.UTC)
		_, err := sdkClient(t, f, testKeys[0].SecretAccessKey).ActivatePipeline(ctx, &datapipeline.ActivatePipelineInput{
			PipelineId: aws.String("df-1"), StartTimestamp: aws.Time(at)})
		if err != nil || !f.last(t).args[2].(time.Time).Equal(at) {
			t.Errorf("got %v, args %v", err, f.last(t).args)
		}
	})
	t.Run("OKPutPipelineDefinition", func(t *testing.T) {
		f := &fakeControl{result: sampleResult()}
		out, err := sdkClient(t, f, testKeys[0].SecretAccessKey).PutPipelineDefinition(ctx, &datapipeline.PutPipelineDefinitionInput{
			PipelineId:      aws.String("df-1"),
			PipelineObjects: []types.PipelineObject{{Id: aws.String("A"), Name: aws.String("A"), Fields: []types.Field{{Key: aws.String("k"), RefValue: aws.String("B")}}}}})
		if err != nil || !out.Errored || len(out.ValidationErrors) != 1 || len(out.ValidationWarnings) != 1 {
			t.Errorf("got %+v, %v", out, err)
		}
		def := f.last(t).args[1].(definition.Definition)
		if def.Objects[0].Fields[0] != pipeline.Reference("k", "B") {
			t.Errorf("definition = %+v", def)
		}
	})
	t.Run("OKPollForTask", func(t *testing.T) {
		f := &fakeControl{}
		c := sdkClient(t, f, testKeys[0].SecretAccessKey)
		out, err := c.PollForTask(ctx, &datapipeline.PollForTaskInput{WorkerGroup: aws.String("wg")})
		if err != nil || out.TaskObject != nil {
			t.Errorf("idle poll: %+v, %v", out, err)
		}
		f.task = &control.TaskObject{TaskID: "t", PipelineID: "df-1", AttemptID: "a", Objects: map[string]pipeline.Object{"a": {ID: "a", Name: "a"}}}
		out, err = c.PollForTask(ctx, &datapipeline.PollForTaskInput{WorkerGroup: aws.String("wg")})
		if err != nil || out.TaskObject == nil || aws.ToString(out.TaskObject.Objects["a"].Id) != "a" {
			t.Errorf("poll: %+v, %v", out, err)
		}
	})
	t.Run("OKEmptyOutputs", func(t *testing.T) {
		c := sdkClient(t, &fakeControl{}, testKeys[0].SecretAccessKey)
		if _, err := c.DeletePipeline(ctx, &datapipeline.DeletePipelineInput{PipelineId: aws.String("df-1")}); err != nil {
			t.Error(err)
		}
		if _, err := c.SetStatus(ctx, &datapipeline.SetStatusInput{PipelineId: aws.String("df-1"), ObjectIds: []string{"A"}, Status: aws.String("PAUSE")}); err != nil {
			t.Error(err)
		}
	})
	t.Run("ErrPipelineNotFound", func(t *testing.T) {
		f := &fakeControl{err: pipeline.Errorf(pipeline.CodePipelineNotFound, "Pipeline df-1 does not exist.")}
		_, err := sdkClient(t, f, testKeys[0].SecretAccessKey).DescribePipelines(ctx, &datapipeline.DescribePipelinesInput{PipelineIds: []string{"df-1"}})
		var nf *types.PipelineNotFoundException
		if !errors.As(err, &nf) || nf.ErrorMessage() != "Pipeline df-1 does not exist." {
			t.Errorf("err = %v", err)
		}
	})
	t.Run("ErrInternal", func(t *testing.T) {
		f := &fakeControl{err: errors.New("boom")}
		_, err := sdkClient(t, f, testKeys[0].SecretAccessKey).DeletePipeline(ctx, &datapipeline.DeletePipelineInput{PipelineId: aws.String("df-1")})
		var ise *types.InternalServiceError
		if !errors.As(err, &ise) {
			t.Errorf("err = %v", err)
		}
	})
	t.Run("ErrValidation", func(t *testing.T) {
		_, err := sdkClient(t, &fakeControl{}, testKeys[0].SecretAccessKey).CreatePipeline(ctx, &datapipeline.CreatePipelineInput{
			Name: aws.String(strings.Repeat("n", 1025)), UniqueId: aws.String("u")})
		if apiCode(err) != string(CodeValidation) {
			t.Errorf("err = %v", err)
		}
	})
	t.Run("ErrWrongSecret", func(t *testing.T) {
		_, err := sdkClient(t, &fakeControl{}, "wrong").ListPipelines(ctx, &datapipeline.ListPipelinesInput{})
		if apiCode(err) != string(CodeInvalidSignature) {
			t.Errorf("err = %v", err)
		}
	})
}
