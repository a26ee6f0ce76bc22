package expr

import (
	"strconv"
)

// Limits that keep parsing and evaluation bounded on any input.
const (
	// MaxNesting is the deepest nesting of parentheses, calls, negations and
	// "^" chains an expression may have.
	MaxNesting = 100
	// MaxNodes is the largest number of nodes one expression may have. It
	// bounds the depth of left-associative chains such as a+b+c+….
	MaxNodes = 10000
)

// Parse parses one bare expression (without the surrounding "#{" "}"), for
// example "format(@scheduledStartTime, 'YYYY')". Positions in the returned
// nodes and in errors are byte offsets in src. Syntax errors are *Error.
func Parse(src string) (Node, error) {
	toks, _, err := lex(src, 0, 0, false)
	if err != nil {
		return nil, err
	}
	return parseTokens(toks)
}

// parseTokens parses one expression from toks, which end with tEOF (bare
// expression) or tRBrace (template); that final token must directly follow
// the expression.
func parseTokens(toks []token) (Node, error) {
	p := &parser{toks: toks}
	end := toks[len(toks)-1].kind
	if t := p.peek(); t.kind == end {
		return nil, errorf(t.pos, "empty expression")
	}
	n, err := p.expr()
	if err != nil {
		return nil, err
	}
	if t := p.peek(); t.kind != end || p.i != len(toks)-1 {
		return nil, errorf(t.pos, "unexpected %s after expression", t.describe())
	}
	return n, nil
}

// parser is a recursive-descent parser over a token slice. depth counts the
// current nesting and nodes the nodes built so far.
type parser struct {
	toks  []token
	i     int
	depth int
	nodes int
}

func (p *parser) peek() token { return p.toks[p.i] }

// advance consumes and returns the current token; the final token is never
// consumed.
func (p *parser) advance() token {
	t := p.toks[p.i]
	if p.i < len(p.toks)-1 {
		p.i++
	}
	return t
}

// enter records one more level of nesting at pos; leave undoes it.
func (p *parser) enter(pos int) error {
	p.depth++
	if p.depth > MaxNesting {
		return errorf(pos, "expression nested more than %d levels deep", MaxNesting)
	}
	return nil
}

func (p *parser) leave() { p.depth-- }

// node counts a newly built node, failing past MaxNodes.
func (p *parser) node(n Node) (Node, error) {
	p.nodes++
	if p.nodes > MaxNodes {
		return nil, errorf(n.Pos(), "expression has more than %d parts", MaxNodes)
	}
	return n, nil
}

// expr := additive
func (p *parser) expr() (Node, error) { return p.binaryLevel(precAdd) }

// binaryLevel parses a left-associative chain of the operators at prec
// (additive or multiplicative) over operands of the next level.
func (p *parser) binaryLevel(prec int) (Node, error) {
	operand := p.power
	if prec == precAdd {
		operand = func() (Node, error) { return p.binaryLevel(precMul) }
	}
	x, err := operand()
	for err == nil {
		op, ok := binaryOp(p.peek().kind)
		if !ok || binaryPrec(op) != prec {
			return x, nil
		}
		t := p.advance()
		var y Node
		if y, err = operand(); err == nil {
			x, err = p.node(&BinaryExpr{Op: op, X: x, Y: y, Offset: t.pos})
		}
	}
	return nil, err
}

func binaryOp(k tokenKind) (byte, bool) {
	switch k {
	case tPlus:
		return '+', true
	case tMinus:
		return '-', true
	case tStar:
		return '*', true
	case tSlash:
		return '/', true
	case tCaret:
		return '^', true
	}
	return 0, false
}

// power := unary [ "^" power ]
func (p *parser) power() (Node, error) {
	x, err := p.unary()
	if err != nil || p.peek().kind != tCaret {
		return x, err
	}
	t := p.advance()
	if err := p.enter(t.pos); err != nil {
		return nil, err
	}
	defer p.leave()
	y, err := p.power()
	if err != nil {
		return nil, err
	}
	return p.node(&BinaryExpr{Op: '^', X: x, Y: y, Offset: t.pos})
}

// unary := [ "-" ] postfix
func (p *parser) unary() (Node, error) {
	if p.peek().kind != tMinus {
		return p.postfix()
	}
	t := p.advance()
	x, err := p.postfix()
	if err != nil {
		return nil, err
	}
	return p.node(&UnaryExpr{Op: '-', X: x, Offset: t.pos})
}

// postfix := primary { "." member }
func (p *parser) postfix() (Node, error) {
	x, err := p.primary()
	for err == nil && p.peek().kind == tDot {
		p.advance()
		x, err = p.member(x)
	}
	return x, err
}

// member := NAME | "@" NAME | NAME "(" [args] ")"
func (p *parser) member(x Node) (Node, error) {
	t := p.advance()
	if t.kind != tIdent {
		return nil, errorf(t.pos, `expected a name after ".", found %s`, t.describe())
	}
	if p.peek().kind == tLParen {
		if t.text[0] == '@' {
			return nil, errorf(t.pos, "%s is a runtime field, not a function", t.text)
		}
		return p.call(t, x)
	}
	if path, ok := x.(*PathExpr); ok {
		path.Segments = append(path.Segments, t.text)
		path.Offsets = append(path.Offsets, t.pos)
		return path, nil
	}
	return p.node(&FieldExpr{X: x, Name: t.text, Offset: t.pos})
}

// primary := literal | "(" expr ")" | call | path
func (p *parser) primary() (Node, error) {
	t := p.advance()
	switch t.kind {
	case tString:
		return p.node(&StringLit{Offset: t.pos, Value: t.text})
	case tInt:
		v, _ := strconv.ParseInt(t.text, 10, 64) // range checked by the lexer
		return p.node(&IntLit{Offset: t.pos, Value: v})
	case tDecimal:
		v, _ := strconv.ParseFloat(t.text, 64) // range checked by the lexer
		return p.node(&DoubleLit{Offset: t.pos, Value: v})
	case tLParen:
		return p.paren(t)
	case tIdent:
		return p.name(t)
	case tStar:
		return p.masked(t)
	}
	return nil, errorf(t.pos, "unexpected %s: expected an operand", t.describe())
}

// paren parses "(" expr ")" after the "(" token open.
func (p *parser) paren(open token) (Node, error) {
	if err := p.enter(open.pos); err != nil {
		return nil, err
	}
	defer p.leave()
	x, err := p.expr()
	if err != nil {
		return nil, err
	}
	if t := p.advance(); t.kind != tRParen {
		return nil, errorf(t.pos, `expected ")" to close "(" at column %d, found %s`, open.pos+1, t.describe())
	}
	return x, nil
}

// name parses a call or the first segment of a path.
func (p *parser) name(t token) (Node, error) {
	if p.peek().kind == tLParen && t.text[0] != '@' {
		return p.call(t, nil)
	}
	return p.node(&PathExpr{Segments: []string{t.text}, Offsets: []int{t.pos}})
}

// masked parses "*name", a masked parameter, after the "*" token star. The
// name must follow the star directly.
func (p *parser) masked(star token) (Node, error) {
	t := p.peek()
	if t.kind != tIdent || t.text[0] == '@' || t.pos != star.pos+1 {
		return nil, errorf(star.pos, `unexpected "*": expected an operand or a masked parameter such as *myPassword`)
	}
	p.advance()
	return p.node(&PathExpr{Segments: []string{"*" + t.text}, Offsets: []int{star.pos}})
}

// call parses the argument list after the function name fn. A non-nil recv
// is the receiver of a method-form call and becomes the first argument.
func (p *parser) call(fn token, recv Node) (Node, error) {
	open := p.advance() // "("
	if err := p.enter(open.pos); err != nil {
		return nil, err
	}
	defer p.leave()
	c := &CallExpr{Func: fn.text, Method: recv != nil, Offset: fn.pos}
	if recv != nil {
		c.Args = append(c.Args, recv)
	}
	if p.peek().kind == tRParen {
		p.advance()
		return p.node(c)
	}
	return p.args(c, open)
}

// args := expr { "," expr } ")"
func (p *parser) args(c *CallExpr, open token) (Node, error) {
	for {
		a, err := p.expr()
		if err != nil {
			return nil, err
		}
		c.Args = append(c.Args, a)
		switch t := p.advance(); t.kind {
		case tComma:
			continue
		case tRParen:
			return p.node(c)
		default:
			return nil, errorf(t.pos, `expected "," or ")" in the arguments of %s (opened at column %d), found %s`,
				c.Func, open.pos+1, t.describe())
		}
	}
}
