package definition

import (
	"fmt"
	"strings"

	"github.com/datapipe/datapipe/internal/expr"
	"github.com/datapipe/datapipe/internal/pipeline"
)

// parsed is a field value parsed once per validation.
type parsed struct {
	t   *expr.Template
	err error
}

// template parses a field value, memoised: real definitions repeat the same
// expressions on many objects.
func (v *validation) template(raw string) (*expr.Template, error) {
	if v.parsed == nil {
		v.parsed = map[string]parsed{}
	}
	p, ok := v.parsed[raw]
	if !ok {
		p.t, p.err = expr.ParseTemplate(raw)
		if p.err == nil {
			p.err = p.t.Check()
		}
		v.parsed[raw] = p
	}
	return p.t, p.err
}

// checkExpressions parses the #{…} expressions of a string value and checks
// that every name they use resolves statically (objects.md §7.4, §7.9). It
// reports false when it found a problem.
func (v *validation) checkExpressions(o *pipeline.Object, f pipeline.Field) bool {
	if !strings.Contains(f.Value, "#{") {
		return true
	}
	t, err := v.template(f.Value)
	if err != nil {
		v.exprProblem(o.ID, f.Key, CodeInvalidExpression, err)
		return false
	}
	ok := true
	for _, p := range t.Paths() {
		if msg := v.resolvePath(o.ID, p.Segments); msg != "" {
			v.exprProblem(o.ID, f.Key, CodeUnknownName, &expr.Error{Pos: p.Pos, Msg: msg})
			ok = false
		}
	}
	return ok
}

func (v *validation) exprProblem(id, key, code string, err error) {
	pos := -1
	if e, ok := err.(*expr.Error); ok {
		pos = e.Pos
	}
	v.res.Problems = append(v.res.Problems, Problem{Severity: Error, Object: id, Field: key, Code: code,
		Message: "has an invalid expression " + err.Error(), Pos: pos})
}

// resolvePath returns why a name path cannot be resolved on object id, or
// "" when it can (or can only be known at run time).
func (v *validation) resolvePath(id string, segs []string) string {
	first := segs[0]
	switch {
	case runtimeName(first):
		return ""
	case v.isParam(first):
		return ""
	case !v.has(id, first):
		return v.unresolved(id, first)
	}
	return v.followPath(id, segs)
}

// runtimeName reports names that only resolve at run time or always
// resolve: runtime fields, node, and the object's own id, name, type and
// parent.
func runtimeName(name string) bool {
	switch name {
	case "node", "id", "name", "type", "parent":
		return true
	}
	return strings.HasPrefix(name, "@")
}

func (v *validation) isParam(name string) bool {
	_, ok := v.params.Lookup(name)
	return ok
}

// unresolved explains an unknown first segment, unless an object that
// inherits from id defines it (a Default or abstract parent may use fields
// its children set).
func (v *validation) unresolved(id, name string) string {
	if v.definedByDescendant(id, name) {
		return ""
	}
	if pipeline.IsUserField(pipeline.ParameterName(name)) {
		return fmt.Sprintf("names %q, which is neither a declared parameter, a parameter value, nor a field of this object", name)
	}
	return fmt.Sprintf("names field %q, which is not set on this object", name)
}

func (v *validation) definedByDescendant(id, name string) bool {
	if id != pipeline.DefaultID && len(v.kids[id]) == 0 {
		return false
	}
	for _, other := range v.ix.order {
		if other != id && v.inChain(other, id) && v.has(other, name) {
			return true
		}
	}
	return false
}

func (v *validation) inChain(id, ancestor string) bool {
	for _, o := range v.ix.chain(id) {
		if o.ID == ancestor {
			return true
		}
	}
	return false
}

// followPath checks the hops of a path through reference fields:
// #{input.directoryPath} needs directoryPath to be set on the input.
func (v *validation) followPath(id string, segs []string) string {
	cur := id
	for i := 0; i < len(segs)-1; i++ {
		next, ok := v.refTarget(cur, segs[i])
		if !ok {
			return fmt.Sprintf("reads %q of %q, but %q is not a reference", segs[i+1], segs[i], segs[i])
		}
		if next == "" || runtimeName(segs[i+1]) {
			return ""
		}
		if !v.has(next, segs[i+1]) {
			return fmt.Sprintf("reads field %q of %q (%s), which is not set there", segs[i+1], segs[i], next)
		}
		cur = next
	}
	return ""
}

// refTarget returns the object a reference field points to ("" when it
// points nowhere known) and false when the field holds a string.
func (v *validation) refTarget(id, key string) (string, bool) {
	for _, f := range v.ix.effective(id) {
		if f.Key != key {
			continue
		}
		if !f.Ref {
			return "", false
		}
		if _, ok := v.ix.objects[f.Value]; ok {
			return f.Value, true
		}
		return "", true
	}
	return "", true
}

// literal returns raw with its parameter references substituted, when that
// leaves a literal: every expression is a bare parameter name with a value.
// Otherwise it reports false (the value needs run-time evaluation).
func (v *validation) literal(raw string) (string, bool) {
	if !strings.Contains(raw, "#{") {
		return raw, true
	}
	t, err := v.template(raw)
	if err != nil || !v.onlyParams(t) {
		return "", false
	}
	out, err := t.Render(paramScope{v.params})
	if err != nil || len(out) != 1 {
		return "", false
	}
	return out[0], true
}

// literalOr returns the substituted literal, or raw when there is none.
func (v *validation) literalOr(raw string) string {
	if s, ok := v.literal(raw); ok {
		return s
	}
	return raw
}

// onlyParams reports whether every expression of t is a bare parameter name
// that has a value.
func (v *validation) onlyParams(t *expr.Template) bool {
	exprs, paths := t.Exprs(), t.Paths()
	if len(exprs) != len(paths) {
		return false
	}
	for i, p := range paths {
		par, ok := v.params.Lookup(p.Segments[0])
		if len(p.Segments) != 1 || exprs[i].String() != p.Segments[0] || !ok || len(par.Values) == 0 {
			return false
		}
	}
	return true
}

// expandsToList reports whether a value is exactly one array parameter with
// several values, which would make the field multi-valued.
func (v *validation) expandsToList(o *pipeline.Object, f pipeline.Field) bool {
	if f.Ref || !strings.HasPrefix(f.Value, "#{") {
		return false
	}
	t, err := v.template(f.Value)
	if err != nil || len(t.Exprs()) != 1 || !v.onlyParams(t) {
		return false
	}
	out, err := t.Render(paramScope{v.params})
	return err == nil && len(out) > 1
}

// paramScope resolves only parameters: it is the scope of parameter
// substitution.
type paramScope struct{ params *Params }

// Lookup implements expr.Scope.
func (s paramScope) Lookup(name string) (expr.Value, error) {
	p, ok := s.params.Lookup(name)
	if !ok || len(p.Values) == 0 {
		return expr.Value{}, fmt.Errorf("%q: %w", name, expr.ErrUnknownName)
	}
	return paramValue(p), nil
}

// paramValue is a parameter's value as an expression value: a string, or a
// list of strings for an array.
func paramValue(p *Param) expr.Value {
	if len(p.Values) == 1 {
		return expr.StringValue(p.Values[0])
	}
	vs := make([]expr.Value, len(p.Values))
	for i, s := range p.Values {
		vs[i] = expr.StringValue(s)
	}
	return expr.ListValue(vs)
}
