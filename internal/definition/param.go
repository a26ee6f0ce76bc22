package definition

import (
	"strconv"
	"strings"

	"github.com/datapipe/datapipe/internal/pipeline"
)

// Param is a declared (or implicitly declared) parameter with its resolved
// value.
type Param struct {
	// ID is the id as declared, with its "*" when the parameter is secret.
	ID       string
	Type     string
	Optional bool
	IsArray  bool
	Secret   bool
	Allowed  []string
	Default  []string
	// Declared is false for a value given without a declaration, which is
	// accepted as an optional String parameter (objects.md §8.1).
	Declared bool
	// Values is the resolved value: the explicit values, else the default.
	// Empty string values count as no value.
	Values []string
}

// Name returns the parameter's id without the secret marker.
func (p *Param) Name() string { return pipeline.ParameterName(p.ID) }

// Params is a definition's parameters, looked up with or without "*".
type Params struct {
	byName map[string]*Param
	order  []*Param
}

// Lookup returns the parameter named name ("myX" or "*myX").
func (ps *Params) Lookup(name string) (*Param, bool) {
	if ps == nil {
		return nil, false
	}
	p, ok := ps.byName[pipeline.ParameterName(name)]
	return p, ok
}

// All returns the parameters in declaration order, then undeclared values.
func (ps *Params) All() []*Param { return ps.order }

// isParamType reports whether t is one of the parameter types of
// objects.md §8.1 (compared case-insensitively).
func isParamType(t string) bool {
	return containsFold([]string{"String", "Integer", "Double", "AWS::S3::ObjectKey"}, t)
}

// resolveParams builds the parameter table and checks it (objects.md §8.3).
func resolveParams(def *Definition, lim Limits, r *Result) *Params {
	ps := &Params{byName: map[string]*Param{}}
	for i := range def.Parameters {
		ps.declare(&def.Parameters[i], r)
	}
	if len(ps.order) > lim.MaxParameters {
		r.errorf(ps.order[lim.MaxParameters].ID, "", CodeLimit,
			"too many parameters: %d declared, the limit is %d", len(ps.order), lim.MaxParameters)
	}
	ps.assign(def.Values, r)
	for _, p := range ps.order {
		p.check(r)
	}
	return ps
}

func (ps *Params) declare(po *pipeline.ParameterObject, r *Result) {
	name := pipeline.ParameterName(po.ID)
	if _, dup := ps.byName[name]; dup {
		r.errorf(po.ID, "", CodeInvalidParameter, "parameter %q is declared more than once", po.ID)
		return
	}
	if !pipeline.IsUserField(name) {
		r.errorf(po.ID, "", CodeInvalidParameter, "parameter id %q must start with \"my\" followed by an upper-case letter or \"_\"", po.ID)
	}
	p := &Param{ID: po.ID, Secret: po.Secret(), Declared: true, Allowed: po.All("allowedValues"), Default: nonEmpty(po.All("default"))}
	p.Type = firstOr(po, "type", "String")
	p.Optional = parseBoolAttr(po, "optional", r)
	p.IsArray = parseBoolAttr(po, "isArray", r)
	if !isParamType(p.Type) {
		r.errorf(po.ID, "type", CodeInvalidParameter, "unknown parameter type %q (want String, Integer, Double or AWS::S3::ObjectKey)", p.Type)
	}
	ps.byName[name] = p
	ps.order = append(ps.order, p)
}

func firstOr(po *pipeline.ParameterObject, key, def string) string {
	if v, ok := po.Get(key); ok && v != "" {
		return v
	}
	return def
}

func parseBoolAttr(po *pipeline.ParameterObject, key string, r *Result) bool {
	v, ok := po.Get(key)
	if !ok {
		return false
	}
	b, err := strconv.ParseBool(strings.ToLower(v))
	if err != nil {
		r.errorf(po.ID, key, CodeInvalidParameter, "value %q is not a boolean (true or false)", v)
	}
	return b
}

// assign attaches values; a value for an undeclared id declares an optional
// String parameter.
func (ps *Params) assign(values []pipeline.ParameterValue, r *Result) {
	given := map[string][]string{}
	for _, v := range values {
		name := pipeline.ParameterName(v.ID)
		p, ok := ps.byName[name]
		if !ok {
			p = &Param{ID: v.ID, Type: "String", Optional: true, Secret: strings.HasPrefix(v.ID, "*")}
			ps.byName[name] = p
			ps.order = append(ps.order, p)
		}
		if v.Value != "" {
			given[name] = append(given[name], v.Value)
		}
	}
	for _, p := range ps.order {
		p.Values = given[p.Name()]
		if len(p.Values) == 0 {
			p.Values = p.Default
		}
	}
}

// check validates the resolved value against the declaration.
func (p *Param) check(r *Result) {
	if len(p.Values) == 0 {
		if !p.Optional {
			r.errorf(p.ID, "", CodeMissingParameter, "parameter %q has no value and no default", p.ID)
		}
		return
	}
	if len(p.Values) > 1 && !p.IsArray {
		r.errorf(p.ID, "", CodeInvalidParameter, "parameter %q has %d values but is not declared with isArray true", p.ID, len(p.Values))
	}
	for _, v := range p.Values {
		if msg := p.badValue(v); msg != "" {
			r.errorf(p.ID, "", CodeInvalidParameter, "parameter %q value %q %s", p.ID, p.display(v), msg)
		}
	}
}

func (p *Param) badValue(v string) string {
	if len(p.Allowed) > 0 && !contains(p.Allowed, v) {
		return "is not one of the allowedValues " + strings.Join(p.Allowed, ", ")
	}
	switch strings.ToLower(p.Type) {
	case "integer":
		if _, err := strconv.ParseInt(v, 10, 64); err != nil {
			return "is not an Integer"
		}
	case "double":
		if _, err := strconv.ParseFloat(v, 64); err != nil {
			return "is not a Double"
		}
	case "aws::s3::objectkey":
		if !strings.HasPrefix(v, "s3://") && !strings.HasPrefix(v, "file://") && !strings.Contains(v, "#{") {
			return "is not an s3:// (or file://) URI"
		}
	}
	return ""
}

// display returns v, or the mask for a secret parameter.
func (p *Param) display(v string) string {
	if p.Secret {
		return pipeline.Mask
	}
	return v
}

func nonEmpty(vs []string) []string {
	var out []string
	for _, v := range vs {
		if v != "" {
			out = append(out, v)
		}
	}
	return out
}

func contains(vs []string, v string) bool {
	for _, x := range vs {
		if x == v {
			return true
		}
	}
	return false
}

func containsFold(vs []string, v string) bool {
	for _, x := range vs {
		if strings.EqualFold(x, v) {
			return true
		}
	}
	return false
}
