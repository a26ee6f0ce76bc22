package definition

import (
	"fmt"
	"strings"

	"github.com/datapipe/datapipe/internal/expr"
	"github.com/datapipe/datapipe/internal/pipeline"
)

// Env is the run-time environment of an evaluation: the runtime (@) fields
// of the instance or attempt being evaluated, the node an action or
// precondition is evaluated for, and how referenced components bind.
// A nil *Env evaluates on components, where runtime fields do not resolve.
type Env struct {
	// Runtime maps runtime field names ("@scheduledStartTime", "@id", …)
	// to values.
	Runtime map[string]expr.Value
	// Node is the object a precondition checks or an action fires for.
	Node *Binding
	// Bind returns the environment of a component this one refers to (the
	// matching data node instance of an input, say). When Bind is nil, or
	// returns nil, the referenced component shares this Runtime.
	Bind func(componentID string) *Env
}

// Binding is a component in an environment: at run time, an instance.
type Binding struct {
	ComponentID string
	Env         *Env
}

// maxEvalDepth bounds nested field evaluation so that a field that refers
// to itself through other fields fails cleanly instead of recursing.
const maxEvalDepth = 64

// Eval returns the values of one field of a component, evaluated in env:
// parameters substituted, expressions evaluated, list values flattened. A
// reference value evaluates to the referenced id. Errors name the object,
// the field and the position in the expression.
func (g *Graph) Eval(id, key string, env *Env) ([]string, error) {
	s, err := g.scope(id, env)
	if err != nil {
		return nil, err
	}
	vals, err := s.field(key)
	if err != nil {
		return nil, err
	}
	return renderAll(vals), nil
}

// EvalString returns the single value of a field; "" when it is unset. A
// field with several values is an error.
func (g *Graph) EvalString(id, key string, env *Env) (string, error) {
	vs, err := g.Eval(id, key, env)
	switch {
	case err != nil:
		return "", err
	case len(vs) > 1:
		return "", fmt.Errorf("object %q field %q: has %d values where one is expected", id, key, len(vs))
	case len(vs) == 0:
		return "", nil
	}
	return vs[0], nil
}

// Evaluate evaluates a template (text with #{…} expressions) in the context
// of a component, as the EvaluateExpression API does.
func (g *Graph) Evaluate(id, template string, env *Env) (string, error) {
	s, err := g.scope(id, env)
	if err != nil {
		return "", err
	}
	t, err := expr.ParseTemplate(template)
	if err != nil {
		return "", fmt.Errorf("object %q expression: %w", id, err)
	}
	out, err := t.Render(s)
	if err != nil {
		return "", fmt.Errorf("object %q expression: %w", id, err)
	}
	return strings.Join(out, ","), nil
}

// Resolve returns the component as an object whose string fields are all
// evaluated in env, references kept as references. It is what a task
// runner receives.
func (g *Graph) Resolve(id string, env *Env) (pipeline.Object, error) {
	s, err := g.scope(id, env)
	if err != nil {
		return pipeline.Object{}, err
	}
	c := s.comp
	out := pipeline.Object{ID: id, Name: c.Name}
	for _, key := range keysOf(c.Fields) {
		fs, err := s.resolveField(key)
		if err != nil {
			return pipeline.Object{}, err
		}
		out.Fields = append(out.Fields, fs...)
	}
	return out, nil
}

func keysOf(fields []pipeline.Field) []string {
	o := pipeline.Object{Fields: fields}
	return o.Keys()
}

func renderAll(vals []expr.Value) []string {
	var out []string
	for _, v := range vals {
		out = append(out, v.Strings()...)
	}
	return out
}
