package api

import (
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/datapipe/datapipe/internal/pipeline"
)

func TestServer_Validation(t *testing.T) {
	long := strings.Repeat("é", 1025)
	for _, tt := range []struct {
		name, op, body string
		want           string
	}{
		{"ErrMissingPipelineID", "DeletePipeline", `{}`,
			"1 validation error detected: Value null at 'pipelineId' failed to satisfy constraint: Member must not be null"},
		{"ErrNullIsAbsent", "DeletePipeline", `{"pipelineId":null}`,
			"1 validation error detected: Value null at 'pipelineId' failed to satisfy constraint: Member must not be null"},
		{"ErrCaseSensitive", "DeletePipeline", `{"PipelineId":"df-1"}`,
			"1 validation error detected: Value null at 'pipelineId' failed to satisfy constraint: Member must not be null"},
		{"ErrTwoMissing", "CreatePipeline", ``,
			"2 validation errors detected: Value null at 'name' failed to satisfy constraint: Member must not be null; " +
				"Value null at 'uniqueId' failed to satisfy constraint: Member must not be null"},
		{"ErrTooShort", "CreatePipeline", `{"name":"","uniqueId":"u"}`,
			"1 validation error detected: Value '' at 'name' failed to satisfy constraint: Member must have length greater than or equal to 1"},
		{"ErrTooLongInCharacters", "CreatePipeline", `{"name":"` + long + `","uniqueId":"u"}`,
			"1 validation error detected: Value '" + strings.Repeat("é", 128) + "...' at 'name' failed to satisfy constraint: Member must have length less than or equal to 1024"},
		{"ErrPattern", "CreatePipeline", `{"name":"a\u0001","uniqueId":"u"}`,
			"1 validation error detected: Value 'a\x01' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: " + patternText},
		{"ErrTooManyTags", "CreatePipeline", `{"name":"n","uniqueId":"u","tags":[` + strings.Repeat(`{"key":"k","value":"v"},`, 10) + `{"key":"k","value":"v"}]}`,
			"1 validation error detected: Value '[" + strings.Repeat(`{"key":"k","value":"v"},`, 6)[:127] + "...' at 'tags'" +
				" failed to satisfy constraint: Member must have length less than or equal to 10"},
		{"ErrTagKey", "AddTags", `{"pipelineId":"df-1","tags":[{"key":"` + strings.Repeat("k", 129) + `","value":"v"},{"value":"v"}]}`,
			"2 validation errors detected: Value '" + strings.Repeat("k", 128) + "...' at 'tags.1.member.key' failed to satisfy constraint: Member must have length less than or equal to 128; " +
				"Value null at 'tags.2.member.key' failed to satisfy constraint: Member must not be null"},
		{"ErrTagsRequired", "AddTags", `{"pipelineId":"df-1"}`,
			"1 validation error detected: Value null at 'tags' failed to satisfy constraint: Member must not be null"},
		{"ErrNullListMember", "DescribeObjects", `{"pipelineId":"df-1","objectIds":["A",null]}`,
			"1 validation error detected: Value null at 'objectIds.2.member' failed to satisfy constraint: Member must not be null"},
		{"ErrEnum", "SetTaskStatus", `{"taskId":"t","taskStatus":"DONE"}`,
			"1 validation error detected: Value 'DONE' at 'taskStatus' failed to satisfy constraint: Member must satisfy enum value set: [FINISHED, FAILED, FALSE]"},
		{"ErrOperatorType", "QueryObjects", `{"pipelineId":"df-1","sphere":"INSTANCE","query":{"selectors":[{"fieldName":"f","operator":{"type":"LIKE"}}]}}`,
			"1 validation error detected: Value 'LIKE' at 'query.selectors.1.member.operator.type' failed to satisfy constraint: Member must satisfy enum value set: [EQ, REF_EQ, LE, GE, BETWEEN]"},
		{"ErrNestedDefinition", "PutPipelineDefinition", `{"pipelineId":"df-1","pipelineObjects":[{"id":"A","name":"A"},{"id":"B","name":"B","fields":[{"stringValue":"v"}]}],"parameterValues":[{"id":"myP"}]}`,
			"3 validation errors detected: Value null at 'pipelineObjects.1.member.fields' failed to satisfy constraint: Member must not be null; " +
				"Value null at 'pipelineObjects.2.member.fields.1.member.key' failed to satisfy constraint: Member must not be null; " +
				"Value null at 'parameterValues.1.member.stringValue' failed to satisfy constraint: Member must not be null"},
		{"ErrObjectsRequired", "ValidatePipelineDefinition", `{"pipelineId":"df-1"}`,
			"1 validation error detected: Value null at 'pipelineObjects' failed to satisfy constraint: Member must not be null"},
		{"ErrTaskID", "ReportTaskProgress", `{"taskId":""}`,
			"1 validation error detected: Value '' at 'taskId' failed to satisfy constraint: Member must have length greater than or equal to 1"},
		{"ErrWorkerGroupRequired", "PollForTask", `{"hostname":"h"}`,
			"1 validation error detected: Value null at 'workerGroup' failed to satisfy constraint: Member must not be null"},
		{"ErrManyListed", "DescribePipelines", `{"pipelineIds":["","","","","","","","","","","",""]}`,
			"12 validation errors detected: " + strings.TrimSuffix(strings.Repeat("Value '' at 'pipelineIds.N.member' failed to satisfy constraint: Member must have length greater than or equal to 1; ", 10), "; ") + "; and 2 more"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			f := &fakeControl{}
			w := post(newTestServer(Config{}, f).Handler(), tt.op, tt.body)
			code, msg := errorOf(t, w)
			want := tt.want
			if tt.name == "ErrManyListed" {
				want = numberMembers(want)
			}
			if w.Code != http.StatusBadRequest || code != CodeValidation || msg != want {
				t.Errorf("got %d %s %q\nwant 400 ValidationException %q", w.Code, code, msg, want)
			}
			if len(f.calls) != 0 {
				t.Errorf("control called: %v", f.calls)
			}
		})
	}
}

// numberMembers replaces each ".N." with the successive element numbers.
func numberMembers(s string) string {
	for i := 1; strings.Contains(s, ".N."); i++ {
		s = strings.Replace(s, ".N.", "."+strconv.Itoa(i)+".", 1)
	}
	return s
}

func TestServer_ValidationOK(t *testing.T) {
	for _, tt := range []struct{ name, op, body string }{
		{"OKMaxLengthInCharacters", "CreatePipeline", `{"name":"` + strings.Repeat("é", 1024) + `","uniqueId":"u"}`},
		{"OKTabNewline", "CreatePipeline", `{"name":"a\tb\r\n","uniqueId":"u","description":""}`},
		{"OKUnknownMembers", "DeletePipeline", `{"pipelineId":"df-1","extra":{"deep":[1,2]},"pipelineid":3}`},
		{"OKTenTags", "AddTags", `{"pipelineId":"df-1","tags":[` + strings.Repeat(`{"key":"k","value":""},`, 9) + `{"key":"k","value":""}]}`},
		{"OKEmptyObjects", "ValidatePipelineDefinition", `{"pipelineId":"df-1","pipelineObjects":[]}`},
		{"OKNoQuery", "QueryObjects", `{"pipelineId":"df-1","sphere":"ATTEMPT","query":{}}`},
		{"OKErrorMessageUnbounded", "SetTaskStatus", `{"taskId":"t","taskStatus":"FALSE","errorMessage":"` + strings.Repeat("x", 5000) + `"}`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			w := post(newTestServer(Config{}, &fakeControl{}).Handler(), tt.op, tt.body)
			if w.Code != http.StatusOK {
				t.Errorf("got %d %s", w.Code, w.Body)
			}
		})
	}
}

func TestServer_Serialization(t *testing.T) {
	for _, tt := range []struct {
		name, op, body string
		code           pipeline.Code
		want           string
	}{
		{"ErrMalformed", "ListPipelines", `{"marker":`, CodeSerialization, "the request body is not valid JSON: unexpected end of input"},
		{"ErrSyntax", "ListPipelines", `{"marker" "x"}`, CodeSerialization, "the request body is not valid JSON: invalid character '\"' after object key at byte 11"},
		{"ErrTrailing", "ListPipelines", `{} {}`, CodeSerialization, "the request body has data after its JSON object"},
		{"ErrArray", "ListPipelines", `[]`, CodeSerialization, "the request body must be a JSON object, not a list"},
		{"ErrString", "ListPipelines", `"x"`, CodeSerialization, "the request body must be a JSON object, not a string"},
		{"ErrMemberType", "DeletePipeline", `{"pipelineId":1}`, CodeSerialization, "expected a string at 'pipelineId' but found a number"},
		{"ErrListType", "DescribePipelines", `{"pipelineIds":"df-1"}`, CodeSerialization, "expected a list at 'pipelineIds' but found a string"},
		{"ErrNestedType", "AddTags", `{"pipelineId":"df-1","tags":[{"key":"k","value":false}]}`, CodeSerialization, "expected a string at 'tags.1.member.value' but found a boolean"},
		{"ErrElementType", "AddTags", `{"pipelineId":"df-1","tags":["k"]}`, CodeSerialization, "expected an object at 'tags.1.member' but found a string"},
		{"ErrBoolType", "DeactivatePipeline", `{"pipelineId":"df-1","cancelActive":"true"}`, CodeSerialization, "expected a boolean at 'cancelActive' but found a string"},
		{"ErrLimitFraction", "QueryObjects", `{"pipelineId":"df-1","sphere":"INSTANCE","limit":1.5}`, CodeSerialization, "expected a 32-bit integer at 'limit' but found 1.5"},
		{"ErrLimitRange", "QueryObjects", `{"pipelineId":"df-1","sphere":"INSTANCE","limit":3000000000}`, CodeSerialization, "expected a 32-bit integer at 'limit' but found 3000000000"},
		{"ErrTimestamp", "ActivatePipeline", `{"pipelineId":"df-1","startTimestamp":"yesterday"}`, CodeSerialization, "expected a timestamp (epoch seconds or ISO-8601) at 'startTimestamp'"},
		{"ErrTimestampRange", "ActivatePipeline", `{"pipelineId":"df-1","startTimestamp":1e300}`, CodeSerialization, "expected a timestamp (epoch seconds or ISO-8601) at 'startTimestamp'"},
		{"ErrTimestampType", "ActivatePipeline", `{"pipelineId":"df-1","startTimestamp":true}`, CodeSerialization, "expected a timestamp at 'startTimestamp' but found a boolean"},
		{"ErrTypeBeatsValidation", "CreatePipeline", `{"name":1}`, CodeSerialization, "expected a string at 'name' but found a number"},
		{"ErrLimitZero", "QueryObjects", `{"pipelineId":"df-1","sphere":"INSTANCE","limit":0}`, pipeline.CodeInvalidRequest, "limit must be at least 1, not 0"},
		{"ErrFieldBothValues", "ReportTaskProgress", `{"taskId":"t","fields":[{"key":"k","stringValue":"a","refValue":"b"}]}`, pipeline.CodeInvalidRequest, `field 1 ("k") must have exactly one of stringValue and refValue`},
		{"ErrFieldNoValue", "PutPipelineDefinition", `{"pipelineId":"df-1","pipelineObjects":[{"id":"A","name":"A","fields":[{"key":"k"}]}]}`, pipeline.CodeInvalidRequest, `object "A" field "k" has neither stringValue nor refValue; exactly one is required`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			f := &fakeControl{}
			w := post(newTestServer(Config{}, f).Handler(), tt.op, tt.body)
			code, msg := errorOf(t, w)
			if w.Code != http.StatusBadRequest || code != tt.code || msg != tt.want {
				t.Errorf("got %d %s %q\nwant 400 %s %q", w.Code, code, msg, tt.code, tt.want)
			}
			if len(f.calls) != 0 {
				t.Errorf("control called: %v", f.calls)
			}
		})
	}
}

func TestServer_EmptyBody(t *testing.T) {
	for _, body := range []string{"", " \n", "null", "{}"} {
		f := &fakeControl{}
		w := post(newTestServer(Config{}, f).Handler(), "ListPipelines", body)
		if w.Code != http.StatusOK || f.last(t).args[0] != "" {
			t.Errorf("body %q: %d %s", body, w.Code, w.Body)
		}
	}
}
