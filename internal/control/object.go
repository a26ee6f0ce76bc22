package control

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/datapipe/datapipe/internal/definition"
	"github.com/datapipe/datapipe/internal/pipeline"
	"github.com/datapipe/datapipe/internal/schedule"
	"github.com/datapipe/datapipe/internal/scheduler"
	"github.com/datapipe/datapipe/internal/store"
)

// view is what the object operations read: the pipeline, the definition
// in force (active, else latest), its graph when it compiles, and the
// component runtime rows (pauses).
type view struct {
	p     store.Pipeline
	def   definition.Definition
	graph *definition.Graph
	comps map[string]pipeline.Object
}

// loadView reads the pipeline and its definition in force.
func (s *Service) loadView(ctx context.Context, c Caller, id string) (*view, error) {
	p, err := s.getPipeline(ctx, s.store, c, id)
	if err != nil {
		return nil, err
	}
	version := p.ActiveVersion
	if version == 0 {
		version = p.LatestVersion
	}
	def, err := s.definitionVersion(ctx, s.store, id, version)
	if err != nil {
		return nil, err
	}
	v := &view{p: p, def: def, comps: map[string]pipeline.Object{}}
	for _, o := range def.Objects {
		v.comps[o.ID] = o
	}
	if version > 0 {
		v.graph, _ = s.graph(ctx, s.store, id, version)
	}
	return v, nil
}

// DescribeObjects returns components, instances or attempts by id in
// request order, omitting unknown ids, all in one page. With evaluate,
// string fields are expression-evaluated in each object's context; a field
// that cannot be evaluated is returned as written. Secret fields are
// masked.
func (s *Service) DescribeObjects(ctx context.Context, c Caller, id string, objectIDs []string, evaluate bool, marker string) ([]pipeline.Object, Page, error) {
	v, err := s.loadView(ctx, c, id)
	if err != nil {
		return nil, Page{}, err
	}
	runtime, err := s.store.ObjectGet(ctx, store.ObjectGetParams{PipelineID: id, IDs: objectIDs})
	if err != nil {
		return nil, Page{}, fmt.Errorf("describe objects of %s: %w", id, err)
	}
	byID := map[string]store.Object{}
	for _, o := range runtime {
		byID[o.ID] = o
	}
	out := make([]pipeline.Object, 0, len(objectIDs))
	for _, oid := range objectIDs {
		if o, ok := v.describeOne(oid, byID, evaluate); ok {
			out = append(out, o)
		}
	}
	return out, Page{}, nil
}

func (v *view) describeOne(oid string, runtime map[string]store.Object, evaluate bool) (pipeline.Object, bool) {
	if ro, ok := runtime[oid]; ok && ro.Sphere != pipeline.SphereComponent {
		return v.runtimeObject(ro, evaluate), true
	}
	if _, ok := v.comps[oid]; ok {
		return v.componentObject(oid, runtime[oid], evaluate), true
	}
	return pipeline.Object{}, false
}

// componentObject renders a component: its fields as submitted (parent
// materialised as Default when implicit) and its read-only fields.
func (v *view) componentObject(id string, row store.Object, evaluate bool) pipeline.Object {
	src := v.comps[id]
	o := pipeline.Object{ID: id, Name: src.Name}
	o.Fields = append(o.Fields, v.userFields(id, src.Fields, nil, evaluate)...)
	if _, ok := src.Get("parent"); !ok && id != pipeline.DefaultID {
		o.Fields = append(o.Fields, pipeline.Reference("parent", pipeline.DefaultID))
	}
	status := pipeline.Status("PENDING")
	if v.p.ActiveVersion > 0 {
		status = pipeline.StatusScheduled
	}
	if row.Status != "" {
		status = row.Status
	}
	o.Fields = append(o.Fields,
		pipeline.String("@sphere", string(pipeline.SphereComponent)),
		pipeline.String("@pipelineId", v.p.ID),
		pipeline.String("@version", fmt.Sprint(max(1, v.p.ActiveVersion))),
		pipeline.String("@status", string(status)))
	for _, f := range row.Fields {
		if pipeline.IsRuntimeKey(f.Key) {
			o.Fields = append(o.Fields, f)
		}
	}
	return o
}

// runtimeObject renders an instance or attempt: its runtime fields, then
// the component's effective fields.
func (v *view) runtimeObject(ro store.Object, evaluate bool) pipeline.Object {
	o := pipeline.Object{ID: ro.ID, Name: ro.ID, Fields: runtimeFields(v.p.ID, ro)}
	if c, ok := v.component(ro.ComponentID); ok {
		o.Fields = append(o.Fields, v.userFields(c.ID, c.Fields, envOf(ro), evaluate)...)
	}
	return o
}

func (v *view) component(id string) (*definition.Component, bool) {
	if v.graph == nil {
		return nil, false
	}
	return v.graph.Component(id)
}

// runtimeFields are an instance's or attempt's read-only fields
// (api.md §5.5, §5.6); @componentParent is what list-runs needs.
func runtimeFields(pipelineID string, ro store.Object) []pipeline.Field {
	f := []pipeline.Field{
		pipeline.String("@sphere", string(ro.Sphere)),
		pipeline.Reference("@componentParent", ro.ComponentID),
		pipeline.Reference("parent", ro.ComponentID),
	}
	if ro.InstanceID != "" {
		f = append(f, pipeline.Reference("@instanceParent", ro.InstanceID))
	}
	f = append(f, pipeline.String("@status", string(ro.Status)), pipeline.String("@pipelineId", pipelineID))
	for _, t := range []struct {
		key string
		at  time.Time
	}{{"@scheduledStartTime", ro.ScheduledStart}, {"@scheduledEndTime", ro.ScheduledEnd},
		{"@actualStartTime", ro.ActualStart}, {"@actualEndTime", ro.ActualEnd}} {
		if !t.at.IsZero() {
			f = append(f, pipeline.String(t.key, schedule.FormatDateTime(t.at)))
		}
	}
	return append(f, ro.Fields...)
}

// envOf is the evaluation environment of a runtime object.
func envOf(ro store.Object) *definition.Env { return scheduler.EnvOf(ro) }

// userFields returns fields for output: secrets masked and, with
// evaluate, string values evaluated where they can be.
func (v *view) userFields(compID string, fields []pipeline.Field, env *definition.Env, evaluate bool) []pipeline.Field {
	out := make([]pipeline.Field, 0, len(fields))
	for _, key := range (&pipeline.Object{Fields: fields}).Keys() {
		out = append(out, v.fieldValues(compID, key, fields, env, evaluate)...)
	}
	return out
}

func (v *view) fieldValues(compID, key string, fields []pipeline.Field, env *definition.Env, evaluate bool) []pipeline.Field {
	all := (&pipeline.Object{Fields: fields}).All(key)
	if pipeline.IsSecretKey(key) {
		return masked(all)
	}
	if !evaluate || v.graph == nil || pipeline.IsRuntimeKey(key) || key == "type" {
		return all
	}
	vals, err := v.graph.Eval(compID, key, env)
	if err != nil || all[0].Ref {
		return all
	}
	if v.usesSecret(all) {
		return masked(all)
	}
	out := make([]pipeline.Field, len(vals))
	for i, s := range vals {
		out[i] = pipeline.String(key, s)
	}
	return out
}

func masked(fs []pipeline.Field) []pipeline.Field {
	out := make([]pipeline.Field, len(fs))
	for i, f := range fs {
		out[i] = pipeline.String(f.Key, pipeline.Mask)
	}
	return out
}

// usesSecret reports whether a value refers to a secret parameter, whose
// evaluated value must not be shown.
func (v *view) usesSecret(fs []pipeline.Field) bool {
	for _, f := range fs {
		if strings.Contains(f.Value, "#{*") {
			return true
		}
		for _, p := range v.graph.Params.All() {
			if p.Secret && strings.Contains(f.Value, p.Name()) {
				return true
			}
		}
	}
	return false
}
