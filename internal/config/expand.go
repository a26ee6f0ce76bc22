package config

import (
	"fmt"
	"strings"
)

// expand replaces ${NAME} and ${NAME:-default} in s with the value of
// the environment variable NAME from lookup (the default when NAME is
// unset or empty), and $${ with a literal ${. Any other $ is left alone.
// An unset NAME without a default is ErrUnsetVariable; a malformed
// reference is ErrBadValue.
func expand(s string, lookup func(string) (string, bool)) (string, error) {
	if !strings.Contains(s, "${") {
		return s, nil
	}
	var b strings.Builder
	for {
		i := strings.Index(s, "${")
		if i < 0 {
			b.WriteString(s)
			return b.String(), nil
		}
		if i > 0 && s[i-1] == '$' {
			b.WriteString(s[:i-1] + "${")
			s = s[i+2:]
			continue
		}
		b.WriteString(s[:i])
		end := strings.IndexByte(s[i:], '}')
		if end < 0 {
			return "", fmt.Errorf("%w: unterminated ${", ErrBadValue)
		}
		v, err := variable(s[i+2:i+end], lookup)
		if err != nil {
			return "", err
		}
		b.WriteString(v)
		s = s[i+end+1:]
	}
}

// variable resolves the inside of one ${…}: NAME or NAME:-default.
func variable(ref string, lookup func(string) (string, bool)) (string, error) {
	name, def, hasDef := strings.Cut(ref, ":-")
	if !validName(name) {
		return "", fmt.Errorf("%w: ${%s}: want ${NAME} or ${NAME:-default} with NAME of letters, digits and _", ErrBadValue, ref)
	}
	v, ok := lookup(name)
	switch {
	case ok && v != "":
		return v, nil
	case hasDef:
		return def, nil
	case ok:
		return "", nil
	}
	return "", fmt.Errorf("%w: ${%s}", ErrUnsetVariable, name)
}

// validName reports whether name is an environment variable name:
// a letter or _, then letters, digits and _.
func validName(name string) bool {
	if name == "" || name[0] >= '0' && name[0] <= '9' {
		return false
	}
	for _, r := range name {
		if r != '_' && !(r >= 'a' && r <= 'z') && !(r >= 'A' && r <= 'Z') && !(r >= '0' && r <= '9') {
			return false
		}
	}
	return true
}
