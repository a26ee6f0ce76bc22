package api

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/datapipe/datapipe/internal/control"
	"github.com/datapipe/datapipe/internal/definition"
	"github.com/datapipe/datapipe/internal/pipeline"
	"github.com/datapipe/datapipe/internal/store"
)

// fakeCall is one recorded control-plane call.
type fakeCall struct {
	op     string
	caller control.Caller
	args   []any
}

// fakeControl is a controlPlane that records its calls and returns canned
// results, or err from every method when set.
type fakeControl struct {
	mu    sync.Mutex
	calls []fakeCall
	err   error

	pipelineID string
	descs      []control.PipelineDescription
	list       []control.PipelineIDName
	page       control.Page
	result     *definition.Result
	def        definition.Definition
	objects    []pipeline.Object
	ids        []string
	evaluated  string
	task       *control.TaskObject
	flag       bool // canceled, terminate
	pollWait   bool // PollForTask waits for ctx's end
}

var _ controlPlane = (*fakeControl)(nil)

func (f *fakeControl) record(op string, c control.Caller, args ...any) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, fakeCall{op: op, caller: c, args: args})
	return f.err
}

// last returns the last call.
func (f *fakeControl) last(t testing.TB) fakeCall {
	t.Helper()
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.calls) == 0 {
		t.Fatal("control was not called")
	}
	return f.calls[len(f.calls)-1]
}

func (f *fakeControl) CreatePipeline(_ context.Context, c control.Caller, in control.CreatePipelineInput) (string, error) {
	return f.pipelineID, f.record("CreatePipeline", c, in)
}

func (f *fakeControl) DeletePipeline(_ context.Context, c control.Caller, id string) error {
	return f.record("DeletePipeline", c, id)
}

func (f *fakeControl) DescribePipelines(_ context.Context, c control.Caller, ids []string) ([]control.PipelineDescription, error) {
	return f.descs, f.record("DescribePipelines", c, ids)
}

func (f *fakeControl) ListPipelines(_ context.Context, c control.Caller, marker string) ([]control.PipelineIDName, control.Page, error) {
	return f.list, f.page, f.record("ListPipelines", c, marker)
}

func (f *fakeControl) PutPipelineDefinition(_ context.Context, c control.Caller, id string, def definition.Definition) (*definition.Result, error) {
	return f.result, f.record("PutPipelineDefinition", c, id, def)
}

func (f *fakeControl) ValidatePipelineDefinition(_ context.Context, c control.Caller, id string, def definition.Definition) (*definition.Result, error) {
	return f.result, f.record("ValidatePipelineDefinition", c, id, def)
}

func (f *fakeControl) GetPipelineDefinition(_ context.Context, c control.Caller, id, version string) (definition.Definition, error) {
	return f.def, f.record("GetPipelineDefinition", c, id, version)
}

func (f *fakeControl) ActivatePipelineBackfill(_ context.Context, c control.Caller, id string, values []pipeline.ParameterValue, start time.Time, bf control.Backfill) error {
	if bf.IsZero() {
		return f.record("ActivatePipeline", c, id, values, start)
	}
	return f.record("ActivatePipeline", c, id, values, start, bf)
}

func (f *fakeControl) DeactivatePipeline(_ context.Context, c control.Caller, id string, cancelActive bool) error {
	return f.record("DeactivatePipeline", c, id, cancelActive)
}

func (f *fakeControl) AddTags(_ context.Context, c control.Caller, id string, tags []store.Tag) error {
	return f.record("AddTags", c, id, tags)
}

func (f *fakeControl) RemoveTags(_ context.Context, c control.Caller, id string, keys []string) error {
	return f.record("RemoveTags", c, id, keys)
}

func (f *fakeControl) DescribeObjects(_ context.Context, c control.Caller, id string, objectIDs []string, evaluate bool, marker string) ([]pipeline.Object, control.Page, error) {
	return f.objects, f.page, f.record("DescribeObjects", c, id, objectIDs, evaluate, marker)
}

func (f *fakeControl) QueryObjects(_ context.Context, c control.Caller, id, sphere string, selectors []control.Selector, marker string, limit int) ([]string, control.Page, error) {
	return f.ids, f.page, f.record("QueryObjects", c, id, sphere, selectors, marker, limit)
}

func (f *fakeControl) EvaluateExpression(_ context.Context, c control.Caller, id, objectID, expression string) (string, error) {
	return f.evaluated, f.record("EvaluateExpression", c, id, objectID, expression)
}

func (f *fakeControl) SetStatus(_ context.Context, c control.Caller, id string, objectIDs []string, status string) error {
	return f.record("SetStatus", c, id, objectIDs, status)
}

func (f *fakeControl) PollForTask(ctx context.Context, c control.Caller, workerGroup, hostname string) (*control.TaskObject, error) {
	if err := f.record("PollForTask", c, workerGroup, hostname); err != nil {
		return nil, err
	}
	if f.pollWait {
		<-ctx.Done()
		return nil, ctx.Err()
	}
	return f.task, nil
}

func (f *fakeControl) ReportTaskProgress(_ context.Context, c control.Caller, taskID string, fields []pipeline.Field) (bool, error) {
	return f.flag, f.record("ReportTaskProgress", c, taskID, fields)
}

func (f *fakeControl) SetTaskStatus(_ context.Context, c control.Caller, in control.SetTaskStatusInput) error {
	return f.record("SetTaskStatus", c, in)
}

func (f *fakeControl) ReportTaskRunnerHeartbeat(_ context.Context, c control.Caller, in control.HeartbeatInput) (bool, error) {
	return f.flag, f.record("ReportTaskRunnerHeartbeat", c, in)
}

// newTestServer returns a Server for cfg backed by f.
func newTestServer(cfg Config, f *fakeControl) *Server {
	s := NewServer(cfg)
	s.ctl = f
	return s
}

// post sends an API request for operation op ("" sends no target) to h.
func post(h http.Handler, op, body string) *httptest.ResponseRecorder {
	r := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(body))
	r.Header.Set("Content-Type", contentType)
	if op != "" {
		r.Header.Set("X-Amz-Target", targetPrefix+op)
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

// errorOf decodes an error response's code and message.
func errorOf(t testing.TB, w *httptest.ResponseRecorder) (pipeline.Code, string) {
	t.Helper()
	var e errorBody
	if err := json.Unmarshal(w.Body.Bytes(), &e); err != nil {
		t.Fatalf("error body %q: %v", w.Body.String(), err)
	}
	if got := w.Header().Get(headerErrorType); got != string(e.Type) {
		t.Errorf("X-Amzn-ErrorType = %q; body __type = %q", got, e.Type)
	}
	return e.Type, e.Message
}

// readAll reads a response body.
func readAll(t testing.TB, r io.Reader) string {
	t.Helper()
	b, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
