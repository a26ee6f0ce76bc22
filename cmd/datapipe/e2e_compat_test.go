package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/datapipeline"
	"github.com/aws/aws-sdk-go-v2/service/datapipeline/types"
	"github.com/aws/smithy-go"
)

// helloObjects is a small valid definition: an hourly ShellCommandActivity
// whose command uses an expression.
func helloObjects() []types.PipelineObject {
	f := func(k, v string) types.Field { return types.Field{Key: aws.String(k), StringValue: aws.String(v)} }
	r := func(k, v string) types.Field { return types.Field{Key: aws.String(k), RefValue: aws.String(v)} }
	return []types.PipelineObject{
		{Id: aws.String("Default"), Name: aws.String("Default"), Fields: []types.Field{
			f("scheduleType", "cron"), r("schedule", "Hourly"), f("workerGroup", "wg-1"), f("failureAndRerunMode", "CASCADE")}},
		{Id: aws.String("Hourly"), Name: aws.String("Hourly"), Fields: []types.Field{
			f("type", "Schedule"), f("period", "1 hour"), f("startDateTime", "2099-01-01T00:00:00")}},
		{Id: aws.String("Hello"), Name: aws.String("Say hello"), Fields: []types.Field{
			f("type", "ShellCommandActivity"), f("command", "echo #{format(@scheduledStartTime,'YYYY-MM-dd HH')} #{myGreeting}"),
			f("scriptArgument", "a"), f("scriptArgument", "b")}},
	}
}

func helloParams() ([]types.ParameterObject, []types.ParameterValue) {
	return []types.ParameterObject{{Id: aws.String("myGreeting"), Attributes: []types.ParameterAttribute{
			{Key: aws.String("type"), StringValue: aws.String("String")}, {Key: aws.String("default"), StringValue: aws.String("hi")}}}},
		[]types.ParameterValue{{Id: aws.String("myGreeting"), StringValue: aws.String("hello")}}
}

// apiCode returns the AWS error code of err, or "".
func apiCode(err error) string {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return ae.ErrorCode()
	}
	return ""
}

func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	if got := apiCode(err); got != code {
		t.Fatalf("error = %v (code %q); want %s", err, got, code)
	}
}

func must[T any](t testing.TB) func(T, error) T {
	return func(v T, err error) T {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
}

// TestServer_Compat drives every operation through the official
// aws-sdk-go-v2 client against the real server, on every store.
func TestServer_Compat(t *testing.T) {
	for _, sc := range storeCases() {
		t.Run(sc.name, func(t *testing.T) {
			url := sc.url(t)
			s := startServer(t, url)
			c := s.local()
			t.Run("CreatePipeline", func(t *testing.T) { testCreatePipeline(t, c) })
			t.Run("ListPipelines", func(t *testing.T) { testListPipelines(t, c) })
			t.Run("Definition", func(t *testing.T) { testDefinition(t, c) })
			t.Run("Lifecycle", func(t *testing.T) { testLifecycle(t, c) })
			t.Run("Tags", func(t *testing.T) { testTags(t, c) })
			t.Run("Objects", func(t *testing.T) { testObjects(t, c, url) })
			t.Run("TaskCycle", func(t *testing.T) { testTaskCycle(t, c, url) })
			t.Run("Delete", func(t *testing.T) { testDelete(t, c) })
		})
	}
}

func newPipeline(t testing.TB, c *datapipeline.Client, name string) string {
	t.Helper()
	out := must[*datapipeline.CreatePipelineOutput](t)(c.CreatePipeline(context.Background(),
		&datapipeline.CreatePipelineInput{Name: aws.String(name), UniqueId: aws.String(name + "-token")}))
	return aws.ToString(out.PipelineId)
}

func putHello(t testing.TB, c *datapipeline.Client, id string) {
	t.Helper()
	params, values := helloParams()
	out := must[*datapipeline.PutPipelineDefinitionOutput](t)(c.PutPipelineDefinition(context.Background(), &datapipeline.PutPipelineDefinitionInput{
		PipelineId: aws.String(id), PipelineObjects: helloObjects(), ParameterObjects: params, ParameterValues: values}))
	if out.Errored {
		t.Fatalf("hello definition errored: %+v", out.ValidationErrors)
	}
}

func testCreatePipeline(t *testing.T, c *datapipeline.Client) {
	ctx := context.Background()
	t.Run("OK", func(t *testing.T) {
		id := newPipeline(t, c, "create-ok")
		if !strings.HasPrefix(id, "df-") || len(id) != 23 {
			t.Errorf("pipeline id %q", id)
		}
	})
	t.Run("OKIdempotent", func(t *testing.T) {
		a, b := newPipeline(t, c, "same"), newPipeline(t, c, "same")
		other := must[*datapipeline.CreatePipelineOutput](t)(c.CreatePipeline(ctx, &datapipeline.CreatePipelineInput{Name: aws.String("same"), UniqueId: aws.String("other")}))
		if a != b || a == aws.ToString(other.PipelineId) {
			t.Errorf("ids %s %s %s", a, b, aws.ToString(other.PipelineId))
		}
	})
	t.Run("ErrValidation", func(t *testing.T) {
		_, err := c.CreatePipeline(ctx, &datapipeline.CreatePipelineInput{Name: aws.String(strings.Repeat("n", 1025)), UniqueId: aws.String("u")})
		wantCode(t, err, "ValidationException")
	})
	t.Run("ErrTooManyTags", func(t *testing.T) {
		tags := make([]types.Tag, 11)
		for i := range tags {
			tags[i] = types.Tag{Key: aws.String(fmt.Sprint("k", i)), Value: aws.String("v")}
		}
		_, err := c.CreatePipeline(ctx, &datapipeline.CreatePipelineInput{Name: aws.String("t"), UniqueId: aws.String("t"), Tags: tags})
		if code := apiCode(err); code != "ValidationException" && code != "InvalidRequestException" {
			t.Errorf("err = %v", err)
		}
	})
}

func testListPipelines(t *testing.T, c *datapipeline.Client) {
	ctx := context.Background()
	for i := range 105 {
		newPipeline(t, c, fmt.Sprintf("list-%03d", i))
	}
	pages, seen := 0, map[string]bool{}
	p := datapipeline.NewListPipelinesPaginator(c, &datapipeline.ListPipelinesInput{})
	for p.HasMorePages() {
		out := must[*datapipeline.ListPipelinesOutput](t)(p.NextPage(ctx))
		pages++
		for _, x := range out.PipelineIdList {
			seen[aws.ToString(x.Id)] = true
		}
	}
	if pages < 2 || len(seen) < 105 {
		t.Errorf("%d pages, %d pipelines", pages, len(seen))
	}
	_, err := c.ListPipelines(ctx, &datapipeline.ListPipelinesInput{Marker: aws.String("garbage!")})
	wantCode(t, err, "InvalidRequestException")
}

func testDefinition(t *testing.T, c *datapipeline.Client) {
	ctx := context.Background()
	id := newPipeline(t, c, "definition")
	putHello(t, c, id)
	t.Run("OKGetLatestExact", func(t *testing.T) {
		out := must[*datapipeline.GetPipelineDefinitionOutput](t)(c.GetPipelineDefinition(ctx, &datapipeline.GetPipelineDefinitionInput{PipelineId: aws.String(id)}))
		if got, want := objectsText(out.PipelineObjects), objectsText(helloObjects()); got != want {
			t.Errorf("round trip differs:\n got %s\nwant %s", got, want)
		}
		if len(out.ParameterObjects) != 1 || len(out.ParameterValues) != 1 {
			t.Errorf("parameters %+v values %+v", out.ParameterObjects, out.ParameterValues)
		}
	})
	t.Run("OKActiveBeforeActivation", func(t *testing.T) {
		out := must[*datapipeline.GetPipelineDefinitionOutput](t)(c.GetPipelineDefinition(ctx, &datapipeline.GetPipelineDefinitionInput{PipelineId: aws.String(id), Version: aws.String("active")}))
		if len(out.PipelineObjects) != 0 {
			t.Errorf("active before activation: %d objects", len(out.PipelineObjects))
		}
	})
	t.Run("ErrValidationErrorsSaved", func(t *testing.T) {
		objs := helloObjects()
		objs[1].Fields[1].StringValue = aws.String("15 Period")
		params, values := helloParams()
		out := must[*datapipeline.PutPipelineDefinitionOutput](t)(c.PutPipelineDefinition(ctx, &datapipeline.PutPipelineDefinitionInput{PipelineId: aws.String(id),
			PipelineObjects: objs, ParameterObjects: params, ParameterValues: values}))
		if !out.Errored || len(out.ValidationErrors) != 1 || aws.ToString(out.ValidationErrors[0].Id) != "Hourly" ||
			!strings.HasPrefix(out.ValidationErrors[0].Errors[0], "INVALID_FIELD_VALUE: 'period'") {
			t.Errorf("put = %+v", out.ValidationErrors)
		}
		_, err := c.ActivatePipeline(ctx, &datapipeline.ActivatePipelineInput{PipelineId: aws.String(id)})
		wantCode(t, err, "InvalidRequestException")
	})
	t.Run("ErrFatalNotSaved", func(t *testing.T) {
		objs := helloObjects()
		objs[2].Fields[1].StringValue = aws.String("")
		_, err := c.PutPipelineDefinition(ctx, &datapipeline.PutPipelineDefinitionInput{PipelineId: aws.String(id), PipelineObjects: objs})
		wantCode(t, err, "InvalidRequestException")
	})
	t.Run("Validate", func(t *testing.T) {
		objs := helloObjects()
		objs[2].Fields[0].StringValue = aws.String("ShellCommandActivty")
		out := must[*datapipeline.ValidatePipelineDefinitionOutput](t)(c.ValidatePipelineDefinition(ctx, &datapipeline.ValidatePipelineDefinitionInput{PipelineId: aws.String(id), PipelineObjects: objs}))
		if !out.Errored || len(out.ValidationErrors) == 0 {
			t.Errorf("validate = %+v", out)
		}
	})
	t.Run("ErrUnknownPipeline", func(t *testing.T) {
		_, err := c.GetPipelineDefinition(ctx, &datapipeline.GetPipelineDefinitionInput{PipelineId: aws.String("df-NOSUCHPIPELINE00000")})
		wantCode(t, err, "PipelineNotFoundException")
	})
}

// objectsText renders objects for comparison: ids, names, fields in order.
func objectsText(objs []types.PipelineObject) string {
	var b strings.Builder
	for _, o := range objs {
		fmt.Fprintf(&b, "%s(%s)[", aws.ToString(o.Id), aws.ToString(o.Name))
		for _, f := range o.Fields {
			if f.RefValue != nil {
				fmt.Fprintf(&b, "%s=ref:%s ", aws.ToString(f.Key), aws.ToString(f.RefValue))
			} else {
				fmt.Fprintf(&b, "%s=%q ", aws.ToString(f.Key), aws.ToString(f.StringValue))
			}
		}
		b.WriteString("] ")
	}
	return b.String()
}

func describeOne(t *testing.T, c *datapipeline.Client, id string) map[string]string {
	t.Helper()
	out := must[*datapipeline.DescribePipelinesOutput](t)(c.DescribePipelines(context.Background(), &datapipeline.DescribePipelinesInput{PipelineIds: []string{id}}))
	fields := map[string]string{}
	for _, f := range out.PipelineDescriptionList[0].Fields {
		if f.StringValue == nil {
			t.Errorf("field %s is not a string", aws.ToString(f.Key))
		}
		fields[aws.ToString(f.Key)] = aws.ToString(f.StringValue)
	}
	return fields
}

func testLifecycle(t *testing.T, c *datapipeline.Client) {
	ctx := context.Background()
	id := newPipeline(t, c, "lifecycle")
	if st := describeOne(t, c, id)["@pipelineState"]; st != "PENDING" {
		t.Errorf("new pipeline state %s", st)
	}
	_, err := c.ActivatePipeline(ctx, &datapipeline.ActivatePipelineInput{PipelineId: aws.String(id)})
	wantCode(t, err, "InvalidRequestException") // no definition yet
	putHello(t, c, id)
	must[*datapipeline.ActivatePipelineOutput](t)(c.ActivatePipeline(ctx, &datapipeline.ActivatePipelineInput{PipelineId: aws.String(id), StartTimestamp: aws.Time(time.Now())}))
	fields := describeOne(t, c, id)
	if fields["@pipelineState"] != "SCHEDULED" || fields["@firstActivationTime"] == "" {
		t.Errorf("after activate: %v", fields)
	}
	active := must[*datapipeline.GetPipelineDefinitionOutput](t)(c.GetPipelineDefinition(ctx, &datapipeline.GetPipelineDefinitionInput{PipelineId: aws.String(id), Version: aws.String("active")}))
	if objectsText(active.PipelineObjects) != objectsText(helloObjects()) {
		t.Error("active definition differs from the activated one")
	}
	must[*datapipeline.DeactivatePipelineOutput](t)(c.DeactivatePipeline(ctx, &datapipeline.DeactivatePipelineInput{PipelineId: aws.String(id), CancelActive: aws.Bool(true)}))
	if st := describeOne(t, c, id)["@pipelineState"]; st != "INACTIVE" {
		t.Errorf("after deactivate: %s", st)
	}
	_, err = c.DescribePipelines(ctx, &datapipeline.DescribePipelinesInput{PipelineIds: []string{"df-NOSUCHPIPELINE00000"}})
	wantCode(t, err, "PipelineNotFoundException")
}

func testTags(t *testing.T, c *datapipeline.Client) {
	ctx := context.Background()
	id := newPipeline(t, c, "tags")
	tag := func(k, v string) types.Tag { return types.Tag{Key: aws.String(k), Value: aws.String(v)} }
	must[*datapipeline.AddTagsOutput](t)(c.AddTags(ctx, &datapipeline.AddTagsInput{PipelineId: aws.String(id), Tags: []types.Tag{tag("team", "data"), tag("env", "dev")}}))
	must[*datapipeline.AddTagsOutput](t)(c.AddTags(ctx, &datapipeline.AddTagsInput{PipelineId: aws.String(id), Tags: []types.Tag{tag("env", "prod")}}))
	must[*datapipeline.RemoveTagsOutput](t)(c.RemoveTags(ctx, &datapipeline.RemoveTagsInput{PipelineId: aws.String(id), TagKeys: []string{"team", "absent"}}))
	out := must[*datapipeline.DescribePipelinesOutput](t)(c.DescribePipelines(ctx, &datapipeline.DescribePipelinesInput{PipelineIds: []string{id}}))
	tags := out.PipelineDescriptionList[0].Tags
	if len(tags) != 1 || aws.ToString(tags[0].Key) != "env" || aws.ToString(tags[0].Value) != "prod" {
		t.Errorf("tags = %+v", tags)
	}
	many := make([]types.Tag, 10)
	for i := range many {
		many[i] = tag(fmt.Sprint("k", i), "v")
	}
	_, err := c.AddTags(ctx, &datapipeline.AddTagsInput{PipelineId: aws.String(id), Tags: many})
	wantCode(t, err, "InvalidRequestException")
}

func testObjects(t *testing.T, c *datapipeline.Client, url string) {
	ctx := context.Background()
	id := newPipeline(t, c, "objects")
	putHello(t, c, id)
	must[*datapipeline.ActivatePipelineOutput](t)(c.ActivatePipeline(ctx, &datapipeline.ActivatePipelineInput{PipelineId: aws.String(id)}))
	start := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	queueTask(t, url, id, "Hello", "wg-other", start)
	queueTask(t, url, id, "Hello", "wg-other", start.Add(time.Hour))
	t.Run("QueryComponents", func(t *testing.T) {
		out := must[*datapipeline.QueryObjectsOutput](t)(c.QueryObjects(ctx, &datapipeline.QueryObjectsInput{PipelineId: aws.String(id), Sphere: aws.String("COMPONENT")}))
		if len(out.Ids) != 3 || out.HasMoreResults {
			t.Errorf("components = %v", out.Ids)
		}
	})
	t.Run("QueryInstancesPaged", func(t *testing.T) {
		var ids []string
		p := datapipeline.NewQueryObjectsPaginator(c, &datapipeline.QueryObjectsInput{PipelineId: aws.String(id), Sphere: aws.String("INSTANCE"), Limit: aws.Int32(1),
			Query: &types.Query{Selectors: []types.Selector{{FieldName: aws.String("@componentParent"), Operator: &types.Operator{Type: types.OperatorTypeEqual, Values: []string{"Hello"}}}}}})
		for p.HasMorePages() {
			ids = append(ids, must[*datapipeline.QueryObjectsOutput](t)(p.NextPage(ctx)).Ids...)
		}
		if len(ids) != 2 || ids[0] != "@Hello_2024-01-01T00:00:00" {
			t.Errorf("instances = %v", ids)
		}
	})
	t.Run("DescribeEvaluated", func(t *testing.T) {
		out := must[*datapipeline.DescribeObjectsOutput](t)(c.DescribeObjects(ctx, &datapipeline.DescribeObjectsInput{PipelineId: aws.String(id),
			ObjectIds: []string{"@Hello_2024-01-01T00:00:00", "Hello", "nope"}, EvaluateExpressions: true}))
		if len(out.PipelineObjects) != 2 {
			t.Fatalf("objects = %d", len(out.PipelineObjects))
		}
		if got := fieldOf(out.PipelineObjects[0], "command"); got != "echo 2024-01-01 00 hello" {
			t.Errorf("evaluated command = %q", got)
		}
		if fieldOf(out.PipelineObjects[1], "@sphere") != "COMPONENT" || fieldOf(out.PipelineObjects[1], "@status") != "SCHEDULED" {
			t.Errorf("component = %s", objectsText(out.PipelineObjects[1:]))
		}
	})
	t.Run("EvaluateExpression", func(t *testing.T) {
		out := must[*datapipeline.EvaluateExpressionOutput](t)(c.EvaluateExpression(ctx, &datapipeline.EvaluateExpressionInput{PipelineId: aws.String(id),
			ObjectId: aws.String("Hourly"), Expression: aws.String("Transform started at #{startDateTime}")}))
		if aws.ToString(out.EvaluatedExpression) != "Transform started at 2099-01-01T00:00:00" {
			t.Errorf("evaluated %q", aws.ToString(out.EvaluatedExpression))
		}
		_, err := c.EvaluateExpression(ctx, &datapipeline.EvaluateExpressionInput{PipelineId: aws.String(id), ObjectId: aws.String("Hourly"), Expression: aws.String("#{nope(}")})
		wantCode(t, err, "InvalidRequestException")
	})
	t.Run("SetStatus", func(t *testing.T) {
		must[*datapipeline.SetStatusOutput](t)(c.SetStatus(ctx, &datapipeline.SetStatusInput{PipelineId: aws.String(id), ObjectIds: []string{"Hello"}, Status: aws.String("pause")}))
		out := must[*datapipeline.DescribeObjectsOutput](t)(c.DescribeObjects(ctx, &datapipeline.DescribeObjectsInput{PipelineId: aws.String(id), ObjectIds: []string{"Hello"}}))
		if fieldOf(out.PipelineObjects[0], "@status") != "PAUSED" {
			t.Errorf("after pause: %s", objectsText(out.PipelineObjects))
		}
		must[*datapipeline.SetStatusOutput](t)(c.SetStatus(ctx, &datapipeline.SetStatusInput{PipelineId: aws.String(id), ObjectIds: []string{"@Hello_2024-01-01T00:00:00"}, Status: aws.String("MARK_FINISHED")}))
		_, err := c.SetStatus(ctx, &datapipeline.SetStatusInput{PipelineId: aws.String(id), ObjectIds: []string{"Hello", "@Hello_2024-01-01T00:00:00"}, Status: aws.String("PAUSE")})
		wantCode(t, err, "InvalidRequestException")
	})
}

func fieldOf(o types.PipelineObject, key string) string {
	for _, f := range o.Fields {
		if aws.ToString(f.Key) == key {
			return aws.ToString(f.StringValue) + aws.ToString(f.RefValue)
		}
	}
	return ""
}

func testTaskCycle(t *testing.T, c *datapipeline.Client, url string) {
	ctx := context.Background()
	id := newPipeline(t, c, "tasks")
	putHello(t, c, id)
	must[*datapipeline.ActivatePipelineOutput](t)(c.ActivatePipeline(ctx, &datapipeline.ActivatePipelineInput{PipelineId: aws.String(id)}))
	hb := must[*datapipeline.ReportTaskRunnerHeartbeatOutput](t)(c.ReportTaskRunnerHeartbeat(ctx, &datapipeline.ReportTaskRunnerHeartbeatInput{
		TaskrunnerId: aws.String("runner-1"), WorkerGroup: aws.String("wg-1"), Hostname: aws.String("host-1")}))
	if hb.Terminate {
		t.Error("terminate on first heartbeat")
	}
	attempt := queueTask(t, url, id, "Hello", "wg-1", time.Date(2024, 1, 1, 5, 0, 0, 0, time.UTC))
	poll := must[*datapipeline.PollForTaskOutput](t)(c.PollForTask(ctx, &datapipeline.PollForTaskInput{WorkerGroup: aws.String("wg-1"), Hostname: aws.String("host-1")}))
	if poll.TaskObject == nil || aws.ToString(poll.TaskObject.AttemptId) != attempt {
		t.Fatalf("poll = %+v", poll.TaskObject)
	}
	obj := poll.TaskObject.Objects[attempt]
	if fieldOf(obj, "command") != "echo 2024-01-01 05 hello" || fieldOf(obj, "@componentParent") != "Hello" || fieldOf(obj, "workerGroup") != "wg-1" {
		t.Errorf("attempt object = %s", objectsText([]types.PipelineObject{obj}))
	}
	taskID := poll.TaskObject.TaskId
	prog := must[*datapipeline.ReportTaskProgressOutput](t)(c.ReportTaskProgress(ctx, &datapipeline.ReportTaskProgressInput{TaskId: taskID,
		Fields: []types.Field{{Key: aws.String("percentComplete"), StringValue: aws.String("50")}}}))
	if prog.Canceled {
		t.Error("canceled on first progress")
	}
	if st := attemptStatus(t, c, id, attempt); st != "RUNNING" {
		t.Errorf("attempt after progress: %s", st)
	}
	must[*datapipeline.SetTaskStatusOutput](t)(c.SetTaskStatus(ctx, &datapipeline.SetTaskStatusInput{TaskId: taskID, TaskStatus: types.TaskStatusFinished}))
	if st := attemptStatus(t, c, id, attempt); st != "FINISHED" {
		t.Errorf("attempt after SetTaskStatus: %s", st)
	}
	_, err := c.SetTaskStatus(ctx, &datapipeline.SetTaskStatusInput{TaskId: taskID, TaskStatus: types.TaskStatusFinished})
	wantCode(t, err, "TaskNotFoundException")
	_, err = c.SetTaskStatus(ctx, &datapipeline.SetTaskStatusInput{TaskId: taskID, TaskStatus: types.TaskStatusFailed, ErrorId: aws.String("Service_X")})
	wantCode(t, err, "InvalidRequestException")
	idle := must[*datapipeline.PollForTaskOutput](t)(c.PollForTask(ctx, &datapipeline.PollForTaskInput{WorkerGroup: aws.String("wg-idle")}))
	if idle.TaskObject != nil {
		t.Errorf("idle poll returned %+v", idle.TaskObject)
	}
}

func attemptStatus(t *testing.T, c *datapipeline.Client, id, attempt string) string {
	t.Helper()
	out := must[*datapipeline.DescribeObjectsOutput](t)(c.DescribeObjects(context.Background(), &datapipeline.DescribeObjectsInput{PipelineId: aws.String(id), ObjectIds: []string{attempt}}))
	if len(out.PipelineObjects) != 1 {
		t.Fatalf("attempt %s not found", attempt)
	}
	return fieldOf(out.PipelineObjects[0], "@status")
}

func testDelete(t *testing.T, c *datapipeline.Client) {
	ctx := context.Background()
	id := newPipeline(t, c, "delete")
	must[*datapipeline.DeletePipelineOutput](t)(c.DeletePipeline(ctx, &datapipeline.DeletePipelineInput{PipelineId: aws.String(id)}))
	_, err := c.DescribePipelines(ctx, &datapipeline.DescribePipelinesInput{PipelineIds: []string{id}})
	wantCode(t, err, "PipelineDeletedException")
	_, err = c.DeletePipeline(ctx, &datapipeline.DeletePipelineInput{PipelineId: aws.String(id)})
	wantCode(t, err, "PipelineNotFoundException")
	again := newPipeline(t, c, "delete")
	if again == id {
		t.Error("a deleted pipeline blocked re-creation")
	}
}

// TestServer_Auth checks SigV4 with configured keys.
func TestServer_Auth(t *testing.T) {
	keys := filepath.Join(t.TempDir(), "keys.json")
	if err := os.WriteFile(keys, []byte(`[{"accessKeyId":"AKIDTEST","secretAccessKey":"right-secret","accountId":"123456789012","userId":"alice"}]`), 0o600); err != nil {
		t.Fatal(err)
	}
	s := startServer(t, "sqlite:"+filepath.Join(t.TempDir(), "auth.db"), "--keys-file", keys)
	ctx := context.Background()
	t.Run("OK", func(t *testing.T) {
		_, err := s.client("AKIDTEST", "right-secret").ListPipelines(ctx, &datapipeline.ListPipelinesInput{})
		if err != nil {
			t.Fatal(err)
		}
	})
	t.Run("ErrWrongSecret", func(t *testing.T) {
		_, err := s.client("AKIDTEST", "wrong-secret").ListPipelines(ctx, &datapipeline.ListPipelinesInput{})
		wantCode(t, err, "InvalidSignatureException")
	})
	t.Run("ErrUnknownKey", func(t *testing.T) {
		_, err := s.client("AKIDOTHER", "x").ListPipelines(ctx, &datapipeline.ListPipelinesInput{})
		wantCode(t, err, "UnrecognizedClientException")
	})
}

// TestServer_Metrics checks /healthz and the pipelines-by-state gauge.
func TestServer_Metrics(t *testing.T) {
	s := startServer(t, "sqlite:"+filepath.Join(t.TempDir(), "metrics.db"))
	newPipeline(t, s.local(), "metered")
	for path, want := range map[string]string{"/healthz": "ok", "/metrics": `datapipe_pipelines{state="PENDING"} 1`} {
		resp, err := http.Get(s.endpoint + path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || !strings.Contains(string(body), want) {
			t.Errorf("GET %s = %d, missing %q", path, resp.StatusCode, want)
		}
	}
}
