package web

import (
	"context"
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"github.com/datapipe/datapipe/internal/store"
)

// listData is the pipelines list page.
type listData struct {
	Rows   []summary
	Total  int
	Query  string
	State  string
	Health string
	Page   int
	Prev   string
	NextPg string
	States []string
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

// pageRows summarizes the rows of the requested page. With a health
// filter, rows are summarized in order until the page is full.
func (c *Console) pageRows(ctx context.Context, d *listData, match []store.Pipeline) error {
	size, skip := c.cfg.PageSize, (d.Page-1)*c.cfg.PageSize
	d.Total = len(match)
	for i, p := range match {
		if d.Health == "" && (i < skip || i >= skip+size) {
			continue
		}
		s, err := c.summarize(ctx, p)
		if err != nil {
			return err
		}
		if d.Health != "" && s.Health != d.Health {
			d.Total--
			continue
		}
		if skip > 0 && d.Health != "" {
			skip--
			continue
		}
		if len(d.Rows) < size {
			d.Rows = append(d.Rows, s)
		}
	}
	if d.Page > 1 {
		d.Prev = listURL(d, d.Page-1)
	}
	if d.Page*size < d.Total {
		d.NextPg = listURL(d, d.Page+1)
	}
	return nil
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
