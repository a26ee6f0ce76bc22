package web

import (
	"cmp"
	"context"
	"fmt"
	"strings"

	"github.com/datapipe/datapipe/internal/definition"
	"github.com/datapipe/datapipe/internal/pipeline"
	"github.com/datapipe/datapipe/internal/scheduler"
	"github.com/datapipe/datapipe/internal/store"
)

// pipelineData is the pipeline page.
type pipelineData struct {
	summary
	Graph      graphView
	Objects    []defObject
	Problems   []definition.Problem // those not tied to an object
	Errored    bool
	Warnings   int
	Errors     int
	Params     []paramView
	Components []string
	Version    int
}

// defObject is one object of the definition viewer.
type defObject struct {
	ID, Name, Type string
	Fields         []defField
	Problems       []definition.Problem // about the whole object
}

// defField is one field value, with its problems.
type defField struct {
	Key, Value string
	Ref        bool
	Problems   []definition.Problem
}

// paramView is one parameter and its value, masked when secret.
type paramView struct {
	ID, Type, Description string
	Values                []string
	Secret                bool
}

// loadPipeline reads a pipeline of the caller's account.
func (c *Console) loadPipeline(ctx context.Context, q *request) (store.Pipeline, error) {
	id := q.r.PathValue("id")
	p, err := c.cfg.Store.PipelineGet(ctx, store.PipelineGetParams{AccountID: q.caller.AccountID, ID: id})
	if err != nil {
		return p, pipelineErr(id, err)
	}
	return p, nil
}

// pipelinePage shows a pipeline: summary, graph, definition, parameters
// and actions.
func (c *Console) pipelinePage(q *request) (*view, error) {
	ctx := q.r.Context()
	p, err := c.loadPipeline(ctx, q)
	if err != nil {
		return nil, err
	}
	s, err := c.summarize(ctx, p)
	if err != nil {
		return nil, err
	}
	d := &pipelineData{summary: s, Version: p.LatestVersion}
	latest, err := c.graphs.get(ctx, p.ID, p.LatestVersion)
	if err != nil {
		return nil, err
	}
	d.fillDefinition(latest)
	status, err := c.latestStatuses(ctx, s)
	if err != nil {
		return nil, err
	}
	d.Graph = layoutGraph(s.c.graph, status, func(id string) string { return c.nodeURL(s, id) })
	for _, n := range d.Graph.Nodes {
		d.Components = append(d.Components, n.ID)
	}
	return &view{Template: "pipeline", Title: p.Name, Nav: "pipelines", PipelineID: p.ID, PipelineName: p.Name,
		Flash: q.r.URL.Query().Get("msg"), Data: d}, nil
}

// nodeURL links a graph node to its latest instance, else to the runs.
func (c *Console) nodeURL(s summary, id string) string {
	if r, ok := s.Rows[id]; ok && !r.ScheduledStart.IsZero() {
		return objectURL(s.P.ID, scheduler.InstanceID(id, r.ScheduledStart))
	}
	return "/console/pipelines/" + s.P.ID + "/runs"
}

// latestStatuses reads the status of each component's latest instance
// (one query): the instance at its cursor, and for a precondition the
// check of the latest interval it guards.
func (c *Console) latestStatuses(ctx context.Context, s summary) (map[string]pipeline.Status, error) {
	ids, comp := []string{}, map[string]string{}
	for id, r := range s.Rows {
		if r.ScheduledStart.IsZero() {
			continue
		}
		iid := scheduler.InstanceID(id, r.ScheduledStart)
		ids, comp[iid] = append(ids, iid), id
		if s.c.graph == nil {
			continue
		}
		if gc, ok := s.c.graph.Component(id); ok {
			for _, pre := range gc.Refs("precondition") {
				pid := scheduler.InstanceID(pre+"_"+id, r.ScheduledStart)
				ids, comp[pid] = append(ids, pid), pre
			}
		}
	}
	objs, err := c.cfg.Store.ObjectGet(ctx, store.ObjectGetParams{PipelineID: s.P.ID, IDs: ids})
	if err != nil {
		return nil, fmt.Errorf("latest instances of %s: %w", s.P.ID, err)
	}
	out := map[string]pipeline.Status{}
	for _, o := range objs {
		out[comp[o.ID]] = o.Status
	}
	return out, nil
}

// fillDefinition builds the definition viewer: every object and field
// (secret fields masked) with its validation problems beside it.
func (d *pipelineData) fillDefinition(c *compiled) {
	byObj := map[string][]definition.Problem{}
	for _, pr := range c.result.Problems {
		if pr.Severity == definition.Warning {
			d.Warnings++
		} else {
			d.Errors++
		}
		byObj[pr.Object] = append(byObj[pr.Object], pr)
	}
	d.Errored = c.result.Errored()
	seen := map[string]bool{}
	for _, o := range c.def.Objects {
		seen[o.ID] = true
		d.Objects = append(d.Objects, defObjectOf(o, byObj[o.ID]))
	}
	d.Params = paramsOf(c.def)
	for _, pr := range c.result.Problems {
		if !seen[pr.Object] {
			d.Problems = append(d.Problems, pr)
		}
	}
}

func defObjectOf(o pipeline.Object, problems []definition.Problem) defObject {
	typ, _ := o.StringValue("type")
	out := defObject{ID: o.ID, Name: o.Name, Type: typ}
	byField := map[string][]definition.Problem{}
	for _, pr := range problems {
		if pr.Field == "" {
			out.Problems = append(out.Problems, pr)
		} else {
			byField[pr.Field] = append(byField[pr.Field], pr)
		}
	}
	for _, f := range o.Fields {
		v := f.Value
		if pipeline.IsSecretKey(f.Key) {
			v = pipeline.Mask
		}
		out.Fields = append(out.Fields, defField{Key: f.Key, Value: v, Ref: f.Ref, Problems: byField[f.Key]})
		delete(byField, f.Key)
	}
	for key, prs := range byField { // problems about fields the object lacks
		out.Fields = append(out.Fields, defField{Key: key, Value: "(missing)", Problems: prs})
	}
	return out
}

// paramsOf lists declared and implicit parameters with their values;
// secret ones ("*name") show only a mask.
func paramsOf(def definition.Definition) []paramView {
	var out []paramView
	index := map[string]int{}
	for _, po := range def.Parameters {
		t, _ := po.Get("type")
		desc, _ := po.Get("description")
		index[pipeline.ParameterName(po.ID)] = len(out)
		out = append(out, paramView{ID: po.ID, Type: cmp.Or(t, "String"), Description: desc, Secret: po.Secret(), Values: po.All("default")})
	}
	given := map[string]bool{}
	for _, v := range def.Values {
		name := pipeline.ParameterName(v.ID)
		i, ok := index[name]
		if !ok {
			index[name], i = len(out), len(out)
			out = append(out, paramView{ID: v.ID, Type: "String"})
		}
		if !given[name] {
			out[i].Values, given[name] = nil, true
		}
		out[i].Values = append(out[i].Values, v.Value)
		out[i].Secret = out[i].Secret || strings.HasPrefix(v.ID, "*")
	}
	for i := range out {
		if out[i].Secret {
			out[i].Values = []string{pipeline.Mask}
		}
	}
	return out
}
