package control

import (
	"cmp"
	"log/slog"
	"time"

	"github.com/datapipe/datapipe/internal/definition"
	"github.com/datapipe/datapipe/internal/store"
)

// Config configures a Service. Zero fields take the defaults noted.
type Config struct {
	// Store is required.
	Store store.Store
	// Catalog defaults to definition.NewCatalog().
	Catalog *definition.Catalog
	// Now is the clock; defaults to time.Now. Tests pass a fake.
	Now func() time.Time
	// Logger defaults to a discarding logger.
	Logger *slog.Logger
	// DefinitionLimits bound definitions (see definition.Limits).
	DefinitionLimits definition.Limits
	// MaxPipelines per account; default 10,000 (AWS: 100).
	MaxPipelines int
	// PollWait is how long PollForTask holds an idle poll; default 20 s,
	// at most 90 s.
	PollWait time.Duration
	// AckTimeout: a claimed task must be acknowledged by a progress report
	// within it, or it is offered again; default 2 minutes.
	AckTimeout time.Duration
	// ProgressTimeout is the default reportProgressTimeout; default 15
	// minutes.
	ProgressTimeout time.Duration
	// PageSize is the ListPipelines page size; default 100.
	PageSize int
	// OnChange is called after a change the scheduler must react to at
	// once: an activation, a status change, a runner's report. It must not
	// block (scheduler.Loop.Wake).
	OnChange func()
	// OnAttempt is called instead of OnChange after a runner's report
	// changed one attempt, with the attempt as stored, so the scheduler
	// need not read it back (scheduler.Loop.Reported). ended is true when
	// the attempt ended
	// (finished, failed, canceled: something may be ready now) and false
	// when it only started running (its instance shows RUNNING at the
	// scheduler's next pass; waking it for that would delay more urgent
	// work). It must not block. Default: OnChange when ended.
	OnAttempt func(attempt store.Object, ended bool)
}

// Service runs the control-plane use cases. It is safe for concurrent use.
type Service struct {
	cfg    Config
	store  store.Store
	cat    *definition.Catalog
	now    func() time.Time
	log    *slog.Logger
	tasks  *wakeup
	graphs graphCache
	// claimed holds the attempts of tasks claimed in this process.
	claimed claimCache
}

// New returns a Service. It panics only when cfg.Store is nil, a wiring
// mistake.
func New(cfg Config) *Service {
	if cfg.Store == nil {
		panic("control: Config.Store is required")
	}
	cfg.Catalog = cmp.Or(cfg.Catalog, definition.NewCatalog())
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	cfg.MaxPipelines = cmp.Or(cfg.MaxPipelines, 10000)
	cfg.PollWait = min(cmp.Or(cfg.PollWait, 20*time.Second), 90*time.Second)
	cfg.AckTimeout = cmp.Or(cfg.AckTimeout, 2*time.Minute)
	cfg.ProgressTimeout = cmp.Or(cfg.ProgressTimeout, 15*time.Minute)
	cfg.PageSize = cmp.Or(cfg.PageSize, 100)
	if cfg.OnChange == nil {
		cfg.OnChange = func() {}
	}
	if cfg.OnAttempt == nil {
		cfg.OnAttempt = func(_ store.Object, ended bool) {
			if ended {
				cfg.OnChange()
			}
		}
	}
	return &Service{cfg: cfg, store: cfg.Store, cat: cfg.Catalog, now: func() time.Time { return cfg.Now().UTC() },
		log: cfg.Logger, tasks: newWakeup()}
}
