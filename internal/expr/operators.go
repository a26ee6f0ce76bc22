package expr

import "fmt"

// MaxListLen is the largest list an operation may produce. Operations on
// several lists form their cartesian product, which could otherwise grow
// without bound.
const MaxListLen = 10000

// mapValues applies f to args. When no argument is a list it is a plain
// call. Otherwise f is applied to every combination of elements (a scalar
// argument counts as a one-element list), in order with the leftmost
// argument varying slowest, and the results form a flat list. An empty list
// argument gives an empty list. pos positions the size error.
func mapValues(args []Value, pos int, f func([]Value) (Value, error)) (Value, error) {
	total, hasList := 1, false
	for _, a := range args {
		if a.kind == KindList {
			hasList = true
			total *= len(a.list)
			if total > MaxListLen {
				return Value{}, errorf(pos, "result would have more than %d values", MaxListLen)
			}
		}
	}
	if !hasList {
		return f(args)
	}
	return mapProduct(args, total, f)
}

// mapProduct enumerates the cartesian product of args (total combinations)
// with an odometer over the list arguments.
func mapProduct(args []Value, total int, f func([]Value) (Value, error)) (Value, error) {
	out := make([]Value, 0, total)
	idx := make([]int, len(args))
	cur := make([]Value, len(args))
	for n := 0; n < total; n++ {
		for i, a := range args {
			cur[i] = a
			if a.kind == KindList {
				cur[i] = a.list[idx[i]]
			}
		}
		r, err := f(cur)
		if err != nil {
			return Value{}, err
		}
		out = append(out, r)
		advanceOdometer(args, idx)
	}
	return ListValue(out), nil
}

// advanceOdometer moves idx to the next combination, the rightmost list
// argument varying fastest.
func advanceOdometer(args []Value, idx []int) {
	for i := len(args) - 1; i >= 0; i-- {
		if args[i].kind != KindList {
			continue
		}
		idx[i]++
		if idx[i] < len(args[i].list) {
			return
		}
		idx[i] = 0
	}
}

// toNumber returns v as an arithmetic operand: an Integer, a Double, or a
// String holding a decimal number.
func toNumber(v Value) (number, error) {
	switch v.kind {
	case KindInt:
		return number{isInt: true, i: v.i}, nil
	case KindDouble:
		return number{f: v.f}, nil
	case KindString:
		if n, ok := parseNumber(v.s); ok {
			return n, nil
		}
	}
	return number{}, fmt.Errorf("want a number, got %s", v.describe())
}

// negateValue evaluates -v for a scalar v.
func negateValue(v Value, pos int) (Value, error) {
	n, err := toNumber(v)
	if err != nil {
		return Value{}, errorf(pos, "operator -: %v", err)
	}
	r, err := negate(n)
	if err != nil {
		return Value{}, &Error{Pos: pos, Msg: "operator -: " + err.Error(), Err: err}
	}
	return r.value(), nil
}

// binaryValue evaluates x op y for scalars. "+" concatenates when either
// side is a String (the other side rendered as in a field); otherwise both
// sides must be numbers (numeric Strings count as numbers for - * / ^).
func binaryValue(op byte, x, y Value, pos int) (Value, error) {
	if op == '+' && (x.kind == KindString || y.kind == KindString) {
		return StringValue(x.String() + y.String()), nil
	}
	a, err := toNumber(x)
	if err != nil {
		return Value{}, errorf(pos, "operator %c: left operand: %v", op, err)
	}
	b, err := toNumber(y)
	if err != nil {
		return Value{}, errorf(pos, "operator %c: right operand: %v", op, err)
	}
	if !isArithOp(op) {
		return Value{}, errorf(pos, "unknown operator %q", op)
	}
	r, err := arith(op, a, b)
	if err != nil {
		return Value{}, &Error{Pos: pos, Msg: fmt.Sprintf("operator %c: %v", op, err), Err: err}
	}
	return r.value(), nil
}

func isArithOp(op byte) bool {
	switch op {
	case '+', '-', '*', '/', '^':
		return true
	}
	return false
}
