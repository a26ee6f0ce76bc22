package expr

import (
	"strconv"
	"strings"
)

// Node is a parsed expression. Pos is the byte offset (0-based) in the
// original field value of the token that identifies the node: a literal's
// first character, a path's first segment, a call's function name, an
// operator. String renders the node in canonical source form; parsing that
// form yields an equivalent node.
//
// The concrete types are *StringLit, *IntLit, *DoubleLit, *PathExpr,
// *FieldExpr, *CallExpr, *UnaryExpr and *BinaryExpr.
type Node interface {
	Pos() int
	String() string
}

// StringLit is a quoted string literal; Value is unescaped.
type StringLit struct {
	Offset int
	Value  string
}

// IntLit is an integer literal.
type IntLit struct {
	Offset int
	Value  int64
}

// DoubleLit is a decimal literal such as 1.5.
type DoubleLit struct {
	Offset int
	Value  float64
}

// PathExpr is a name path: a first segment (a field, a parameter "myX" or
// "*myX", or a runtime field "@x") followed by fields of referenced objects.
// Offsets holds the byte offset of each segment and has the same length as
// Segments.
type PathExpr struct {
	Segments []string
	Offsets  []int
}

// FieldExpr reads field Name of the object X evaluates to, where X is not a
// path (for example a parenthesised arithmetic expression). It always fails
// at evaluation unless X yields a reference, which no built-in function does;
// Check reports it.
type FieldExpr struct {
	X      Node
	Name   string
	Offset int // of Name
}

// CallExpr is a function call. In method form (x.f(a)) Method is true and
// the receiver is Args[0], so x.f(a) and f(x, a) are the same call.
type CallExpr struct {
	Func   string
	Args   []Node
	Method bool
	Offset int // of Func
}

// UnaryExpr is a negation; Op is always '-'.
type UnaryExpr struct {
	Op     byte
	X      Node
	Offset int // of the operator
}

// BinaryExpr is X Op Y with Op one of + - * / ^.
type BinaryExpr struct {
	Op     byte
	X, Y   Node
	Offset int // of the operator
}

// Pos implements Node.
func (n *StringLit) Pos() int { return n.Offset }

// Pos implements Node.
func (n *IntLit) Pos() int { return n.Offset }

// Pos implements Node.
func (n *DoubleLit) Pos() int { return n.Offset }

// Pos implements Node: the offset of the first segment, or 0 for an empty
// path.
func (n *PathExpr) Pos() int {
	if len(n.Offsets) == 0 {
		return 0
	}
	return n.Offsets[0]
}

// Pos implements Node.
func (n *FieldExpr) Pos() int { return n.Offset }

// Pos implements Node.
func (n *CallExpr) Pos() int { return n.Offset }

// Pos implements Node.
func (n *UnaryExpr) Pos() int { return n.Offset }

// Pos implements Node.
func (n *BinaryExpr) Pos() int { return n.Offset }

// Path returns the node's name path.
func (n *PathExpr) Path() Path {
	return Path{Segments: append([]string(nil), n.Segments...), Pos: n.Pos()}
}

// Path is a name path referenced by an expression, such as
// node.@scheduledStartTime (Segments ["node", "@scheduledStartTime"]). The
// first segment may start with "@" (runtime field) or "*" (masked
// parameter). Pos is the byte offset of the first segment in the field value.
type Path struct {
	Segments []string
	Pos      int
}

// String joins the segments with ".".
func (p Path) String() string { return strings.Join(p.Segments, ".") }

// Operator precedence levels used for printing with minimal parentheses.
const (
	precAdd     = 1
	precMul     = 2
	precPow     = 3
	precUnary   = 4
	precPrimary = 5
)

func precOf(n Node) int {
	switch n := n.(type) {
	case *BinaryExpr:
		return binaryPrec(n.Op)
	case *UnaryExpr:
		return precUnary
	}
	return precPrimary
}

func binaryPrec(op byte) int {
	switch op {
	case '+', '-':
		return precAdd
	case '*', '/':
		return precMul
	}
	return precPow
}

// nodeString renders n, tolerating a nil node.
func nodeString(n Node) string {
	if n == nil {
		return "<nil>"
	}
	return n.String()
}

// wrapIf renders n, parenthesised when paren is true.
func wrapIf(n Node, paren bool) string {
	if paren {
		return "(" + nodeString(n) + ")"
	}
	return nodeString(n)
}

// String implements Node.
func (n *StringLit) String() string { return quoteLiteral(n.Value) }

// String implements Node.
func (n *IntLit) String() string { return strconv.FormatInt(n.Value, 10) }

// String implements Node: always with a decimal point, never an exponent.
func (n *DoubleLit) String() string {
	s := strconv.FormatFloat(n.Value, 'f', -1, 64)
	if !strings.Contains(s, ".") {
		s += ".0"
	}
	return s
}

// String implements Node.
func (n *PathExpr) String() string { return strings.Join(n.Segments, ".") }

// String implements Node.
func (n *FieldExpr) String() string {
	return wrapIf(n.X, precOf(n.X) < precPrimary) + "." + n.Name
}

// String implements Node.
func (n *CallExpr) String() string {
	args := n.Args
	var b strings.Builder
	if n.Method && len(args) > 0 {
		b.WriteString(wrapIf(args[0], precOf(args[0]) < precPrimary) + ".")
		args = args[1:]
	}
	b.WriteString(n.Func + "(")
	for i, a := range args {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(nodeString(a))
	}
	b.WriteString(")")
	return b.String()
}

// String implements Node.
func (n *UnaryExpr) String() string {
	return string(n.Op) + wrapIf(n.X, precOf(n.X) < precPrimary)
}

// String implements Node. "^" is right-associative, the others left.
func (n *BinaryExpr) String() string {
	p := binaryPrec(n.Op)
	left, right := precOf(n.X) < p, precOf(n.Y) <= p
	if n.Op == '^' {
		left, right = precOf(n.X) <= p, precOf(n.Y) < p
	}
	return wrapIf(n.X, left) + " " + string(n.Op) + " " + wrapIf(n.Y, right)
}

// Inspect traverses the expression rooted at n in source order (depth
// first, a call's arguments left to right, including a method's receiver
// first). It calls f for each node; when f returns false the node's children
// are skipped. Nil nodes are not visited.
func Inspect(n Node, f func(Node) bool) {
	if n == nil || !f(n) {
		return
	}
	for _, c := range children(n) {
		Inspect(c, f)
	}
}

func children(n Node) []Node {
	switch n := n.(type) {
	case *FieldExpr:
		return []Node{n.X}
	case *CallExpr:
		return n.Args
	case *UnaryExpr:
		return []Node{n.X}
	case *BinaryExpr:
		return []Node{n.X, n.Y}
	}
	return nil
}
