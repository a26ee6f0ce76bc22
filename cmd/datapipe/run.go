package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/datapipe/datapipe/internal/api"
	"github.com/datapipe/datapipe/internal/awsclient"
	"github.com/datapipe/datapipe/internal/config"
	"github.com/datapipe/datapipe/internal/control"
	"github.com/datapipe/datapipe/internal/definition"
	"github.com/datapipe/datapipe/internal/explain"
	"github.com/datapipe/datapipe/internal/pipeline"
	"github.com/datapipe/datapipe/internal/scheduler"
	"github.com/datapipe/datapipe/internal/store"
	"github.com/datapipe/datapipe/internal/store/sqlite"
	"github.com/datapipe/datapipe/internal/taskrunner"
)

// runUsage is `datapipe run help`.
const runUsage = `usage: datapipe run FILE [--config FILE] [--lenient] [--parameter-objects file://P]
                    [--parameter-values k=v ...] [--parameter-values-uri file://V]
                    [--until YYYY-MM-DDTHH:MM:SS] [--store sqlite:PATH] [--timeout 24h]
                    [--concurrency 32]
  run a definition to completion on an embedded store, with in-process task
  runners for every worker group it uses; exit 0 when every instance FINISHED
`

// runConfig is one `datapipe run` invocation's configuration.
type runConfig struct {
	def      definition.Definition
	values   []pipeline.ParameterValue
	name     string
	until    time.Time
	storeURL string
	// ephemeral: the store is the run's own, deleted when it ends.
	ephemeral bool
	// concurrency is each in-process runner's (--concurrency).
	concurrency int
	timeout     time.Duration
	// conf is the --config file (zero without one).
	conf config.Config
	// logDir is where the runners keep attempt logs.
	logDir string
}

// runCaller is the caller every control call of a run is made as.
var runCaller = control.Caller{AccountID: api.LocalAccountID, UserID: api.LocalAccountID}

// runConcurrency is the default of --concurrency: how many tasks each
// in-process runner of a run works on at once (Airflow's default
// parallelism). A short task spends most of its time waiting (on the
// store's writer, on its process to start and its output to drain), so
// more tasks in flight keep the CPUs busy and share more commits: 1,000
// `true` tasks on 2 vCPUs went from 344 per second with four to about
// 1,020 with eight; lately from 2,050 with sixteen to 2,150 with
// thirty-two (sixty-four did no better).
const runConcurrency = 32

// runTick is the scheduler's planning period during a run.
const runTick = 200 * time.Millisecond

// runRun implements `datapipe run FILE`: load and validate like validate
// (errors exit 1 with its report, unreadable input exits 2), then run the
// pipeline on an embedded store until every instance up to the horizon is
// terminal. Exit 0 only when every instance FINISHED.
func (m *Main) runRun(ctx context.Context, words []string) int {
	cfg, code := m.parseRun(words)
	if code >= 0 {
		return code
	}
	dir, cleanup, err := runDir(cfg.storeURL)
	if err != nil {
		fmt.Fprintf(m.Stderr, "datapipe run: %v\n", err)
		return exitInvalid
	}
	defer cleanup()
	if cfg.storeURL == "" {
		cfg.storeURL, cfg.ephemeral = "sqlite:"+filepath.Join(dir, "datapipe.db"), true
	}
	cfg.logDir = filepath.Join(dir, "logs")
	defer useGCTarget()()
	code, err = m.execute(ctx, cfg, dir)
	if err != nil {
		fmt.Fprintf(m.Stderr, "datapipe run: %v\n", err)
		return exitInvalid
	}
	return code
}

// parseRun parses the options and loads the definition; code is -1 to go
// on, else the exit code (the report or error already printed).
func (m *Main) parseRun(words []string) (runConfig, int) {
	var cfg runConfig
	a, err := parseArgs(words, map[string]bool{"lenient": true, "help": true}, map[string]bool{"parameter-values": true})
	if err == nil && (a.flags["help"] || (len(a.positional) == 1 && a.positional[0] == "help")) {
		fmt.Fprint(m.Stdout, runUsage)
		return cfg, exitOK
	}
	if err == nil {
		err = parseRunOptions(a, &cfg)
	}
	if err != nil {
		fmt.Fprintf(m.Stderr, "datapipe run: %v\n\n%s", err, runUsage)
		return cfg, exitUsage
	}
	r := &validateRun{m: m, lenient: a.flags["lenient"]}
	if err := r.load(a); err != nil {
		fmt.Fprintf(m.Stderr, "datapipe run: %v\n", err)
		return cfg, exitUsage
	}
	cfg.def = definition.Merge(r.defs[0], r.params, r.values, r.haveValues)
	if r.haveValues {
		cfg.values = r.values
	}
	cfg.name = strings.TrimSuffix(filepath.Base(r.defs[0].File), filepath.Ext(r.defs[0].File))
	res := definition.Validate(&cfg.def, definition.NewCatalog(), definition.Options{Now: time.Now().UTC()})
	if res.Errored() {
		writeTextReport(m.Stderr, []fileResult{{doc: r.defs[0], res: res}})
		return cfg, exitInvalid
	}
	return cfg, -1
}

// parseRunOptions checks the options and reads --until, --store,
// --concurrency and --timeout.
func parseRunOptions(a *args, cfg *runConfig) error {
	if bad := a.unknown("config", "parameter-values", "parameter-values-uri", "parameter-objects", "until", "store", "timeout", "concurrency"); bad != "" {
		return fmt.Errorf("unknown option --%s", bad)
	}
	if len(a.positional) != 1 {
		return errors.New("want exactly one definition file")
	}
	if u := a.one("until", ""); u != "" {
		t, err := time.Parse("2006-01-02T15:04:05", u)
		if err != nil {
			return fmt.Errorf("--until %q: want YYYY-MM-DDTHH:MM:SS (UTC)", u)
		}
		cfg.until = t.UTC()
	}
	cfg.storeURL = a.one("store", "")
	if cfg.storeURL != "" && !strings.HasPrefix(cfg.storeURL, "sqlite:") {
		return fmt.Errorf("--store %q: want sqlite:PATH", cfg.storeURL)
	}
	var err error
	if cfg.concurrency, err = strconv.Atoi(a.one("concurrency", strconv.Itoa(runConcurrency))); err != nil || cfg.concurrency < 1 {
		return fmt.Errorf("--concurrency %q: want a whole number of at least 1", a.one("concurrency", ""))
	}
	if cfg.timeout, err = time.ParseDuration(a.one("timeout", "24h")); err != nil || cfg.timeout <= 0 {
		return fmt.Errorf("--timeout %q: want a positive duration", a.one("timeout", ""))
	}
	cfg.conf, err = loadConfigFile(a)
	return err
}

// runDir is the run's working directory: next to a kept store, else a
// temporary one that cleanup removes.
func runDir(storeURL string) (string, func(), error) {
	if storeURL != "" {
		dir := filepath.Dir(strings.TrimPrefix(storeURL, "sqlite:"))
		return dir, func() {}, os.MkdirAll(dir, 0o700)
	}
	dir, err := os.MkdirTemp("", "datapipe-run-")
	if err != nil {
		return "", nil, err
	}
	return dir, func() { _ = os.RemoveAll(dir) }, nil
}

// openRunStore opens the run's store: --store, or its own ephemeral one
// (sqlite.Config.Ephemeral: nothing waits for a disk flush of data about
// to be deleted).
func openRunStore(ctx context.Context, cfg runConfig, log *slog.Logger) (store.Store, error) {
	if !cfg.ephemeral {
		return openStore(ctx, cfg.storeURL, log)
	}
	return sqlite.Open(ctx, sqlite.Config{Path: strings.TrimPrefix(cfg.storeURL, "sqlite:"), Logger: log, Ephemeral: true})
}

// engine is the in-process stack of a run.
type engine struct {
	st   store.Store
	svc  *control.Service
	stop []func()
	// finished receives a value when the scheduler finishes a pipeline.
	finished chan struct{}
}

// close stops the components, last started first.
func (e *engine) close() {
	for i := len(e.stop) - 1; i >= 0; i-- {
		e.stop[i]()
	}
}

// execute runs the pipeline and prints the summary.
func (m *Main) execute(ctx context.Context, cfg runConfig, dir string) (int, error) {
	log := slog.New(slog.NewTextHandler(m.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	e, _, err := m.startEngine(ctx, cfg, log)
	if err != nil {
		return 0, err
	}
	defer e.close()
	id, err := e.createAndActivate(ctx, cfg)
	if err != nil {
		return 0, err
	}
	groups, err := workerGroups(cfg.def)
	if err != nil {
		return 0, err
	}
	runCtx, stopRunners := context.WithCancel(ctx)
	client := taskrunner.NewLocalClient(taskrunner.LocalConfig{Service: e.svc, Caller: runCaller, LogDir: filepath.Join(dir, "logs")})
	wait := startRunners(runCtx, groups, client, cfg.concurrency, m.aws, filepath.Join(dir, "logs"), log)
	w := &watcher{st: e.st, id: id, out: m.Stdout, live: isTerminal(m.Stdout), until: cfg.until, finished: e.finished}
	insts, werr := w.watch(ctx, cfg.timeout)
	stopRunners()
	wait()
	if werr != nil {
		fmt.Fprintf(m.Stderr, "datapipe run: %v\n", werr)
	}
	return writeRunSummary(m.Stdout, id, insts, werr == nil, e.whyNotRun(ctx, id, insts)), nil
}

// whyNotRun explains, for each instance that did not reach a terminal
// status, the first reason it is still waiting (as datapipe explain
// would).
func (e *engine) whyNotRun(ctx context.Context, id string, insts []store.Object) map[string]string {
	why := map[string]string{}
	graphs := map[int]*definition.Graph{} // one run, one pipeline: by version
	l := explain.Loader{Store: e.st, Graph: func(ctx context.Context, pipelineID string, version int) (*definition.Graph, error) {
		if g, ok := graphs[version]; ok {
			return g, nil
		}
		dv, err := e.st.DefinitionGet(ctx, store.DefinitionGetParams{PipelineID: pipelineID, Version: version})
		if err != nil {
			return nil, err
		}
		graphs[version], _ = definition.Compile(&dv.Definition, definition.NewCatalog(), definition.Options{})
		return graphs[version], nil
	}}
	for _, o := range insts {
		if o.Status.Terminal() {
			continue
		}
		f, err := l.Load(ctx, runCaller.AccountID, id, o.ID, time.Now().UTC())
		if err != nil {
			continue
		}
		var msgs []string
		for _, r := range explain.Explain(f).Reasons {
			msgs = append(msgs, r.Message)
		}
		why[o.ID] = strings.Join(msgs, "; ")
	}
	return why
}

// startEngine opens the store and starts the scheduler and the loopback
// API server; it returns the server's endpoint URL.
func (m *Main) startEngine(ctx context.Context, cfg runConfig, log *slog.Logger) (*engine, string, error) {
	notes, err := notifier(cfg.conf, log)
	if err != nil {
		return nil, "", err
	}
	m.useAWS(cfg.conf)
	st, err := openRunStore(ctx, cfg, log)
	if err != nil {
		return nil, "", err
	}
	e := &engine{st: st, finished: make(chan struct{}, 1)}
	e.stop = append(e.stop, func() { _ = st.Close() })
	var loop *scheduler.Loop
	resCtx, stopResources := context.WithCancel(ctx)
	res := localResources(resCtx, func() *control.Service { return e.svc }, m.aws, cfg.logDir, log, func() { loop.Wake() })
	e.stop = append(e.stop, func() { stopResources(); res.Wait() })
	loop = scheduler.NewLoop(scheduler.Config{Store: st, Logger: log, Notifier: notes, Tick: runTick, Resources: res,
		Graph:    func(ctx context.Context, id string, v int) (*definition.Graph, error) { return e.svc.Graph(ctx, id, v) },
		OnQueued: func(tasks []store.Task) { e.svc.Queued(tasks) },
		Now:      horizonClock(cfg.until), OnTasks: func(groups []string) {
			for _, g := range groups {
				e.svc.NotifyTask(g)
			}
		}, OnFinish: func(string) {
			select {
			case e.finished <- struct{}{}:
			default:
			}
		}})
	e.svc = control.New(control.Config{Store: st, Logger: log, PollWait: time.Second, OnChange: loop.Wake, OnAttempt: func(a store.Object, ended bool) { loop.Reported(a, ended) }})
	e.stop = append(e.stop, goUntilStopped(ctx, func(c context.Context) { _ = loop.Run(c) }))
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		e.close()
		return nil, "", err
	}
	h := api.NewServer(api.Config{Control: e.svc, Auth: api.LocalAuth{}, Logger: log}).Handler()
	e.stop = append(e.stop, goUntilStopped(ctx, func(c context.Context) { _ = m.serveHTTP(c, ln, h) }))
	return e, "http://" + ln.Addr().String(), nil
}

// goUntilStopped runs fn in a goroutine and returns what cancels it and
// waits for it.
func goUntilStopped(ctx context.Context, fn func(context.Context)) func() {
	c, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { defer close(done); fn(c) }()
	return func() { cancel(); <-done }
}

// horizonClock is the scheduler's clock: real time, but never past until
// when it is set, so no interval starting after until is scheduled.
func horizonClock(until time.Time) func() time.Time {
	return func() time.Time {
		now := time.Now()
		if !until.IsZero() && now.After(until) {
			return until
		}
		return now
	}
}

// createAndActivate creates the pipeline, puts its definition and
// activates it, through the control plane.
func (e *engine) createAndActivate(ctx context.Context, cfg runConfig) (string, error) {
	id, err := e.svc.CreatePipeline(ctx, runCaller, control.CreatePipelineInput{Name: cfg.name, UniqueID: cfg.name})
	if err != nil {
		return "", err
	}
	res, err := e.svc.PutPipelineDefinition(ctx, runCaller, id, cfg.def)
	if err != nil {
		return "", err
	}
	if res != nil && res.Errored() {
		return "", fmt.Errorf("put definition: %v", res.ValidationErrors())
	}
	if err := e.svc.ActivatePipeline(ctx, runCaller, id, cfg.values, time.Time{}); err != nil {
		return "", err
	}
	return id, nil
}

// workerGroups are the groups the definition's activities, data nodes
// and preconditions are routed to by workerGroup. Work that runsOn a
// resource is served by the run's resource provider instead.
func workerGroups(def definition.Definition) ([]string, error) {
	g, res := definition.Compile(&def, definition.NewCatalog(), definition.Options{Now: time.Now().UTC()})
	if g == nil {
		return nil, fmt.Errorf("compile: %v", res.ValidationErrors())
	}
	seen := map[string]bool{}
	var out []string
	add := func(wg string) {
		if wg != "" && !seen[wg] {
			seen[wg] = true
			out = append(out, wg)
		}
	}
	for _, c := range g.Components {
		switch c.Category() {
		case definition.CategoryActivity, definition.CategoryPrecondition, definition.CategoryDataNode:
		default:
			continue
		}
		if len(c.Refs("runsOn")) == 0 {
			wg, _ := g.EvalString(c.ID, "workerGroup", nil)
			add(wg)
		}
	}
	return out, nil
}

// startRunners runs a task runner per worker group, in process (no HTTP:
// client calls the control plane directly); the returned function waits
// for them once ctx ends.
func startRunners(ctx context.Context, groups []string, client taskrunner.Client, concurrency int, aws *awsclient.Factory, logDir string, log *slog.Logger) func() {
	var wg sync.WaitGroup
	for _, g := range groups {
		execs := newExecutors(aws)
		r := taskrunner.New(taskrunner.Config{Client: client, WorkerGroup: g, Concurrency: concurrency,
			Executors: execs, S3: aws, Logger: log, LogDir: logDir})
		wg.Go(func() {
			defer execs.Close()
			if err := r.Run(ctx); err != nil && ctx.Err() == nil {
				log.Warn("task runner stopped", "worker_group", g, "err", err)
			}
		})
	}
	return wg.Wait
}
