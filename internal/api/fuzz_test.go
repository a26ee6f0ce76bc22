package api

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/datapipe/datapipe/internal/control"
	"github.com/datapipe/datapipe/internal/pipeline"
)

// fuzzSeeds are request bodies for every operation.
var fuzzSeeds = map[string]string{
	"ActivatePipeline":           `{"pipelineId":"df-1","startTimestamp":1712448000.5,"parameterValues":[{"id":"myP","stringValue":"v"}]}`,
	"AddTags":                    `{"pipelineId":"df-1","tags":[{"key":"k","value":"v"}]}`,
	"CreatePipeline":             `{"name":"n","uniqueId":"u","description":"d","tags":[]}`,
	"DeactivatePipeline":         `{"pipelineId":"df-1","cancelActive":false}`,
	"DeletePipeline":             `{"pipelineId":"df-1"}`,
	"DescribeObjects":            `{"pipelineId":"df-1","objectIds":["A"],"evaluateExpressions":true,"marker":""}`,
	"DescribePipelines":          `{"pipelineIds":["df-1"]}`,
	"EvaluateExpression":         `{"pipelineId":"df-1","objectId":"A","expression":"#{x}"}`,
	"GetPipelineDefinition":      `{"pipelineId":"df-1","version":"latest"}`,
	"ListPipelines":              `{"marker":"m"}`,
	"PollForTask":                `{"workerGroup":"wg","hostname":"h","instanceIdentity":{"document":"d","signature":"s"}}`,
	"PutPipelineDefinition":      `{"pipelineId":"df-1","pipelineObjects":[{"id":"A","name":"A","fields":[{"key":"k","stringValue":"v"},{"key":"r","refValue":"A"}]}],"parameterObjects":[{"id":"myP","attributes":[{"key":"type","stringValue":"String"}]}],"parameterValues":[{"id":"myP","stringValue":"1"}]}`,
	"QueryObjects":               `{"pipelineId":"df-1","sphere":"INSTANCE","query":{"selectors":[{"fieldName":"@status","operator":{"type":"EQ","values":["RUNNING"]}}]},"limit":5}`,
	"RemoveTags":                 `{"pipelineId":"df-1","tagKeys":["k"]}`,
	"ReportTaskProgress":         `{"taskId":"t","fields":[{"key":"percentComplete","stringValue":"50"}]}`,
	"ReportTaskRunnerHeartbeat":  `{"taskrunnerId":"r","workerGroup":"wg","hostname":"h"}`,
	"SetStatus":                  `{"pipelineId":"df-1","objectIds":["A"],"status":"PAUSE"}`,
	"SetTaskStatus":              `{"taskId":"t","taskStatus":"FINISHED","errorId":"e"}`,
	"ValidatePipelineDefinition": `{"pipelineId":"df-1","pipelineObjects":[]}`,
}

// FuzzServer_Handler posts random targets, bodies and Authorization
// headers: the server never panics, never answers 500 (the fake control
// plane never fails), and always answers well-formed AWS JSON.
func FuzzServer_Handler(f *testing.F) {
	for op, body := range fuzzSeeds {
		f.Add("DataPipeline."+op, []byte(body), "")
	}
	f.Add("DataPipeline.ListPipelines", []byte(`{"marker":"\u0000"}`), "AWS4-HMAC-SHA256 Credential=A/1/2/3/4, SignedHeaders=host, Signature=0")
	f.Add("DataPipeline.QueryObjects", []byte(`{"pipelineId":"x","sphere":"s","limit":-1e400}`), "")
	f.Add("", []byte(`[[[[`), "AWS4-HMAC-SHA256 ,,,=")
	ctl := &fakeControl{pipelineID: "df-1", evaluated: "x", ids: []string{"A"},
		task: &control.TaskObject{TaskID: "t", Objects: map[string]pipeline.Object{"a": {ID: "a"}}}}
	s := newTestServer(Config{MaxBodyBytes: 1 << 16}, ctl)
	h := s.Handler()
	f.Fuzz(func(t *testing.T, target string, body []byte, authz string) {
		ctl.mu.Lock()
		ctl.calls = nil // keep memory flat
		ctl.mu.Unlock()
		r := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(string(body)))
		r.Header.Set("X-Amz-Target", target)
		r.Header.Set("Authorization", authz)
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		checkResponse(t, w)
	})
}

// checkResponse checks the invariants of every API response.
func checkResponse(t *testing.T, w *httptest.ResponseRecorder) {
	t.Helper()
	if w.Code != http.StatusOK && w.Code != http.StatusBadRequest {
		t.Fatalf("status %d: %s", w.Code, w.Body)
	}
	if w.Header().Get("Content-Type") != contentType || w.Header().Get(headerRequestID) == "" {
		t.Fatalf("headers %v", w.Header())
	}
	var out map[string]any
	if err := json.Unmarshal(w.Body.Bytes(), &out); err != nil {
		t.Fatalf("body %q: %v", w.Body, err)
	}
	if w.Code != http.StatusOK && (out["__type"] == "" || out["__type"] != w.Header().Get(headerErrorType)) {
		t.Fatalf("error body %s, header %q", w.Body, w.Header().Get(headerErrorType))
	}
	if m, ok := out["marker"]; ok && (m == "" || out["hasMoreResults"] != true) {
		t.Fatalf("marker rules broken: %s", w.Body)
	}
}

// FuzzKeyAuth_Authenticate feeds random Authorization, date and body
// values to KeyAuth: it never panics and rejects with an authentication
// code.
func FuzzKeyAuth_Authenticate(f *testing.F) {
	f.Add("AWS4-HMAC-SHA256 Credential=AKIDROOT/20240101/us-east-1/datapipeline/aws4_request, SignedHeaders=host;x-amz-date, Signature=00", "20240101T120000Z", "/?a=b", []byte("{}"))
	f.Add("AWS4-HMAC-SHA256 Credential=AKIDROOT/20240101/x/datapipeline/aws4_request,SignedHeaders=;;HOST;,Signature=", "", "/%zz", []byte(nil))
	auth, err := NewKeyAuth(testKeys, func() time.Time { return testNow })
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, authz, date, target string, body []byte) {
		r, err := http.NewRequest(http.MethodPost, "http://example.com"+target, strings.NewReader(string(body)))
		if err != nil {
			return
		}
		r.Header.Set("Authorization", authz)
		r.Header.Set("X-Amz-Date", date)
		_, err = auth.Authenticate(r, body)
		if err == nil {
			return // a forged signature would need the secret
		}
		if code := pipeline.ErrorCode(err); httpStatus(code) != http.StatusForbidden {
			t.Fatalf("code %s: %v", code, err)
		}
	})
}
