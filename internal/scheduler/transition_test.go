package scheduler

import (
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/datapipe/datapipe/internal/pipeline"
	"github.com/datapipe/datapipe/internal/resource"
	"github.com/datapipe/datapipe/internal/store"
)

// transition is one row of the status machine (objects.md §11.2): an
// object brought to from, an event, and the status it must reach.
type transition struct {
	name  string
	def   string
	setup func(w *world) // brings id to from (the world is settled after)
	id    string
	from  pipeline.Status // "" when the object does not exist yet
	event func(w *world)  // the world is settled after
	to    pipeline.Status
	check func(t *testing.T, w *world) // optional further checks
}

const (
	t0   = "2024-01-01T00:00:00"
	actA = "@A_2024-01-01T00:00:00"
	actB = "@B_2024-01-01T00:00:00"
	boxI = "@Box_2024-01-01T00:00:00"
)

var (
	cron0     = `"scheduleType":"cron","maximumRetries":"0"`
	cron1     = `"scheduleType":"cron","maximumRetries":"1","retryDelay":"2 minutes"`
	objA      = `{"id":"A","type":"ShellCommandActivity","command":"x"}`
	objB      = `{"id":"B","type":"ShellCommandActivity","command":"x","dependsOn":{"ref":"A"}}`
	objBCasc  = `{"id":"B","type":"ShellCommandActivity","command":"x","dependsOn":{"ref":"A"},"failureAndRerunMode":"cascade"}`
	objATimed = `{"id":"A","type":"ShellCommandActivity","command":"x","attemptTimeout":"10 minutes"}`
	readyPre  = `{"id":"Ready","type":"ShellCommandPrecondition","command":"test -e /x","retryDelay":"5 minutes","preconditionTimeout":"1 hour"}`
)

// resDef is a definition with an Ec2Resource Box and activities on it.
func resDef(terminateAfter string, objs ...string) string {
	ta := ""
	if terminateAfter != "" {
		ta = `,"terminateAfter":"` + terminateAfter + `"`
	}
	return resDefBox(`{"id":"Box","type":"Ec2Resource"`+ta+`}`, objs...)
}

// resDefBox is resDef with the Box object given.
func resDefBox(box string, objs ...string) string {
	return `{"objects":[{"id":"Default","scheduleType":"cron","maximumRetries":"0","schedule":{"ref":"S"},"role":"r","resourceRole":"rr"},` +
		`{"id":"S","type":"Schedule",` + hourly3 + `},` + box + `,` + strings.Join(objs, ",") + `]}`
}

const (
	onBoxA = `{"id":"A","type":"ShellCommandActivity","command":"x","runsOn":{"ref":"Box"}}`
	onBoxB = `{"id":"B","type":"ShellCommandActivity","command":"x","runsOn":{"ref":"Box"},"dependsOn":{"ref":"A"},"failureAndRerunMode":"cascade"}`
)

func TestPlan_Transitions(t *testing.T) {
	for _, tc := range transitions() {
		t.Run(tc.name, func(t *testing.T) {
			w := newWorld(t, tc.def, at(t0))
			w.provisioned()
			if tc.setup != nil {
				tc.setup(w)
			}
			w.settleProvided()
			if got := w.statusOf(tc.id); tc.from != "" && got != tc.from {
				t.Fatalf("setup: %s is %q; want %s", tc.id, got, tc.from)
			}
			tc.event(w)
			w.settleProvided()
			if got := w.statusOf(tc.id); got != tc.to {
				t.Errorf("%s is %s; want %s", tc.id, got, tc.to)
			}
			if tc.check != nil {
				tc.check(t, w)
			}
		})
	}
}

func transitions() []transition {
	return append(append(append(activityTransitions(), failureTransitions()...), otherTransitions()...), resourceTransitions()...)
}

// activityTransitions: creation, readiness and the happy path.
func activityTransitions() []transition {
	return []transition{
		{name: "none/interval due/WAITING_ON_DEPENDENCIES", def: def(cron0, hourly3, objA, objB), id: actB,
			event: func(w *world) {}, to: pipeline.StatusWaitingOnDependencies,
			check: func(t *testing.T, w *world) { wantField(t, w, actB, "@waitingOn", actA) }},
		{name: "none/before startTimestamp/SKIPPED", def: def(cron0, hourly3, objA), id: actA,
			setup: func(w *world) { w.snap.Pipeline.ScheduleFrom = at("2024-01-01T01:00:00") },
			event: func(w *world) {}, to: pipeline.StatusSkipped},
		{name: "WAITING_ON_DEPENDENCIES/dependency FINISHED/WAITING_FOR_RUNNER", def: def(cron0, hourly3, objA, objB), id: actB,
			from: pipeline.StatusWaitingOnDependencies, event: func(w *world) { w.report(pipeline.StatusFinished, "A") },
			to: pipeline.StatusWaitingForRunner, check: wantAttempt(actB+"_Attempt=1", pipeline.StatusWaitingForRunner)},
		{name: "WAITING_ON_DEPENDENCIES/timeseries interval not ended/stays", def: def(`"scheduleType":"timeseries"`, hourly3, objA), id: actA,
			event: func(w *world) {}, to: pipeline.StatusWaitingOnDependencies},
		{name: "WAITING_FOR_RUNNER/runner acknowledges/RUNNING", def: def(cron0, hourly3, objA), id: actA,
			from: pipeline.StatusWaitingForRunner, event: func(w *world) { w.setHead(actA, pipeline.StatusRunning) }, to: pipeline.StatusRunning},
		{name: "RUNNING/SetTaskStatus FINISHED/FINISHED", def: def(cron0, hourly3, objA), id: actA,
			setup: func(w *world) { w.settle(); w.setHead(actA, pipeline.StatusRunning) }, from: pipeline.StatusRunning,
			event: func(w *world) { w.setHead(actA, pipeline.StatusFinished) }, to: pipeline.StatusFinished,
			check: func(t *testing.T, w *world) { wantField(t, w, "A", "@healthStatus", "HEALTHY") }},
		{name: "any non-FINISHED/MARK_FINISHED/consumers proceed", def: def(cron0, hourly3, objA, objB), id: actB,
			setup: func(w *world) { w.settle(); w.report(pipeline.StatusFailed, "A") }, from: pipeline.StatusWaitingOnDependencies,
			event: func(w *world) { w.markDone(actA, pipeline.StatusMarkFinished) }, to: pipeline.StatusWaitingForRunner},
		{name: "WAITING_ON_DEPENDENCIES/PAUSE component/PAUSED", def: def(cron0, hourly3, objA, objB), id: actB,
			from: pipeline.StatusWaitingOnDependencies, event: func(w *world) { w.setComponent("B", pipeline.StatusPaused) },
			to: pipeline.StatusPaused},
		{name: "PAUSED/RESUME component/WAITING_FOR_RUNNER", def: def(cron0, hourly3, objA), id: actA,
			setup: func(w *world) { w.setComponent("A", pipeline.StatusPaused) }, from: pipeline.StatusPaused,
			event: func(w *world) { w.setComponent("A", pipeline.StatusScheduled) }, to: pipeline.StatusWaitingForRunner},
		{name: "RUNNING/PAUSE component/RUNNING", def: def(cron0, hourly3, objA), id: actA,
			setup: func(w *world) { w.settle(); w.setHead(actA, pipeline.StatusRunning) }, from: pipeline.StatusRunning,
			event: func(w *world) { w.setComponent("A", pipeline.StatusPaused) }, to: pipeline.StatusRunning},
		{name: "FAILED/RERUN/WAITING_FOR_RUNNER", def: def(cron0, hourly3, objA), id: actA,
			setup: func(w *world) { w.settle(); w.report(pipeline.StatusFailed) }, from: pipeline.StatusFailed,
			event: func(w *world) { w.rerun(actA) }, to: pipeline.StatusWaitingForRunner,
			check: wantAttempt(actA+"_Attempt=2", pipeline.StatusWaitingForRunner)},
		{name: "pipeline SCHEDULED/an instance still open/SCHEDULED", def: def(cron0, `"period":"1 hour","startDateTime":"2024-01-01T00:00:00","occurrences":"1"`, objA),
			id: "pipeline", event: func(w *world) {}, to: pipeline.Status(pipeline.StateScheduled)},
		{name: "pipeline SCHEDULED/schedule ended, every instance terminal/FINISHED", def: def(cron0,
			`"period":"1 hour","startDateTime":"2024-01-01T00:00:00","occurrences":"1"`, objA), id: "pipeline",
			from: pipeline.Status(pipeline.StateScheduled), event: func(w *world) { w.report(pipeline.StatusFinished) },
			to: pipeline.Status(pipeline.StateFinished)},
		{name: "data node/no producer/FINISHED", def: def(cron0, hourly3, `{"id":"In","type":"S3DataNode","directoryPath":"file:///in"}`),
			id: "@In_2024-01-01T00:00:00", event: func(w *world) {}, to: pipeline.StatusFinished},
		{name: "output data node/producer FINISHED/FINISHED", def: def(cron0, hourly3, objAOut, outNode), id: "@Out_2024-01-01T00:00:00",
			from: pipeline.StatusWaitingOnDependencies, event: func(w *world) { w.report(pipeline.StatusFinished, "A") }, to: pipeline.StatusFinished},
	}
}

const (
	objAOut = `{"id":"A","type":"ShellCommandActivity","command":"x","output":{"ref":"Out"}}`
	outNode = `{"id":"Out","type":"S3DataNode","directoryPath":"file:///out","failureAndRerunMode":"cascade"}`
)

// failureTransitions: retries, time-outs, cascades, cancellation.
func failureTransitions() []transition {
	running := func(w *world) { w.settle(); w.setHead(actA, pipeline.StatusRunning) }
	return []transition{
		{name: "RUNNING/SetTaskStatus FAILED, tries left/WAITING_FOR_RUNNER", def: def(cron1, hourly3, objA), id: actA,
			setup: running, from: pipeline.StatusRunning, event: func(w *world) { w.setHead(actA, pipeline.StatusFailed) },
			to: pipeline.StatusWaitingForRunner, check: wantAttempt(actA+"_Attempt=2", pipeline.StatusWaitingForRunner)},
		{name: "RUNNING/SetTaskStatus FAILED, no tries left/FAILED", def: def(cron0, hourly3, objA), id: actA,
			setup: running, from: pipeline.StatusRunning, event: func(w *world) { w.setHead(actA, pipeline.StatusFailed) },
			to: pipeline.StatusFailed, check: func(t *testing.T, w *world) { wantField(t, w, "A", "@healthStatus", "ERROR") }},
		{name: "RUNNING/lease expired (rescue), no tries left/FAILED", def: def(cron0, hourly3, objA), id: actA,
			setup: running, from: pipeline.StatusRunning, event: func(w *world) {
				w.setHeadFields(actA, pipeline.StatusFailed, map[string]string{"errorId": "LeaseExpired"})
			}, to: pipeline.StatusFailed, check: func(t *testing.T, w *world) { wantField(t, w, actA, "errorId", "LeaseExpired") }},
		{name: "RUNNING/attemptTimeout, tries left/WAITING_FOR_RUNNER", def: def(cron1, hourly3, objATimed), id: actA,
			setup: running, from: pipeline.StatusRunning, event: func(w *world) { w.snap.Now = at("2024-01-01T00:10:00") },
			to: pipeline.StatusWaitingForRunner, check: func(t *testing.T, w *world) {
				wantAttempt(actA+"_Attempt=1", pipeline.StatusTimedOut)(t, w)
				wantAttempt(actA+"_Attempt=2", pipeline.StatusWaitingForRunner)(t, w)
				wantCanceled(t, w, actA+"_Attempt=1")
			}},
		{name: "RUNNING/attemptTimeout, no tries left/FAILED", def: def(cron0, hourly3, objATimed), id: actA,
			setup: running, from: pipeline.StatusRunning, event: func(w *world) { w.snap.Now = at("2024-01-01T00:10:00") },
			to: pipeline.StatusFailed, check: func(t *testing.T, w *world) { wantField(t, w, actA, "errorId", "AttemptTimeout") }},
		{name: "RUNNING/before attemptTimeout/RUNNING", def: def(cron0, hourly3, objATimed), id: actA,
			setup: running, from: pipeline.StatusRunning, event: func(w *world) { w.snap.Now = at("2024-01-01T00:09:59") },
			to: pipeline.StatusRunning},
		{name: "WAITING_ON_DEPENDENCIES/dependency FAILED, cascade/CASCADE_FAILED", def: def(cron0, hourly3, objA, objBCasc), id: actB,
			from: pipeline.StatusWaitingOnDependencies, event: func(w *world) { w.report(pipeline.StatusFailed, "A") },
			to: pipeline.StatusCascadeFailed, check: func(t *testing.T, w *world) { wantField(t, w, actB, "@cascadeFailedOn", actA) }},
		{name: "WAITING_ON_DEPENDENCIES/dependency FAILED, none/stays", def: def(cron0, hourly3, objA, objB), id: actB,
			from: pipeline.StatusWaitingOnDependencies, event: func(w *world) { w.report(pipeline.StatusFailed, "A") },
			to: pipeline.StatusWaitingOnDependencies},
		{name: "output data node/producer FAILED, cascade/CASCADE_FAILED", def: def(cron0, hourly3, objAOut, outNode), id: "@Out_2024-01-01T00:00:00",
			from: pipeline.StatusWaitingOnDependencies, event: func(w *world) { w.report(pipeline.StatusFailed, "A") }, to: pipeline.StatusCascadeFailed},
		{name: "WAITING_FOR_RUNNER/attempt CANCELED (TRY_CANCEL)/CANCELED", def: def(cron0, hourly3, objA), id: actA,
			from: pipeline.StatusWaitingForRunner, event: func(w *world) { w.setHead(actA, pipeline.StatusCanceled) }, to: pipeline.StatusCanceled},
		{name: "WAITING_FOR_RUNNER/late, Terminate action/CANCELED", def: def(cron0, hourly3,
			`{"id":"A","type":"ShellCommandActivity","command":"x","lateAfterTimeout":"30 minutes","onLateAction":{"ref":"Stop"}}`, `{"id":"Stop","type":"Terminate"}`),
			id: actA, from: pipeline.StatusWaitingForRunner, event: func(w *world) { w.snap.Now = at("2024-01-01T00:30:00") }, to: pipeline.StatusCanceled},
	}
}

// otherTransitions: preconditions and attempts.
func otherTransitions() []transition {
	pre := "@Ready_A_2024-01-01T00:00:00"
	guardedA := `{"id":"A","type":"ShellCommandActivity","command":"x","precondition":{"ref":"Ready"}}`
	return []transition{
		{name: "precondition WAITING_FOR_RUNNER/check true/FINISHED", def: def(cron0, hourly3, readyPre, guardedA), id: pre,
			from: pipeline.StatusWaitingForRunner, event: func(w *world) { w.reportCheck(true) }, to: pipeline.StatusFinished,
			check: wantAttempt(actA+"_Attempt=1", pipeline.StatusWaitingForRunner)},
		{name: "precondition WAITING_FOR_RUNNER/check false/WAITING_FOR_RUNNER", def: def(cron0, hourly3, readyPre, guardedA), id: pre,
			from: pipeline.StatusWaitingForRunner, event: func(w *world) { w.reportCheck(false) }, to: pipeline.StatusWaitingForRunner,
			check: wantAttempt(pre+"_Attempt=2", pipeline.StatusWaitingForRunner)},
		{name: "guarded WAITING_ON_DEPENDENCIES/precondition timed out/CASCADE_FAILED", def: def(cron0, hourly3, readyPre, guardedA), id: actA,
			from: pipeline.StatusWaitingOnDependencies, event: func(w *world) {
				for now := at(t0); !now.After(at("2024-01-01T01:05:00")); now = now.Add(5 * time.Minute) {
					w.snap.Now = now
					w.reportCheck(false)
					w.settle()
				}
			}, to: pipeline.StatusCascadeFailed, check: func(t *testing.T, w *world) { wantField(t, w, pre, "errorId", "PreconditionTimeout") }},
		{name: "precondition FAILED/RERUN with its guarded instance/WAITING_FOR_RUNNER", def: def(cron0, hourly3, readyPre, guardedA), id: pre,
			setup: func(w *world) {
				for now := at(t0); !now.After(at("2024-01-01T01:05:00")); now = now.Add(5 * time.Minute) {
					w.snap.Now = now
					w.reportCheck(false)
					w.settle()
				}
			}, from: pipeline.StatusFailed, event: func(w *world) { w.rerun(actA); w.rerun(pre) }, to: pipeline.StatusWaitingForRunner,
			check: func(t *testing.T, w *world) {
				n := fieldValue(w.object(pre).Fields, "@attemptCount")
				wantField(t, w, pre, "@dispatchBase", fmt.Sprint(atoi(n)-1))
				wantAttempt(pre+"_Attempt="+n, pipeline.StatusWaitingForRunner)(t, w)
				if got := w.statusOf(actA); got != pipeline.StatusWaitingOnDependencies {
					t.Errorf("guarded instance is %s; want WAITING_ON_DEPENDENCIES", got)
				}
			}},
		{name: "precondition RUNNING/attemptTimeout/WAITING_FOR_RUNNER", def: def(cron1, hourly3,
			`{"id":"Ready","type":"ShellCommandPrecondition","command":"x","attemptTimeout":"5 minutes"}`, guardedA), id: pre,
			setup: func(w *world) { w.settle(); w.setHead(pre, pipeline.StatusRunning) }, from: pipeline.StatusRunning,
			event: func(w *world) { w.snap.Now = at("2024-01-01T00:05:00") }, to: pipeline.StatusWaitingForRunner,
			check: wantAttempt(pre+"_Attempt=1", pipeline.StatusTimedOut)},
		{name: "attempt none/instance ready/WAITING_FOR_RUNNER", def: def(cron0, hourly3, objA), id: actA + "_Attempt=1",
			event: func(w *world) {}, to: pipeline.StatusWaitingForRunner},
		{name: "attempt RUNNING/attemptTimeout/TIMEDOUT", def: def(cron0, hourly3, objATimed), id: actA + "_Attempt=1",
			setup: func(w *world) { w.settle(); w.setHead(actA, pipeline.StatusRunning) }, from: pipeline.StatusRunning,
			event: func(w *world) { w.snap.Now = at("2024-01-01T01:00:00") }, to: pipeline.StatusTimedOut},
	}
}

// resourceTransitions: the resource lifecycle (objects.md §11.2, package
// resource).
func resourceTransitions() []transition {
	return []transition{
		{name: "resource none/interval start/WAITING_ON_DEPENDENCIES", def: resDef("", onBoxB, onBoxA), id: boxI,
			setup: func(w *world) { w.setComponent("A", pipeline.StatusPaused) },
			event: func(w *world) {}, to: pipeline.StatusWaitingOnDependencies},
		{name: "resource WAITING_ON_DEPENDENCIES/dependent ready/CREATING", def: resDef("", onBoxA), id: boxI,
			setup: func(w *world) { w.setComponent("A", pipeline.StatusPaused) }, from: pipeline.StatusWaitingOnDependencies,
			event: func(w *world) { w.sim.provide = resource.StateCreating; w.setComponent("A", pipeline.StatusScheduled) }, to: pipeline.StatusCreating,
			check: func(t *testing.T, w *world) {
				if len(w.sim.ensured) != 1 || w.sim.ensured[0].Group != ResourceGroup("df-TEST", boxI) {
					t.Errorf("ensured %+v", w.sim.ensured)
				}
				if g := w.tasks[0].WorkerGroup; g != ResourceGroup("df-TEST", boxI) {
					t.Errorf("task group %q", g)
				}
			}},
		{name: "resource CREATING/provider runs a runner/RUNNING", def: resDef("", onBoxA), id: boxI,
			setup: func(w *world) { w.sim.provide = resource.StateCreating }, from: pipeline.StatusCreating,
			event: func(w *world) { w.sim.provide = resource.StateRunning }, to: pipeline.StatusRunning,
			check: func(t *testing.T, w *world) { wantField(t, w, boxI, "@resourceId", "runner-1") }},
		{name: "resource WAITING_ON_DEPENDENCIES/dependent ready, no provider/RUNNING", def: resDef("", onBoxA), id: boxI,
			setup: func(w *world) { w.snap.Provisioned = nil }, event: func(w *world) {}, to: pipeline.StatusRunning,
			check: func(t *testing.T, w *world) {
				if len(w.sim.ensured) != 0 {
					t.Errorf("ensured %+v without a provider", w.sim.ensured)
				}
			}},
		{name: "resource RUNNING/every dependent terminal, no provider/FINISHED", def: resDef("", onBoxA), id: boxI,
			setup: func(w *world) { w.snap.Provisioned = nil }, from: pipeline.StatusRunning,
			event: func(w *world) { w.report(pipeline.StatusFinished) }, to: pipeline.StatusFinished},
		{name: "resource RUNNING/every dependent terminal/SHUTTING_DOWN", def: resDef("", onBoxA), id: boxI,
			setup: func(w *world) { w.sim.keep = true }, from: pipeline.StatusRunning,
			event: func(w *world) { w.report(pipeline.StatusFinished) }, to: pipeline.StatusShuttingDown,
			check: func(t *testing.T, w *world) {
				if len(w.sim.released) != 1 || w.sim.released[0].Instance != boxI {
					t.Errorf("released %+v", w.sim.released)
				}
			}},
		{name: "resource SHUTTING_DOWN/runner stopped/FINISHED", def: resDef("", onBoxA), id: boxI,
			setup: func(w *world) { w.sim.keep = true; w.settleProvided(); w.report(pipeline.StatusFinished) }, from: pipeline.StatusShuttingDown,
			event: func(w *world) { delete(w.snap.Provisioned, boxI) }, to: pipeline.StatusFinished},
		{name: "resource SHUTTING_DOWN/dependent rerun/CREATING", def: resDef("", onBoxA), id: boxI,
			setup: func(w *world) { w.sim.keep = true; w.settleProvided(); w.report(pipeline.StatusFinished) }, from: pipeline.StatusShuttingDown,
			event: func(w *world) { w.sim.provide = resource.StateCreating; w.rerun(actA) }, to: pipeline.StatusCreating},
		{name: "resource RUNNING/terminateAfter passed/TIMEDOUT", def: resDef("30 minutes", onBoxA), id: boxI,
			setup: func(w *world) { w.settleProvided(); w.setHead(actA, pipeline.StatusRunning) }, from: pipeline.StatusRunning,
			event: func(w *world) { w.snap.Now = at("2024-01-01T00:30:00") }, to: pipeline.StatusTimedOut,
			check: func(t *testing.T, w *world) {
				wantAttempt(actA+"_Attempt=1", pipeline.StatusFailed)(t, w)
				wantField(t, w, actA, "errorId", "ResourceTimedOut")
				if got := w.statusOf(actA); got != pipeline.StatusFailed {
					t.Errorf("activity on the timed-out resource is %s; want FAILED", got)
				}
				wantCanceled(t, w, actA+"_Attempt=1")
			}},
		{name: "resource RUNNING/bare-integer terminateAfter (hours) passed/TIMEDOUT", def: resDef("1", onBoxA), id: boxI,
			from: pipeline.StatusRunning, event: func(w *world) { w.snap.Now = at("2024-01-01T01:00:00") }, to: pipeline.StatusTimedOut},
		{name: "resource RUNNING/provider failed/FAILED", def: resDef("", onBoxA, onBoxB), id: boxI,
			from: pipeline.StatusRunning, event: func(w *world) { w.sim.provide = resource.StateFailed }, to: pipeline.StatusFailed,
			check: func(t *testing.T, w *world) {
				wantField(t, w, boxI, "@failureReason", "the resource "+boxI+" failed: boom")
				if got := w.statusOf(actA); got != pipeline.StatusCanceled {
					t.Errorf("activity on the failed resource is %s; want CANCELED", got)
				}
				if got := w.statusOf(actB); got != pipeline.StatusCanceled {
					t.Errorf("waiting dependent is %s; want CANCELED", got)
				}
			}},
		{name: "resource WAITING_ON_DEPENDENCIES/every dependent failed/FINISHED without launch", def: resDef("", onBoxB,
			`{"id":"A","type":"ShellCommandActivity","command":"x","workerGroup":"wg"}`), id: boxI,
			from: pipeline.StatusWaitingOnDependencies, event: func(w *world) { w.report(pipeline.StatusFailed, "A") }, to: pipeline.StatusFinished,
			check: func(t *testing.T, w *world) {
				if len(w.sim.ensured) != 0 {
					t.Errorf("launched for nothing: %+v", w.sim.ensured)
				}
			}},
		{name: "resource WAITING_ON_DEPENDENCIES/late, Terminate action/CANCELED", def: resDefBox(
			`{"id":"Box","type":"Ec2Resource","lateAfterTimeout":"30 minutes","onLateAction":{"ref":"Stop"}},{"id":"Stop","type":"Terminate"}`,
			`{"id":"B","type":"ShellCommandActivity","command":"x","runsOn":{"ref":"Box"},"dependsOn":{"ref":"A"}}`,
			`{"id":"A","type":"ShellCommandActivity","command":"x","workerGroup":"wg"}`), id: boxI,
			from: pipeline.StatusWaitingOnDependencies, event: func(w *world) { w.snap.Now = at("2024-01-01T00:30:00") }, to: pipeline.StatusCanceled,
			check: func(t *testing.T, w *world) {
				if got := w.statusOf(actB); got != pipeline.StatusCanceled {
					t.Errorf("dependent of the terminated resource is %s; want CANCELED", got)
				}
			}},
		{name: "resource RUNNING/late/RUNNING (Terminate spares a launched resource)", def: resDefBox(
			`{"id":"Box","type":"Ec2Resource","lateAfterTimeout":"30 minutes","onLateAction":{"ref":"Stop"}},{"id":"Stop","type":"Terminate"}`, onBoxA), id: boxI,
			from: pipeline.StatusRunning, event: func(w *world) { w.snap.Now = at("2024-01-01T00:30:00") }, to: pipeline.StatusRunning},
		{name: "activity WAITING_ON_DEPENDENCIES/its resource TIMEDOUT/CANCELED", def: resDef("30 minutes", onBoxA,
			`{"id":"B","type":"ShellCommandActivity","command":"x","runsOn":{"ref":"Box"},"dependsOn":{"ref":"A"}}`), id: actB,
			setup: func(w *world) { w.settleProvided(); w.setHead(actA, pipeline.StatusRunning) }, from: pipeline.StatusWaitingOnDependencies,
			event: func(w *world) { w.snap.Now = at("2024-01-01T00:30:00") }, to: pipeline.StatusCanceled},
	}
}

// provSim is a simulated resource provider: ensured instances are listed
// in state provide, released ones are dropped unless keep; it records
// the plans' Ensure, Release and Cancel.
type provSim struct {
	provide  resource.State
	keep     bool
	ensured  []resource.Request
	released []resource.Ref
	canceled []string
	// attempts are the last written attempts (the world forgets the
	// attempts of terminal instances).
	attempts map[string]store.Object
}

// provisioned makes the world simulate a provider whose runners run.
func (w *world) provisioned() {
	w.snap.Provisioned = map[string]resource.Status{}
	w.sim.provide = resource.StateRunning
}

// settleProvided settles, applying the provider's side between plans.
func (w *world) settleProvided() {
	for i := 0; i < 1000; i++ {
		ch := w.step()
		w.sim.ensured = append(w.sim.ensured, ch.Ensure...)
		w.sim.released = append(w.sim.released, ch.Release...)
		w.sim.canceled = append(w.sim.canceled, ch.Cancel...)
		w.keepAttempts(ch)
		if changed := w.applyProvider(ch); ch.Empty() && !changed {
			return
		}
	}
	w.t.Fatal("the world does not settle")
}

func (w *world) keepAttempts(ch Changes) {
	if w.sim.attempts == nil {
		w.sim.attempts = map[string]store.Object{}
	}
	for _, o := range append(ch.Create, ch.Update...) {
		if o.Sphere == pipeline.SphereAttempt {
			w.sim.attempts[o.ID] = o
		}
	}
}

// applyProvider updates Provisioned as a provider would; it reports
// whether anything changed.
func (w *world) applyProvider(ch Changes) bool {
	before := fmt.Sprint(w.snap.Provisioned)
	for _, r := range ch.Ensure {
		if _, ok := w.snap.Provisioned[r.Instance]; !ok {
			w.snap.Provisioned[r.Instance] = resource.Status{Ref: r.Ref, ResourceID: "runner-1"}
		}
	}
	for _, r := range ch.Release {
		if !w.sim.keep {
			delete(w.snap.Provisioned, r.Instance)
		}
	}
	for id, st := range w.snap.Provisioned {
		st.State, st.Reason = w.sim.provide, ""
		if st.State == resource.StateFailed {
			st.Reason = "boom"
		}
		w.snap.Provisioned[id] = st
	}
	return fmt.Sprint(w.snap.Provisioned) != before
}

// statusOf is the status of an instance, attempt or component row.
func (w *world) statusOf(id string) pipeline.Status {
	if id == "pipeline" {
		return pipeline.Status(w.snap.Pipeline.State)
	}
	if o, ok := w.all[id]; ok {
		return o.Status
	}
	if a, ok := w.snap.Attempts[id]; ok {
		return a.Status
	}
	if a, ok := w.sim.attempts[id]; ok {
		return a.Status
	}
	return w.snap.Components[id].Status
}

// object returns an instance, attempt or component row by id.
func (w *world) object(id string) store.Object {
	if o, ok := w.all[id]; ok {
		return o
	}
	if a, ok := w.snap.Attempts[id]; ok {
		return a
	}
	if a, ok := w.sim.attempts[id]; ok {
		return a
	}
	return w.snap.Components[id]
}

// setHead sets the status of an open instance's head attempt, as a runner
// report would (RUNNING sets its start).
func (w *world) setHead(inst string, st pipeline.Status) { w.setHeadFields(inst, st, nil) }

func (w *world) setHeadFields(inst string, st pipeline.Status, fields map[string]string) {
	w.t.Helper()
	o, ok := w.snap.Instances[inst]
	if !ok {
		w.t.Fatalf("%s is not open", inst)
	}
	a := w.snap.Attempts[headAttempt(o)]
	a.Status = st
	if st == pipeline.StatusRunning {
		a.ActualStart = w.snap.Now
	} else {
		a.ActualEnd = w.snap.Now
	}
	a.Fields = setFields(a.Fields, fields)
	w.snap.Attempts[a.ID] = a
}

// markDone sets a terminal instance's status, as SetStatus does.
func (w *world) markDone(id string, st pipeline.Status) {
	o := w.all[id]
	o.Status = st
	w.all[id] = o
	w.snap.Done[id] = st
}

// rerun sends a terminal instance back to WAITING_ON_DEPENDENCIES, as
// SetStatus RERUN does.
func (w *world) rerun(id string) {
	o := w.all[id]
	o.Status = pipeline.StatusWaitingOnDependencies
	delete(w.snap.Done, id)
	w.snap.Instances[id] = o
	w.all[id] = o
}

// setComponent sets a component row's status (PAUSE / RESUME).
func (w *world) setComponent(id string, st pipeline.Status) {
	row, ok := w.snap.Components[id]
	if !ok {
		row = store.Object{PipelineID: "df-TEST", ID: id, Sphere: pipeline.SphereComponent, ComponentID: id}
	}
	row.Status = st
	w.snap.Components[id] = row
}

func wantField(t *testing.T, w *world, id, key, want string) {
	t.Helper()
	if got := fieldValue(w.object(id).Fields, key); got != want {
		t.Errorf("%s %s = %q; want %q", id, key, got, want)
	}
}

func wantAttempt(id string, st pipeline.Status) func(*testing.T, *world) {
	return func(t *testing.T, w *world) {
		t.Helper()
		if got := w.statusOf(id); got != st {
			t.Errorf("attempt %s is %q; want %s", id, got, st)
		}
	}
}

func wantCanceled(t *testing.T, w *world, attempt string) {
	t.Helper()
	for _, id := range w.sim.canceled {
		if id == attempt {
			return
		}
	}
	t.Errorf("task of %s not canceled (canceled: %v)", attempt, w.sim.canceled)
}

func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}

// TestPlan_YearOfHourlyOnResource runs a year of an hourly activity on an
// hourly Ec2Resource on a fake clock: every resource instance launches,
// shuts down and finishes, one per interval.
func TestPlan_YearOfHourlyOnResource(t *testing.T) {
	start := at("2023-01-01T00:00:00")
	w := newWorld(t, `{"objects":[{"id":"Default","scheduleType":"cron","schedule":{"ref":"S"},"role":"r","resourceRole":"rr"},`+
		`{"id":"S","type":"Schedule","period":"1 hour","startDateTime":"2023-01-01T00:00:00","endDateTime":"2024-01-01T00:00:00"},`+
		`{"id":"Box","type":"Ec2Resource"},`+onBoxA+`]}`, start)
	w.provisioned()
	began := time.Now()
	for now := start; now.Before(at("2024-01-01T01:00:00")); now = now.Add(24 * time.Hour) {
		w.snap.Now = now
		w.settleProvided()
		for w.report(pipeline.StatusFinished) > 0 {
			w.settleProvided()
		}
	}
	if a, box := w.count("A", pipeline.StatusFinished), w.count("Box", pipeline.StatusFinished); a != 8760 || box != 8760 {
		t.Errorf("finished A=%d Box=%d; want 8760 each", a, box)
	}
	if len(w.sim.ensured) != 8760 || len(w.snap.Provisioned) != 0 || w.snap.Pipeline.State != pipeline.StateFinished {
		t.Errorf("ensured %d, still served %d, pipeline %s", len(w.sim.ensured), len(w.snap.Provisioned), w.snap.Pipeline.State)
	}
	t.Logf("a year of hourly A on hourly Box: %d instances in %v", len(w.all), time.Since(began))
}
