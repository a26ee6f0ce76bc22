package definition

import (
	"fmt"
	"strings"

	"github.com/datapipe/datapipe/internal/expr"
	"github.com/datapipe/datapipe/internal/pipeline"
)

// scope evaluates names for one component in one environment. It
// implements expr.Object. Scopes created while evaluating one value share
// an evaluation, which tracks the fields being evaluated to catch cycles.
type scope struct {
	g    *Graph
	comp *Component
	env  *Env
	ev   *evaluation
}

// evaluation is the state shared by one top-level evaluation: the fields
// being evaluated (to catch cycles) and the fields already evaluated.
// Evaluation is pure within one environment, so memoising by component,
// environment and key is safe, and it keeps a value that uses another
// field many times from growing exponentially.
type evaluation struct {
	active map[string]bool
	depth  int
	memo   map[memoKey][]expr.Value
}

type memoKey struct {
	comp string
	env  *Env
	key  string
}

var _ expr.Object = (*scope)(nil)

func (g *Graph) scope(id string, env *Env) (*scope, error) {
	c, ok := g.byID[id]
	if !ok {
		return nil, pipeline.Errorf(pipeline.CodeInvalidRequest, "object %q is not in the pipeline definition", id)
	}
	return &scope{g: g, comp: c, env: env, ev: &evaluation{active: map[string]bool{}, memo: map[memoKey][]expr.Value{}}}, nil
}

// ID implements expr.Object: at run time the instance id, else the
// component id.
func (s *scope) ID() string {
	if v, ok := s.runtime("@id"); ok {
		return v.String()
	}
	return s.comp.ID
}

// Lookup implements expr.Scope (objects.md §7.4): runtime fields, node,
// parameters (which win over a field of the same name), then fields
// through inheritance.
func (s *scope) Lookup(name string) (expr.Value, error) {
	switch {
	case strings.HasPrefix(name, "@"):
		return s.runtimeField(name)
	case name == "node":
		return s.node()
	case name == "id":
		return expr.StringValue(s.comp.ID), nil
	case name == "name":
		return expr.StringValue(s.comp.Name), nil
	case name == "parent" && s.env != nil:
		return expr.RefValue(s.componentScope()), nil
	}
	if p, ok := s.g.Params.Lookup(name); ok && len(p.Values) > 0 {
		return paramValue(p), nil
	}
	vals, err := s.field(name)
	if err != nil {
		return expr.Value{}, err
	}
	if len(vals) == 0 {
		// Runtime fields without @ (errorMessage, errorId, errorStackTrace,
		// hostname…): #{node.errorMessage} in an SnsAlarm.
		if v, ok := s.runtime(name); ok {
			return v, nil
		}
		return expr.Value{}, fmt.Errorf("field %q is not set on %q: %w", name, s.comp.ID, expr.ErrUnknownName)
	}
	if len(vals) == 1 {
		return vals[0], nil
	}
	return expr.ListValue(vals), nil
}

func (s *scope) runtime(name string) (expr.Value, bool) {
	if s.env == nil {
		return expr.Value{}, false
	}
	v, ok := s.env.Runtime[name]
	return v, ok
}

func (s *scope) runtimeField(name string) (expr.Value, error) {
	if v, ok := s.runtime(name); ok {
		return v, nil
	}
	if name == "@id" {
		return expr.StringValue(s.comp.ID), nil
	}
	return expr.Value{}, fmt.Errorf("runtime field %q has no value on %q (it is only known at run time): %w", name, s.comp.ID, expr.ErrUnknownName)
}

func (s *scope) node() (expr.Value, error) {
	if s.env == nil || s.env.Node == nil {
		return expr.Value{}, fmt.Errorf("'node' is only defined when evaluating a precondition or an action: %w", expr.ErrUnknownName)
	}
	return expr.RefValue(s.bindTo(s.env.Node.ComponentID, s.env.Node.Env)), nil
}

// componentScope is the runtime parent of an instance: its component, whose
// @id is the component id (objects.md §3.1 rule 8).
func (s *scope) componentScope() *scope {
	env := &Env{Runtime: map[string]expr.Value{"@id": expr.StringValue(s.comp.ID)}}
	return &scope{g: s.g, comp: s.comp, env: env, ev: s.ev}
}

// bindTo returns the scope of another component in the given environment.
func (s *scope) bindTo(id string, env *Env) *scope {
	c, ok := s.g.byID[id]
	if !ok {
		c = &Component{ID: id, Name: id}
	}
	return &scope{g: s.g, comp: c, env: env, ev: s.ev}
}

// refScope binds a referenced component through the environment's Bind.
func (s *scope) refScope(id string) *scope {
	env := s.env
	if s.env != nil && s.env.Bind != nil {
		if e := s.env.Bind(id); e != nil {
			env = e
		}
	}
	return s.bindTo(id, env)
}

// field evaluates every value of a field of this component. Values are
// evaluated in this scope, so an inherited field sees the inheriting
// object's runtime fields.
func (s *scope) field(key string) ([]expr.Value, error) {
	mk := memoKey{comp: s.comp.ID, env: s.env, key: key}
	if vals, ok := s.ev.memo[mk]; ok {
		return vals, nil
	}
	vals, err := s.evalField(key)
	if err == nil {
		s.ev.memo[mk] = vals
	}
	return vals, err
}

func (s *scope) evalField(key string) ([]expr.Value, error) {
	guard := s.comp.ID + "\x00" + key
	if s.ev.active[guard] || s.ev.depth >= maxEvalDepth {
		return nil, fmt.Errorf("object %q field %q: the value refers back to itself", s.comp.ID, key)
	}
	s.ev.active[guard] = true
	s.ev.depth++
	defer func() { delete(s.ev.active, guard); s.ev.depth-- }()
	var out []expr.Value
	for _, f := range s.comp.Fields {
		if f.Key != key {
			continue
		}
		v, err := s.value(f)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}

func (s *scope) value(f pipeline.Field) (expr.Value, error) {
	if f.Ref {
		return expr.RefValue(s.refScope(f.Value)), nil
	}
	if !strings.Contains(f.Value, "#{") {
		return expr.StringValue(f.Value), nil
	}
	t, err := expr.ParseTemplate(f.Value)
	if err != nil {
		return expr.Value{}, fmt.Errorf("object %q field %q: %w", s.comp.ID, f.Key, err)
	}
	v, err := t.Eval(s)
	if err != nil {
		return expr.Value{}, fmt.Errorf("object %q field %q: %w", s.comp.ID, f.Key, err)
	}
	return v, nil
}

// resolveField evaluates a field into pipeline fields: strings evaluated
// (an array parameter expands into several fields), references kept.
func (s *scope) resolveField(key string) ([]pipeline.Field, error) {
	var out []pipeline.Field
	for _, f := range s.comp.Fields {
		if f.Key != key {
			continue
		}
		if f.Ref {
			out = append(out, f)
			continue
		}
		v, err := s.value(f)
		if err != nil {
			return nil, err
		}
		for _, str := range v.Strings() {
			out = append(out, pipeline.String(key, str))
		}
	}
	return out, nil
}
