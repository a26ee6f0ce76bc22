package control

import (
	"cmp"
	"context"
	"fmt"
	"strconv"

	"github.com/datapipe/datapipe/internal/definition"
	"github.com/datapipe/datapipe/internal/pipeline"
	"github.com/datapipe/datapipe/internal/store"
)

// maxTaskObjectDepth bounds how far references are followed when packing
// the objects a task needs (attempt → input node → its data format…).
const maxTaskObjectDepth = 3

// taskObject builds what a runner receives (api.md §6.4): the attempt with
// every effective field resolved and evaluated in its interval, plus every
// object it refers to, transitively, keyed by id.
func (s *Service) taskObject(ctx context.Context, t store.Task, att store.Object) (*TaskObject, error) {
	p, err := s.taskPipeline(ctx, t)
	if err != nil {
		return nil, err
	}
	g, err := s.graph(ctx, s.store, p.ID, cmp.Or(p.ActiveVersion, p.LatestVersion))
	if err != nil {
		return nil, err
	}
	env := envOf(att)
	for _, f := range att.Fields {
		if f.Key == "node" && f.Ref { // a precondition check: node is the object it guards
			env.Node = &definition.Binding{ComponentID: f.Value, Env: envOf(att)}
		}
	}
	objs := map[string]pipeline.Object{}
	attObj, err := resolveAttempt(g, p, att, env)
	if err != nil {
		return nil, err
	}
	objs[att.ID] = attObj
	if err := addReferenced(g, env, attObj, objs, 0); err != nil {
		return nil, err
	}
	return &TaskObject{TaskID: t.ID, PipelineID: p.ID, AttemptID: att.ID, Objects: objs}, nil
}

// taskPipeline is what a task object needs of its pipeline: its id and
// the definition version the task was planned from, which the task
// records (so a poll reads no pipeline); tasks queued before versions
// were recorded read the pipeline's active version.
func (s *Service) taskPipeline(ctx context.Context, t store.Task) (store.Pipeline, error) {
	if t.Version > 0 {
		return store.Pipeline{ID: t.PipelineID, AccountID: t.AccountID, ActiveVersion: t.Version}, nil
	}
	p, err := s.store.PipelineGet(ctx, store.PipelineGetParams{AccountID: t.AccountID, ID: t.PipelineID})
	if err != nil {
		return p, fmt.Errorf("task pipeline %s: %w", t.PipelineID, err)
	}
	return p, nil
}

// resolveAttempt is the attempt object: its runtime fields, then its
// component's effective fields evaluated in the attempt's environment.
func resolveAttempt(g *definition.Graph, p store.Pipeline, att store.Object, env *definition.Env) (pipeline.Object, error) {
	comp, err := g.Resolve(att.ComponentID, env)
	if err != nil {
		return pipeline.Object{}, fmt.Errorf("evaluate %s for attempt %s: %w", att.ComponentID, att.ID, err)
	}
	o := pipeline.Object{ID: att.ID, Name: att.ID, Fields: runtimeFields(p.ID, att)}
	o.Fields = append(o.Fields, pipeline.String("@version", strconv.Itoa(max(1, p.ActiveVersion))))
	for _, f := range comp.Fields {
		if f.Key != "parent" {
			o.Fields = append(o.Fields, f)
		}
	}
	return o, nil
}

// actionKeys are the fields that refer to actions. The service fires
// actions itself, after the attempt, with #{node.*} bound to the instance;
// a runner never needs them, and evaluating them here, where there is no
// node, would fail the task.
var actionKeys = map[string]bool{"onSuccess": true, "onFail": true, "onLateAction": true}

// addReferenced adds the objects o refers to, resolved in env, depth first.
func addReferenced(g *definition.Graph, env *definition.Env, o pipeline.Object, objs map[string]pipeline.Object, depth int) error {
	if depth >= maxTaskObjectDepth {
		return nil
	}
	for _, f := range o.Fields {
		if !f.Ref || pipeline.IsRuntimeKey(f.Key) || f.Key == "parent" || actionKeys[f.Key] {
			continue
		}
		if _, done := objs[f.Value]; done {
			continue
		}
		if _, ok := g.Component(f.Value); !ok {
			continue
		}
		ref, err := g.Resolve(f.Value, env)
		if err != nil {
			return fmt.Errorf("evaluate %s (the %s of %s): %w", f.Value, f.Key, o.ID, err)
		}
		objs[f.Value] = ref
		if err := addReferenced(g, env, ref, objs, depth+1); err != nil {
			return err
		}
	}
	return nil
}
