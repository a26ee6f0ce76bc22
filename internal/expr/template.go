package expr

import (
	"strings"
)

// Template is a parsed field value: literal text interleaved with #{…}
// expressions. A Template is immutable and safe for concurrent use.
type Template struct {
	parts []part
}

// part is a literal text (expr nil) or one expression.
type part struct {
	text string
	expr Node
}

// ParseTemplate parses a field value. "#{" starts an expression that runs
// to the first "}" outside a string literal. "\#{" stands for a literal
// "#{"; every other character, including "$" in "${NAME}" and a backslash
// not followed by "#{", is literal text. Errors are *Error positioned in s:
// an unterminated "#{" is reported at the "#", other syntax errors at the
// offending token.
func ParseTemplate(s string) (*Template, error) {
	t := &Template{}
	var text strings.Builder
	for i := 0; i < len(s); {
		switch {
		case strings.HasPrefix(s[i:], `\#{`):
			text.WriteString("#{")
			i += 3
		case strings.HasPrefix(s[i:], "#{"):
			n, end, err := parseEmbedded(s, i)
			if err != nil {
				return nil, err
			}
			t.addText(&text)
			t.parts = append(t.parts, part{expr: n})
			i = end
		default:
			j := nextSpecial(s, i+1)
			text.WriteString(s[i:j])
			i = j
		}
	}
	t.addText(&text)
	return t, nil
}

// nextSpecial returns the index of the next "#" or "\" at or after i, or
// len(s).
func nextSpecial(s string, i int) int {
	if k := strings.IndexAny(s[i:], `#\`); k >= 0 {
		return i + k
	}
	return len(s)
}

// parseEmbedded parses the expression of the "#{" at open and returns it
// with the offset just past its closing "}".
func parseEmbedded(s string, open int) (Node, int, error) {
	toks, end, err := lex(s, open+2, open, true)
	if err != nil {
		return nil, 0, err
	}
	n, err := parseTokens(toks)
	if err != nil {
		return nil, 0, err
	}
	return n, end, nil
}

// addText appends the accumulated text, if any, as a literal part.
func (t *Template) addText(b *strings.Builder) {
	if b.Len() > 0 {
		t.parts = append(t.parts, part{text: b.String()})
		b.Reset()
	}
}

// HasExpr reports whether the template contains at least one expression.
func (t *Template) HasExpr() bool {
	for _, p := range t.parts {
		if p.expr != nil {
			return true
		}
	}
	return false
}

// Literal returns the template's text and true when it contains no
// expression (with "\#{" already turned into "#{"), or "" and false.
func (t *Template) Literal() (string, bool) {
	if t.HasExpr() {
		return "", false
	}
	var b strings.Builder
	for _, p := range t.parts {
		b.WriteString(p.text)
	}
	return b.String(), true
}

// Exprs returns the template's expressions in order.
func (t *Template) Exprs() []Node {
	var out []Node
	for _, p := range t.parts {
		if p.expr != nil {
			out = append(out, p.expr)
		}
	}
	return out
}

// Paths returns every name path the template references, in source order,
// including paths inside function arguments and method receivers. A path
// referenced twice appears twice.
func (t *Template) Paths() []Path {
	var out []Path
	for _, n := range t.Exprs() {
		Inspect(n, func(n Node) bool {
			if p, ok := n.(*PathExpr); ok {
				out = append(out, p.Path())
			}
			return true
		})
	}
	return out
}

// String renders the template in canonical form: literal "#{" escaped as
// "\#{" and each expression in canonical form. Parsing the result gives an
// equivalent template.
func (t *Template) String() string {
	var b strings.Builder
	for _, p := range t.parts {
		if p.expr == nil {
			b.WriteString(strings.ReplaceAll(p.text, "#{", `\#{`))
			continue
		}
		b.WriteString("#{" + p.expr.String() + "}")
	}
	return b.String()
}

// Eval evaluates the template in scope s.
//
// A template that is exactly one expression (no text around it) evaluates to
// that expression's value, whatever its kind, so "#{myList}" is a List and
// "#{@scheduledStartTime}" a DateTime. A template without expressions is its
// literal text. Otherwise the result is the concatenation of the text and
// each expression's rendering (Value.String): a String when no expression
// yields a list; when some do, a List holding one String for every
// combination of their elements (cartesian product, earlier expressions
// varying slowest), so "a-#{myList}" maps the text over the list and an
// empty list yields an empty List. Errors are *Error from the first failing
// expression, left to right.
func (t *Template) Eval(s Scope) (Value, error) {
	if len(t.parts) == 1 && t.parts[0].expr != nil {
		return Eval(t.parts[0].expr, s)
	}
	vals := make([]Value, len(t.parts))
	for i, p := range t.parts {
		vals[i] = StringValue(p.text)
		if p.expr == nil {
			continue
		}
		v, err := Eval(p.expr, s)
		if err != nil {
			return Value{}, err
		}
		vals[i] = v
	}
	return concat(vals, t.pos())
}

// pos is the offset of the template's first expression, for errors about
// the template as a whole.
func (t *Template) pos() int {
	for _, p := range t.parts {
		if p.expr != nil {
			return p.expr.Pos()
		}
	}
	return 0
}

// concat joins the renderings of vals, mapping over lists.
func concat(vals []Value, pos int) (Value, error) {
	return mapValues(vals, pos, func(a []Value) (Value, error) {
		var b strings.Builder
		for _, v := range a {
			b.WriteString(v.String())
		}
		return StringValue(b.String()), nil
	})
}

// Render evaluates the template and returns its value as strings: one
// string for a scalar, one per element for a List (none for an empty
// List). Errors are those of Eval.
func (t *Template) Render(s Scope) ([]string, error) {
	v, err := t.Eval(s)
	if err != nil {
		return nil, err
	}
	return v.Strings(), nil
}
