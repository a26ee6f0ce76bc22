package web

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/datapipe/datapipe/internal/api"
	"github.com/datapipe/datapipe/internal/control"
	"github.com/datapipe/datapipe/internal/definition"
	"github.com/datapipe/datapipe/internal/pipeline"
	"github.com/datapipe/datapipe/internal/scheduler"
	"github.com/datapipe/datapipe/internal/store"
	"github.com/datapipe/datapipe/internal/store/sqlite"
)

// fakeClock is a settable clock.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *fakeClock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// env is a console on a real SQLite store with one seeded pipeline.
type env struct {
	t       *testing.T
	st      store.Store
	svc     *control.Service
	console *Console
	clock   *fakeClock
	id      string
	caller  control.Caller
}

var testNow = time.Date(2026, 1, 1, 12, 30, 0, 0, time.UTC)

// newEnv opens a store, creates and activates testdata/etl.json and
// returns a console in local mode (keys nil) or key mode.
func newEnv(t *testing.T, keys []api.Key) *env {
	t.Helper()
	ctx := context.Background()
	st, err := sqlite.Open(ctx, sqlite.Config{Path: filepath.Join(t.TempDir(), "web.db")})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	clock := &fakeClock{t: testNow}
	svc := control.New(control.Config{Store: st, Now: clock.Now})
	reg := prometheus.NewRegistry()
	e := &env{t: t, st: st, svc: svc, clock: clock, caller: control.Caller{AccountID: api.LocalAccountID, UserID: api.LocalAccountID}}
	e.console = New(Config{Control: svc, Store: st, Keys: keys, Gatherer: reg, Now: clock.Now, SessionKey: []byte("test-key")})
	for _, c := range e.console.Collectors() {
		reg.MustRegister(c)
	}
	e.id = e.createPipeline("etl", "testdata/etl.json")
	return e
}

func (e *env) createPipeline(name, file string) string {
	ctx := context.Background()
	id, err := e.svc.CreatePipeline(ctx, e.caller, control.CreatePipelineInput{Name: name, UniqueID: name, Tags: []store.Tag{{Key: "team", Value: "data"}}})
	if err != nil {
		e.t.Fatal(err)
	}
	data, err := os.ReadFile(file)
	if err != nil {
		e.t.Fatal(err)
	}
	doc, err := definition.Load(file, data, definition.LoadOptions{})
	if err != nil {
		e.t.Fatal(err)
	}
	if _, err := e.svc.PutPipelineDefinition(ctx, e.caller, id, doc.Definition); err != nil {
		e.t.Fatal(err)
	}
	if err := e.svc.ActivatePipeline(ctx, e.caller, id, nil, time.Time{}); err != nil {
		e.t.Fatal(err)
	}
	return id
}

// hour is the start of interval n (hourly from testNow's day).
func hour(n int) time.Time { return time.Date(2026, 1, 1, n, 0, 0, 0, time.UTC) }

// seed inserts an instance (and, unless waiting, its attempt) of comp
// at interval n with a status, and moves the component's cursor.
func (e *env) seed(comp string, n int, st pipeline.Status, fields ...pipeline.Field) store.Object {
	e.t.Helper()
	ctx := context.Background()
	start := hour(n)
	inst := store.Object{PipelineID: e.id, ID: scheduler.InstanceID(comp, start), Sphere: pipeline.SphereInstance, ComponentID: comp,
		Status: st, ScheduledStart: start, ScheduledEnd: start.Add(time.Hour), UpdatedAt: testNow, Fields: fields}
	objs := []store.Object{}
	if st != pipeline.StatusWaitingOnDependencies {
		att := store.Object{PipelineID: e.id, ID: scheduler.AttemptID(inst.ID, 1), Sphere: pipeline.SphereAttempt, ComponentID: comp,
			InstanceID: inst.ID, Status: st, ScheduledStart: start, ScheduledEnd: start.Add(time.Hour), UpdatedAt: testNow,
			ActualStart: start.Add(time.Minute), ActualEnd: start.Add(2 * time.Minute)}
		if st == pipeline.StatusFailed {
			att.Fields = []pipeline.Field{pipeline.String("errorMessage", "the command exited with code 3")}
		}
		inst.Fields = append(inst.Fields, pipeline.Reference("@headAttempt", att.ID))
		inst.ActualStart, inst.ActualEnd = att.ActualStart, att.ActualEnd
		objs = append(objs, att)
	}
	objs = append(objs, inst)
	if err := e.st.ObjectCreate(ctx, store.ObjectCreateParams{Objects: objs}); err != nil {
		e.t.Fatal(err)
	}
	e.moveCursor(comp, start)
	return inst
}

func (e *env) moveCursor(comp string, start time.Time) {
	ctx := context.Background()
	rows, _ := e.st.ObjectGet(ctx, store.ObjectGetParams{PipelineID: e.id, IDs: []string{comp}})
	if len(rows) == 0 {
		row := store.Object{PipelineID: e.id, ID: comp, Sphere: pipeline.SphereComponent, ComponentID: comp, Status: pipeline.StatusScheduled, ScheduledStart: start, UpdatedAt: testNow}
		if err := e.st.ObjectCreate(ctx, store.ObjectCreateParams{Objects: []store.Object{row}}); err != nil {
			e.t.Fatal(err)
		}
		return
	}
	if start.After(rows[0].ScheduledStart) {
		rows[0].ScheduledStart = start
		if _, err := e.st.ObjectUpdate(ctx, store.ObjectUpdateParams{Object: rows[0]}); err != nil {
			e.t.Fatal(err)
		}
	}
}

// do sends a request from loopback with the given cookies.
func (e *env) do(method, target string, form url.Values, cookies ...*http.Cookie) *http.Response {
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	r := httptest.NewRequest(method, target, body)
	r.RemoteAddr = "127.0.0.1:5555"
	if form != nil {
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for _, c := range cookies {
		r.AddCookie(c)
	}
	w := httptest.NewRecorder()
	e.console.Handler().ServeHTTP(w, r)
	return w.Result()
}

// get fetches a page and returns its status and body.
func (e *env) get(target string, cookies ...*http.Cookie) (int, string) {
	res := e.do(http.MethodGet, target, nil, cookies...)
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

// localSession returns the cookie a local-mode console hands out and its
// CSRF token.
func (e *env) localSession() (*http.Cookie, string) {
	res := e.do(http.MethodGet, "/", nil)
	for _, c := range res.Cookies() {
		if c.Name == sessionCookie {
			s, err := e.console.decode(c.Value)
			if err != nil {
				e.t.Fatal(err)
			}
			return c, e.console.csrfToken(s)
		}
	}
	e.t.Fatal("no session cookie")
	return nil, ""
}

func mustContain(t *testing.T, body string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(body, w) {
			t.Errorf("page lacks %q", w)
		}
	}
}

func storeGet(id string, ids ...string) store.ObjectGetParams {
	return store.ObjectGetParams{PipelineID: id, IDs: ids}
}

func storeUpdate(o store.Object) store.ObjectUpdateParams { return store.ObjectUpdateParams{Object: o} }

func pipelineGet(id string) store.PipelineGetParams {
	return store.PipelineGetParams{AccountID: api.LocalAccountID, ID: id}
}

func readAll(res *http.Response) string {
	b, _ := io.ReadAll(res.Body)
	return string(b)
}

// status reads an object's status.
func (e *env) status(id string) pipeline.Status {
	objs, err := e.st.ObjectGet(context.Background(), storeGet(e.id, id))
	if err != nil || len(objs) == 0 {
		e.t.Fatalf("read %s: %v", id, err)
	}
	return objs[0].Status
}
