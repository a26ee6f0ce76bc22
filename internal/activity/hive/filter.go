package hive

import (
	"fmt"
	"strings"
)

// Filter is a parsed filterSql predicate. The zero Filter (from an empty
// filterSql) keeps every record.
type Filter struct {
	root node
}

// ParseFilter parses a filterSql predicate (without WHERE). The subset:
//
//	expr    = expr OR expr | expr AND expr | NOT expr | ( expr ) | pred
//	pred    = value op value | value IS [NOT] NULL
//	        | value [NOT] IN ( value, … ) | value [NOT] LIKE 'pattern'
//	        | value [NOT] BETWEEN value AND value
//	value   = column | 'string' | "string" | number | TRUE | FALSE | NULL
//	op      = = | == | != | <> | < | <= | > | >=
//
// Columns are attribute names (any case; `quoted` for odd names). Values
// compare as numbers when both sides are numbers, else as text; LIKE
// takes % and _. As in SQL, a comparison with a missing attribute or NULL
// is unknown, and a record is kept only when the predicate is true.
// Errors give the byte offset at fault.
func ParseFilter(sql string) (*Filter, error) {
	sql = strings.TrimSpace(sql)
	if sql == "" {
		return &Filter{}, nil
	}
	if len(sql) > 5 && strings.EqualFold(sql[:6], "WHERE ") {
		sql = sql[6:]
	}
	toks, err := lex(sql)
	if err != nil {
		return nil, err
	}
	p := &parser{toks: toks}
	root, err := p.or()
	if err != nil {
		return nil, err
	}
	if t := p.peek(); t.kind != tEOF {
		return nil, fmt.Errorf("at %d: unexpected %q", t.pos, t.text)
	}
	return &Filter{root: root}, nil
}

// parser is a recursive-descent parser over tokens.
type parser struct {
	toks []tok
	i    int
}

// peek returns the next token.
func (p *parser) peek() tok { return p.toks[p.i] }

// next takes the next token.
func (p *parser) next() tok {
	t := p.toks[p.i]
	if t.kind != tEOF {
		p.i++
	}
	return t
}

// keyword takes the next token when it is the keyword kw.
func (p *parser) keyword(kw string) bool {
	if t := p.peek(); t.kind == tIdent && strings.EqualFold(t.text, kw) {
		p.i++
		return true
	}
	return false
}

// expect takes a token of kind k or fails.
func (p *parser) expect(k tokKind, what string) (tok, error) {
	t := p.next()
	if t.kind != k {
		return t, fmt.Errorf("at %d: want %s, not %q", t.pos, what, t.text)
	}
	return t, nil
}

// or parses a disjunction.
func (p *parser) or() (node, error) {
	l, err := p.and()
	for err == nil && p.keyword("OR") {
		var r node
		if r, err = p.and(); err == nil {
			l = orNode{l, r}
		}
	}
	return l, err
}

// and parses a conjunction.
func (p *parser) and() (node, error) {
	l, err := p.not()
	for err == nil && p.keyword("AND") {
		var r node
		if r, err = p.not(); err == nil {
			l = andNode{l, r}
		}
	}
	return l, err
}

// not parses a negation.
func (p *parser) not() (node, error) {
	if p.keyword("NOT") {
		n, err := p.not()
		return notNode{n}, err
	}
	if p.peek().kind == tLParen {
		p.next()
		n, err := p.or()
		if err != nil {
			return nil, err
		}
		_, err = p.expect(tRParen, ")")
		return n, err
	}
	return p.pred()
}

// pred parses one comparison.
func (p *parser) pred() (node, error) {
	l, err := p.value()
	if err != nil {
		return nil, err
	}
	if p.keyword("IS") {
		neg := p.keyword("NOT")
		if !p.keyword("NULL") {
			return nil, fmt.Errorf("at %d: want NULL after IS", p.peek().pos)
		}
		return maybeNot(isNullNode{l}, neg), nil
	}
	neg := p.keyword("NOT")
	switch {
	case p.keyword("IN"):
		n, err := p.in(l)
		return maybeNot(n, neg), err
	case p.keyword("LIKE"):
		n, err := p.like(l)
		return maybeNot(n, neg), err
	case p.keyword("BETWEEN"):
		n, err := p.between(l)
		return maybeNot(n, neg), err
	case neg:
		return nil, fmt.Errorf("at %d: want IN, LIKE or BETWEEN after NOT", p.peek().pos)
	}
	op, err := p.expect(tOp, "a comparison operator")
	if err != nil {
		return nil, err
	}
	if _, ok := compareOps[op.text]; !ok {
		return nil, fmt.Errorf("at %d: %q is not a comparison operator", op.pos, op.text)
	}
	r, err := p.value()
	return cmpNode{op: op.text, l: l, r: r}, err
}

// maybeNot negates n when neg.
func maybeNot(n node, neg bool) node {
	if neg {
		return notNode{n}
	}
	return n
}

// in parses ( value, … ).
func (p *parser) in(l value) (node, error) {
	if _, err := p.expect(tLParen, "( after IN"); err != nil {
		return nil, err
	}
	n := inNode{l: l}
	for {
		v, err := p.value()
		if err != nil {
			return nil, err
		}
		n.list = append(n.list, v)
		t := p.next()
		if t.kind == tRParen {
			return n, nil
		}
		if t.kind != tComma {
			return nil, fmt.Errorf("at %d: want , or ) in the IN list", t.pos)
		}
	}
}

// like parses 'pattern'.
func (p *parser) like(l value) (node, error) {
	t, err := p.expect(tString, "a 'pattern' after LIKE")
	if err != nil {
		return nil, err
	}
	return newLike(l, t.text), nil
}

// between parses low AND high.
func (p *parser) between(l value) (node, error) {
	lo, err := p.value()
	if err != nil {
		return nil, err
	}
	if !p.keyword("AND") {
		return nil, fmt.Errorf("at %d: want AND in BETWEEN", p.peek().pos)
	}
	hi, err := p.value()
	return andNode{cmpNode{op: ">=", l: l, r: lo}, cmpNode{op: "<=", l: l, r: hi}}, err
}

// value parses an operand.
func (p *parser) value() (value, error) {
	t := p.next()
	switch t.kind {
	case tString:
		return literal{text: t.text}, nil
	case tNumber:
		return literal{text: t.text, num: true}, nil
	case tIdent:
		switch strings.ToUpper(t.text) {
		case "TRUE", "FALSE":
			return literal{text: strings.ToLower(t.text), boolean: true}, nil
		case "NULL":
			return literal{null: true}, nil
		case "AND", "OR", "NOT", "IS", "IN", "LIKE", "BETWEEN":
			return nil, fmt.Errorf("at %d: want a column or a value, not %s", t.pos, t.text)
		}
		return column{name: t.text}, nil
	}
	return nil, fmt.Errorf("at %d: want a column or a value, not %q", t.pos, t.text)
}
