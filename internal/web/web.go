package web

import (
	"cmp"
	"crypto/rand"
	"embed"
	"log/slog"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/datapipe/datapipe/internal/api"
	"github.com/datapipe/datapipe/internal/control"
	"github.com/datapipe/datapipe/internal/definition"
	"github.com/datapipe/datapipe/internal/store"
)

//go:embed assets
var assets embed.FS

// Config configures a Console. Zero fields take the defaults noted.
type Config struct {
	// Control performs every change (required).
	Control *control.Service
	// Store is read for the pages (required).
	Store store.Store
	// Catalog defaults to definition.NewCatalog().
	Catalog *definition.Catalog
	// Keys are the access keys people sign in with; none means local
	// mode: no sign-in, loopback clients only.
	Keys []api.Key
	// Auth verifies SigV4-signed requests to the JSON endpoints; nil
	// accepts none (sessions only; in local mode every loopback caller).
	Auth api.Authenticator
	// Gatherer is what /metrics exports; the metrics page reads it. Nil
	// shows no metrics.
	Gatherer prometheus.Gatherer
	// Logger defaults to a discarding logger.
	Logger *slog.Logger
	// Now is the clock; default time.Now.
	Now func() time.Time
	// SessionTTL is how long a sign-in lasts; default 12 hours.
	SessionTTL time.Duration
	// SessionKey signs session cookies and CSRF tokens; default 32
	// random bytes (sessions end when the server restarts).
	SessionKey []byte
	// PageSize is the pipelines list page size; default 50.
	PageSize int
	// GridRows is how many intervals the runs grid shows; default 40.
	GridRows int
}

// Console serves the console. Build it with New; it is safe for
// concurrent use.
type Console struct {
	cfg     Config
	log     *slog.Logger
	now     func() time.Time
	keys    map[string]api.Key
	local   bool
	pages   *renderer
	graphs  *graphCache
	queue   *queueCollector
	healths healthCache
	handler http.Handler
}

// New returns a Console. It panics only when Control or Store is nil, a
// wiring mistake.
func New(cfg Config) *Console {
	if cfg.Control == nil || cfg.Store == nil {
		panic("web: Config.Control and Config.Store are required")
	}
	cfg.Catalog = cmp.Or(cfg.Catalog, definition.NewCatalog())
	cfg.Logger = cmp.Or(cfg.Logger, slog.New(slog.DiscardHandler))
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	cfg.SessionTTL = cmp.Or(cfg.SessionTTL, 12*time.Hour)
	if len(cfg.SessionKey) == 0 {
		cfg.SessionKey = make([]byte, 32)
		_, _ = rand.Read(cfg.SessionKey)
	}
	cfg.PageSize = cmp.Or(cfg.PageSize, 50)
	cfg.GridRows = cmp.Or(cfg.GridRows, 40)
	c := &Console{cfg: cfg, log: cfg.Logger, now: func() time.Time { return cfg.Now().UTC() }, keys: map[string]api.Key{},
		local: len(cfg.Keys) == 0, pages: newRenderer(), graphs: newGraphCache(cfg.Store, cfg.Catalog, 256)}
	c.queue = newQueueCollector(cfg.Store, c.now)
	for _, k := range cfg.Keys {
		c.keys[k.AccessKeyID] = k
	}
	c.handler = c.routes()
	return c
}

// Handler serves the console's routes: GET / and everything under
// /console/. Mount it beside the API (which is POST /).
func (c *Console) Handler() http.Handler { return c.handler }

func (c *Console) routes() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /console/static/", http.StripPrefix("/console/", http.FileServerFS(staticFS())))
	mux.HandleFunc("GET /console/signin", c.signInPage)
	mux.HandleFunc("POST /console/signin", c.signIn)
	mux.HandleFunc("POST /console/signout", c.signOut)
	page := func(pattern string, h pageFunc) { mux.Handle(pattern, c.page(h)) }
	page("GET /{$}", c.listPage)
	page("GET /console/{$}", c.listPage)
	page("GET /console/pipelines/{id}", c.pipelinePage)
	page("GET /console/pipelines/{id}/runs", c.runsPage)
	page("GET /console/pipelines/{id}/timeline", c.timelinePage)
	page("GET /console/pipelines/{id}/object", c.objectPage)
	page("POST /console/pipelines/{id}/actions", c.actionPage)
	page("GET /console/metrics", c.metricsPage)
	mux.Handle("GET /console/api/explain", c.jsonAPI(c.explainJSON))
	mux.Handle("GET /console/api/log", c.jsonAPI(c.logJSON))
	return securityHeaders(mux)
}

// securityHeaders sets the headers every console response carries.
func securityHeaders(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Content-Type-Options", "nosniff")
		w.Header().Set("X-Frame-Options", "DENY")
		w.Header().Set("Referrer-Policy", "same-origin")
		w.Header().Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'")
		h.ServeHTTP(w, r)
	})
}
