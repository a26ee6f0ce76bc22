package main

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// fakeDir holds the fake service's canned responses, shared with
// testdata/client/fake_server.py.
const fakeDir = "testdata/client/fake"

// fakeCall is one request the fake received.
type fakeCall struct {
	Op   string         `json:"op"`
	Body map[string]any `json:"body"`
	// auth is the Authorization header.
	auth string
}

// fakeAWS fakes the Data Pipeline AWS JSON 1.1 protocol minimally: it
// switches on X-Amz-Target and answers from testdata/client/fake, as
// fake_server.py does; df-missing is an unknown pipeline. Tests may
// override an operation's reply.
type fakeAWS struct {
	*httptest.Server
	t         *testing.T
	mu        sync.Mutex
	calls     []fakeCall
	overrides map[string]fakeReply
}

// fakeReply is a canned HTTP answer.
type fakeReply struct {
	status int
	body   string
}

// newFakeAWS starts a fake service, stopped when the test ends.
func newFakeAWS(t *testing.T) *fakeAWS {
	t.Helper()
	f := &fakeAWS{t: t, overrides: map[string]fakeReply{}}
	f.Server = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.Close)
	return f
}

// override makes op answer status and body.
func (f *fakeAWS) override(op string, status int, body string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.overrides[op] = fakeReply{status, body}
}

// received returns the requests so far.
func (f *fakeAWS) received() []fakeCall {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.calls)
}

func (f *fakeAWS) serve(w http.ResponseWriter, r *http.Request) {
	data, _ := io.ReadAll(r.Body)
	call := fakeCall{Op: strings.TrimPrefix(r.Header.Get("X-Amz-Target"), "DataPipeline."), auth: r.Header.Get("Authorization")}
	if err := json.Unmarshal(data, &call.Body); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	f.mu.Lock()
	f.calls = append(f.calls, call)
	rep, ok := f.overrides[call.Op]
	f.mu.Unlock()
	if !ok {
		rep = f.reply(call.Op, call.Body)
	}
	w.Header().Set("Content-Type", "application/x-amz-json-1.1")
	w.WriteHeader(rep.status)
	io.WriteString(w, rep.body)
}

// reply answers op as fake_server.py does.
func (f *fakeAWS) reply(op string, req map[string]any) fakeReply {
	if req["pipelineId"] == "df-missing" || slices.Contains(anyStrings(req["pipelineIds"]), "df-missing") {
		return fakeReply{400, `{"__type":"PipelineNotFoundException","message":"Pipeline df-missing does not exist."}`}
	}
	switch op {
	case "ListPipelines":
		return f.listPipelines(req)
	case "QueryObjects":
		return f.queryObjects(req)
	case "DescribeObjects":
		return f.describeObjects(req)
	}
	data, err := os.ReadFile(filepath.Join(fakeDir, op+".json"))
	if err != nil {
		return fakeReply{200, "{}"}
	}
	return fakeReply{200, string(data)}
}

func (f *fakeAWS) listPipelines(req map[string]any) fakeReply {
	var pipes []any
	f.load("pipelines.json", &pipes)
	if m, _ := req["marker"].(string); m == "" {
		return f.json(map[string]any{"pipelineIdList": pipes[:2], "marker": "page2", "hasMoreResults": true})
	}
	return f.json(map[string]any{"pipelineIdList": pipes[2:], "hasMoreResults": false})
}

func (f *fakeAWS) queryObjects(req map[string]any) fakeReply {
	ids := f.instanceIDs()
	m, _ := req["marker"].(string)
	start, _ := strconv.Atoi(m)
	limit := 2
	if l, ok := req["limit"].(float64); ok {
		limit = int(l)
	}
	end := min(start+limit, len(ids))
	out := map[string]any{"ids": ids[start:end], "hasMoreResults": end < len(ids)}
	if end < len(ids) {
		out["marker"] = strconv.Itoa(end)
	}
	return f.json(out)
}

func (f *fakeAWS) describeObjects(req map[string]any) fakeReply {
	var insts []map[string]any
	f.load("instances.json", &insts)
	objs := []any{}
	for _, id := range anyStrings(req["objectIds"]) {
		obj := map[string]any{"id": id, "name": id, "fields": []any{}}
		for _, in := range insts {
			if in["id"] == id {
				obj = in
			}
		}
		objs = append(objs, obj)
	}
	return f.json(map[string]any{"pipelineObjects": objs, "hasMoreResults": false})
}

func (f *fakeAWS) instanceIDs() []string {
	var insts []map[string]any
	f.load("instances.json", &insts)
	ids := make([]string, len(insts))
	for i, in := range insts {
		ids[i] = in["id"].(string)
	}
	return ids
}

func (f *fakeAWS) load(name string, v any) {
	data, err := os.ReadFile(filepath.Join(fakeDir, name))
	if err == nil {
		err = json.Unmarshal(data, v)
	}
	if err != nil {
		f.t.Error(err)
	}
}

func (f *fakeAWS) json(v any) fakeReply {
	data, err := json.Marshal(v)
	if err != nil {
		f.t.Error(err)
	}
	return fakeReply{200, string(data)}
}

// anyStrings returns the strings of a decoded JSON list.
func anyStrings(v any) []string {
	l, _ := v.([]any)
	out := make([]string, 0, len(l))
	for _, e := range l {
		if s, ok := e.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

// clientEnv isolates the test from the machine's AWS configuration:
// credentials AKIDEXAMPLE, region us-east-1, one attempt per request, no
// shared files, no instance metadata.
func clientEnv(t *testing.T) {
	t.Helper()
	for k, v := range map[string]string{
		"AWS_ACCESS_KEY_ID": "AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY": "example", "AWS_SESSION_TOKEN": "",
		"AWS_REGION": "", "AWS_DEFAULT_REGION": "us-east-1", "AWS_PROFILE": "", "AWS_DEFAULT_PROFILE": "",
		"AWS_CONFIG_FILE": filepath.Join(t.TempDir(), "config"), "AWS_SHARED_CREDENTIALS_FILE": filepath.Join(t.TempDir(), "credentials"),
		"AWS_ENDPOINT_URL": "", "AWS_ENDPOINT_URL_DATA_PIPELINE": "", "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS": "",
		"AWS_DEFAULT_OUTPUT": "", "AWS_MAX_ATTEMPTS": "1", "AWS_EC2_METADATA_DISABLED": "true",
	} {
		t.Setenv(k, v)
	}
}

// runClient runs the real Main with args against f.
func runAgainst(t *testing.T, f *fakeAWS, args ...string) (int, string, string) {
	t.Helper()
	return run(t, append(args, "--endpoint-url", f.URL)...)
}
