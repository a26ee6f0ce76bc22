package explain

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/datapipe/datapipe/internal/definition"
	"github.com/datapipe/datapipe/internal/pipeline"
	"github.com/datapipe/datapipe/internal/store"
)

// ErrNotInstance is returned by Load for an id that names neither an
// instance nor an attempt of the pipeline.
var ErrNotInstance = errors.New("not an instance or attempt")

// GraphFunc returns the compiled graph of a pipeline's definition
// version; nil (and no error) when the version does not compile.
type GraphFunc func(ctx context.Context, pipelineID string, version int) (*definition.Graph, error)

// Loader gathers Facts from a store.
type Loader struct {
	Store store.Queries
	// Graph compiles definitions (typically through a cache).
	Graph GraphFunc
}

// Load reads the facts about objectID, an instance or attempt (an attempt
// stands for its instance) of pipeline id in account, at now. The
// pipeline's errors are the store's (store.ErrNotFound, ErrDeleted); an
// unknown object or a component id is ErrNotInstance.
func (l Loader) Load(ctx context.Context, account, id, objectID string, now time.Time) (Facts, error) {
	p, err := l.Store.PipelineGet(ctx, store.PipelineGetParams{AccountID: account, ID: id})
	if err != nil {
		return Facts{}, fmt.Errorf("explain %s: %w", objectID, err)
	}
	inst, err := l.instance(ctx, id, objectID)
	if err != nil {
		return Facts{}, err
	}
	f := Facts{Now: now, Pipeline: p, Instance: inst, Related: map[string]store.Object{}, Attempts: map[string]store.Object{}}
	if v := cmp.Or(p.ActiveVersion, p.LatestVersion); v > 0 {
		if f.Graph, err = l.Graph(ctx, id, v); err != nil {
			return Facts{}, fmt.Errorf("explain %s: %w", objectID, err)
		}
	}
	if err := l.loadObjects(ctx, &f); err != nil {
		return Facts{}, fmt.Errorf("explain %s: %w", objectID, err)
	}
	return f, nil
}

// instance reads the instance objectID names (its own, or its attempt's).
func (l Loader) instance(ctx context.Context, id, objectID string) (store.Object, error) {
	o, err := l.one(ctx, id, objectID)
	if err != nil {
		return o, err
	}
	if o.Sphere == pipeline.SphereAttempt {
		o, err = l.one(ctx, id, o.InstanceID)
	}
	if err == nil && o.Sphere != pipeline.SphereInstance {
		err = fmt.Errorf("explain %s: %w (it is a component: give one of its instances)", objectID, ErrNotInstance)
	}
	return o, err
}

func (l Loader) one(ctx context.Context, id, objectID string) (store.Object, error) {
	objs, err := l.Store.ObjectGet(ctx, store.ObjectGetParams{PipelineID: id, IDs: []string{objectID}})
	if err != nil {
		return store.Object{}, fmt.Errorf("explain %s: %w", objectID, err)
	}
	if len(objs) == 0 {
		return store.Object{}, fmt.Errorf("explain %s: %w in pipeline %s", objectID, ErrNotInstance, id)
	}
	return objs[0], nil
}

// loadObjects reads the component row, the related instances and head
// attempts, the active instances and the runners.
func (l Loader) loadObjects(ctx context.Context, f *Facts) error {
	o := f.Instance
	ids := append([]string{o.ComponentID}, refValues(o.Fields, "@waitingOn")...)
	objs, err := l.Store.ObjectGet(ctx, store.ObjectGetParams{PipelineID: o.PipelineID, IDs: ids})
	if err != nil {
		return err
	}
	heads := []string{refValue(o.Fields, "@headAttempt")}
	for _, r := range objs {
		if r.Sphere == pipeline.SphereComponent {
			f.ComponentRow = r
			continue
		}
		f.Related[r.ID] = r
		heads = append(heads, refValue(r.Fields, "@headAttempt"))
	}
	if err := l.loadAttempts(ctx, f, heads); err != nil {
		return err
	}
	if f.Active, err = l.active(ctx, o); err != nil {
		return err
	}
	f.Runners, err = l.Store.RunnerList(ctx, store.RunnerListParams{AccountID: f.Pipeline.AccountID})
	return err
}

func (l Loader) loadAttempts(ctx context.Context, f *Facts, ids []string) error {
	atts, err := l.Store.ObjectGet(ctx, store.ObjectGetParams{PipelineID: f.Pipeline.ID, IDs: ids})
	for _, a := range atts {
		f.Attempts[a.ID] = a
	}
	return err
}

// active lists the component's instances that hold a slot, other than o.
func (l Loader) active(ctx context.Context, o store.Object) ([]store.Object, error) {
	objs, err := l.Store.ObjectQuery(ctx, store.ObjectQueryParams{PipelineID: o.PipelineID, Sphere: pipeline.SphereInstance, Limit: 100,
		Filters: []store.ObjectFilter{{Field: "@componentParent", Op: store.OpEQ, Values: []string{o.ComponentID}},
			{Field: "@status", Op: store.OpEQ, Values: []string{string(pipeline.StatusWaitingForRunner), string(pipeline.StatusRunning)}}}})
	out := objs[:0]
	for _, a := range objs {
		if a.ID != o.ID {
			out = append(out, a)
		}
	}
	return out, err
}
