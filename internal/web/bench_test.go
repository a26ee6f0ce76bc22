package web

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"slices"
	"strings"
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

// The benchmark's data: 1,000 pipelines holding 50,000 instances. One
// "big" pipeline has 5,000 hourly intervals of 4 components (20,000
// instances, each with an attempt); the 999 others have 10 intervals of 3
// components (29,970 instances).
const (
	benchPipelines  = 1000
	bigIntervals    = 5000
	smallIntervals  = 10
	benchRequests   = 60
	benchWarmups    = 3
	benchStartHours = 24 * 400
)

// benchDef is an hourly definition of a chain of n shell activities.
func benchDef(b *testing.B, n int) definition.Definition {
	var sb strings.Builder
	sb.WriteString(`{"objects":[{"id":"Default","scheduleType":"cron","workerGroup":"wg","schedule":{"ref":"Hourly"}},`)
	sb.WriteString(`{"id":"Hourly","type":"Schedule","period":"1 hours","startDateTime":"2025-01-01T00:00:00"}`)
	for i := range n {
		dep := ""
		if i > 0 {
			dep = fmt.Sprintf(`,"dependsOn":{"ref":"Step%d"}`, i-1)
		}
		fmt.Fprintf(&sb, `,{"id":"Step%d","type":"ShellCommandActivity","command":"echo %d"%s}`, i, i, dep)
	}
	sb.WriteString(`],"parameters":[{"id":"*myToken","type":"String"}],"values":{"*myToken":"secret"}}`)
	doc, err := definition.Load("bench.json", []byte(sb.String()), definition.LoadOptions{})
	if err != nil {
		b.Fatal(err)
	}
	return doc.Definition
}

// seedBench writes the pipelines, definitions, component rows, instances
// and attempts straight into the store. It returns the big pipeline's id
// and one small pipeline's id.
func seedBench(b *testing.B, st store.Store) (big, small string) {
	ctx := context.Background()
	base := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	bigDef, smallDef := benchDef(b, 4), benchDef(b, 3)
	var batch []store.Object
	flush := func() {
		if err := st.ObjectCreate(ctx, store.ObjectCreateParams{Objects: batch}); err != nil {
			b.Fatal(err)
		}
		batch = batch[:0]
	}
	for i := range benchPipelines {
		id := fmt.Sprintf("df-BENCH%014d", i)
		def, comps, n, attempts := smallDef, 3, smallIntervals, false
		if i == 0 {
			def, comps, n, attempts = bigDef, 4, bigIntervals, true
		}
		seedPipeline(b, st, id, def, i)
		start := base.Add(time.Duration(benchStartHours-n) * time.Hour)
		for k := range comps {
			comp := fmt.Sprintf("Step%d", k)
			last := start.Add(time.Duration(n-1) * time.Hour)
			batch = append(batch, store.Object{PipelineID: id, ID: comp, Sphere: pipeline.SphereComponent, ComponentID: comp, Status: pipeline.StatusScheduled,
				ScheduledStart: last, UpdatedAt: last, Fields: []pipeline.Field{pipeline.String("@healthStatus", healthOf(i))}})
			for h := range n {
				batch = append(batch, benchObjects(id, comp, start.Add(time.Duration(h)*time.Hour), benchStatus(h, n, k), attempts)...)
				if len(batch) >= 2000 {
					flush()
				}
			}
		}
		if len(batch) > 0 {
			flush()
		}
	}
	return "df-BENCH00000000000000", "df-BENCH00000000000500"
}

func healthOf(i int) string {
	if i%10 == 3 {
		return "ERROR"
	}
	return "HEALTHY"
}

// benchStatus: the last interval waits, every 17th fails, the rest finished.
func benchStatus(h, n, k int) pipeline.Status {
	switch {
	case h == n-1 && k > 0:
		return pipeline.StatusWaitingOnDependencies
	case h == n-1:
		return pipeline.StatusRunning
	case h%17 == 5:
		return pipeline.StatusFailed
	}
	return pipeline.StatusFinished
}

func seedPipeline(b *testing.B, st store.Store, id string, def definition.Definition, i int) {
	ctx := context.Background()
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	p := store.Pipeline{ID: id, AccountID: api.LocalAccountID, Name: fmt.Sprintf("pipeline-%04d", i), UniqueID: id, State: pipeline.StateScheduled,
		CreatedAt: now, Tags: []store.Tag{{Key: "team", Value: fmt.Sprintf("team-%d", i%7)}}}
	if _, _, err := st.PipelineCreate(ctx, store.PipelineCreateParams{Pipeline: p}); err != nil {
		b.Fatal(err)
	}
	if _, err := st.DefinitionPut(ctx, store.DefinitionPutParams{PipelineID: id, Definition: def, Now: now}); err != nil {
		b.Fatal(err)
	}
	p.ActiveVersion, p.LatestVersion, p.FirstActivatedAt, p.LastActivatedAt = 1, 1, now, now
	if _, err := st.PipelineUpdate(ctx, store.PipelineUpdateParams{Pipeline: p}); err != nil {
		b.Fatal(err)
	}
}

// benchObjects is an instance and, when wanted, its attempt.
func benchObjects(id, comp string, start time.Time, st pipeline.Status, attempt bool) []store.Object {
	inst := store.Object{PipelineID: id, ID: scheduler.InstanceID(comp, start), Sphere: pipeline.SphereInstance, ComponentID: comp, Status: st,
		ScheduledStart: start, ScheduledEnd: start.Add(time.Hour), UpdatedAt: start, Fields: []pipeline.Field{pipeline.String("@attemptCount", "1")}}
	if st == pipeline.StatusWaitingOnDependencies {
		inst.Fields = append(inst.Fields, pipeline.Reference("@waitingOn", scheduler.InstanceID("Step0", start)))
		return []store.Object{inst}
	}
	inst.ActualStart, inst.ActualEnd = start.Add(time.Minute), start.Add(3*time.Minute)
	if !attempt {
		return []store.Object{inst}
	}
	att := inst
	att.ID, att.Sphere, att.InstanceID = scheduler.AttemptID(inst.ID, 1), pipeline.SphereAttempt, inst.ID
	att.Fields = []pipeline.Field{pipeline.String("hostname", "bench")}
	inst.Fields = append(inst.Fields, pipeline.Reference("@headAttempt", att.ID))
	return []store.Object{inst, att}
}

// BenchmarkConsole_Pages serves every console page over HTTP with 1,000
// pipelines and 50,000 instances in a SQLite store, and reports each
// page's p50 and p95 latency over benchRequests sequential requests
// (after benchWarmups). Run it with scripts/bench-console.sh.
func BenchmarkConsole_Pages(b *testing.B) {
	ctx := context.Background()
	st, err := sqlite.Open(ctx, sqlite.Config{Path: filepath.Join(b.TempDir(), "bench.db")})
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	t0 := time.Now()
	big, small := seedBench(b, st)
	b.Logf("seeded 1,000 pipelines and 50,000 instances in %v", time.Since(t0).Round(time.Millisecond))
	reg := prometheus.NewRegistry()
	c := New(Config{Control: control.New(control.Config{Store: st}), Store: st, Gatherer: reg})
	reg.MustRegister(c.Collectors()...)
	srv := httptest.NewServer(c.Handler())
	defer srv.Close()
	cookie := benchSession(b, srv.URL)
	bigInst := url.QueryEscape(scheduler.InstanceID("Step2", time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC).Add((benchStartHours-1)*time.Hour)))
	mid := "2025-10-01T00:00:00"
	pages := []struct{ name, path string }{
		{"list", "/"},
		{"list_page_10", "/?page=10"},
		{"list_search", "/?q=team-3"},
		{"list_health_error", "/?health=ERROR"},
		{"pipeline_big", "/console/pipelines/" + big},
		{"pipeline_small", "/console/pipelines/" + small},
		{"runs_big_latest", "/console/pipelines/" + big + "/runs"},
		{"runs_big_older", "/console/pipelines/" + big + "/runs?before=" + mid},
		{"runs_big_after", "/console/pipelines/" + big + "/runs?after=" + mid},
		{"runs_small", "/console/pipelines/" + small + "/runs"},
		{"timeline_big", "/console/pipelines/" + big + "/timeline"},
		{"instance_why_big", "/console/pipelines/" + big + "/object?id=" + bigInst},
		{"explain_json_big", "/console/api/explain?pipelineId=" + big + "&objectId=" + bigInst},
		{"metrics", "/console/metrics"},
	}
	for _, p := range pages {
		b.Run(p.name, func(b *testing.B) {
			lat := make([]time.Duration, 0, benchRequests)
			for i := range benchWarmups + benchRequests {
				d := benchGet(b, srv.URL+p.path, cookie)
				if i >= benchWarmups {
					lat = append(lat, d)
				}
			}
			slices.Sort(lat)
			b.ReportMetric(ms(lat[len(lat)/2]), "p50-ms")
			b.ReportMetric(ms(lat[(len(lat)*95+99)/100-1]), "p95-ms")
			b.ReportMetric(ms(lat[len(lat)-1]), "max-ms")
		})
	}
	b.Run("queue_metrics_uncached", func(b *testing.B) {
		q := newQueueCollector(st, time.Now)
		for b.Loop() {
			if _, err := q.compute(ctx, time.Now()); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// benchSession takes the local-mode session cookie.
func benchSession(b *testing.B, base string) *http.Cookie {
	res, err := http.Get(base + "/console/metrics")
	if err != nil {
		b.Fatal(err)
	}
	res.Body.Close()
	for _, c := range res.Cookies() {
		if c.Name == sessionCookie {
			return c
		}
	}
	b.Fatal("no session cookie")
	return nil
}

// benchGet fetches a page and returns how long it took.
func benchGet(b *testing.B, u string, cookie *http.Cookie) time.Duration {
	req, _ := http.NewRequest(http.MethodGet, u, nil)
	req.AddCookie(cookie)
	t := time.Now()
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		b.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, res.Body)
	res.Body.Close()
	d := time.Since(t)
	if res.StatusCode != http.StatusOK {
		b.Fatalf("GET %s = %d", u, res.StatusCode)
	}
	return d
}
