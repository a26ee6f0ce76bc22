package format

import (
	"encoding/base64"
	"fmt"
	"strings"
)

// typed converts field text to a Value of kind k, checking numbers and
// booleans.
func typed(s string, k Kind) (Value, error) {
	switch k {
	case Number:
		t := strings.TrimSpace(s)
		if !IsNumber(t) {
			return Value{}, fmt.Errorf("%q is not a number", s)
		}
		return Num(t), nil
	case Bool:
		b, ok := parseBool(s)
		if !ok {
			return Value{}, fmt.Errorf("%q is not a boolean", s)
		}
		return Value{Kind: Bool, Bool: b}, nil
	case Binary:
		raw, err := base64.StdEncoding.DecodeString(s)
		if err != nil {
			return Value{}, fmt.Errorf("%q is not base64: %w", s, err)
		}
		return Value{Kind: Binary, Str: string(raw)}, nil
	}
	return Str(s), nil
}

// parseBool reads true/false, t/f, yes/no, 1/0 in any case.
func parseBool(s string) (bool, bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "true", "t", "yes", "y", "1":
		return true, true
	case "false", "f", "no", "n", "0":
		return false, true
	}
	return false, false
}

// IsNumber reports whether s is a decimal number as DynamoDB and SQL
// accept it: an optional sign, digits with an optional fraction, and an
// optional exponent.
func IsNumber(s string) bool {
	i := 0
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		i++
	}
	digits := 0
	for ; i < len(s) && isDigit(s[i]); i++ {
		digits++
	}
	if i < len(s) && s[i] == '.' {
		for i++; i < len(s) && isDigit(s[i]); i++ {
			digits++
		}
	}
	if digits == 0 {
		return false
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		start := i
		for ; i < len(s) && isDigit(s[i]); i++ {
		}
		if i == start {
			return false
		}
	}
	return i == len(s)
}

// isDigit reports whether c is an ASCII digit.
func isDigit(c byte) bool { return c >= '0' && c <= '9' }
