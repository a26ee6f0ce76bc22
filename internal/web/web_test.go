package web

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/datapipe/datapipe/internal/explain"
	"github.com/datapipe/datapipe/internal/pipeline"
	"github.com/datapipe/datapipe/internal/scheduler"
)

// seedRuns gives the pipeline finished, failed and waiting work.
func seedRuns(e *env) {
	for n := range 3 {
		e.seed("In", n, pipeline.StatusFinished)
		e.seed("Extract", n, pipeline.StatusFinished)
		e.seed("Out", n, pipeline.StatusFinished)
	}
	e.seed("Load", 0, pipeline.StatusFinished)
	e.seed("Load", 1, pipeline.StatusFailed, pipeline.String("@attemptCount", "1"))
	extract := scheduler.InstanceID("Extract", hour(2))
	e.seed("Load", 2, pipeline.StatusWaitingOnDependencies, pipeline.Reference("@waitingOn", extract+"x"))
	rows, _ := e.st.ObjectGet(context.Background(), storeGet(e.id, "Load"))
	rows[0].Fields = []pipeline.Field{pipeline.String("@healthStatus", "ERROR")}
	if _, err := e.st.ObjectUpdate(context.Background(), storeUpdate(rows[0])); err != nil {
		e.t.Fatal(err)
	}
}

func TestConsole_Pages(t *testing.T) {
	e := newEnv(t, nil)
	seedRuns(e)
	p := "/console/pipelines/" + e.id
	load1 := scheduler.InstanceID("Load", hour(1))
	tests := []struct {
		name, target string
		want         []string
	}{
		{"list", "/", []string{"etl", e.id, "team=data", "every 1 hours", "FAILED 1", "FINISHED"}},
		{"list search miss", "/?q=nothing-matches", []string{"No pipeline matches."}},
		{"list search tag", "/?q=team%3Ddata&state=SCHEDULED", []string{e.id}},
		{"list health", "/?health=ERROR", []string{e.id, "(1)"}},
		{"list health miss", "/?health=HEALTHY", []string{"No pipeline matches.", "(0)"}},
		{"pipeline", p, []string{`<svg id="graph"`, `data-id="Extract"`, `class="node st-wait c-Activity" data-id="Load"`, `class="node st-ok c-Activity" data-id="Extract"`,
			"e-dependsOn", "e-precondition", "e-output", pipeline.Mask, "*myPassword", "UNKNOWN_FIELD"}},
		{"runs", p + "/runs", []string{`id="runs-grid"`, "2026-01-01 01:00:00", "st-fail", "WAITING_ON_DEPENDENCIES"}},
		{"runs older", p + "/runs?before=2026-01-01T02:00:00", []string{"2026-01-01 01:00:00"}},
		{"timeline", p + "/timeline", []string{`id="gantt"`, scheduler.AttemptID(load1, 1)}},
		{"instance", p + "/object?id=" + url.QueryEscape(load1), []string{"FAILED", "the command exited with code 3", scheduler.AttemptID(load1, 1), `id="act-rerun"`}},
		{"why", p + "/object?id=" + url.QueryEscape(scheduler.InstanceID("Load", hour(2))), []string{"Why is this not running?", "DEPENDENCY"}},
		{"metrics", "/console/metrics", []string{"Queue depth", `id="queue-depth">0<`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, body := e.get(tt.target)
			if code != http.StatusOK {
				t.Fatalf("GET %s = %d\n%s", tt.target, code, body)
			}
			mustContain(t, body, tt.want...)
			if strings.Contains(body, "hunter2") {
				t.Error("the secret parameter value is shown")
			}
		})
	}
}

func TestConsole_PagesErrNotFound(t *testing.T) {
	e := newEnv(t, nil)
	for _, target := range []string{"/console/pipelines/df-NOPE", "/console/pipelines/" + e.id + "/object?id=nope",
		"/console/api/explain?pipelineId=df-NOPE&objectId=x"} {
		if code, body := e.get(target); code != http.StatusNotFound {
			t.Errorf("GET %s = %d; want 404\n%s", target, code, body)
		}
	}
	if code, _ := e.get("/console/pipelines/" + e.id + "/runs?before=yesterday"); code != http.StatusBadRequest {
		t.Errorf("bad before= answered %d; want 400", code)
	}
}

func TestConsole_ExplainJSON(t *testing.T) {
	e := newEnv(t, nil)
	seedRuns(e)
	code, body := e.get("/console/api/explain?pipelineId=" + e.id + "&objectId=" + url.QueryEscape(scheduler.InstanceID("Load", hour(2))))
	if code != http.StatusOK {
		t.Fatalf("explain = %d\n%s", code, body)
	}
	var got explain.Explanation
	if err := json.Unmarshal([]byte(body), &got); err != nil {
		t.Fatal(err)
	}
	if !got.Waiting || len(got.Reasons) == 0 || got.Reasons[0].Code != explain.CodeDependency {
		t.Errorf("explanation = %+v", got)
	}
}

func TestConsole_LogJSON(t *testing.T) {
	e := newEnv(t, nil)
	inst := e.seed("Load", 1, pipeline.StatusRunning)
	att := scheduler.AttemptID(inst.ID, 1)
	dir := t.TempDir()
	path := filepath.Join(dir, att+".log")
	if err := os.WriteFile(path, []byte("line one\nline two\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	objs, _ := e.st.ObjectGet(t.Context(), storeGet(e.id, att))
	objs[0].Fields = append(objs[0].Fields, pipeline.String("logLocation", path))
	if _, err := e.st.ObjectUpdate(t.Context(), storeUpdate(objs[0])); err != nil {
		t.Fatal(err)
	}
	target := "/console/api/log?pipelineId=" + e.id + "&attemptId=" + url.QueryEscape(att)
	var c logChunk
	_, body := e.get(target + "&offset=5")
	if err := json.Unmarshal([]byte(body), &c); err != nil {
		t.Fatal(err, body)
	}
	if c.Text != "one\nline two\n" || c.Offset != 18 || c.Done || c.Status != pipeline.StatusRunning {
		t.Errorf("chunk = %+v", c)
	}
	_, page := e.get("/console/pipelines/" + e.id + "/object?id=" + url.QueryEscape(att))
	mustContain(t, page, `id="log"`, "line one", `data-done="false"`)

	// A runner cannot make the console read another file.
	objs[0].Fields = []pipeline.Field{pipeline.String("logLocation", "/etc/passwd")}
	objs, _ = e.st.ObjectGet(t.Context(), storeGet(e.id, att))
	objs[0].Fields = []pipeline.Field{pipeline.String("logLocation", "/etc/passwd")}
	if _, err := e.st.ObjectUpdate(t.Context(), storeUpdate(objs[0])); err != nil {
		t.Fatal(err)
	}
	_, body = e.get(target)
	if strings.Contains(body, "root:") || !strings.Contains(body, "not the attempt's log file") {
		t.Errorf("log of a foreign file: %s", body)
	}
}

// A log on another host is read from the copy its runner uploaded to a
// file:// pipelineLogUri; an s3:// copy is named.
func TestConsole_LogJSON_Uploaded(t *testing.T) {
	e := newEnv(t, nil)
	inst := e.seed("Load", 1, pipeline.StatusFinished)
	att := scheduler.AttemptID(inst.ID, 1)
	uploaded := filepath.Join(t.TempDir(), "Activity.log")
	if err := os.WriteFile(uploaded, []byte("from the upload\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	setFields := func(fs ...pipeline.Field) {
		objs, _ := e.st.ObjectGet(t.Context(), storeGet(e.id, att))
		objs[0].Fields = fs
		if _, err := e.st.ObjectUpdate(t.Context(), storeUpdate(objs[0])); err != nil {
			t.Fatal(err)
		}
	}
	missing := filepath.Join(t.TempDir(), att+".log")
	target := "/console/api/log?pipelineId=" + e.id + "&attemptId=" + url.QueryEscape(att)
	setFields(pipeline.String("logLocation", missing), pipeline.String("logUri", "file://"+uploaded))
	var c logChunk
	_, body := e.get(target)
	if err := json.Unmarshal([]byte(body), &c); err != nil {
		t.Fatal(err, body)
	}
	if c.Text != "from the upload\n" || c.Error != "" || c.Location != "file://"+uploaded {
		t.Errorf("chunk = %+v", c)
	}
	setFields(pipeline.String("logLocation", missing), pipeline.String("logUri", "s3://b/logs/x/Activity.log"))
	_, body = e.get(target)
	if !strings.Contains(body, "s3://b/logs/x/Activity.log") {
		t.Errorf("s3 copy not named: %s", body)
	}
}

func TestParallel(t *testing.T) {
	seen := make([]int, 100)
	err := parallel(len(seen), func(i int) error {
		seen[i]++
		if i == 42 {
			return errBadInput
		}
		return nil
	})
	for i, n := range seen {
		if n != 1 {
			t.Fatalf("fn(%d) ran %d times", i, n)
		}
	}
	if !errors.Is(err, errBadInput) {
		t.Errorf("error %v", err)
	}
}

func TestQueueCollector_Stats(t *testing.T) {
	e := newEnv(t, nil)
	e.seed("Load", 1, pipeline.StatusWaitingForRunner)
	q := newQueueCollector(e.st, e.clock.Now)
	e.clock.Add(30 * time.Minute)
	s, err := q.stats(t.Context())
	if err != nil || s.Waiting != 1 || s.OldestWait != 30*time.Minute {
		t.Fatalf("first stats %+v, %v", s, err)
	}
	e.seed("Load", 2, pipeline.StatusFailed)
	if s, _ := q.stats(t.Context()); s.Failed != 0 {
		t.Errorf("a fresh snapshot was recomputed: %+v", s)
	}
	e.clock.Add(queueCacheTTL)
	if s, _ := q.stats(t.Context()); s.Failed != 0 {
		t.Errorf("a stale snapshot made the caller wait: %+v", s)
	}
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		if s, _ := q.stats(t.Context()); s.Failed == 1 {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Error("the background refresh never landed")
}
