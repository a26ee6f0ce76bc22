package scheduler

import (
	"cmp"
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/datapipe/datapipe/internal/definition"
	"github.com/datapipe/datapipe/internal/notify"
	"github.com/datapipe/datapipe/internal/pipeline"
	"github.com/datapipe/datapipe/internal/resource"
	"github.com/datapipe/datapipe/internal/store"
)

// LeaseName is the store lease that makes one replica the scheduler.
const LeaseName = "scheduler"

// Config configures a Loop. Zero fields take the defaults noted.
type Config struct {
	// Store is required.
	Store store.Store
	// Catalog defaults to definition.NewCatalog().
	Catalog *definition.Catalog
	// Graph, when set, supplies the compiled definition versions (the
	// control plane's, shared: compiled once per process); by default the
	// loop reads and compiles them itself. It must return graphs that
	// nobody modifies.
	Graph func(ctx context.Context, pipelineID string, version int) (*definition.Graph, error)
	// Now is the clock; defaults to time.Now.
	Now func() time.Time
	// Logger defaults to a discarding logger.
	Logger *slog.Logger
	// Holder names this replica in the leader lease; defaults to a random id.
	Holder string
	// Tick is how often the leader plans without being woken; default 1 s.
	Tick time.Duration
	// FullEvery is how often a pipeline's snapshot is loaded in full
	// rather than from the objects reported changed (see Changed); it
	// bounds how late a change nobody reported (made through another
	// replica) is seen. Default 1 s.
	FullEvery time.Duration
	// LeaseTTL is how long leadership lasts without renewal; default 10 s,
	// so another replica takes over within LeaseTTL of the leader's death.
	LeaseTTL time.Duration
	// OnTasks is told the worker groups that received tasks (to wake idle
	// polls at once).
	OnTasks func(groups []string)
	// OnQueued, when set, is given the tasks a pass queued, each with its
	// attempt as stored (Task.Attempt), before OnTasks: the control plane
	// in the same process keeps them for the claims.
	OnQueued func(tasks []store.Task)
	// OnFinish is told the pipelines a pass marked FINISHED (`datapipe
	// run` stops at once rather than at its next check). It must not
	// block.
	OnFinish func(pipelineID string)
	// Notifier delivers SnsAlarm actions; nil drops them with a log line.
	Notifier notify.Notifier
	// Resources provisions runners for the resource groups that received
	// tasks; nil leaves them to runners started by hand.
	Resources resource.Provider
}

// Loop is the leader-only scheduling process.
type Loop struct {
	cfg    Config
	wake   chan struct{}
	mu     sync.Mutex
	graphs map[graphKey]*compiled
	caches map[string]*pipelineCache // by pipeline id
	// passMu serialises passes (Run's and direct Pass calls).
	passMu sync.Mutex
	// fullNext: a change of unknown extent (Wake) happened, so the next
	// pass loads every pipeline in full.
	fullNext bool
	// known are the scheduled pipelines of the last full pass, by id, and
	// lastFull its time; dirty are the pipelines with objects to re-read
	// (see Pass).
	known    map[string]store.Pipeline
	lastFull time.Time
	dirty    map[string]bool
	// leaseAt is when Run last acquired or renewed the leader lease;
	// zero when it does not hold it.
	leaseAt time.Time
}

type graphKey struct {
	pipeline string
	version  int
}

// compiled is a definition version's graph, its plan memo, and the
// components whose terminal instances other instances wait on.
type compiled struct {
	graph       *definition.Graph
	memo        *Memo
	upstream    []string
	upstreamSet map[string]bool
	// neighbours are the components an edge joins to each component, in
	// either direction (the focus of an incremental plan).
	neighbours map[string][]string
}

// NewLoop returns a Loop. It panics only when cfg.Store is nil, a wiring
// mistake.
func NewLoop(cfg Config) *Loop {
	if cfg.Store == nil {
		panic("scheduler: Config.Store is required")
	}
	cfg.Catalog = cmp.Or(cfg.Catalog, definition.NewCatalog())
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	cfg.Holder = cmp.Or(cfg.Holder, randomID())
	cfg.Tick = cmp.Or(cfg.Tick, time.Second)
	cfg.LeaseTTL = cmp.Or(cfg.LeaseTTL, 10*time.Second)
	cfg.FullEvery = cmp.Or(cfg.FullEvery, time.Second)
	return &Loop{cfg: cfg, wake: make(chan struct{}, 1), graphs: map[graphKey]*compiled{}, caches: map[string]*pipelineCache{},
		dirty: map[string]bool{}}
}

// Wake asks the loop to plan at once, loading every pipeline in full
// (after an activation, a status change: anything that may touch many
// objects). It never blocks.
func (l *Loop) Wake() {
	l.mu.Lock()
	l.fullNext = true
	l.mu.Unlock()
	l.wakeUp()
}

// wakeUp makes Run pass at once.
func (l *Loop) wakeUp() {
	select {
	case l.wake <- struct{}{}:
	default:
	}
}

// Run schedules while this replica holds the leader lease, until ctx ends;
// then it gives the lease up. Errors of single passes are logged, not
// returned.
func (l *Loop) Run(ctx context.Context) error {
	t := time.NewTicker(l.cfg.Tick)
	defer t.Stop()
	defer l.release()
	for {
		if l.lead(ctx) {
			if err := l.Pass(ctx); err != nil && ctx.Err() == nil {
				l.cfg.Logger.Error("scheduling pass failed", "err", err)
			}
		}
		select {
		case <-ctx.Done():
			return nil
		case <-l.wake:
		case <-t.C:
		}
	}
}

// lead takes or renews the leader lease.
func (l *Loop) lead(ctx context.Context) bool {
	now := l.now()
	if l.holds(now) {
		return true
	}
	err := l.cfg.Store.LeaseAcquire(ctx, store.LeaseAcquireParams{Name: LeaseName, Holder: l.cfg.Holder, Now: now, TTL: l.cfg.LeaseTTL})
	if err != nil && !errors.Is(err, store.ErrConflict) && ctx.Err() == nil {
		l.cfg.Logger.Warn("scheduler lease", "err", err)
	}
	l.leaseAt = time.Time{}
	if err == nil {
		l.leaseAt = now
	}
	return err == nil
}

// holds reports whether the lease acquired or renewed at leaseAt needs no
// renewal yet: less than a third of LeaseTTL has passed, so it still has
// two thirds to run. Every wake-up used to renew it, a write transaction
// per pass (one per dozen task reports under load).
func (l *Loop) holds(now time.Time) bool {
	return !l.leaseAt.IsZero() && !now.Before(l.leaseAt) && now.Sub(l.leaseAt) < l.cfg.LeaseTTL/3
}

func (l *Loop) release() {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	_ = l.cfg.Store.LeaseRelease(ctx, store.LeaseReleaseParams{Name: LeaseName, Holder: l.cfg.Holder})
}

func (l *Loop) now() time.Time { return l.cfg.Now().UTC() }

// Pass plans. A full pass rescues expired leases, lists the scheduled
// pipelines and plans every one until it settles; it runs after Wake, at
// the first pass and then every FullEvery. In between, a pass plans only
// the pipelines that objects were reported changed in (Reported, Changed,
// and the loop's own writes whose components have neighbours), from the
// pipeline records of the last full pass:
// a runner's report costs a plan of its pipeline, not a scan of them all.
// `datapipe run` and tests call Pass directly; Run calls it on each wake
// and tick.
func (l *Loop) Pass(ctx context.Context) error {
	l.passMu.Lock()
	defer l.passMu.Unlock()
	l.mu.Lock()
	force := l.fullNext
	full := force || l.known == nil || !l.now().Before(l.lastFull.Add(l.cfg.FullEvery)) || l.now().Before(l.lastFull)
	l.fullNext = false
	dirty := l.dirty
	l.dirty = map[string]bool{}
	l.mu.Unlock()
	if full {
		return l.fullPass(ctx, force)
	}
	var errs []error
	for id := range dirty {
		if p, ok := l.known[id]; ok {
			errs = append(errs, l.settle(ctx, p, false))
		}
	}
	return errors.Join(errs...)
}

// fullPass rescues expired leases, then plans every scheduled pipeline;
// force loads each in full (after Wake).
func (l *Loop) fullPass(ctx context.Context, force bool) error {
	if err := l.rescue(ctx); err != nil {
		return err
	}
	ps, err := l.cfg.Store.PipelineListByState(ctx, store.PipelineListByStateParams{States: []pipeline.PipelineState{pipeline.StateScheduled}})
	if err != nil {
		return fmt.Errorf("list scheduled pipelines: %w", err)
	}
	l.releaseInactive(ctx, ps)
	known := make(map[string]store.Pipeline, len(ps))
	var errs []error
	for _, p := range ps {
		known[p.ID] = p
		if err := l.settle(ctx, p, force); err != nil {
			errs = append(errs, fmt.Errorf("pipeline %s: %w", p.ID, err))
		}
	}
	l.mu.Lock()
	l.known, l.lastFull = known, l.now()
	l.mu.Unlock()
	return errors.Join(errs...)
}

// settle plans and applies one pipeline, again while a plan hit its
// creation cap. One plan already carries a change down a chain (components
// are planned producers first), and anything it cannot see yet arrives as
// a runner report, which wakes the loop.
func (l *Loop) settle(ctx context.Context, p store.Pipeline, full bool) error {
	for range 50 {
		ch, err := l.planOnce(ctx, p, full)
		if err != nil || !ch.More {
			return err
		}
	}
	return nil
}

func randomID() string {
	b := make([]byte, 9)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}
