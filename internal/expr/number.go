package expr

import (
	"errors"
	"math"
	"strconv"
	"strings"
)

// number is an operand of arithmetic: an Integer or a Double.
type number struct {
	isInt bool
	i     int64
	f     float64
}

func (n number) float() float64 {
	if n.isInt {
		return float64(n.i)
	}
	return n.f
}

func (n number) value() Value {
	if n.isInt {
		return IntValue(n.i)
	}
	return DoubleValue(n.f)
}

// parseNumber parses a decimal number as numeric strings are written in
// parameter values: an optional sign, digits, an optional fraction and an
// optional exponent. Integers that fit int64 stay Integers. It rejects the
// other spellings strconv accepts (hex, "Inf", "NaN", underscores).
func parseNumber(s string) (number, bool) {
	s = strings.TrimSpace(s)
	if !isDecimalNumber(s) {
		return number{}, false
	}
	if i, err := strconv.ParseInt(s, 10, 64); err == nil {
		return number{isInt: true, i: i}, true
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return number{}, false
	}
	return number{f: f}, true
}

// isDecimalNumber reports whether s is [+-]digits[.digits][(e|E)[+-]digits].
func isDecimalNumber(s string) bool {
	i := 0
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		i++
	}
	i, ok := skipDigits(s, i)
	if !ok {
		return false
	}
	if i < len(s) && s[i] == '.' {
		if i, ok = skipDigits(s, i+1); !ok {
			return false
		}
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		if i, ok = skipDigits(s, i); !ok {
			return false
		}
	}
	return i == len(s)
}

// skipDigits returns the index after the run of digits starting at i and
// whether the run is non-empty.
func skipDigits(s string, i int) (int, bool) {
	start := i
	for i < len(s) && isDigit(s[i]) {
		i++
	}
	return i, i > start
}

// formatDouble renders f as Java's Double.toString does: plain decimal with
// at least one fractional digit for 1e-3 <= |f| < 1e7 ("4.0", "0.5"),
// otherwise computerized scientific notation ("1.0E10", "1.5E-4"); the
// shortest digits that round-trip; "NaN", "Infinity", "-Infinity".
func formatDouble(f float64) string {
	switch {
	case math.IsNaN(f):
		return "NaN"
	case math.IsInf(f, 1):
		return "Infinity"
	case math.IsInf(f, -1):
		return "-Infinity"
	case f == 0 && math.Signbit(f):
		return "-0.0"
	case f == 0:
		return "0.0"
	}
	if a := math.Abs(f); a >= 1e-3 && a < 1e7 {
		s := strconv.FormatFloat(f, 'f', -1, 64)
		if !strings.Contains(s, ".") {
			s += ".0"
		}
		return s
	}
	s := strconv.FormatFloat(f, 'E', -1, 64) // "1.5E-04", "1E+10"
	mant, exp, _ := strings.Cut(s, "E")
	if !strings.Contains(mant, ".") {
		mant += ".0"
	}
	e, _ := strconv.Atoi(exp)
	return mant + "E" + strconv.Itoa(e)
}

var (
	errDivByZero = errors.New("division by zero")
	errOverflow  = errors.New("integer overflow")
	errNotFinite = errors.New("result is not a finite number")
)

// arith applies one of + - * / ^ to two numbers. Integer operands give an
// Integer (division truncates toward zero) except for "^", which always gives
// a Double. Division by zero, Integer overflow and non-finite Double results
// are errors.
func arith(op byte, x, y number) (number, error) {
	if op == '^' {
		return finite(math.Pow(x.float(), y.float()))
	}
	if x.isInt && y.isInt {
		return intArith(op, x.i, y.i)
	}
	a, b := x.float(), y.float()
	switch op {
	case '+':
		return finite(a + b)
	case '-':
		return finite(a - b)
	case '*':
		return finite(a * b)
	}
	if b == 0 {
		return number{}, errDivByZero
	}
	return finite(a / b)
}

func finite(f float64) (number, error) {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return number{}, errNotFinite
	}
	return number{f: f}, nil
}

// intArith applies + - * / to int64s, detecting overflow.
func intArith(op byte, a, b int64) (number, error) {
	var r int64
	ok := true
	switch op {
	case '+':
		r = a + b
		ok = (b >= 0) == (r >= a)
	case '-':
		r = a - b
		ok = (b >= 0) == (r <= a)
	case '*':
		r = a * b
		ok = a == 0 || (r/a == b && !(a == -1 && b == math.MinInt64) && !(b == -1 && a == math.MinInt64))
	case '/':
		if b == 0 {
			return number{}, errDivByZero
		}
		ok = !(a == math.MinInt64 && b == -1)
		if ok {
			r = a / b
		}
	}
	if !ok {
		return number{}, errOverflow
	}
	return number{isInt: true, i: r}, nil
}

// negate returns -n.
func negate(n number) (number, error) {
	if !n.isInt {
		return number{f: -n.f}, nil
	}
	if n.i == math.MinInt64 {
		return number{}, errOverflow
	}
	return number{isInt: true, i: -n.i}, nil
}
