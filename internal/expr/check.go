package expr

import (
	"fmt"
	"strings"

	"github.com/datapipe/datapipe/internal/schedule"
)

// kindUnknown marks a node whose kind cannot be known without a scope.
const kindUnknown ValueKind = -1

// Check validates the template without evaluating it: every function is
// known and called with the right number of arguments (a method call x.f(a)
// is f(x, a)); literal arguments suit their parameters (a number where a
// DateTime is expected, a malformed DateTime or integer String, an invalid
// format pattern, time zone or period); operators do not get operands that
// can never work (a DateTime or non-numeric String literal in -, *, / or ^,
// a literal zero divisor); and no field is read from a computed value. Names
// are not resolved. It returns the first problem, in source order, as an
// *Error.
func (t *Template) Check() error {
	for _, n := range t.Exprs() {
		if err := CheckNode(n); err != nil {
			return err
		}
	}
	return nil
}

// CheckNode validates one expression as Template.Check does.
func CheckNode(n Node) error {
	var err error
	Inspect(n, func(n Node) bool {
		if err == nil {
			err = checkOne(n)
		}
		return err == nil
	})
	return err
}

func checkOne(n Node) error {
	switch n := n.(type) {
	case *CallExpr:
		return checkCall(n)
	case *BinaryExpr:
		return checkBinary(n)
	case *UnaryExpr:
		return checkNumeric(n.X, n.Offset, "operator -")
	case *FieldExpr:
		return errorf(n.Offset, "cannot read field %q of %s: only references have fields", n.Name, nodeString(n.X))
	}
	return nil
}

// checkCall checks the function name, arity and literal arguments.
func checkCall(c *CallExpr) error {
	fn, ok := lookupBuiltin(c.Func)
	if !ok {
		return errorf(c.Offset, "unknown function %q", c.Func)
	}
	if err := fn.checkArity(c); err != nil {
		return err
	}
	for i, a := range c.Args {
		if err := checkArg(fn.params[i], a); err != nil {
			return errorf(a.Pos(), "%s: argument %d: %v", c.Func, i+1, err)
		}
	}
	return nil
}

// checkArg checks an argument whose kind or value is known statically.
func checkArg(k byte, a Node) error {
	kind := staticKind(a)
	if kind == kindUnknown || kind == KindString && !isLiteral(a) {
		return nil
	}
	if lit, ok := a.(*StringLit); ok {
		return checkStringArg(k, lit.Value)
	}
	if kind != paramKind(k) {
		return fmt.Errorf("want %s, got %s", article(paramName(k)), article(kind.String()))
	}
	return nil
}

func isLiteral(n Node) bool {
	switch n.(type) {
	case *StringLit, *IntLit, *DoubleLit:
		return true
	}
	return false
}

// paramKind is the value kind a parameter kind accepts without coercion.
func paramKind(k byte) ValueKind {
	switch k {
	case pDateTime:
		return KindDateTime
	case pInt:
		return KindInt
	}
	return KindString
}

// checkStringArg checks a String literal passed for parameter kind k.
func checkStringArg(k byte, s string) error {
	var err error
	switch k {
	case pDateTime:
		_, err = StringValue(s).AsTime()
	case pInt:
		_, err = StringValue(s).AsInt()
	case pPattern:
		_, err = compileJoda(s)
	case pZone:
		_, err = loadZone(s)
	case pPeriod:
		_, err = schedule.ParsePeriod(s)
	}
	return err
}

// staticKind returns the kind n always evaluates to, or kindUnknown.
func staticKind(n Node) ValueKind {
	switch n := n.(type) {
	case *StringLit:
		return KindString
	case *IntLit:
		return KindInt
	case *DoubleLit:
		return KindDouble
	case *CallExpr:
		if fn, ok := lookupBuiltin(n.Func); ok {
			return fn.result
		}
	case *BinaryExpr:
		if n.Op == '^' {
			return KindDouble
		}
		if n.Op == '+' && (staticKind(n.X) == KindString || staticKind(n.Y) == KindString) {
			return KindString
		}
	}
	return kindUnknown
}

// checkBinary rejects operands that can never work for the operator.
func checkBinary(b *BinaryExpr) error {
	label := fmt.Sprintf("operator %c", b.Op)
	if b.Op == '+' {
		return checkPlus(b)
	}
	if err := checkNumeric(b.X, b.Offset, label+": left operand"); err != nil {
		return err
	}
	if err := checkNumeric(b.Y, b.Offset, label+": right operand"); err != nil {
		return err
	}
	if b.Op == '/' && isZeroLiteral(b.Y) {
		return errorf(b.Offset, "operator /: division by zero")
	}
	return nil
}

// checkPlus rejects "+" on a DateTime and a number: with no String side it
// is numeric addition, which DateTimes do not support.
func checkPlus(b *BinaryExpr) error {
	x, y := staticKind(b.X), staticKind(b.Y)
	if x == KindString || y == KindString || x == kindUnknown || y == kindUnknown {
		return nil
	}
	if x == KindDateTime || y == KindDateTime {
		return errorf(b.Offset, "operator +: cannot add %s and %s (use plusDays, plusHours, … for date arithmetic)",
			article(x.String()), article(y.String()))
	}
	return nil
}

// checkNumeric rejects an operand that is statically not a number: a
// DateTime, or a String literal that does not hold a number.
func checkNumeric(n Node, pos int, label string) error {
	switch k := staticKind(n); {
	case k == KindDateTime:
		return errorf(pos, "%s: want a number, got a DateTime", label)
	case k == KindString:
		if lit, ok := n.(*StringLit); ok {
			if _, ok := parseNumber(lit.Value); !ok {
				return errorf(pos, "%s: want a number, got %s", label, StringValue(lit.Value).describe())
			}
		}
	}
	return nil
}

func isZeroLiteral(n Node) bool {
	switch n := n.(type) {
	case *IntLit:
		return n.Value == 0
	case *DoubleLit:
		return n.Value == 0
	}
	return false
}

// article prefixes a kind name with "a" or "an".
func article(name string) string {
	if name != "" && strings.ContainsRune("AEIOU", rune(name[0])) {
		return "an " + name
	}
	return "a " + name
}
