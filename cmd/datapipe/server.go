package main

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	neturl "net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/datapipe/datapipe/internal/api"
	"github.com/datapipe/datapipe/internal/config"
	"github.com/datapipe/datapipe/internal/control"
	"github.com/datapipe/datapipe/internal/definition"
	"github.com/datapipe/datapipe/internal/scheduler"
	"github.com/datapipe/datapipe/internal/store"
	"github.com/datapipe/datapipe/internal/store/postgres"
	"github.com/datapipe/datapipe/internal/store/sqlite"
	"github.com/datapipe/datapipe/internal/web"
)

// serverConfig is `datapipe server`'s configuration, from flags and
// the --config file (flags win).
type serverConfig struct {
	// conf is the --config file (zero without one).
	conf     config.Config
	addr     string
	storeURL string
	keysFile string
	pollWait time.Duration
	// ackTimeout and progressTimeout bound task leases (defaults 2 m and
	// 15 m, as AWS); tests shorten them.
	ackTimeout      time.Duration
	progressTimeout time.Duration
	// leaseTTL is how long scheduler leadership lasts unrenewed (default
	// 10 s): another replica takes over within it.
	leaseTTL  time.Duration
	logFormat string
	logLevel  slog.Level
}

// runServer implements `datapipe server`: it serves the AWS Data Pipeline
// API until ctx ends (SIGINT/SIGTERM), then drains in-flight requests.
func (m *Main) runServer(ctx context.Context, words []string) int {
	cfg, err := parseServerFlags(words)
	if err != nil {
		fmt.Fprintf(m.Stderr, "datapipe server: %v\n", err)
		return exitUsage
	}
	defer useGCTarget()()
	if err := m.serve(ctx, cfg); err != nil {
		fmt.Fprintf(m.Stderr, "datapipe server: %v\n", err)
		return exitInvalid
	}
	return exitOK
}

func parseServerFlags(words []string) (serverConfig, error) {
	a, err := parseArgs(words, nil, nil)
	if err != nil {
		return serverConfig{}, err
	}
	if bad := a.unknown("config", "addr", "store", "keys-file", "poll-wait", "log-format", "log-level", "ack-timeout", "progress-timeout", "lease-ttl"); bad != "" {
		return serverConfig{}, fmt.Errorf("unknown option --%s", bad)
	}
	conf, err := loadConfigFile(a)
	if err != nil {
		return serverConfig{}, err
	}
	f := conf.Server
	cfg := serverConfig{conf: conf, addr: a.one("addr", cmp.Or(f.Addr, "127.0.0.1:8080")), storeURL: a.one("store", cmp.Or(f.Store, defaultStoreURL())),
		keysFile: a.one("keys-file", f.KeysFile), logFormat: a.one("log-format", cmp.Or(f.LogFormat, "text"))}
	if cfg.pollWait, err = time.ParseDuration(a.one("poll-wait", durationDefault(f.PollWait, "20s"))); err != nil {
		return cfg, fmt.Errorf("--poll-wait: %w", err)
	}
	if cfg.ackTimeout, err = time.ParseDuration(a.one("ack-timeout", durationDefault(f.AckTimeout, "2m"))); err != nil {
		return cfg, fmt.Errorf("--ack-timeout: %w", err)
	}
	if cfg.progressTimeout, err = time.ParseDuration(a.one("progress-timeout", durationDefault(f.ProgressTimeout, "15m"))); err != nil {
		return cfg, fmt.Errorf("--progress-timeout: %w", err)
	}
	if cfg.leaseTTL, err = time.ParseDuration(a.one("lease-ttl", durationDefault(f.LeaseTTL, "10s"))); err != nil {
		return cfg, fmt.Errorf("--lease-ttl: %w", err)
	}
	if err := cfg.logLevel.UnmarshalText([]byte(a.one("log-level", cmp.Or(f.LogLevel, "info")))); err != nil {
		return cfg, fmt.Errorf("--log-level: %w", err)
	}
	return cfg, nil
}

// defaultStoreURL is the embedded store in the user's data directory.
func defaultStoreURL() string {
	dir, err := os.UserHomeDir()
	if err != nil {
		dir = "."
	}
	return "sqlite:" + filepath.Join(dir, ".datapipe", "datapipe.db")
}

// serve wires the store, the control plane and the API, and serves.
func (m *Main) serve(ctx context.Context, cfg serverConfig) error {
	log := m.logger(cfg)
	notes, err := notifier(cfg.conf, log)
	if err != nil {
		return err
	}
	m.useAWS(cfg.conf)
	auth, err := m.authenticator(cfg)
	if err != nil {
		return err
	}
	st, err := openStore(ctx, cfg.storeURL, log)
	if err != nil {
		return err
	}
	m.closers = append(m.closers, st.Close)
	var svc *control.Service
	var loop *scheduler.Loop
	resCtx, stopResources := context.WithCancel(ctx)
	resources := localResources(resCtx, func() *control.Service { return svc }, m.aws, "", log, func() { loop.Wake() })
	defer func() { stopResources(); resources.Wait() }()
	wake := newWakeups(st)
	loop = scheduler.NewLoop(scheduler.Config{Store: st, Logger: log, Notifier: notes, LeaseTTL: cfg.leaseTTL, Resources: resources,
		OnTasks: wake.tasks, OnQueued: func(tasks []store.Task) { svc.Queued(tasks) },
		Graph: func(ctx context.Context, id string, v int) (*definition.Graph, error) { return svc.Graph(ctx, id, v) }})
	svc = control.New(control.Config{Store: st, Logger: log, PollWait: cfg.pollWait, OnChange: wake.change, OnAttempt: wake.attempt,
		AckTimeout: cfg.ackTimeout, ProgressTimeout: cfg.progressTimeout})
	wake.loop, wake.svc = loop, svc
	reg := prometheus.NewRegistry()
	keys, _ := configuredKeys(cfg)
	console := web.New(web.Config{Control: svc, Store: st, Keys: keys, Auth: auth, Gatherer: reg, Logger: log})
	srv := api.NewServer(api.Config{Control: svc, Auth: auth, Logger: log, Registry: reg, Console: console.Handler(),
		Collectors: append([]prometheus.Collector{api.NewPipelineStateCollector(svc.PipelineStates)}, console.Collectors()...)})
	loopCtx, stopLoop := context.WithCancel(ctx)
	loopDone := make(chan struct{})
	go func() { defer close(loopDone); _ = loop.Run(loopCtx) }()
	wakeDone := make(chan struct{})
	go func() { defer close(wakeDone); wake.run(loopCtx) }()
	defer func() { stopLoop(); <-loopDone; <-wakeDone }()
	ln, err := net.Listen("tcp", cfg.addr)
	if err != nil {
		return err
	}
	log.Info("serving", "addr", ln.Addr().String(), "store", redactURL(cfg.storeURL), "auth", authMode(cfg))
	return m.serveHTTP(ctx, ln, srv.Handler())
}

// serveHTTP serves until ctx ends, then shuts down gracefully: in-flight
// requests (long polls included) get up to 30 seconds to finish.
func (m *Main) serveHTTP(ctx context.Context, ln net.Listener, h http.Handler) error {
	hs := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second, BaseContext: func(net.Listener) context.Context { return ctx }}
	m.setAddr(ln.Addr().String())
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := hs.Shutdown(shutdown); err != nil {
		return err
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// authenticator returns key authentication when keys are configured (a
// keys file, or DATAPIPE_ACCESS_KEY_ID/DATAPIPE_SECRET_ACCESS_KEY), else
// local mode, which accepts any signature and therefore only listens on
// loopback.
func (m *Main) authenticator(cfg serverConfig) (api.Authenticator, error) {
	keys, err := configuredKeys(cfg)
	if err != nil {
		return nil, err
	}
	if len(keys) > 0 {
		return api.NewKeyAuth(keys, nil)
	}
	if !loopbackAddr(cfg.addr) {
		return nil, fmt.Errorf("refusing to listen on %s without access keys: configure --keys-file or DATAPIPE_ACCESS_KEY_ID/DATAPIPE_SECRET_ACCESS_KEY, or listen on 127.0.0.1", cfg.addr)
	}
	return api.LocalAuth{}, nil
}

// configuredKeys reads the keys file, else the environment.
func configuredKeys(cfg serverConfig) ([]api.Key, error) {
	if cfg.keysFile != "" {
		return api.LoadKeysFile(cfg.keysFile)
	}
	return api.KeysFromEnv()
}

func authMode(cfg serverConfig) string {
	if keys, _ := configuredKeys(cfg); len(keys) > 0 {
		return "sigv4"
	}
	return "local"
}

// loopbackAddr reports whether a listen address binds only loopback
// interfaces.
func loopbackAddr(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// openStore opens the store named by url: sqlite:PATH or postgres://….
func openStore(ctx context.Context, url string, log *slog.Logger) (store.Store, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	switch {
	case strings.HasPrefix(url, "sqlite:"):
		path := strings.TrimPrefix(url, "sqlite:")
		if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
			return nil, err
		}
		return sqlite.Open(ctx, sqlite.Config{Path: path, Logger: log})
	case strings.HasPrefix(url, "postgres://"), strings.HasPrefix(url, "postgresql://"):
		dsn, schema, err := splitSchema(url)
		if err != nil {
			return nil, err
		}
		return postgres.Open(ctx, postgres.Config{DSN: dsn, Schema: schema, Logger: log})
	}
	return nil, fmt.Errorf("--store %q: want sqlite:PATH or postgres://…", url)
}

// splitSchema takes datapipe's own "schema" parameter out of a PostgreSQL
// URL: several datapipe deployments (or test runs) can share a database,
// each in its own schema.
func splitSchema(raw string) (dsn, schema string, err error) {
	u, err := neturl.Parse(raw)
	if err != nil {
		return "", "", fmt.Errorf("--store: %w", err)
	}
	q := u.Query()
	schema = q.Get("schema")
	q.Del("schema")
	u.RawQuery = q.Encode()
	return u.String(), schema, nil
}

// redactURL hides a password in a store URL for logs.
func redactURL(u string) string {
	at := strings.LastIndex(u, "@")
	scheme := strings.Index(u, "://")
	if at < 0 || scheme < 0 {
		return u
	}
	creds := u[scheme+3 : at]
	if user, _, ok := strings.Cut(creds, ":"); ok {
		return u[:scheme+3] + user + ":********" + u[at:]
	}
	return u
}

// logger builds the server's structured logger on Stderr.
func (m *Main) logger(cfg serverConfig) *slog.Logger {
	opts := &slog.HandlerOptions{Level: cfg.logLevel}
	if cfg.logFormat == "json" {
		return slog.New(slog.NewJSONHandler(m.Stderr, opts))
	}
	return slog.New(slog.NewTextHandler(m.Stderr, opts))
}
