package local

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/datapipe/datapipe/internal/resource"
)

// fixture is a Provider whose runners block until their context ends (or
// return fail), with a controllable terminateAfter timer.
type fixture struct {
	p       *Provider
	started chan resource.Request
	stopped chan resource.Request
	timer   chan time.Time
	notify  chan struct{}
	fail    error
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	f := &fixture{started: make(chan resource.Request, 8), stopped: make(chan resource.Request, 8),
		timer: make(chan time.Time, 1), notify: make(chan struct{}, 64)}
	ctx, cancel := context.WithCancel(context.Background())
	f.p = New(ctx, Config{
		Start: func(ctx context.Context, r resource.Request) error {
			f.started <- r
			defer func() { f.stopped <- r }()
			if f.fail != nil {
				return f.fail
			}
			<-ctx.Done()
			return nil
		},
		Notify: func() { f.notify <- struct{}{} },
		After:  func(time.Duration) <-chan time.Time { return f.timer },
	})
	t.Cleanup(func() { cancel(); f.p.Wait() })
	return f
}

func req(instance string) resource.Request {
	return resource.Request{Ref: resource.Ref{AccountID: "1", PipelineID: "df-1", Instance: instance}, Group: "resource:df-1/" + instance}
}

// waitState waits (on notifications) until the instance is listed in
// state, or unlisted when state is "".
func (f *fixture) waitState(t *testing.T, instance string, state resource.State) resource.Status {
	t.Helper()
	deadline := time.After(5 * time.Second)
	for {
		st, ok := f.status(instance)
		if (state == "" && !ok) || (ok && st.State == state) {
			return st
		}
		select {
		case <-f.notify:
		case <-deadline:
			t.Fatalf("%s: state %q (listed %v); want %q", instance, st.State, ok, state)
		}
	}
}

func (f *fixture) status(instance string) (resource.Status, bool) {
	for _, st := range f.p.Statuses() {
		if st.Instance == instance {
			return st, true
		}
	}
	return resource.Status{}, false
}

func TestProvider_Ensure(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		f := newFixture(t)
		f.p.Ensure(req("@Box_1"))
		f.p.Ensure(req("@Box_1")) // idempotent
		if r := <-f.started; r.Group != "resource:df-1/@Box_1" {
			t.Errorf("runner polls %q", r.Group)
		}
		st := f.waitState(t, "@Box_1", resource.StateRunning)
		if st.ResourceID == "" || st.Started.IsZero() {
			t.Errorf("status %+v", st)
		}
		select {
		case r := <-f.started:
			t.Errorf("a second runner started: %+v", r)
		default:
		}
	})
	t.Run("ErrRunnerFails", func(t *testing.T) {
		f := newFixture(t)
		f.fail = errors.New("no such image")
		f.p.Ensure(req("@Box_1"))
		st := f.waitState(t, "@Box_1", resource.StateFailed)
		if st.Reason != "the resource's task runner failed: no such image" {
			t.Errorf("reason %q", st.Reason)
		}
		f.p.Release(st.Ref)
		f.waitState(t, "@Box_1", "")
	})
}

func TestProvider_Release(t *testing.T) {
	f := newFixture(t)
	f.p.Ensure(req("@Box_1"))
	f.p.Ensure(req("@Box_2"))
	f.waitState(t, "@Box_1", resource.StateRunning)
	f.p.Release(req("@Box_1").Ref)
	f.p.Release(req("@Unknown").Ref) // ignored
	if r := <-f.stopped; r.Instance != "@Box_1" {
		t.Errorf("stopped %s", r.Instance)
	}
	f.waitState(t, "@Box_1", "")
	if _, ok := f.status("@Box_2"); !ok {
		t.Error("releasing one instance stopped another")
	}
}

func TestProvider_TerminateAfter(t *testing.T) {
	f := newFixture(t)
	r := req("@Box_1")
	r.TerminateAfter = time.Hour
	f.p.Ensure(r)
	f.waitState(t, "@Box_1", resource.StateRunning)
	f.timer <- time.Now() // an hour passes
	<-f.stopped
	f.waitState(t, "@Box_1", resource.StateTimedOut)
	f.p.Release(r.Ref)
	f.waitState(t, "@Box_1", "")
	f.p.Ensure(r) // a rerun launches it again
	f.waitState(t, "@Box_1", resource.StateRunning)
}
