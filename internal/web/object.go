package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"

	"github.com/datapipe/datapipe/internal/control"
	"github.com/datapipe/datapipe/internal/explain"
	"github.com/datapipe/datapipe/internal/pipeline"
	"github.com/datapipe/datapipe/internal/scheduler"
	"github.com/datapipe/datapipe/internal/store"
)

// objectData is the page of an instance or an attempt.
type objectData struct {
	PipelineID string
	Object     store.Object
	Fields     []pipeline.Field
	Attempts   []store.Object
	Why        *explain.Explanation
	Log        *logChunk
	IsInstance bool
}

// objectPage shows an instance (fields, attempts, why it waits, actions)
// or an attempt (fields, error, log).
func (c *Console) objectPage(q *request) (*view, error) {
	ctx := q.r.Context()
	p, err := c.loadPipeline(ctx, q)
	if err != nil {
		return nil, err
	}
	o, err := c.object(ctx, p.ID, q.r.URL.Query().Get("id"))
	if err != nil {
		return nil, err
	}
	d := &objectData{PipelineID: p.ID, Object: o, Fields: maskFields(o.Fields), IsInstance: o.Sphere == pipeline.SphereInstance}
	if d.IsInstance {
		err = c.fillInstance(ctx, q.caller, d)
	} else {
		d.Log = c.readLog(o, 0)
	}
	if err != nil {
		return nil, err
	}
	return &view{Template: "object", Title: o.ID, Nav: "pipelines", PipelineID: p.ID, PipelineName: p.Name,
		Flash: q.r.URL.Query().Get("msg"), Data: d}, nil
}

// object reads an instance or attempt by id.
func (c *Console) object(ctx context.Context, pipelineID, id string) (store.Object, error) {
	objs, err := c.cfg.Store.ObjectGet(ctx, store.ObjectGetParams{PipelineID: pipelineID, IDs: []string{id}})
	if err != nil {
		return store.Object{}, fmt.Errorf("object %s: %w", id, err)
	}
	if len(objs) == 0 || objs[0].Sphere == pipeline.SphereComponent {
		return store.Object{}, fmt.Errorf("pipeline %s has no instance or attempt %q: %w", pipelineID, id, errNotFound)
	}
	return objs[0], nil
}

// fillInstance adds an instance's attempts and explanation.
func (c *Console) fillInstance(ctx context.Context, caller control.Caller, d *objectData) error {
	atts, err := c.attempts(ctx, d.Object)
	if err != nil {
		return fmt.Errorf("attempts of %s: %w", d.Object.ID, err)
	}
	d.Attempts = atts
	e, err := c.explain(ctx, caller, d.PipelineID, d.Object.ID)
	if err != nil {
		return err
	}
	d.Why = &e
	return nil
}

// attempts reads an instance's attempts: by id (attempt n of
// @attemptCount, a primary-key read each), else by @instanceParent.
func (c *Console) attempts(ctx context.Context, inst store.Object) ([]store.Object, error) {
	n, err := strconv.Atoi(fieldOf(inst.Fields, "@attemptCount"))
	if err != nil || n <= 0 || n > 200 {
		return c.cfg.Store.ObjectQuery(ctx, store.ObjectQueryParams{PipelineID: inst.PipelineID, Sphere: pipeline.SphereAttempt, Limit: 200,
			Filters: []store.ObjectFilter{{Field: "@instanceParent", Op: store.OpEQ, Values: []string{inst.ID}}}})
	}
	ids := make([]string, n)
	for i := range n {
		ids[i] = scheduler.AttemptID(inst.ID, i+1)
	}
	return c.cfg.Store.ObjectGet(ctx, store.ObjectGetParams{PipelineID: inst.PipelineID, IDs: ids})
}

// explain explains an instance (or an attempt's instance).
func (c *Console) explain(ctx context.Context, caller control.Caller, pipelineID, objectID string) (explain.Explanation, error) {
	l := explain.Loader{Store: c.cfg.Store, Graph: c.graphs.graph}
	f, err := l.Load(ctx, caller.AccountID, pipelineID, objectID, c.now())
	if errors.Is(err, store.ErrNotFound) || errors.Is(err, store.ErrDeleted) {
		return explain.Explanation{}, pipelineErr(pipelineID, err)
	}
	if err != nil {
		return explain.Explanation{}, err
	}
	return explain.Explain(f), nil
}

// explainJSON serves GET /console/api/explain?pipelineId=&objectId=.
func (c *Console) explainJSON(r *http.Request, caller control.Caller) (any, error) {
	q := r.URL.Query()
	id, oid := q.Get("pipelineId"), q.Get("objectId")
	if id == "" || oid == "" {
		return nil, badInput("pipelineId and objectId are required")
	}
	return c.explain(r.Context(), caller, id, oid)
}

// maskFields hides secret field values.
func maskFields(fs []pipeline.Field) []pipeline.Field {
	out := make([]pipeline.Field, len(fs))
	for i, f := range fs {
		if pipeline.IsSecretKey(f.Key) {
			f.Value = pipeline.Mask
		}
		out[i] = f
	}
	return out
}
