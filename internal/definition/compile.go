package definition

import (
	"github.com/datapipe/datapipe/internal/pipeline"
)

// Graph is a compiled definition: every component with its effective
// (inherited) fields, the edges between components, and the resolved
// parameters. It is what the engine schedules and what evaluation runs on.
// A Graph is immutable once built and safe for concurrent readers.
type Graph struct {
	// Components are in definition order, Default and abstract parents
	// included (they have an empty Type).
	Components []*Component
	// Edges are every reference between components, in definition order.
	Edges []Edge
	// Params are the parameters with their resolved values.
	Params *Params
	// OnDemand: Default sets scheduleType ondemand.
	OnDemand bool
	byID     map[string]*Component
}

// Component is one object of a compiled definition.
type Component struct {
	ID   string
	Name string
	// Type is the object's type, "" for Default and abstract parents.
	Type string
	// Spec is the type's catalog entry, nil when Type is "".
	Spec *TypeSpec
	// Fields are the effective fields: the object's own, then those it
	// inherits. Values are unevaluated; use Graph.Eval for run-time values.
	Fields []pipeline.Field
}

// Category returns the component's category, "" when it has no type.
func (c *Component) Category() Category {
	if c.Spec == nil {
		return ""
	}
	return c.Spec.Category
}

// Refs returns the ids a reference field points to, in order.
func (c *Component) Refs(key string) []string {
	var out []string
	for _, f := range c.Fields {
		if f.Key == key && f.Ref {
			out = append(out, f.Value)
		}
	}
	return out
}

// Raw returns the unevaluated string values of a field, in order.
func (c *Component) Raw(key string) []string {
	var out []string
	for _, f := range c.Fields {
		if f.Key == key && !f.Ref {
			out = append(out, f.Value)
		}
	}
	return out
}

// Edge is a reference from one component to another through a field:
// From's field Kind names To (dependsOn, input, output, runsOn, schedule,
// precondition, onFail, …).
type Edge struct {
	From string
	To   string
	Kind string
}

// Component returns the component with the given id.
func (g *Graph) Component(id string) (*Component, bool) {
	c, ok := g.byID[id]
	return c, ok
}

// Compile validates a definition and, when it has no errors, compiles it
// into a Graph. The Result is always returned; the Graph is nil when the
// Result is errored.
func Compile(def *Definition, cat *Catalog, opt Options) (*Graph, *Result) {
	v := newValidation(def, cat, opt)
	if def == nil {
		return nil, Validate(def, cat, opt)
	}
	v.run()
	if v.res.Errored() {
		return nil, v.res
	}
	return v.graph(), v.res
}

// graph builds the Graph from a finished validation, reusing its index.
func (v *validation) graph() *Graph {
	g := &Graph{Params: v.params, OnDemand: v.onDemand, byID: make(map[string]*Component, len(v.ix.order))}
	for _, id := range v.ix.order {
		c := v.component(id)
		g.Components = append(g.Components, c)
		g.byID[id] = c
		g.Edges = append(g.Edges, edgesOf(c)...)
	}
	return g
}

func (v *validation) component(id string) *Component {
	o := v.ix.objects[id]
	c := &Component{ID: id, Name: o.Name, Type: v.ix.typeOf(id), Fields: v.ix.effective(id)}
	if c.Name == "" {
		c.Name = id
	}
	c.Spec, _ = v.cat.Type(c.Type)
	return c
}

// edgesOf returns a component's references, the inherited ones included,
// except parent (inheritance is already resolved into Fields).
func edgesOf(c *Component) []Edge {
	var out []Edge
	for _, f := range c.Fields {
		if f.Ref && f.Key != "parent" {
			out = append(out, Edge{From: c.ID, To: f.Value, Kind: f.Key})
		}
	}
	return out
}
