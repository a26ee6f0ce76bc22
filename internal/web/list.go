package web

import (
	"context"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/datapipe/datapipe/internal/pipeline"
	"github.com/datapipe/datapipe/internal/store"
)

// listData is the pipelines list page.
type listData struct {
	Rows  []summary
	Total int
	// AtLeast: Total is a lower bound (a health filter stops counting
	// once the page is full).
	AtLeast bool
	Query   string
	State   string
	Health  string
	Page    int
	Prev    string
	NextPg  string
	States  []string
}

// listPage shows the account's pipelines, filtered by text (name, id,
// description, tag key or value; "key=value" matches a tag), state and
// health, a page at a time. Only the page's rows are summarized.
func (c *Console) listPage(q *request) (*view, error) {
	ctx := q.r.Context()
	all, err := c.allPipelines(ctx, q.caller.AccountID)
	if err != nil {
		return nil, err
	}
	in := q.r.URL.Query()
	d := &listData{Query: strings.TrimSpace(in.Get("q")), State: strings.ToUpper(in.Get("state")), Health: strings.ToUpper(in.Get("health")),
		States: []string{"PENDING", "SCHEDULED", "DEACTIVATING", "INACTIVE", "FINISHED"}}
	d.Page, _ = strconv.Atoi(in.Get("page"))
	d.Page = max(d.Page, 1)
	var match []store.Pipeline
	for _, p := range all {
		if matchesText(p, d.Query) && (d.State == "" || string(p.State) == d.State) {
			match = append(match, p)
		}
	}
	if err := c.pageRows(ctx, d, match); err != nil {
		return nil, err
	}
	return &view{Template: "list", Title: "Pipelines", Nav: "pipelines", Flash: in.Get("msg"), Data: d}, nil
}

// pageRows summarizes the rows of the requested page, a few at a time. A
// health filter reads the health of matches (one small query each) only
// until the page and one more row are found; the total is then a lower
// bound.
func (c *Console) pageRows(ctx context.Context, d *listData, match []store.Pipeline) error {
	size, skip := c.cfg.PageSize, (d.Page-1)*c.cfg.PageSize
	if d.Health != "" {
		var err error
		if match, d.AtLeast, err = c.byHealth(ctx, match, d.Health, skip+size+1); err != nil {
			return err
		}
	}
	d.Total = len(match)
	page := match[min(skip, len(match)):min(skip+size, len(match))]
	d.Rows = make([]summary, len(page))
	err := parallel(len(page), func(i int) error {
		var err error
		d.Rows[i], err = c.summarize(ctx, page[i])
		return err
	})
	if err != nil {
		return err
	}
	if d.Page > 1 {
		d.Prev = listURL(d, d.Page-1)
	}
	if d.Page*size < d.Total {
		d.NextPg = listURL(d, d.Page+1)
	}
	return nil
}

// byHealth returns the first want pipelines whose health is health, and
// whether it stopped looking before the end. It reads healths in batches.
func (c *Console) byHealth(ctx context.Context, ps []store.Pipeline, health string, want int) ([]store.Pipeline, bool, error) {
	var out []store.Pipeline
	const batch = 64
	for from := 0; from < len(ps); from += batch {
		chunk := ps[from:min(from+batch, len(ps))]
		hs := make([]string, len(chunk))
		err := parallel(len(chunk), func(i int) error {
			var err error
			hs[i], err = c.health(ctx, chunk[i].ID)
			return err
		})
		if err != nil {
			return nil, false, err
		}
		for i, h := range hs {
			if h != health {
				continue
			}
			if len(out) == want {
				return out, true, nil
			}
			out = append(out, chunk[i])
		}
	}
	return out, false, nil
}

// health is a pipeline's health from its component rows: ERROR when any
// component is in error, else HEALTHY when any succeeded, else "". The
// health filter reuses a reading for healthTTL (the rows it shows are
// always read fresh).
func (c *Console) health(ctx context.Context, id string) (string, error) {
	if h, ok := c.healths.get(id, c.now()); ok {
		return h, nil
	}
	rows, err := c.cfg.Store.ObjectQuery(ctx, store.ObjectQueryParams{PipelineID: id, Sphere: pipeline.SphereComponent})
	if err != nil {
		return "", fmt.Errorf("health of %s: %w", id, err)
	}
	h := ""
	for _, r := range rows {
		h = worseHealth(h, fieldOf(r.Fields, "@healthStatus"))
	}
	c.healths.put(id, h, c.now())
	return h, nil
}

// healthTTL is how long the health filter reuses a pipeline's health.
const healthTTL = 5 * time.Second

// healthCache remembers pipeline healths for healthTTL.
type healthCache struct {
	mu sync.Mutex
	m  map[string]healthEntry
}

type healthEntry struct {
	h  string
	at time.Time
}

func (hc *healthCache) get(id string, now time.Time) (string, bool) {
	hc.mu.Lock()
	defer hc.mu.Unlock()
	e, ok := hc.m[id]
	return e.h, ok && now.Sub(e.at) < healthTTL
}

// put records a health, dropping every expired entry when the map grows
// past 20,000.
func (hc *healthCache) put(id, h string, now time.Time) {
	hc.mu.Lock()
	defer hc.mu.Unlock()
	if hc.m == nil {
		hc.m = map[string]healthEntry{}
	}
	if len(hc.m) > 20000 {
		for k, e := range hc.m {
			if now.Sub(e.at) >= healthTTL {
				delete(hc.m, k)
			}
		}
	}
	hc.m[id] = healthEntry{h, now}
}

func listURL(d *listData, page int) string {
	v := url.Values{}
	for k, s := range map[string]string{"q": d.Query, "state": d.State, "health": d.Health} {
		if s != "" {
			v.Set(k, s)
		}
	}
	v.Set("page", strconv.Itoa(page))
	return "/?" + v.Encode()
}

// allPipelines reads every live pipeline of an account (a few queries of
// 1,000).
func (c *Console) allPipelines(ctx context.Context, account string) ([]store.Pipeline, error) {
	var out []store.Pipeline
	after := ""
	for {
		ps, err := c.cfg.Store.PipelineList(ctx, store.PipelineListParams{AccountID: account, AfterID: after, Limit: 1000})
		if err != nil {
			return nil, fmt.Errorf("list pipelines: %w", err)
		}
		out = append(out, ps...)
		if len(ps) < 1000 {
			return out, nil
		}
		after = ps[len(ps)-1].ID
	}
}

// matchesText reports whether a pipeline matches a search: every word
// must appear in its name, id, description or a tag ("key=value" or
// either half), case-insensitively.
func matchesText(p store.Pipeline, q string) bool {
	hay := strings.ToLower(p.Name + " " + p.ID + " " + p.Description)
	for _, t := range p.Tags {
		hay += " " + strings.ToLower(t.Key+"="+t.Value)
	}
	for _, w := range strings.Fields(strings.ToLower(q)) {
		if !strings.Contains(hay, w) {
			return false
		}
	}
	return true
}
