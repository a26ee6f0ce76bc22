package hive

import (
	"fmt"
	"strings"
)

// tokKind is the kind of a filterSql token.
type tokKind int

// The token kinds.
const (
	tEOF tokKind = iota
	tIdent
	tString
	tNumber
	tOp
	tLParen
	tRParen
	tComma
)

// tok is one token; pos is its byte offset, for messages.
type tok struct {
	kind tokKind
	text string
	pos  int
}

// lex splits a filterSql expression into tokens.
func lex(s string) ([]tok, error) {
	var out []tok
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		case c == '(' || c == ')' || c == ',':
			out = append(out, tok{kind: map[byte]tokKind{'(': tLParen, ')': tRParen, ',': tComma}[c], text: string(c), pos: i})
			i++
		case c == '\'' || c == '"':
			text, n, err := lexString(s[i:], c)
			if err != nil {
				return nil, fmt.Errorf("at %d: %w", i, err)
			}
			out = append(out, tok{kind: tString, text: text, pos: i})
			i += n
		case c == '`':
			end := strings.IndexByte(s[i+1:], '`')
			if end < 0 {
				return nil, fmt.Errorf("at %d: unterminated `identifier`", i)
			}
			out = append(out, tok{kind: tIdent, text: s[i+1 : i+1+end], pos: i})
			i += end + 2
		case strings.IndexByte("=<>!", c) >= 0:
			n := 1
			if i+1 < len(s) && strings.IndexByte("=>", s[i+1]) >= 0 {
				n = 2
			}
			out = append(out, tok{kind: tOp, text: s[i : i+n], pos: i})
			i += n
		case isDigit(c) || (c == '-' || c == '.') && i+1 < len(s) && isDigit(s[i+1]):
			j := i + 1
			for j < len(s) && (isDigit(s[j]) || strings.IndexByte(".eE", s[j]) >= 0 || (s[j] == '-' || s[j] == '+') && (s[j-1] == 'e' || s[j-1] == 'E')) {
				j++
			}
			out = append(out, tok{kind: tNumber, text: s[i:j], pos: i})
			i = j
		case isIdentStart(c):
			j := i + 1
			for j < len(s) && (isIdentStart(s[j]) || isDigit(s[j]) || s[j] == '.') {
				j++
			}
			out = append(out, tok{kind: tIdent, text: s[i:j], pos: i})
			i = j
		default:
			return nil, fmt.Errorf("at %d: unexpected %q", i, c)
		}
	}
	return append(out, tok{kind: tEOF, pos: len(s)}), nil
}

// lexString reads a string quoted by q (” or \ escape a quote).
func lexString(s string, q byte) (string, int, error) {
	var b strings.Builder
	for i := 1; i < len(s); i++ {
		switch {
		case s[i] == '\\' && i+1 < len(s):
			i++
			b.WriteByte(s[i])
		case s[i] == q && i+1 < len(s) && s[i+1] == q:
			b.WriteByte(q)
			i++
		case s[i] == q:
			return b.String(), i + 1, nil
		default:
			b.WriteByte(s[i])
		}
	}
	return "", 0, fmt.Errorf("unterminated string")
}

// isDigit reports an ASCII digit.
func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// isIdentStart reports a letter or underscore.
func isIdentStart(c byte) bool { return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }
