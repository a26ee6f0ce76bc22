package hive

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/datapipe/datapipe/internal/datanode/format"
)

// tri is a SQL truth value.
type tri int

// The truth values.
const (
	unknown tri = iota
	yes
	no
)

// truth turns a bool into a tri.
func truth(b bool) tri {
	if b {
		return yes
	}
	return no
}

// Keep reports whether rec passes the filter (the predicate is true).
func (f *Filter) Keep(rec format.Record) bool {
	return f.root == nil || f.root.eval(rec) == yes
}

// node is a predicate.
type node interface{ eval(format.Record) tri }

// value is an operand: a column or a literal.
type value interface {
	// get returns the operand's value for rec; ok is false for NULL or a
	// missing attribute.
	get(rec format.Record) (v operand, ok bool)
}

// operand is an evaluated value.
type operand struct {
	text string
	num  bool
}

// column is an attribute reference.
type column struct{ name string }

// get finds the attribute, in any case.
func (c column) get(rec format.Record) (operand, bool) {
	for _, f := range rec {
		if strings.EqualFold(f.Name, c.name) {
			if f.Value.IsNull() {
				return operand{}, false
			}
			return operand{text: f.Value.Text(), num: f.Value.Kind == format.Number}, true
		}
	}
	return operand{}, false
}

// literal is a constant.
type literal struct {
	text         string
	num, boolean bool
	null         bool
}

// get returns the constant.
func (l literal) get(format.Record) (operand, bool) {
	return operand{text: l.text, num: l.num}, !l.null
}

// compareOps are the comparison operators.
var compareOps = map[string]func(int) bool{
	"=": func(c int) bool { return c == 0 }, "==": func(c int) bool { return c == 0 },
	"!=": func(c int) bool { return c != 0 }, "<>": func(c int) bool { return c != 0 },
	"<": func(c int) bool { return c < 0 }, "<=": func(c int) bool { return c <= 0 },
	">": func(c int) bool { return c > 0 }, ">=": func(c int) bool { return c >= 0 },
}

// compare orders a and b: as numbers when both read as numbers and one
// of them is one, else as text.
func compare(a, b operand) int {
	if a.num || b.num {
		x, errA := strconv.ParseFloat(a.text, 64)
		y, errB := strconv.ParseFloat(b.text, 64)
		if errA == nil && errB == nil {
			switch {
			case x < y:
				return -1
			case x > y:
				return 1
			}
			return 0
		}
	}
	return strings.Compare(a.text, b.text)
}

// cmpNode is value op value.
type cmpNode struct {
	op   string
	l, r value
}

// eval compares; NULL makes it unknown.
func (n cmpNode) eval(rec format.Record) tri {
	a, okA := n.l.get(rec)
	b, okB := n.r.get(rec)
	if !okA || !okB {
		return unknown
	}
	return truth(compareOps[n.op](compare(a, b)))
}

// isNullNode is value IS NULL.
type isNullNode struct{ v value }

// eval is never unknown.
func (n isNullNode) eval(rec format.Record) tri {
	_, ok := n.v.get(rec)
	return truth(!ok)
}

// inNode is value IN (list).
type inNode struct {
	l    value
	list []value
}

// eval is true on a match, unknown when no match and a NULL took part.
func (n inNode) eval(rec format.Record) tri {
	a, ok := n.l.get(rec)
	if !ok {
		return unknown
	}
	res := no
	for _, v := range n.list {
		b, ok := v.get(rec)
		switch {
		case !ok:
			res = unknown
		case compare(a, b) == 0:
			return yes
		}
	}
	return res
}

// likeNode is value LIKE 'pattern'.
type likeNode struct {
	v  value
	rx *regexp.Regexp
}

// newLike compiles a LIKE pattern: % any run, _ any one character.
func newLike(v value, pattern string) likeNode {
	var b strings.Builder
	b.WriteString("(?s)^")
	for _, r := range pattern {
		switch r {
		case '%':
			b.WriteString(".*")
		case '_':
			b.WriteString(".")
		default:
			b.WriteString(regexp.QuoteMeta(string(r)))
		}
	}
	b.WriteString("$")
	return likeNode{v: v, rx: regexp.MustCompile(b.String())}
}

// eval matches the text.
func (n likeNode) eval(rec format.Record) tri {
	a, ok := n.v.get(rec)
	if !ok {
		return unknown
	}
	return truth(n.rx.MatchString(a.text))
}

// notNode negates.
type notNode struct{ n node }

// eval keeps unknown unknown.
func (n notNode) eval(rec format.Record) tri {
	switch n.n.eval(rec) {
	case yes:
		return no
	case no:
		return yes
	}
	return unknown
}

// andNode is l AND r.
type andNode struct{ l, r node }

// eval is SQL's AND.
func (n andNode) eval(rec format.Record) tri {
	a, b := n.l.eval(rec), n.r.eval(rec)
	switch {
	case a == no || b == no:
		return no
	case a == yes && b == yes:
		return yes
	}
	return unknown
}

// orNode is l OR r.
type orNode struct{ l, r node }

// eval is SQL's OR.
func (n orNode) eval(rec format.Record) tri {
	a, b := n.l.eval(rec), n.r.eval(rec)
	switch {
	case a == yes || b == yes:
		return yes
	case a == no && b == no:
		return no
	}
	return unknown
}
