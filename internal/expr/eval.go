package expr

import (
	"errors"
	"fmt"
	"strings"
)

// Scope resolves names for one object.
type Scope interface {
	// Lookup returns the value of the first segment of a path: a runtime
	// field ("@scheduledStartTime"), a parameter ("myX" or "*myX"), or a
	// field of the object (through inheritance). It returns an error
	// wrapping ErrUnknownName when the name is not defined; any other error
	// (for example a failure evaluating the field's own expressions) is
	// passed on as the cause of the evaluation error.
	Lookup(name string) (Value, error)
}

// Object is what a reference value points to: following segments of a path
// (the .b in a.b) call Lookup on it. ID is what a reference renders as.
type Object interface {
	Scope
	ID() string
}

// Eval evaluates the expression n in scope s. Errors are *Error positioned
// at the offending node; an error caused by s.Lookup (or an Object's Lookup)
// wraps it, so errors.Is(err, ErrUnknownName) reports unknown names. A nil
// scope defines no names.
func Eval(n Node, s Scope) (Value, error) {
	if s == nil {
		s = emptyScope{}
	}
	return evaluator{scope: s}.eval(n)
}

// emptyScope defines no names.
type emptyScope struct{}

func (emptyScope) Lookup(name string) (Value, error) {
	return Value{}, fmt.Errorf("%w %q", ErrUnknownName, name)
}

// evaluator evaluates nodes against one scope.
type evaluator struct {
	scope Scope
}

var errNilNode = errors.New("nil expression node")

func (e evaluator) eval(n Node) (Value, error) {
	switch n := n.(type) {
	case *StringLit:
		if n != nil {
			return StringValue(n.Value), nil
		}
	case *IntLit:
		if n != nil {
			return IntValue(n.Value), nil
		}
	case *DoubleLit:
		if n != nil {
			return DoubleValue(n.Value), nil
		}
	case *PathExpr:
		if n != nil {
			return e.path(n)
		}
	default:
		return e.compound(n)
	}
	return Value{}, &Error{Msg: errNilNode.Error(), Err: errNilNode}
}

// compound evaluates the nodes that have children.
func (e evaluator) compound(n Node) (Value, error) {
	switch n := n.(type) {
	case *FieldExpr:
		if n != nil {
			return e.field(n)
		}
	case *CallExpr:
		if n != nil {
			return e.call(n)
		}
	case *UnaryExpr:
		if n != nil {
			return e.unary(n)
		}
	case *BinaryExpr:
		if n != nil {
			return e.binary(n)
		}
	case nil:
	default:
		return Value{}, errorf(n.Pos(), "unsupported expression node %T", n)
	}
	return Value{}, &Error{Msg: errNilNode.Error(), Err: errNilNode}
}

// path evaluates a name path: the first segment through the scope, each
// following segment through the object the current value references.
func (e evaluator) path(n *PathExpr) (Value, error) {
	if len(n.Segments) == 0 || len(n.Offsets) != len(n.Segments) {
		return Value{}, errorf(n.Pos(), "malformed path %q", n.String())
	}
	v, err := e.scope.Lookup(n.Segments[0])
	if err != nil {
		return Value{}, wrapAt(n.Offsets[0], n.Segments[0], err)
	}
	for i := 1; i < len(n.Segments); i++ {
		prefix := strings.Join(n.Segments[:i+1], ".")
		if v, err = follow(v, n.Segments[i], n.Offsets[i], prefix); err != nil {
			return Value{}, err
		}
	}
	return v, nil
}

// field evaluates x.name where x is not a path.
func (e evaluator) field(n *FieldExpr) (Value, error) {
	v, err := e.eval(n.X)
	if err != nil {
		return Value{}, err
	}
	return follow(v, n.Name, n.Offset, nodeString(n))
}

// follow reads field name of the object v references. Over a list of
// references it reads the field of each and returns the (flattened) list.
// label names the path read so far for error messages; pos is the offset of
// the segment.
func follow(v Value, name string, pos int, label string) (Value, error) {
	if v.kind != KindList {
		return followOne(v, name, pos, label)
	}
	out := make([]Value, 0, len(v.list))
	for _, el := range v.list {
		r, err := followOne(el, name, pos, label)
		if err != nil {
			return Value{}, err
		}
		out = append(out, r)
	}
	return ListValue(out), nil
}

func followOne(v Value, name string, pos int, label string) (Value, error) {
	obj, err := v.AsObject()
	if err != nil {
		return Value{}, errorf(pos, "%s: cannot read field %q: %v", label, name, err)
	}
	r, err := obj.Lookup(name)
	if err != nil {
		return Value{}, wrapAt(pos, label+" (in "+obj.ID()+")", err)
	}
	return r, nil
}

// unary evaluates -x, element-wise over a list.
func (e evaluator) unary(n *UnaryExpr) (Value, error) {
	x, err := e.eval(n.X)
	if err != nil {
		return Value{}, err
	}
	if n.Op != '-' {
		return Value{}, errorf(n.Offset, "unknown unary operator %q", n.Op)
	}
	return mapValues([]Value{x}, n.Offset, func(a []Value) (Value, error) {
		return negateValue(a[0], n.Offset)
	})
}

// binary evaluates x op y, element-wise over lists.
func (e evaluator) binary(n *BinaryExpr) (Value, error) {
	x, err := e.eval(n.X)
	if err != nil {
		return Value{}, err
	}
	y, err := e.eval(n.Y)
	if err != nil {
		return Value{}, err
	}
	return mapValues([]Value{x, y}, n.Offset, func(a []Value) (Value, error) {
		return binaryValue(n.Op, a[0], a[1], n.Offset)
	})
}

// call evaluates a function call: arguments left to right, then the
// function, element-wise over list arguments.
func (e evaluator) call(n *CallExpr) (Value, error) {
	fn, ok := lookupBuiltin(n.Func)
	if !ok {
		return Value{}, errorf(n.Offset, "unknown function %q", n.Func)
	}
	if err := fn.checkArity(n); err != nil {
		return Value{}, err
	}
	args := make([]Value, len(n.Args))
	for i, a := range n.Args {
		v, err := e.eval(a)
		if err != nil {
			return Value{}, err
		}
		args[i] = v
	}
	return mapValues(args, n.Offset, func(a []Value) (Value, error) {
		return fn.apply(n, a)
	})
}
