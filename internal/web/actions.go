package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/datapipe/datapipe/internal/definition"
	"github.com/datapipe/datapipe/internal/pipeline"
	"github.com/datapipe/datapipe/internal/schedule"
	"github.com/datapipe/datapipe/internal/store"
)

// maxActionObjects bounds the instances one action (a cascade, a
// backfill) touches.
const maxActionObjects = 5000

// actionSpec describes an action: its label, and the SetStatus status it
// applies to objects ("" for pipeline-wide actions).
type actionSpec struct {
	Label  string
	Status string
}

var actionSpecs = map[string]actionSpec{
	"activate":     {"Activate the pipeline", ""},
	"deactivate":   {"Deactivate the pipeline", ""},
	"rerun":        {"Rerun", "RERUN"},
	"cancel":       {"Cancel", "TRY_CANCEL"},
	"markFinished": {"Mark finished", "MARK_FINISHED"},
	"pause":        {"Pause", "PAUSE"},
	"resume":       {"Resume", "RESUME"},
	"backfill":     {"Backfill (rerun every finished or failed instance in the range)", "RERUN"},
}

// confirmData is the confirmation page of an action.
type confirmData struct {
	Action  string
	Label   string
	Objects []string
	More    int
	Hidden  map[string][]string
}

// actionPage performs an action after confirmation: without confirm=yes
// it shows what the action will touch and asks; with it, it acts through
// control.Service and redirects back with a message.
func (c *Console) actionPage(q *request) (*view, error) {
	ctx := q.r.Context()
	p, err := c.loadPipeline(ctx, q)
	if err != nil {
		return nil, err
	}
	action := q.r.PostFormValue("action")
	spec, ok := actionSpecs[action]
	if !ok {
		return nil, badInput("unknown action %q", action)
	}
	ids, err := c.targets(ctx, q, p, action)
	if err != nil {
		return nil, err
	}
	if q.r.PostFormValue("confirm") != "yes" {
		return c.confirmView(q, p, action, spec, ids), nil
	}
	msg, err := c.act(ctx, q, p, action, spec, ids)
	if err != nil {
		return nil, err
	}
	back := safeNext(q.r.PostFormValue("return"))
	sep := "?"
	if strings.Contains(back, "?") {
		sep = "&"
	}
	http.Redirect(q.w, q.r, back+sep+"msg="+url.QueryEscape(msg), http.StatusSeeOther)
	return nil, nil
}

func (c *Console) confirmView(q *request, p store.Pipeline, action string, spec actionSpec, ids []string) *view {
	d := &confirmData{Action: action, Label: spec.Label, Hidden: map[string][]string{}}
	d.Objects = ids[:min(len(ids), 50)]
	d.More = len(ids) - len(d.Objects)
	for k, vs := range q.r.PostForm {
		if k != "csrf" && k != "confirm" {
			d.Hidden[k] = vs
		}
	}
	return &view{Template: "confirm", Title: "Confirm: " + spec.Label, Nav: "pipelines", PipelineID: p.ID, PipelineName: p.Name, Data: d}
}

// targets lists the objects an action touches: the chosen objects and,
// with cascade, the downstream instances of the same intervals; for a
// backfill, the terminal instances in the range.
func (c *Console) targets(ctx context.Context, q *request, p store.Pipeline, action string) ([]string, error) {
	ids := q.r.PostForm["object"]
	switch action {
	case "activate", "deactivate":
		return nil, nil
	case "backfill":
		return c.backfillTargets(ctx, q, p)
	case "pause", "resume":
	default:
		if len(ids) == 0 {
			return nil, badInput("choose at least one instance")
		}
		if q.r.PostFormValue("cascade") != "" {
			return c.cascade(ctx, p, ids)
		}
	}
	if len(ids) == 0 {
		return nil, badInput("choose at least one component")
	}
	return ids, nil
}

// act performs a confirmed action and says what it did.
func (c *Console) act(ctx context.Context, q *request, p store.Pipeline, action string, spec actionSpec, ids []string) (string, error) {
	svc := c.cfg.Control
	switch action {
	case "activate":
		start, err := optionalTime(q.r.PostFormValue("start"))
		if err != nil {
			return "", err
		}
		return "Activated.", svc.ActivatePipeline(ctx, q.caller, p.ID, nil, start)
	case "deactivate":
		return "Deactivated.", svc.DeactivatePipeline(ctx, q.caller, p.ID, q.r.PostFormValue("cancelActive") != "")
	}
	for chunk := range slices.Chunk(ids, 500) {
		if err := svc.SetStatus(ctx, q.caller, p.ID, chunk, spec.Status); err != nil {
			return "", err
		}
	}
	c.log.InfoContext(ctx, "console action", "action", action, "pipeline_id", p.ID, "objects", len(ids), "user_id", q.caller.UserID)
	return fmt.Sprintf("%s: %d object(s).", spec.Label, len(ids)), nil
}

// cascade adds to the chosen instances those of downstream components
// whose interval starts within theirs.
func (c *Console) cascade(ctx context.Context, p store.Pipeline, ids []string) ([]string, error) {
	comp, err := c.graphs.get(ctx, p.ID, p.ActiveVersion)
	if err != nil || comp.graph == nil {
		return ids, err
	}
	chosen, err := c.cfg.Store.ObjectGet(ctx, store.ObjectGetParams{PipelineID: p.ID, IDs: ids})
	if err != nil {
		return nil, fmt.Errorf("cascade: %w", err)
	}
	out := slices.Clone(ids)
	for _, o := range chosen {
		down := downstream(comp.graph, o.ComponentID)
		if len(down) == 0 {
			continue
		}
		more, err := c.instancesIn(ctx, p.ID, down, o.ScheduledStart, maxTime(o.ScheduledEnd.Add(-time.Second), o.ScheduledStart), nil)
		if err != nil {
			return nil, err
		}
		out = append(out, more...)
	}
	slices.Sort(out)
	return slices.Compact(out), nil
}

// downstream lists the components fed, directly or not, by comp.
func downstream(g *definition.Graph, comp string) []string {
	ids, preds := flowEdges(g)
	succ := map[string][]string{}
	for _, id := range ids {
		for _, p := range preds[id] {
			succ[p] = append(succ[p], id)
		}
	}
	seen := map[string]bool{comp: true}
	var out []string
	queue := []string{comp}
	for len(queue) > 0 {
		id := queue[0]
		queue = queue[1:]
		for _, s := range succ[id] {
			if !seen[s] {
				seen[s] = true
				out = append(out, s)
				queue = append(queue, s)
			}
		}
	}
	return out
}

// backfillTargets lists the terminal instances whose scheduled start is
// in [from, to].
func (c *Console) backfillTargets(ctx context.Context, q *request, p store.Pipeline) ([]string, error) {
	from, err := schedule.ParseDateTime(q.r.PostFormValue("from"))
	if err != nil {
		return nil, badInput("backfill from: %v", err)
	}
	to, err := schedule.ParseDateTime(q.r.PostFormValue("to"))
	if err != nil || to.Before(from) {
		return nil, badInput("backfill to must be a time (YYYY-MM-DDTHH:MM:SS) not before from")
	}
	terminal := []string{string(pipeline.StatusFinished), string(pipeline.StatusMarkFinished), string(pipeline.StatusFailed),
		string(pipeline.StatusCascadeFailed), string(pipeline.StatusCanceled), string(pipeline.StatusSkipped), string(pipeline.StatusTimedOut)}
	ids, err := c.instancesIn(ctx, p.ID, nil, from, to, terminal)
	if err == nil && len(ids) == 0 {
		err = badInput("no finished, failed or skipped instance starts between %s and %s", schedule.FormatDateTime(from), schedule.FormatDateTime(to))
	}
	return ids, err
}

// instancesIn lists instance ids starting in [from, to], of the given
// components and statuses when not nil, at most maxActionObjects.
func (c *Console) instancesIn(ctx context.Context, pipelineID string, comps []string, from, to time.Time, statuses []string) ([]string, error) {
	f := []store.ObjectFilter{{Field: "@scheduledStartTime", Op: store.OpBetween, Values: []string{schedule.FormatDateTime(from), schedule.FormatDateTime(to)}}}
	if comps != nil {
		f = append(f, store.ObjectFilter{Field: "@componentParent", Op: store.OpEQ, Values: comps})
	}
	if statuses != nil {
		f = append(f, store.ObjectFilter{Field: "@status", Op: store.OpEQ, Values: statuses})
	}
	objs, err := c.cfg.Store.ObjectQuery(ctx, store.ObjectQueryParams{PipelineID: pipelineID, Sphere: pipeline.SphereInstance, Filters: f, Limit: maxActionObjects})
	if err != nil {
		return nil, fmt.Errorf("instances of %s: %w", pipelineID, err)
	}
	ids := make([]string, len(objs))
	for i, o := range objs {
		ids[i] = o.ID
	}
	return ids, nil
}

// optionalTime parses an optional YYYY-MM-DDTHH:MM:SS.
func optionalTime(s string) (time.Time, error) {
	if strings.TrimSpace(s) == "" {
		return time.Time{}, nil
	}
	t, err := schedule.ParseDateTime(strings.TrimSpace(s))
	if err != nil {
		return t, badInput("start: %v", err)
	}
	return t, nil
}
