package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/datapipe/datapipe/internal/pipeline"
	"github.com/datapipe/datapipe/internal/scheduler"
)

func TestConsole_Action(t *testing.T) {
	e := newEnv(t, nil)
	seedRuns(e)
	ck, token := e.localSession()
	extract := scheduler.InstanceID("Extract", hour(1))
	load := scheduler.InstanceID("Load", hour(1))
	form := url.Values{"csrf": {token}, "action": {"rerun"}, "object": {extract}, "cascade": {"1"}, "return": {"/console/pipelines/" + e.id}}
	t.Run("confirm", func(t *testing.T) {
		res := e.do(http.MethodPost, "/console/pipelines/"+e.id+"/actions", form, ck)
		body := readAll(res)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("confirm page = %d\n%s", res.StatusCode, body)
		}
		mustContain(t, body, "Confirm: Rerun", extract, load, scheduler.InstanceID("Out", hour(1)), `name="confirm" value="yes"`)
		if e.status(extract) != pipeline.StatusFinished {
			t.Error("the action ran before it was confirmed")
		}
	})
	t.Run("OK", func(t *testing.T) {
		form.Set("confirm", "yes")
		res := e.do(http.MethodPost, "/console/pipelines/"+e.id+"/actions", form, ck)
		if res.StatusCode != http.StatusSeeOther || !strings.Contains(res.Header.Get("Location"), "msg=") {
			t.Fatalf("action = %d %q", res.StatusCode, res.Header.Get("Location"))
		}
		for _, id := range []string{extract, load} {
			if st := e.status(id); st != pipeline.StatusWaitingOnDependencies {
				t.Errorf("%s is %s after a cascading rerun", id, st)
			}
		}
		if e.status(scheduler.InstanceID("Extract", hour(0))) != pipeline.StatusFinished {
			t.Error("the rerun touched another interval")
		}
	})
	t.Run("ErrUnknownAction", func(t *testing.T) {
		f := url.Values{"csrf": {token}, "action": {"explode"}}
		if res := e.do(http.MethodPost, "/console/pipelines/"+e.id+"/actions", f, ck); res.StatusCode != http.StatusBadRequest {
			t.Errorf("unknown action = %d", res.StatusCode)
		}
	})
}

func TestConsole_ActionBackfillAndPause(t *testing.T) {
	e := newEnv(t, nil)
	seedRuns(e)
	ck, token := e.localSession()
	post := func(f url.Values) *http.Response {
		f.Set("csrf", token)
		f.Set("confirm", "yes")
		return e.do(http.MethodPost, "/console/pipelines/"+e.id+"/actions", f, ck)
	}
	res := post(url.Values{"action": {"backfill"}, "from": {"2026-01-01T01:00:00"}, "to": {"2026-01-01T01:00:00"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("backfill = %d %s", res.StatusCode, readAll(res))
	}
	if st := e.status(scheduler.InstanceID("Load", hour(1))); st != pipeline.StatusWaitingOnDependencies {
		t.Errorf("Load@1 is %s after a backfill", st)
	}
	if res := post(url.Values{"action": {"pause"}, "object": {"Load"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("pause = %d %s", res.StatusCode, readAll(res))
	}
	if st := e.status("Load"); st != pipeline.StatusPaused {
		t.Errorf("component Load is %s after pause", st)
	}
	if res := post(url.Values{"action": {"deactivate"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("deactivate = %d", res.StatusCode)
	}
	if p, _ := e.st.PipelineGet(t.Context(), pipelineGet(e.id)); p.State != pipeline.StateInactive {
		t.Errorf("state %s after deactivate", p.State)
	}
	if res := post(url.Values{"action": {"backfill"}, "from": {"2027-01-01T00:00:00"}, "to": {"2026-01-01T00:00:00"}}); res.StatusCode != http.StatusBadRequest {
		t.Errorf("backfill with to before from = %d", res.StatusCode)
	}
}
