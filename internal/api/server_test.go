package api

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"

	"github.com/datapipe/datapipe/internal/control"
	"github.com/datapipe/datapipe/internal/pipeline"
)

func TestServer_Routes(t *testing.T) {
	h := newTestServer(Config{}, &fakeControl{}).Handler()
	for _, tt := range []struct {
		name, method, path string
		wantStatus         int
		wantBody           string
	}{
		{"OKHealthz", http.MethodGet, "/healthz", http.StatusOK, "ok"},
		{"OKQueryString", http.MethodPost, "/?x=1", http.StatusOK, `{"pipelineIdList":[],"hasMoreResults":false}`},
		{"ErrGetRoot", http.MethodGet, "/", http.StatusMethodNotAllowed, ""},
		{"ErrPutRoot", http.MethodPut, "/", http.StatusMethodNotAllowed, ""},
		{"ErrOtherPath", http.MethodPost, "/api", http.StatusNotFound, ""},
		{"ErrOtherGet", http.MethodGet, "/nope", http.StatusNotFound, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest(tt.method, tt.path, nil)
			r.Header.Set("X-Amz-Target", "DataPipeline.ListPipelines")
			w := httptest.NewRecorder()
			h.ServeHTTP(w, r)
			if w.Code != tt.wantStatus || (tt.wantBody != "" && w.Body.String() != tt.wantBody) {
				t.Errorf("got %d %q; want %d %q", w.Code, w.Body, tt.wantStatus, tt.wantBody)
			}
		})
	}
}

func TestServer_Errors(t *testing.T) {
	for _, tt := range []struct {
		name       string
		err        error
		wantStatus int
		wantCode   pipeline.Code
		wantMsg    string
	}{
		{"ErrNotFound", pipeline.Errorf(pipeline.CodePipelineNotFound, "Pipeline df-1 does not exist."), 400, pipeline.CodePipelineNotFound, "Pipeline df-1 does not exist."},
		{"ErrDeleted", fmt.Errorf("delete: %w", pipeline.Errorf(pipeline.CodePipelineDeleted, "gone")), 400, pipeline.CodePipelineDeleted, "gone"},
		{"ErrInvalid", pipeline.Errorf(pipeline.CodeInvalidRequest, "bad"), 400, pipeline.CodeInvalidRequest, "bad"},
		{"ErrTaskNotFound", pipeline.Errorf(pipeline.CodeTaskNotFound, "no task"), 400, pipeline.CodeTaskNotFound, "no task"},
		{"ErrDomainInternal", pipeline.Errorf(pipeline.CodeInternal, "not implemented yet"), 500, pipeline.CodeInternal, "not implemented yet"},
		{"ErrForeign", errors.New("disk on fire at /var/lib/secret"), 500, pipeline.CodeInternal, internalMessage},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var logs bytes.Buffer
			f := &fakeControl{err: tt.err}
			s := newTestServer(Config{Logger: slog.New(slog.NewJSONHandler(&logs, nil))}, f)
			w := post(s.Handler(), "DeletePipeline", `{"pipelineId":"df-1"}`)
			code, msg := errorOf(t, w)
			if w.Code != tt.wantStatus || code != tt.wantCode || msg != tt.wantMsg {
				t.Errorf("got %d %s %q; want %d %s %q", w.Code, code, msg, tt.wantStatus, tt.wantCode, tt.wantMsg)
			}
			if ct := w.Header().Get("Content-Type"); ct != contentType {
				t.Errorf("Content-Type = %q", ct)
			}
			if internal := tt.wantCode == pipeline.CodeInternal; internal != strings.Contains(logs.String(), tt.err.Error()) {
				t.Errorf("detail logged = %v; want %v:\n%s", !internal, internal, logs.String())
			}
		})
	}
}

func TestServer_Dispatch_Errors(t *testing.T) {
	for _, tt := range []struct {
		name, target string
		wantMsg      string
	}{
		{"ErrMissingTarget", "", "missing X-Amz-Target header; expected DataPipeline.<Operation>"},
		{"ErrUnknownOperation", "DataPipeline.Nope", `unknown operation "DataPipeline.Nope"`},
		{"ErrWrongPrefix", "DynamoDB_20120810.ListTables", `unknown operation "DynamoDB_20120810.ListTables"`},
		{"ErrCase", "DataPipeline.listPipelines", `unknown operation "DataPipeline.listPipelines"`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodPost, "/", strings.NewReader("{}"))
			if tt.target != "" {
				r.Header.Set("X-Amz-Target", tt.target)
			}
			w := httptest.NewRecorder()
			newTestServer(Config{}, &fakeControl{}).Handler().ServeHTTP(w, r)
			code, msg := errorOf(t, w)
			if w.Code != 400 || code != CodeUnknownOperation || msg != tt.wantMsg {
				t.Errorf("got %d %s %q", w.Code, code, msg)
			}
		})
	}
}

func TestServer_NoControl(t *testing.T) {
	w := post(NewServer(Config{}).Handler(), "ListPipelines", "{}")
	if code, _ := errorOf(t, w); w.Code != 500 || code != pipeline.CodeInternal {
		t.Errorf("got %d %s", w.Code, code)
	}
}

// panicControl panics in DeletePipeline.
type panicControl struct{ *fakeControl }

func (panicControl) DeletePipeline(context.Context, control.Caller, string) error { panic("boom") }

func TestServer_Panic(t *testing.T) {
	s := NewServer(Config{})
	s.ctl = panicControl{&fakeControl{}}
	w := post(s.Handler(), "DeletePipeline", `{"pipelineId":"df-1"}`)
	if code, msg := errorOf(t, w); w.Code != 500 || code != pipeline.CodeInternal || msg != internalMessage {
		t.Errorf("got %d %s %q", w.Code, code, msg)
	}
}

// stubAuth rejects every request with err.
type stubAuth struct{ err error }

func (a stubAuth) Authenticate(*http.Request, []byte) (control.Caller, error) {
	return control.Caller{}, a.err
}

func TestServer_AuthErrors(t *testing.T) {
	for _, code := range []pipeline.Code{CodeMissingAuthenticationToken, CodeIncompleteSignature, CodeInvalidSignature, CodeUnrecognizedClient} {
		t.Run(string(code), func(t *testing.T) {
			f := &fakeControl{}
			s := newTestServer(Config{Auth: stubAuth{pipeline.Errorf(code, "no")}}, f)
			w := post(s.Handler(), "Nope", "{")
			if got, _ := errorOf(t, w); w.Code != http.StatusForbidden || got != code {
				t.Errorf("got %d %s", w.Code, got)
			}
			if len(f.calls) != 0 {
				t.Error("control called")
			}
		})
	}
}

func TestServer_BodyLimit(t *testing.T) {
	const limit = 64
	body := `{"marker":"` + strings.Repeat("x", limit-13) + `"}` // 64 bytes
	for _, tt := range []struct {
		name    string
		body    string
		chunked bool
		want    int
	}{
		{"OKAtLimit", body, false, http.StatusOK},
		{"ErrOverLimit", body + " ", false, http.StatusBadRequest},
		{"ErrOverLimitChunked", body + " ", true, http.StatusBadRequest},
		{"OKAtLimitChunked", body, true, http.StatusOK},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(tt.body))
			r.Header.Set("X-Amz-Target", "DataPipeline.ListPipelines")
			if tt.chunked {
				r.ContentLength = -1
			}
			w := httptest.NewRecorder()
			newTestServer(Config{MaxBodyBytes: limit}, &fakeControl{}).Handler().ServeHTTP(w, r)
			if w.Code != tt.want {
				t.Fatalf("got %d %s", w.Code, w.Body)
			}
			if tt.want != http.StatusOK {
				code, msg := errorOf(t, w)
				if code != pipeline.CodeInvalidRequest || msg != "the request body is larger than the limit of 64 bytes" {
					t.Errorf("got %s %q", code, msg)
				}
			}
		})
	}
}

func TestServer_RequestID(t *testing.T) {
	h := newTestServer(Config{}, &fakeControl{}).Handler()
	uuid := regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)
	seen := map[string]bool{}
	for _, op := range []string{"ListPipelines", "ListPipelines", "Nope", "DeletePipeline"} {
		id := post(h, op, "{}").Header().Get("x-amzn-RequestId")
		if !uuid.MatchString(id) || seen[id] {
			t.Errorf("%s: request id %q (seen %v)", op, id, seen[id])
		}
		seen[id] = true
	}
}

func TestServer_Metrics(t *testing.T) {
	reg := prometheus.NewRegistry()
	extra := prometheus.NewGauge(prometheus.GaugeOpts{Name: "datapipe_test_extra", Help: "x"})
	s := newTestServer(Config{Registry: reg, Collectors: []prometheus.Collector{extra}}, &fakeControl{})
	h := s.Handler()
	post(h, "ListPipelines", "{}")
	post(h, "ListPipelines", "{}")
	post(h, "DeletePipeline", "{}")
	post(h, "Nope", "{}")
	m := newMetrics(reg, slog.New(slog.DiscardHandler)) // shares the registered collectors
	for _, tt := range []struct {
		op, code string
		want     float64
	}{
		{"ListPipelines", "OK", 2},
		{"DeletePipeline", "ValidationException", 1},
		{"unknown", "UnknownOperationException", 1},
	} {
		if got := counterValue(t, m.requests.WithLabelValues(tt.op, tt.code)); got != tt.want {
			t.Errorf("requests{%s,%s} = %v; want %v", tt.op, tt.code, got, tt.want)
		}
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	body := w.Body.String()
	for _, want := range []string{
		`datapipe_api_requests_total{code="OK",operation="ListPipelines"} 2`,
		`datapipe_api_request_duration_seconds_count{operation="ListPipelines"} 2`,
		`datapipe_test_extra 0`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %q:\n%s", want, body)
		}
	}
	if s.Gatherer() != reg {
		t.Error("Gatherer is not the registry")
	}
}

func TestServer_AccessLog(t *testing.T) {
	var logs bytes.Buffer
	clock := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	now := func() time.Time { clock = clock.Add(1500 * time.Microsecond); return clock }
	s := newTestServer(Config{Logger: slog.New(slog.NewJSONHandler(&logs, nil)), Now: now}, &fakeControl{})
	w := post(s.Handler(), "CreatePipeline", `{"name":"secret-name","uniqueId":""}`)
	var rec map[string]any
	if err := json.Unmarshal(logs.Bytes(), &rec); err != nil {
		t.Fatalf("log %q: %v", logs.String(), err)
	}
	want := map[string]any{"msg": "api request", "request_id": w.Header().Get(headerRequestID), "operation": "CreatePipeline",
		"status": float64(400), "duration_ms": 1.5, "error_code": "ValidationException", "account_id": LocalAccountID}
	for k, v := range want {
		if rec[k] != v {
			t.Errorf("log %s = %v; want %v", k, rec[k], v)
		}
	}
	if strings.Contains(logs.String(), "secret-name") {
		t.Errorf("log shows the body: %s", logs.String())
	}
}

func TestServer_PollForTaskCancel(t *testing.T) {
	f := &fakeControl{pollWait: true}
	h := newTestServer(Config{}, f).Handler()
	ctx, cancel := context.WithCancel(context.Background())
	r := httptest.NewRequestWithContext(ctx, http.MethodPost, "/", strings.NewReader(`{"workerGroup":"wg"}`))
	r.Header.Set("X-Amz-Target", "DataPipeline.PollForTask")
	w := httptest.NewRecorder()
	done := make(chan struct{})
	go func() { h.ServeHTTP(w, r); close(done) }()
	for {
		f.mu.Lock()
		n := len(f.calls)
		f.mu.Unlock()
		if n > 0 {
			break
		}
		time.Sleep(time.Millisecond)
	}
	cancel()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("poll did not end with its request")
	}
	if code, _ := errorOf(t, w); w.Code != statusCanceled || code != codeCanceled {
		t.Errorf("got %d %s", w.Code, code)
	}
}

func TestServer_Registry(t *testing.T) {
	t.Run("OKShared", func(t *testing.T) {
		reg := prometheus.NewRegistry()
		a := NewServer(Config{Registry: reg})
		b := NewServer(Config{Registry: reg})
		post(a.Handler(), "Nope", "")
		post(b.Handler(), "Nope", "")
		if got := counterValue(t, b.metrics.requests.WithLabelValues("unknown", "UnknownOperationException")); got != 2 {
			t.Errorf("shared counter = %v; want 2", got)
		}
	})
	t.Run("OKDefault", func(t *testing.T) {
		if _, ok := NewServer(Config{}).Gatherer().(*prometheus.Registry); !ok {
			t.Error("default Gatherer is not a fresh registry")
		}
	})
	t.Run("OKRegistererOnly", func(t *testing.T) {
		s := NewServer(Config{Registry: prometheus.WrapRegistererWithPrefix("x_", prometheus.NewRegistry())})
		w := httptest.NewRecorder()
		s.Handler().ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/metrics", nil))
		if s.Gatherer() != nil || w.Code != http.StatusNotFound {
			t.Errorf("Gatherer %v, /metrics %d", s.Gatherer(), w.Code)
		}
	})
}

// counterValue reads a counter.
func counterValue(t testing.TB, c prometheus.Counter) float64 {
	t.Helper()
	var m dto.Metric
	if err := c.Write(&m); err != nil {
		t.Fatal(err)
	}
	return m.GetCounter().GetValue()
}
