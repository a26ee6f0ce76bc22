package sqlact

import (
	"strings"
)

// Statement is one statement of a script.
type Statement struct {
	// Text is the statement without its terminating semicolon.
	Text string
	// Line is the 1-based line of the script it starts on.
	Line int
	// Params is the number of ? placeholders in it.
	Params int
}

// Split splits a SQL script into statements at semicolons, ignoring
// semicolons and ? inside quoted strings ('…', with backslash escapes
// when backslashEscapes), quoted identifiers ("…", `…`), dollar-quoted
// bodies ($$…$$, $tag$…$tag$), -- line comments and /* */ comments.
// Statements holding only blanks and comments are dropped.
func Split(script string, backslashEscapes bool) []Statement {
	s := splitter{src: script, bs: backslashEscapes, line: 1}
	s.run()
	return s.out
}

// splitter is the state of Split.
type splitter struct {
	src   string
	bs    bool
	out   []Statement
	start int // offset of the current statement
	line  int // current line
	first int // line of the current statement's first token (0: none yet)
	nq    int // ? placeholders so far
}

// run scans the script.
func (s *splitter) run() {
	i := 0
	for i < len(s.src) {
		c := s.src[i]
		next := byte(0)
		if i+1 < len(s.src) {
			next = s.src[i+1]
		}
		switch {
		case c == '\n':
			s.line++
			i++
		case c == ' ' || c == '\t' || c == '\r':
			i++
		case c == '-' && next == '-':
			i = s.skipTo(i, "\n", false)
		case c == '/' && next == '*':
			i = s.skipTo(i+2, "*/", true)
		case c == ';':
			s.emit(i)
			i++
			s.start = i
		default:
			s.token()
			i = s.word(i)
		}
	}
	s.emit(len(s.src))
}

// token notes that the statement has content.
func (s *splitter) token() {
	if s.first == 0 {
		s.first = s.line
	}
}

// word consumes one token at i: a quoted run, a dollar quote, a ? or
// one other byte.
func (s *splitter) word(i int) int {
	switch c := s.src[i]; c {
	case '\'':
		return s.quoted(i, '\'', s.bs)
	case '"', '`':
		return s.quoted(i, c, false)
	case '?':
		s.nq++
		return i + 1
	case '$':
		if tag, ok := dollarTag(s.src[i:]); ok {
			return s.skipTo(i+len(tag), tag, true)
		}
	}
	return i + 1
}

// quoted skips a run quoted by q starting at i (a doubled q stays
// inside); backslash escapes the next byte when bs.
func (s *splitter) quoted(i int, q byte, bs bool) int {
	for j := i + 1; j < len(s.src); j++ {
		switch s.src[j] {
		case '\n':
			s.line++
		case '\\':
			if bs {
				j++
			}
		case q:
			if j+1 < len(s.src) && s.src[j+1] == q {
				j++
				continue
			}
			return j + 1
		}
	}
	return len(s.src)
}

// skipTo returns the offset after the next end at or after i (counting
// lines); the end of the script when there is none. With include, end
// is consumed; otherwise the offset is that of end.
func (s *splitter) skipTo(i int, end string, include bool) int {
	k := strings.Index(s.src[i:], end)
	stop := len(s.src)
	if k >= 0 {
		stop = i + k
		if include {
			stop += len(end)
		}
	}
	s.line += strings.Count(s.src[i:stop], "\n")
	return stop
}

// emit ends the current statement at offset end.
func (s *splitter) emit(end int) {
	if s.first != 0 {
		s.out = append(s.out, Statement{Text: strings.TrimSpace(s.src[s.start:end]), Line: s.first, Params: s.nq})
	}
	s.first, s.nq = 0, 0
}

// dollarTag returns the $tag$ opening s, if s starts with one.
func dollarTag(s string) (string, bool) {
	for j := 1; j < len(s); j++ {
		c := s[j]
		switch {
		case c == '$':
			return s[:j+1], true
		case c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || (j > 1 && c >= '0' && c <= '9'):
		default:
			return "", false
		}
	}
	return "", false
}
