// Package local is the default resource provider: it serves each resource
// instance with a dedicated task runner in the server's own process,
// started on Ensure and stopped on Release or when terminateAfter passes.
package local

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/datapipe/datapipe/internal/resource"
)

// Config configures a Provider.
type Config struct {
	// Start runs a task runner polling r.Group as r.AccountID until ctx
	// ends. Required. An error (or a return before ctx ends) fails the
	// resource instance.
	Start func(ctx context.Context, r resource.Request) error
	// Notify is called after every state change (scheduler.Loop.Wake);
	// optional.
	Notify func()
	// Now is the clock for Status.Started; defaults to time.Now.
	Now func() time.Time
	// After is the timer terminateAfter waits on; defaults to time.After.
	After func(time.Duration) <-chan time.Time
	// Logger defaults to a discarding logger.
	Logger *slog.Logger
}

// Provider runs one in-process runner per resource instance.
type Provider struct {
	ctx    context.Context
	cfg    Config
	mu     sync.Mutex
	served map[resource.Ref]*entry
	seq    int
	wg     sync.WaitGroup
}

// entry is one served resource instance.
type entry struct {
	req      resource.Request
	status   resource.Status
	cancel   context.CancelFunc
	running  bool // the runner goroutine has not returned
	released bool
	timedOut bool
}

var _ resource.Provider = (*Provider)(nil)

// New returns a Provider whose runners all stop when ctx ends.
func New(ctx context.Context, cfg Config) *Provider {
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.After == nil {
		cfg.After = time.After
	}
	if cfg.Notify == nil {
		cfg.Notify = func() {}
	}
	return &Provider{ctx: ctx, cfg: cfg, served: map[resource.Ref]*entry{}}
}

// Ensure implements resource.Provider: it starts the instance's runner
// unless the instance is served (in any state) or the provider stopped.
func (p *Provider) Ensure(r resource.Request) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if _, ok := p.served[r.Ref]; ok || p.ctx.Err() != nil {
		return
	}
	p.seq++
	ctx, cancel := context.WithCancel(p.ctx)
	e := &entry{req: r, cancel: cancel, running: true, status: resource.Status{Ref: r.Ref, State: resource.StateCreating,
		ResourceID: fmt.Sprintf("local-runner-%d", p.seq), Started: p.cfg.Now()}}
	p.served[r.Ref] = e
	p.wg.Add(1)
	go p.serve(ctx, e)
	if r.TerminateAfter > 0 {
		go p.expire(ctx, e, r.TerminateAfter)
	}
}

// serve runs the runner until it stops.
func (p *Provider) serve(ctx context.Context, e *entry) {
	defer p.wg.Done()
	p.setRunning(e)
	p.cfg.Logger.Info("resource runner started", "pipeline_id", e.req.PipelineID, "resource_instance", e.req.Instance,
		"worker_group", e.req.Group)
	err := p.cfg.Start(ctx, e.req)
	p.stopped(e, err)
}

func (p *Provider) setRunning(e *entry) {
	p.mu.Lock()
	if e.status.State == resource.StateCreating {
		e.status.State = resource.StateRunning
	}
	p.mu.Unlock()
	p.cfg.Notify()
}

// expire stops the runner once terminateAfter passes.
func (p *Provider) expire(ctx context.Context, e *entry, d time.Duration) {
	select {
	case <-p.cfg.After(d):
		p.mu.Lock()
		e.timedOut = !e.released
		p.mu.Unlock()
		e.cancel()
	case <-ctx.Done():
	}
}

// stopped records why a runner returned: a released instance is
// forgotten; otherwise it stays listed as TIMEDOUT or FAILED until
// released.
func (p *Provider) stopped(e *entry, err error) {
	p.mu.Lock()
	e.running = false
	switch {
	case e.released || p.ctx.Err() != nil:
		delete(p.served, e.req.Ref)
	case e.timedOut:
		e.status.State = resource.StateTimedOut
	default:
		e.status.State, e.status.Reason = resource.StateFailed, failureReason(err)
	}
	state := e.status.State
	p.mu.Unlock()
	p.cfg.Logger.Info("resource runner stopped", "resource_instance", e.req.Instance, "state", state, "err", err)
	p.cfg.Notify()
}

func failureReason(err error) string {
	if err == nil || errors.Is(err, context.Canceled) {
		return "the resource's task runner stopped unexpectedly"
	}
	return "the resource's task runner failed: " + err.Error()
}

// Release implements resource.Provider.
func (p *Provider) Release(r resource.Ref) {
	p.mu.Lock()
	e, ok := p.served[r]
	if !ok || e.released {
		p.mu.Unlock()
		return
	}
	e.released = true
	gone := !e.running
	if gone {
		delete(p.served, r)
	}
	p.mu.Unlock()
	e.cancel()
	if gone {
		p.cfg.Notify()
	}
}

// Statuses implements resource.Provider.
func (p *Provider) Statuses() []resource.Status {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := make([]resource.Status, 0, len(p.served))
	for _, e := range p.served {
		out = append(out, e.status)
	}
	return out
}

// Wait blocks until every runner has stopped (after the provider's
// context ended, or every instance was released).
func (p *Provider) Wait() { p.wg.Wait() }
