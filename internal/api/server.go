package api

import (
	"cmp"
	"log/slog"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/datapipe/datapipe/internal/control"
)

// DefaultMaxBodyBytes is the default request body limit: 32 MiB, room for
// EvaluateExpression's 20 MiB expression (api.md §1.1).
const DefaultMaxBodyBytes int64 = 32 << 20

// Config configures a Server. Zero fields take the defaults noted.
type Config struct {
	// Control runs the operations. When nil, every operation answers
	// InternalServiceError (the probes and /metrics still work).
	Control *control.Service
	// Auth authenticates API requests; nil means LocalAuth (any caller is
	// the local account). Use a KeyAuth for anything but local use.
	Auth Authenticator
	// Logger receives the access log and internal-error details; nil
	// discards.
	Logger *slog.Logger
	// MaxBodyBytes bounds a request body; zero or less means
	// DefaultMaxBodyBytes.
	MaxBodyBytes int64
	// Registry receives the server's metrics and Collectors; nil means a
	// new prometheus.NewRegistry (never the global default registry).
	Registry prometheus.Registerer
	// Gatherer is what /metrics exposes. Nil means Registry when it is a
	// Gatherer too (a *prometheus.Registry is); otherwise /metrics is 404.
	Gatherer prometheus.Gatherer
	// Collectors are registered on Registry alongside the server's own
	// metrics (for example the pipelines-by-state gauge). A collector that
	// cannot be registered is logged and skipped.
	Collectors []prometheus.Collector
	// Now is the clock used to time requests; default time.Now.
	Now func() time.Time
	// Console, when set, serves every route the API does not (the web
	// console: GET / and /console/…).
	Console http.Handler
}

// Server serves the AWS Data Pipeline API over HTTP. Build it with
// NewServer; it is safe for concurrent use.
type Server struct {
	ctl      controlPlane
	auth     Authenticator
	log      *slog.Logger
	maxBody  int64
	now      func() time.Time
	metrics  *metrics
	gatherer prometheus.Gatherer
	ops      map[string]opFunc
	console  http.Handler
	handler  http.Handler
}

// NewServer returns a Server for cfg, registering its metrics on
// cfg.Registry. It never fails: registration conflicts are logged.
func NewServer(cfg Config) *Server {
	s := &Server{
		auth:    cfg.Auth,
		log:     cmp.Or(cfg.Logger, slog.New(slog.DiscardHandler)),
		maxBody: cmp.Or(max(cfg.MaxBodyBytes, 0), DefaultMaxBodyBytes),
		now:     cfg.Now,
		console: cfg.Console,
	}
	if cfg.Control != nil {
		s.ctl = cfg.Control
	}
	if s.auth == nil {
		s.auth = LocalAuth{}
	}
	if s.now == nil {
		s.now = time.Now
	}
	s.gatherer = s.setupMetrics(cfg)
	s.ops = s.operations()
	s.handler = s.routes()
	return s
}

// setupMetrics registers the metrics and returns the Gatherer /metrics
// exposes (nil for none).
func (s *Server) setupMetrics(cfg Config) prometheus.Gatherer {
	reg, gath := cfg.Registry, cfg.Gatherer
	if reg == nil {
		reg = prometheus.NewRegistry()
	}
	if g, ok := reg.(prometheus.Gatherer); ok && gath == nil {
		gath = g
	}
	s.metrics = newMetrics(reg, s.log)
	for _, c := range cfg.Collectors {
		if err := reg.Register(c); err != nil {
			s.log.Error("register collector", "error", err)
		}
	}
	return gath
}

// Handler returns the HTTP handler serving every route (see the package
// documentation). It works under httptest.NewServer.
func (s *Server) Handler() http.Handler { return s.handler }

// Gatherer returns what /metrics exposes, nil when nothing is.
func (s *Server) Gatherer() prometheus.Gatherer { return s.gatherer }

// routes builds the router.
func (s *Server) routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /{$}", s.serveAPI)
	mux.HandleFunc("GET /healthz", serveHealth)
	if s.gatherer != nil {
		mux.Handle("GET /metrics", promhttp.HandlerFor(s.gatherer, promhttp.HandlerOpts{}))
	}
	if s.console != nil {
		mux.Handle("/", s.console)
	}
	return mux
}

// serveHealth answers the liveness probe.
func serveHealth(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	_, _ = w.Write([]byte("ok"))
}
