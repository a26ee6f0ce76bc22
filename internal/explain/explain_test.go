package explain

import (
	"os"
	"strings"
	"testing"
	"time"

	"github.com/datapipe/datapipe/internal/definition"
	"github.com/datapipe/datapipe/internal/pipeline"
	"github.com/datapipe/datapipe/internal/store"
)

var now = time.Date(2026, 1, 1, 12, 30, 0, 0, time.UTC)

func graph(t *testing.T) *definition.Graph {
	t.Helper()
	data, err := os.ReadFile("testdata/etl.json")
	if err != nil {
		t.Fatal(err)
	}
	doc, err := definition.Load("etl.json", data, definition.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	g, res := definition.Compile(&doc.Definition, definition.NewCatalog(), definition.Options{})
	if g == nil {
		t.Fatal(res.Problems)
	}
	return g
}

func inst(comp string, h int, st pipeline.Status, fields ...pipeline.Field) store.Object {
	start := time.Date(2026, 1, 1, h, 0, 0, 0, time.UTC)
	return store.Object{ID: "@" + comp + "_" + start.Format("2006-01-02T15:04:05"), ComponentID: comp, Sphere: pipeline.SphereInstance,
		Status: st, ScheduledStart: start, ScheduledEnd: start.Add(time.Hour), Fields: fields}
}

func TestExplain(t *testing.T) {
	g := graph(t)
	extract := inst("Extract", 11, pipeline.StatusRunning)
	pre := inst("Ready_In", 11, pipeline.StatusWaitingForRunner, pipeline.String("@falseChecks", "3"),
		pipeline.String("@checkStart", "2026-01-01T11:00:00Z"), pipeline.Reference("@headAttempt", "pre-att"), pipeline.Reference("node", "In"))
	pre.ComponentID = "Ready"
	head := store.Object{ID: "att", Status: pipeline.StatusWaitingForRunner, UpdatedAt: now.Add(-time.Minute)}
	base := func() Facts {
		return Facts{Now: now, Graph: g, Pipeline: store.Pipeline{ID: "df-1", State: pipeline.StateScheduled},
			Related: map[string]store.Object{}, Attempts: map[string]store.Object{}}
	}
	tests := []struct {
		name  string
		facts func() Facts
		code  string
		has   string
	}{
		{"inactive pipeline", func() Facts {
			f := base()
			f.Pipeline.State = pipeline.StateInactive
			f.Instance = inst("Load", 11, pipeline.StatusWaitingOnDependencies)
			return f
		}, CodePipelineState, "is INACTIVE"},
		{"dependency", func() Facts {
			f := base()
			f.Instance = inst("Load", 11, pipeline.StatusWaitingOnDependencies, pipeline.Reference("@waitingOn", extract.ID))
			f.Related[extract.ID] = extract
			return f
		}, CodeDependency, "dependency @Extract_2026-01-01T11:00:00 (Extract) is RUNNING, not FINISHED"},
		{"dependency not created", func() Facts {
			f := base()
			f.Instance = inst("Load", 11, pipeline.StatusWaitingOnDependencies, pipeline.Reference("@waitingOn", "@Extract_x"))
			return f
		}, CodeDependency, "does not exist yet"},
		{"precondition", func() Facts {
			f := base()
			f.Instance = inst("In", 11, pipeline.StatusWaitingOnDependencies, pipeline.Reference("@waitingOn", pre.ID))
			f.Related[pre.ID] = pre
			return f
		}, CodePrecondition, "precondition Ready returned false 3 times, and it times out at 2026-01-01T13:00:00Z"},
		{"not due", func() Facts {
			f := base()
			f.Instance = inst("Load", 13, pipeline.StatusWaitingOnDependencies)
			return f
		}, CodeNotDue, "may run from 2026-01-01T13:00:00Z"},
		{"paused component", func() Facts {
			f := base()
			f.Instance = inst("Load", 11, pipeline.StatusWaitingOnDependencies)
			f.ComponentRow = store.Object{ID: "Load", Status: pipeline.StatusPaused}
			return f
		}, CodePaused, "component Load is PAUSED"},
		{"max active", func() Facts {
			f := base()
			f.Instance = inst("Load", 11, pipeline.StatusWaitingOnDependencies)
			f.Active = []store.Object{inst("Load", 10, pipeline.StatusRunning)}
			return f
		}, CodeMaxActive, "maxActiveInstances (1) of Load is reached: @Load_2026-01-01T10:00:00 is active"},
		{"ready", func() Facts {
			f := base()
			f.Instance = inst("Load", 11, pipeline.StatusWaitingOnDependencies)
			return f
		}, CodeScheduler, "next pass"},
		{"no runner ever", func() Facts {
			f := base()
			f.Instance = inst("Load", 11, pipeline.StatusWaitingForRunner, pipeline.Reference("@headAttempt", "att"))
			f.Attempts["att"] = head
			return f
		}, CodeNoRunner, "no task runner has ever polled worker group wg-test"},
		{"acknowledged", func() Facts { // the instance shows RUNNING at the scheduler's next full pass
			f := base()
			f.Instance = inst("Load", 11, pipeline.StatusWaitingForRunner, pipeline.Reference("@headAttempt", "att"))
			f.Attempts["att"] = store.Object{ID: "att", Status: pipeline.StatusRunning, ActualStart: now.Add(-time.Second),
				Fields: []pipeline.Field{pipeline.String("hostname", "h1")}}
			return f
		}, CodeRunning, "it is RUNNING (attempt att on h1 since"},
		{"runner gone", func() Facts {
			f := base()
			f.Instance = inst("Load", 11, pipeline.StatusWaitingForRunner)
			f.Runners = []store.Runner{{ID: "r1", WorkerGroup: "wg-test", Hostname: "h1", LastSeen: now.Add(-10 * time.Minute)}}
			return f
		}, CodeNoRunner, "no runner has polled worker group wg-test since 2026-01-01T12:20:00Z"},
		{"queued", func() Facts {
			f := base()
			f.Instance = inst("Load", 11, pipeline.StatusWaitingForRunner)
			f.Runners = []store.Runner{{ID: "r1", WorkerGroup: "wg-test", Hostname: "h1", LastSeen: now.Add(-time.Minute)}}
			return f
		}, CodeQueued, "waits for a free runner"},
		{"retry delay", func() Facts {
			f := base()
			f.Instance = inst("Load", 11, pipeline.StatusWaitingForRunner, pipeline.String("@attemptCount", "2"), pipeline.Reference("@headAttempt", "att"))
			f.Attempts["att"] = head
			f.Runners = []store.Runner{{ID: "r1", WorkerGroup: "wg-test", LastSeen: now}}
			return f
		}, CodeRetryDelay, "attempt 2 waits for its retryDelay"},
		{"running", func() Facts {
			f := base()
			f.Instance = extract
			return f
		}, CodeRunning, "RUNNING"},
		{"failed", func() Facts {
			f := base()
			f.Instance = inst("Load", 11, pipeline.StatusCascadeFailed, pipeline.Reference("@cascadeFailedOn", extract.ID))
			return f
		}, CodeTerminal, "failed because @Extract_2026-01-01T11:00:00 failed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := Explain(tt.facts())
			if len(e.Reasons) == 0 {
				t.Fatal("no reasons")
			}
			var msgs []string
			found := false
			for _, r := range e.Reasons {
				msgs = append(msgs, r.Code+": "+r.Message)
				found = found || (r.Code == tt.code && strings.Contains(r.Message, tt.has))
			}
			if !found {
				t.Errorf("reasons:\n%s\nwant %s containing %q", strings.Join(msgs, "\n"), tt.code, tt.has)
			}
		})
	}
}
