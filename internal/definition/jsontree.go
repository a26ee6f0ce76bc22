package definition

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// This file holds a small JSON parser that keeps what encoding/json drops:
// member order, the position of every value, and the literal text of
// numbers. It reads the JSON the AWS CLI reads (Python json.loads, strict)
// and, in lenient mode, also trailing commas, raw newlines, tabs and
// carriage returns inside strings, and a leading UTF-8 byte order mark,
// recording each place it relaxed. The input is copied into one string
// once; decoded strings without escapes are slices of it.
//
// Duplicate member names behave as in Python: the member keeps the place
// of its first occurrence and takes the value of its last. Lenient mode
// records each duplicate as a Relaxation; strict mode, like the AWS CLI,
// says nothing.

// maxJSONDepth bounds the nesting of arrays and objects, so that hostile
// input cannot exhaust the stack.
const maxJSONDepth = 1000

// jsonKind is the kind of a JSON value.
type jsonKind uint8

// The JSON value kinds.
const (
	jsonNull jsonKind = iota
	jsonBool
	jsonNumber
	jsonString
	jsonArray
	jsonObject
)

// String names the kind as error messages do ("a number").
func (k jsonKind) String() string {
	return [...]string{"null", "a boolean", "a number", "a string", "an array", "an object"}[k]
}

// jsonValue is one node of an ordered JSON tree.
type jsonValue struct {
	Kind    jsonKind
	Pos     Position     // first byte of the value
	Text    string       // decoded string; literal text of a number, boolean or null
	Elems   []jsonValue  // array elements, in order
	Members []jsonMember // object members, in order of first appearance
}

// jsonMember is one name/value pair of a JSON object.
type jsonMember struct {
	Key    string
	KeyPos Position
	Value  jsonValue
}

// member returns the member named key, or nil.
func (v *jsonValue) member(key string) *jsonMember {
	if i := findMember(v.Members, key); i >= 0 {
		return &v.Members[i]
	}
	return nil
}

// findMember returns the index of the member named key, or -1.
func findMember(ms []jsonMember, key string) int {
	for i := range ms {
		if ms[i].Key == key {
			return i
		}
	}
	return -1
}

// jsonParser reads one JSON text. It is used once.
type jsonParser struct {
	data      string // the input; strings without escapes are slices of it
	off       int
	line      int // current line, 1-based
	lineStart int // offset of the first byte of the current line
	depth     int
	lenient   bool
	relaxed   []Relaxation
	buf       []byte       // scratch space for strings with escapes
	elems     []jsonValue  // stack of the elements of open arrays
	members   []jsonMember // stack of the members of open objects
}

// parseJSON parses data as one JSON value. Errors are *SyntaxError without
// a file name. In lenient mode the relaxations accepted are returned.
func parseJSON(data []byte, lenient bool) (jsonValue, []Relaxation, error) {
	p := &jsonParser{data: string(data), line: 1, lenient: lenient}
	if err := p.bom(); err != nil {
		return jsonValue{}, nil, err
	}
	p.skipSpace()
	v, err := p.value()
	if err != nil {
		return jsonValue{}, nil, err
	}
	p.skipSpace()
	if p.off < len(p.data) {
		return jsonValue{}, nil, p.errorf("unexpected %s after the end of the JSON value", p.found())
	}
	return v, p.relaxed, nil
}

// pos returns the position of the next byte.
func (p *jsonParser) pos() Position {
	return Position{Line: p.line, Col: p.off - p.lineStart + 1}
}

// errorf returns a *SyntaxError at the next byte.
func (p *jsonParser) errorf(format string, args ...any) error {
	return errorAt(p.pos(), format, args...)
}

// errorAt returns a *SyntaxError at pos, without a file name.
func errorAt(pos Position, format string, args ...any) *SyntaxError {
	return &SyntaxError{Line: pos.Line, Col: pos.Col, Msg: fmt.Sprintf(format, args...)}
}

// relax accepts a non-strict construct at pos in lenient mode, or returns
// the strict-mode error for it.
func (p *jsonParser) relax(pos Position, what, hint string) error {
	if !p.lenient {
		return errorAt(pos, "%s is not allowed in JSON (%s, or load with --lenient)", what, hint)
	}
	p.relaxed = append(p.relaxed, Relaxation{Pos: pos, What: what})
	return nil
}

// found describes the next byte (or rune) for error messages.
func (p *jsonParser) found() string {
	if p.off >= len(p.data) {
		return "end of input"
	}
	r, _ := utf8.DecodeRuneInString(p.data[p.off:])
	if r == utf8.RuneError {
		return fmt.Sprintf("byte 0x%02x", p.data[p.off])
	}
	return strconv.QuoteRune(r)
}

// peek returns the next byte, or 0 at the end of the input.
func (p *jsonParser) peek() byte {
	if p.off >= len(p.data) {
		return 0
	}
	return p.data[p.off]
}

// newline notes that the byte at p.off is a line feed and moves past it.
func (p *jsonParser) newline() {
	p.off++
	p.line++
	p.lineStart = p.off
}

// skipSpace moves past JSON whitespace.
func (p *jsonParser) skipSpace() {
	for p.off < len(p.data) {
		switch p.data[p.off] {
		case ' ', '\t', '\r':
			p.off++
		case '\n':
			p.newline()
		default:
			return
		}
	}
}

// bom handles a UTF-8 byte order mark at the start of the input, which
// Python's json.loads refuses in a str.
func (p *jsonParser) bom() error {
	if !strings.HasPrefix(p.data, "\uFEFF") {
		return nil
	}
	if err := p.relax(p.pos(), "byte order mark", "save the file as UTF-8 without BOM"); err != nil {
		return err
	}
	p.off += 3
	return nil
}

// value parses the value that starts at the next byte.
func (p *jsonParser) value() (jsonValue, error) {
	switch c := p.peek(); {
	case c == '{':
		return p.object()
	case c == '[':
		return p.array()
	case c == '"':
		pos := p.pos()
		s, err := p.str()
		return jsonValue{Kind: jsonString, Pos: pos, Text: s}, err
	case c == '-' || isDigit(c):
		return p.number()
	case c == 't' || c == 'f' || c == 'n':
		return p.literal()
	}
	return jsonValue{}, p.errorf("expected a JSON value, found %s", p.found())
}

// enter notes one more level of nesting.
func (p *jsonParser) enter() error {
	p.depth++
	if p.depth > maxJSONDepth {
		return p.errorf("arrays and objects nested deeper than %d levels", maxJSONDepth)
	}
	return nil
}

// array parses an array; the next byte is '['. Elements collect on the
// p.elems stack and are copied out once, at the right size.
func (p *jsonParser) array() (jsonValue, error) {
	v := jsonValue{Kind: jsonArray, Pos: p.pos()}
	if err := p.enter(); err != nil {
		return v, err
	}
	base := len(p.elems)
	defer p.leave(base, len(p.members))
	p.off++
	p.skipSpace()
	if p.peek() == ']' {
		p.off++
		return v, nil
	}
	for {
		e, err := p.value()
		if err != nil {
			return v, err
		}
		p.elems = append(p.elems, e)
		if done, err := p.afterItem(']', "array element"); done || err != nil {
			v.Elems = slices.Clone(p.elems[base:])
			return v, err
		}
	}
}

// object parses an object; the next byte is '{'. Members collect on the
// p.members stack and are copied out once, at the right size.
func (p *jsonParser) object() (jsonValue, error) {
	v := jsonValue{Kind: jsonObject, Pos: p.pos()}
	if err := p.enter(); err != nil {
		return v, err
	}
	base := len(p.members)
	defer p.leave(len(p.elems), base)
	p.off++
	p.skipSpace()
	if p.peek() == '}' {
		p.off++
		return v, nil
	}
	var index map[string]int
	for {
		m, err := p.member()
		if err != nil {
			return v, err
		}
		index = p.addMember(base, m, index)
		if done, err := p.afterItem('}', "object member"); done || err != nil {
			v.Members = slices.Clone(p.members[base:])
			return v, err
		}
	}
}

// leave ends an array or object: one level less, and the scratch stacks
// back to where it found them.
func (p *jsonParser) leave(elems, members int) {
	p.depth--
	p.elems = p.elems[:elems]
	p.members = p.members[:members]
}

// afterItem reads what follows an array element or object member: a comma
// (true when it is a trailing one before end), or the closing byte end.
func (p *jsonParser) afterItem(end byte, what string) (done bool, err error) {
	p.skipSpace()
	switch p.peek() {
	case end:
		p.off++
		return true, nil
	case ',':
		comma := p.pos()
		p.off++
		p.skipSpace()
		if p.peek() != end {
			return false, nil
		}
		if err := p.relax(comma, "trailing comma", "remove the comma"); err != nil {
			return true, err
		}
		p.off++
		return true, nil
	}
	return true, p.errorf("expected ',' or '%c' after %s, found %s", end, what, p.found())
}

// member parses one "name": value pair.
func (p *jsonParser) member() (jsonMember, error) {
	if p.peek() != '"' {
		return jsonMember{}, p.errorf("expected a member name in double quotes, found %s", p.found())
	}
	m := jsonMember{KeyPos: p.pos()}
	var err error
	if m.Key, err = p.str(); err != nil {
		return m, err
	}
	p.skipSpace()
	if p.peek() != ':' {
		return m, p.errorf("expected ':' after member name %q, found %s", m.Key, p.found())
	}
	p.off++
	p.skipSpace()
	m.Value, err = p.value()
	return m, err
}

// indexFrom is the member count from which addMember looks names up in a
// map rather than by scanning.
const indexFrom = 16

// addMember adds m to the object whose members start at p.members[base],
// or, when it already has a member of that name, replaces its value
// (Python keeps the last value, at the first place). It returns the name
// index, built once the object is large.
func (p *jsonParser) addMember(base int, m jsonMember, index map[string]int) map[string]int {
	i, ok := index[m.Key]
	if index == nil {
		i = findMember(p.members[base:], m.Key)
		ok = i >= 0
	}
	if ok {
		p.members[base+i].Value = m.Value
		if p.lenient {
			what := fmt.Sprintf("duplicate key %q (the last value is kept)", m.Key)
			p.relaxed = append(p.relaxed, Relaxation{Pos: m.KeyPos, What: what})
		}
		return index
	}
	p.members = append(p.members, m)
	n := len(p.members) - base
	if index != nil {
		index[m.Key] = n - 1
	} else if n == indexFrom {
		index = make(map[string]int, 2*indexFrom)
		for j, mm := range p.members[base:] {
			index[mm.Key] = j
		}
	}
	return index
}

// literal parses true, false or null.
func (p *jsonParser) literal() (jsonValue, error) {
	pos := p.pos()
	for _, lit := range [...]string{"true", "false", "null"} {
		if strings.HasPrefix(p.data[p.off:], lit) {
			p.off += len(lit)
			kind := jsonBool
			if lit == "null" {
				kind = jsonNull
			}
			return jsonValue{Kind: kind, Pos: pos, Text: lit}, nil
		}
	}
	return jsonValue{}, p.errorf("expected a JSON value, found %s", p.found())
}

// number parses a JSON number, keeping its literal text.
func (p *jsonParser) number() (jsonValue, error) {
	pos, start := p.pos(), p.off
	if p.peek() == '-' {
		p.off++
	}
	if p.peek() == '0' {
		p.off++
	} else if err := p.digits("in number"); err != nil {
		return jsonValue{}, err
	}
	if p.peek() == '.' {
		p.off++
		if err := p.digits("after '.' in number"); err != nil {
			return jsonValue{}, err
		}
	}
	if c := p.peek(); c == 'e' || c == 'E' {
		p.off++
		if c := p.peek(); c == '+' || c == '-' {
			p.off++
		}
		if err := p.digits("in number exponent"); err != nil {
			return jsonValue{}, err
		}
	}
	return jsonValue{Kind: jsonNumber, Pos: pos, Text: p.data[start:p.off]}, nil
}

// digits moves past one or more decimal digits.
func (p *jsonParser) digits(where string) error {
	if !isDigit(p.peek()) {
		return p.errorf("expected a digit %s, found %s", where, p.found())
	}
	for isDigit(p.peek()) {
		p.off++
	}
	return nil
}

// isDigit reports whether c is an ASCII decimal digit.
func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// str parses a string; the next byte is '"'. It returns the decoded text.
func (p *jsonParser) str() (string, error) {
	open := p.pos()
	p.off++
	start := p.off
	for p.off < len(p.data) {
		switch c := p.data[p.off]; {
		case c == '"':
			p.off++
			return p.data[start : p.off-1], nil
		case c == '\\':
			return p.strSlow(open, start)
		case c < 0x20:
			if err := p.rawControl(c); err != nil {
				return "", err
			}
		case c >= utf8.RuneSelf:
			if err := p.utf8Rune(); err != nil {
				return "", err
			}
		default:
			p.off++
		}
	}
	return "", errorAt(open, "unterminated string")
}

// strSlow finishes a string that holds escapes, copying it into p.buf.
func (p *jsonParser) strSlow(open Position, start int) (string, error) {
	p.buf = append(p.buf[:0], p.data[start:p.off]...)
	for p.off < len(p.data) {
		from := p.off
		switch c := p.data[p.off]; {
		case c == '"':
			p.off++
			return string(p.buf), nil
		case c == '\\':
			if err := p.escape(); err != nil {
				return "", err
			}
			continue
		case c < 0x20:
			if err := p.rawControl(c); err != nil {
				return "", err
			}
		case c >= utf8.RuneSelf:
			if err := p.utf8Rune(); err != nil {
				return "", err
			}
		default:
			p.off++
		}
		p.buf = append(p.buf, p.data[from:p.off]...)
	}
	return "", errorAt(open, "unterminated string")
}

// controlName names the raw control characters lenient mode accepts, and
// returns "" for the others.
func controlName(c byte) string {
	switch c {
	case '\n':
		return "newline"
	case '\t':
		return "tab"
	case '\r':
		return "carriage return"
	}
	return ""
}

// rawControl handles a raw control character c inside a string.
func (p *jsonParser) rawControl(c byte) error {
	name := controlName(c)
	if name == "" {
		return p.errorf("invalid control character U+%04X in string (write it as \\u%04x)", c, c)
	}
	pos := p.pos()
	if err := p.relax(pos, "raw "+name+" in string", fmt.Sprintf("write it as %q", string(c))); err != nil {
		return err
	}
	if c == '\n' {
		p.newline()
	} else {
		p.off++
	}
	return nil
}

// utf8Rune moves past one multi-byte UTF-8 sequence, refusing invalid ones.
func (p *jsonParser) utf8Rune() error {
	r, size := utf8.DecodeRuneInString(p.data[p.off:])
	if r == utf8.RuneError && size <= 1 {
		return p.errorf("invalid UTF-8 byte 0x%02x in string", p.data[p.off])
	}
	p.off += size
	return nil
}

// simpleEscape returns the byte a one-letter escape stands for, or 0.
func simpleEscape(c byte) byte {
	switch c {
	case '"', '\\', '/':
		return c
	case 'b':
		return '\b'
	case 'f':
		return '\f'
	case 'n':
		return '\n'
	case 'r':
		return '\r'
	case 't':
		return '\t'
	}
	return 0
}

// escape decodes one escape sequence into p.buf; the next byte is '\'.
func (p *jsonParser) escape() error {
	pos := p.pos()
	if p.off+1 >= len(p.data) {
		return errorAt(pos, "unterminated escape sequence in string")
	}
	c := p.data[p.off+1]
	if b := simpleEscape(c); b != 0 {
		p.buf = append(p.buf, b)
		p.off += 2
		return nil
	}
	if c != 'u' {
		p.off++
		return errorAt(pos, "invalid escape sequence in string: backslash followed by %s", p.found())
	}
	r, err := p.unicodeEscape(pos)
	if err != nil {
		return err
	}
	p.buf = utf8.AppendRune(p.buf, r)
	return nil
}

// unicodeEscape decodes \uXXXX, or a surrogate pair of them, at pos.
func (p *jsonParser) unicodeEscape(pos Position) (rune, error) {
	r, ok := p.hex4()
	if !ok {
		return 0, errorAt(pos, "invalid \\u escape in string: want four hex digits")
	}
	switch {
	case r >= 0xDC00 && r <= 0xDFFF:
		return 0, errorAt(pos, "lone surrogate \\u%04x in string", r)
	case r < 0xD800 || r > 0xDBFF:
		return r, nil
	}
	low, ok := p.hex4()
	if !ok || low < 0xDC00 || low > 0xDFFF {
		return 0, errorAt(pos, "lone surrogate \\u%04x in string", r)
	}
	return 0x10000 + (r-0xD800)<<10 + (low - 0xDC00), nil
}

// hex4 decodes one \uXXXX at p.off and moves past it when well formed.
func (p *jsonParser) hex4() (rune, bool) {
	if p.off+6 > len(p.data) || p.data[p.off] != '\\' || p.data[p.off+1] != 'u' {
		return 0, false
	}
	n, err := strconv.ParseUint(p.data[p.off+2:p.off+6], 16, 32)
	if err != nil {
		return 0, false
	}
	p.off += 6
	return rune(n), true
}
