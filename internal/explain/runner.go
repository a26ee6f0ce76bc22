package explain

import (
	"cmp"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/datapipe/datapipe/internal/pipeline"
	"github.com/datapipe/datapipe/internal/schedule"
	"github.com/datapipe/datapipe/internal/scheduler"
	"github.com/datapipe/datapipe/internal/store"
)

// waitingForRunner explains a dispatched instance whose attempt no runner
// has taken: the retry delay, then the runners of its worker group.
func (f Facts) waitingForRunner(o store.Object) []Reason {
	var out []Reason
	if r, ok := f.pipelineState(); ok {
		out = append(out, r)
	}
	head, ok := f.Attempts[refValue(o.Fields, "@headAttempt")]
	if ok {
		if r, held := f.retryDelay(o, head); held {
			out = append(out, r)
		}
	}
	group := f.workerGroup(o.ComponentID, o.ScheduledStart)
	r, _ := f.runnerReason(group)
	return append(out, r)
}

// retryDelay reports a retry attempt held back by retryDelay (its task is
// available only from the attempt's creation plus the delay).
func (f Facts) retryDelay(o, head store.Object) (Reason, bool) {
	n, _ := strconv.Atoi(fieldValue(o.Fields, "@attemptCount"))
	if n <= 1 {
		return Reason{}, false
	}
	per, err := schedule.ParsePeriod(f.field(o.ComponentID, "retryDelay"))
	if err != nil {
		per = schedule.Period{N: 10, Unit: schedule.Minute}
	}
	at := per.AddTo(head.UpdatedAt, 1)
	if !f.Now.Before(at) {
		return Reason{}, false
	}
	return Reason{Code: CodeRetryDelay, Object: head.ID, At: at,
		Message: fmt.Sprintf("attempt %d waits for its retryDelay: it may be taken from %s", n, formatTime(at))}, true
}

// runnerReason describes the runners of a worker group; stale is true
// when none has polled recently.
func (f Facts) runnerReason(group string) (r Reason, stale bool) {
	if group == "" {
		return Reason{Code: CodeNoRunner, Message: "the activity has neither a workerGroup nor runsOn: no runner can take it"}, true
	}
	var last store.Runner
	for _, rn := range f.Runners {
		if rn.WorkerGroup == group && rn.LastSeen.After(last.LastSeen) {
			last = rn
		}
	}
	switch {
	case last.ID == "" && strings.HasPrefix(group, "resource:"):
		return Reason{Code: CodeNoRunner, Object: group,
			Message: fmt.Sprintf("no runner has polled worker group %s yet: the resource provider starts one on demand", group)}, true
	case last.ID == "":
		return Reason{Code: CodeNoRunner, Object: group,
			Message: fmt.Sprintf("no task runner has ever polled worker group %s: start one with datapipe taskrunner --worker-group %s", group, group)}, true
	case f.Now.Sub(last.LastSeen) > RunnerStaleAfter:
		return Reason{Code: CodeNoRunner, Object: group, At: last.LastSeen,
			Message: fmt.Sprintf("no runner has polled worker group %s since %s (runner %s on %s)", group, formatTime(last.LastSeen), last.ID, last.Hostname)}, true
	}
	return Reason{Code: CodeQueued, Object: group, At: last.LastSeen,
		Message: fmt.Sprintf("queued for worker group %s; runner %s on %s was last seen at %s: the task waits for a free runner", group, last.ID, last.Hostname, formatTime(last.LastSeen))}, false
}

// running describes a running instance.
func running(f Facts) Reason {
	o := f.Instance
	head := f.Attempts[refValue(o.Fields, "@headAttempt")]
	start := cmp.Or(o.ActualStart, head.ActualStart)
	msg := fmt.Sprintf("it is RUNNING (attempt %s", head.ID)
	if h := fieldValue(head.Fields, "hostname"); h != "" {
		msg += " on " + h
	}
	if !start.IsZero() {
		msg += " since " + formatTime(start)
	}
	return Reason{Code: CodeRunning, Object: head.ID, At: start, Message: msg + ")"}
}

// headRunning reports whether the instance's head attempt runs: a
// runner acknowledged it, and the scheduler shows RUNNING on the instance
// at its next full pass.
func (f Facts) headRunning() bool {
	head, ok := f.Attempts[refValue(f.Instance.Fields, "@headAttempt")]
	return ok && head.Status == pipeline.StatusRunning
}

// terminal describes an instance that no longer moves.
func terminal(o store.Object) Reason {
	msg := fmt.Sprintf("it is not waiting: it is %s", o.Status)
	if !o.ActualEnd.IsZero() {
		msg += " since " + formatTime(o.ActualEnd)
	}
	if on := refValue(o.Fields, "@cascadeFailedOn"); on != "" {
		msg += "; it failed because " + on + " failed"
	}
	if e := fieldValue(o.Fields, "errorMessage"); e != "" {
		msg += ": " + e
	}
	return Reason{Code: CodeTerminal, Object: o.ID, At: o.ActualEnd, Message: msg}
}

// workerGroup is where the attempts of comp's instance starting at start
// are queued, as the scheduler routes them: the group of the resource
// instance it runs on, else its workerGroup.
func (f Facts) workerGroup(comp string, start time.Time) string {
	if f.Graph == nil {
		return f.field(comp, "workerGroup")
	}
	return scheduler.WorkerGroup(f.Graph, f.Pipeline, comp, start)
}

// until renders the time left before t, to the second.
func (f Facts) until(t time.Time) string {
	return t.Sub(f.Now).Truncate(time.Second).String()
}
