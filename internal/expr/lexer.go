package expr

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// tokenKind classifies a token of the expression language.
type tokenKind int

const (
	tEOF     tokenKind = iota // end of input (bare expressions only)
	tRBrace                   // "}" closing a template expression
	tIdent                    // name, possibly prefixed with "@"
	tString                   // quoted literal; text holds the unescaped value
	tInt                      // [0-9]+
	tDecimal                  // [0-9]+ "." [0-9]+
	tPlus
	tMinus
	tStar
	tSlash
	tCaret
	tLParen
	tRParen
	tComma
	tDot
)

// token is one lexical token. pos is its byte offset in the field value.
type token struct {
	kind tokenKind
	pos  int
	text string // identifier name, string value or number text
}

// describe names the token for error messages.
func (t token) describe() string {
	switch t.kind {
	case tEOF:
		return "end of expression"
	case tRBrace:
		return `"}"`
	case tIdent:
		return "name " + strconv.Quote(t.text)
	case tString:
		return "string " + quoteLiteral(t.text)
	case tInt, tDecimal:
		return "number " + t.text
	}
	return strconv.Quote(t.text)
}

// lexer splits one expression into tokens. In template mode it stops after
// the "}" that closes the expression; in bare mode it runs to the end of
// src and treats "}" as an ordinary (always unexpected) token.
type lexer struct {
	src      string
	pos      int
	open     int // offset of the "#{" in template mode
	template bool
	toks     []token
}

// lex tokenizes src from start. It returns the tokens, ending with a tRBrace
// (template mode) or tEOF (bare mode), and the offset just past the last
// token consumed. open is the offset of the "#{" that began a template
// expression, used for the unterminated error.
func lex(src string, start, open int, template bool) ([]token, int, error) {
	l := &lexer{src: src, pos: start, open: open, template: template}
	for {
		l.skipSpace()
		if l.pos >= len(l.src) {
			if l.template {
				return nil, l.pos, errorf(open, "unterminated #{: no closing }")
			}
			l.emit(tEOF, l.pos, "")
			return l.toks, l.pos, nil
		}
		done, err := l.next()
		if err != nil {
			return nil, l.pos, err
		}
		if done {
			return l.toks, l.pos, nil
		}
	}
}

func (l *lexer) emit(k tokenKind, pos int, text string) {
	l.toks = append(l.toks, token{kind: k, pos: pos, text: text})
}

func (l *lexer) skipSpace() {
	for l.pos < len(l.src) {
		switch l.src[l.pos] {
		case ' ', '\t', '\n', '\r':
			l.pos++
		default:
			return
		}
	}
}

// next scans one token at l.pos. It reports done when a template
// expression's closing "}" has been consumed.
func (l *lexer) next() (done bool, err error) {
	c := l.src[l.pos]
	switch {
	case isIdentStart(c):
		l.ident(l.pos, l.pos)
		return false, nil
	case c >= '0' && c <= '9':
		return false, l.number()
	case c == '\'' || c == '"':
		return false, l.str(c)
	case c == '@':
		return false, l.runtimeIdent()
	case c == '}':
		l.emit(tRBrace, l.pos, "}")
		l.pos++
		return l.template, nil
	}
	if k, ok := punct(c); ok {
		l.emit(k, l.pos, string(c))
		l.pos++
		return false, nil
	}
	r, _ := utf8.DecodeRuneInString(l.src[l.pos:])
	return false, errorf(l.pos, "unexpected character %q", r)
}

func punct(c byte) (tokenKind, bool) {
	switch c {
	case '+':
		return tPlus, true
	case '-':
		return tMinus, true
	case '*':
		return tStar, true
	case '/':
		return tSlash, true
	case '^':
		return tCaret, true
	case '(':
		return tLParen, true
	case ')':
		return tRParen, true
	case ',':
		return tComma, true
	case '.':
		return tDot, true
	}
	return 0, false
}

func isIdentStart(c byte) bool {
	return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
}

func isIdentPart(c byte) bool { return isIdentStart(c) || (c >= '0' && c <= '9') }

// ident scans a name whose first letter is at l.pos; tokPos is where the
// token (including any "@" prefix) began.
func (l *lexer) ident(tokPos, from int) {
	l.pos++
	for l.pos < len(l.src) && isIdentPart(l.src[l.pos]) {
		l.pos++
	}
	l.emit(tIdent, tokPos, l.src[from:l.pos])
}

// runtimeIdent scans "@name".
func (l *lexer) runtimeIdent() error {
	at := l.pos
	if at+1 >= len(l.src) || !isIdentStart(l.src[at+1]) {
		return errorf(at, `expected a name after "@"`)
	}
	l.pos++
	l.ident(at, at)
	return nil
}

// number scans an integer or decimal literal.
func (l *lexer) number() error {
	start := l.pos
	l.digits()
	kind := tInt
	if l.pos+1 < len(l.src) && l.src[l.pos] == '.' && isDigit(l.src[l.pos+1]) {
		l.pos++
		l.digits()
		kind = tDecimal
	}
	text := l.src[start:l.pos]
	var err error
	if kind == tInt {
		_, err = strconv.ParseInt(text, 10, 64)
	} else {
		_, err = strconv.ParseFloat(text, 64)
	}
	if err != nil {
		return errorf(start, "number %s is out of range", text)
	}
	l.emit(kind, start, text)
	return nil
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func (l *lexer) digits() {
	for l.pos < len(l.src) && isDigit(l.src[l.pos]) {
		l.pos++
	}
}

// str scans a string literal quoted with q. The escapes \' \" and \\ stand
// for the quoted character; a backslash before any other character is kept
// as is.
func (l *lexer) str(q byte) error {
	start := l.pos
	var b strings.Builder
	for i := start + 1; i < len(l.src); i++ {
		c := l.src[i]
		switch {
		case c == q:
			l.pos = i + 1
			l.emit(tString, start, b.String())
			return nil
		case c == '\\' && i+1 < len(l.src) && isEscapable(l.src[i+1]):
			i++
			b.WriteByte(l.src[i])
		default:
			b.WriteByte(c)
		}
	}
	if l.template {
		return errorf(start, "unterminated string literal (the #{ at column %d is never closed)", l.open+1)
	}
	return errorf(start, "unterminated string literal")
}

func isEscapable(c byte) bool { return c == '\'' || c == '"' || c == '\\' }

// quoteLiteral renders s as a single-quoted string literal that lexes back
// to s.
func quoteLiteral(s string) string {
	var b strings.Builder
	b.Grow(len(s) + 2)
	b.WriteByte('\'')
	for i := 0; i < len(s); i++ {
		if s[i] == '\'' || s[i] == '\\' {
			b.WriteByte('\\')
		}
		b.WriteByte(s[i])
	}
	b.WriteByte('\'')
	return b.String()
}
