package api

import (
	"net/http"
	"reflect"
	"testing"
	"time"

	"github.com/datapipe/datapipe/internal/control"
	"github.com/datapipe/datapipe/internal/definition"
	"github.com/datapipe/datapipe/internal/pipeline"
	"github.com/datapipe/datapipe/internal/store"
)

// sampleResult is a validation result with one error and one warning.
func sampleResult() *definition.Result {
	return &definition.Result{Problems: []definition.Problem{
		{Severity: definition.Error, Object: "Schedule", Field: "startDateTime", Code: definition.CodeInvalidFieldValue, Message: "value must be a literal datetime value.", Pos: -1},
		{Severity: definition.Warning, Object: "Default", Code: definition.CodeDefaultApplied, Message: "note", Pos: -1},
	}}
}

func TestServer_Dispatch(t *testing.T) {
	local := control.Caller{AccountID: LocalAccountID, UserID: LocalAccountID}
	start := time.Date(2024, 4, 7, 0, 0, 0, 123e6, time.UTC)
	for _, tt := range []struct {
		op       string
		body     string
		setup    func(*fakeControl)
		wantOut  string
		wantArgs []any
	}{
		{op: "CreatePipeline", body: `{"name":"n","uniqueId":"u","description":"d","tags":[{"key":"k","value":""}]}`,
			setup:    func(f *fakeControl) { f.pipelineID = "df-0123456789ABCDEFGHIJ" },
			wantOut:  `{"pipelineId":"df-0123456789ABCDEFGHIJ"}`,
			wantArgs: []any{control.CreatePipelineInput{Name: "n", UniqueID: "u", Description: "d", Tags: []store.Tag{{Key: "k"}}}}},
		{op: "DeletePipeline", body: `{"pipelineId":"df-1"}`, wantOut: `{}`, wantArgs: []any{"df-1"}},
		{op: "DescribePipelines", body: `{"pipelineIds":["df-1"]}`,
			setup: func(f *fakeControl) {
				f.descs = []control.PipelineDescription{{PipelineID: "df-1", Name: "n",
					Fields: []pipeline.Field{pipeline.String("@pipelineState", "PENDING"), pipeline.Reference("odd", "x")}}}
			},
			wantOut:  `{"pipelineDescriptionList":[{"pipelineId":"df-1","name":"n","fields":[{"key":"@pipelineState","stringValue":"PENDING"},{"key":"odd","stringValue":"x"}],"tags":[]}]}`,
			wantArgs: []any{[]string{"df-1"}}},
		{op: "ListPipelines", body: ``,
			setup: func(f *fakeControl) {
				f.list = []control.PipelineIDName{{ID: "df-1", Name: "a"}}
				f.page = control.Page{Marker: "m2", HasMore: true}
			},
			wantOut: `{"pipelineIdList":[{"id":"df-1","name":"a"}],"marker":"m2","hasMoreResults":true}`, wantArgs: []any{""}},
		{op: "ListPipelines", body: `{"marker":""}`, wantOut: `{"pipelineIdList":[],"hasMoreResults":false}`, wantArgs: []any{""}},
		{op: "PutPipelineDefinition", body: `{"pipelineId":"df-1","pipelineObjects":[{"id":"A","name":"B","fields":[{"key":"k","stringValue":"v"},{"key":"r","refValue":"A"}]}],"parameterValues":[{"id":"myP","stringValue":"1"}]}`,
			setup:   func(f *fakeControl) { f.result = sampleResult() },
			wantOut: `{"errored":true,"validationErrors":[{"id":"Schedule","errors":["INVALID_FIELD_VALUE: 'startDateTime' value must be a literal datetime value."]}],"validationWarnings":[{"id":"Default","warnings":["DEFAULT_APPLIED: note"]}]}`,
			wantArgs: []any{"df-1", definition.Definition{
				Objects: []pipeline.Object{{ID: "A", Name: "B", Fields: []pipeline.Field{pipeline.String("k", "v"), pipeline.Reference("r", "A")}}},
				Values:  []pipeline.ParameterValue{{ID: "myP", Value: "1"}}}}},
		{op: "ValidatePipelineDefinition", body: `{"pipelineId":"df-1","pipelineObjects":[{"id":"A","name":"A","fields":[]}],"parameterObjects":[{"id":"myP","attributes":[{"key":"type","stringValue":"String"}]}]}`,
			setup:   func(f *fakeControl) { f.result = &definition.Result{} },
			wantOut: `{"errored":false,"validationErrors":[],"validationWarnings":[]}`,
			wantArgs: []any{"df-1", definition.Definition{
				Objects:    []pipeline.Object{{ID: "A", Name: "A"}},
				Parameters: []pipeline.ParameterObject{{ID: "myP", Attributes: []pipeline.Attribute{{Key: "type", Value: "String"}}}}}}},
		{op: "GetPipelineDefinition", body: `{"pipelineId":"df-1","version":"active"}`,
			wantOut: `{"pipelineObjects":[],"parameterObjects":[],"parameterValues":[]}`, wantArgs: []any{"df-1", "active"}},
		{op: "GetPipelineDefinition", body: `{"pipelineId":"df-1"}`,
			setup: func(f *fakeControl) {
				f.def = definition.Definition{Objects: []pipeline.Object{{ID: "A", Name: "A", Fields: []pipeline.Field{pipeline.Reference("s", "B")}}}}
			},
			wantOut: `{"pipelineObjects":[{"id":"A","name":"A","fields":[{"key":"s","refValue":"B"}]}],"parameterObjects":[],"parameterValues":[]}`, wantArgs: []any{"df-1", ""}},
		{op: "ActivatePipeline", body: `{"pipelineId":"df-1","startTimestamp":1712448000.123,"parameterValues":[{"id":"myP","stringValue":"v"}]}`,
			wantOut: `{}`, wantArgs: []any{"df-1", []pipeline.ParameterValue{{ID: "myP", Value: "v"}}, start}},
		{op: "ActivatePipeline", body: `{"pipelineId":"df-1","startTimestamp":"2024-04-07T00:00:00.123Z"}`,
			wantOut: `{}`, wantArgs: []any{"df-1", []pipeline.ParameterValue(nil), start}},
		{op: "ActivatePipeline", body: `{"pipelineId":"df-1","backfillFrom":1712448000.123,"backfillTo":"2024-04-07T00:00:00.123Z"}`,
			wantOut: `{}`, wantArgs: []any{"df-1", []pipeline.ParameterValue(nil), time.Time{}, control.Backfill{From: start, To: start}}},
		{op: "ActivatePipeline", body: `{"pipelineId":"df-1","startTimestamp":null}`,
			wantOut: `{}`, wantArgs: []any{"df-1", []pipeline.ParameterValue(nil), time.Time{}}},
		{op: "DeactivatePipeline", body: `{"pipelineId":"df-1"}`, wantOut: `{}`, wantArgs: []any{"df-1", true}},
		{op: "DeactivatePipeline", body: `{"pipelineId":"df-1","cancelActive":false}`, wantOut: `{}`, wantArgs: []any{"df-1", false}},
		{op: "AddTags", body: `{"pipelineId":"df-1","tags":[{"key":"a","value":"b"}]}`, wantOut: `{}`,
			wantArgs: []any{"df-1", []store.Tag{{Key: "a", Value: "b"}}}},
		{op: "RemoveTags", body: `{"pipelineId":"df-1","tagKeys":["a"]}`, wantOut: `{}`, wantArgs: []any{"df-1", []string{"a"}}},
		{op: "DescribeObjects", body: `{"pipelineId":"df-1","objectIds":["A"],"evaluateExpressions":true}`,
			setup: func(f *fakeControl) {
				f.objects = []pipeline.Object{{ID: "A", Name: "A", Fields: []pipeline.Field{pipeline.String("@sphere", "COMPONENT")}}}
			},
			wantOut:  `{"pipelineObjects":[{"id":"A","name":"A","fields":[{"key":"@sphere","stringValue":"COMPONENT"}]}],"hasMoreResults":false}`,
			wantArgs: []any{"df-1", []string{"A"}, true, ""}},
		{op: "QueryObjects", body: `{"pipelineId":"df-1","sphere":"INSTANCE","query":{"selectors":[{"fieldName":"@status","operator":{"type":"EQ","values":["RUNNING","FAILED"]}}]},"limit":10,"marker":"m"}`,
			setup:    func(f *fakeControl) { f.ids = []string{"@A_1"}; f.page = control.Page{Marker: "ignored"} },
			wantOut:  `{"ids":["@A_1"],"hasMoreResults":false}`,
			wantArgs: []any{"df-1", "INSTANCE", []control.Selector{{FieldName: "@status", Operator: "EQ", Values: []string{"RUNNING", "FAILED"}}}, "m", 10}},
		{op: "QueryObjects", body: `{"pipelineId":"df-1","sphere":"COMPONENT"}`,
			wantOut: `{"ids":[],"hasMoreResults":false}`, wantArgs: []any{"df-1", "COMPONENT", []control.Selector(nil), "", 0}},
		{op: "EvaluateExpression", body: `{"pipelineId":"df-1","objectId":"A","expression":"#{1}"}`,
			setup:   func(f *fakeControl) { f.evaluated = "1" },
			wantOut: `{"evaluatedExpression":"1"}`, wantArgs: []any{"df-1", "A", "#{1}"}},
		{op: "SetStatus", body: `{"pipelineId":"df-1","objectIds":["A"],"status":"pause"}`, wantOut: `{}`,
			wantArgs: []any{"df-1", []string{"A"}, "pause"}},
		{op: "PollForTask", body: `{"workerGroup":"wg","hostname":"h","instanceIdentity":{"document":"d","signature":"s"}}`,
			wantOut: `{}`, wantArgs: []any{"wg", "h"}},
		{op: "PollForTask", body: `{"workerGroup":"wg"}`,
			setup: func(f *fakeControl) {
				f.task = &control.TaskObject{TaskID: "t1", PipelineID: "df-1", AttemptID: "@A_Attempt=1",
					Objects: map[string]pipeline.Object{"@A_Attempt=1": {ID: "@A_Attempt=1", Name: "@A_Attempt=1", Fields: []pipeline.Field{pipeline.Reference("@componentParent", "A")}}}}
			},
			wantOut:  `{"taskObject":{"taskId":"t1","pipelineId":"df-1","attemptId":"@A_Attempt=1","objects":{"@A_Attempt=1":{"id":"@A_Attempt=1","name":"@A_Attempt=1","fields":[{"key":"@componentParent","refValue":"A"}]}}}}`,
			wantArgs: []any{"wg", ""}},
		{op: "ReportTaskProgress", body: `{"taskId":"t1","fields":[{"key":"percentComplete","stringValue":"50"}]}`,
			setup:    func(f *fakeControl) { f.flag = true },
			wantOut:  `{"canceled":true}`,
			wantArgs: []any{"t1", []pipeline.Field{pipeline.String("percentComplete", "50")}}},
		{op: "ReportTaskRunnerHeartbeat", body: `{"taskrunnerId":"r1","workerGroup":"wg","hostname":"h"}`,
			wantOut: `{"terminate":false}`, wantArgs: []any{control.HeartbeatInput{TaskRunnerID: "r1", WorkerGroup: "wg", Hostname: "h"}}},
		{op: "SetTaskStatus", body: `{"taskId":"t1","taskStatus":"FAILED","errorId":"E","errorMessage":"m","errorStackTrace":"s"}`, wantOut: `{}`,
			wantArgs: []any{control.SetTaskStatusInput{TaskID: "t1", Status: pipeline.TaskFailed, ErrorID: "E", ErrorMessage: "m", ErrorStackTrace: "s"}}},
	} {
		t.Run(tt.op, func(t *testing.T) {
			f := &fakeControl{}
			if tt.setup != nil {
				tt.setup(f)
			}
			w := post(newTestServer(Config{}, f).Handler(), tt.op, tt.body)
			if w.Code != http.StatusOK || w.Body.String() != tt.wantOut {
				t.Errorf("response %d %s\nwant 200 %s", w.Code, w.Body, tt.wantOut)
			}
			if ct := w.Header().Get("Content-Type"); ct != contentType {
				t.Errorf("Content-Type = %q", ct)
			}
			call := f.last(t)
			if call.op != tt.op || call.caller != local {
				t.Errorf("called %s as %+v", call.op, call.caller)
			}
			if !reflect.DeepEqual(call.args, tt.wantArgs) {
				t.Errorf("args = %#v\nwant   %#v", call.args, tt.wantArgs)
			}
		})
	}
}

func TestServer_Operations(t *testing.T) {
	s := NewServer(Config{})
	if len(s.ops) != 19 {
		t.Errorf("%d operations; want 19", len(s.ops))
	}
}
