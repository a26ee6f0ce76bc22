package format

import (
	"encoding/base64"
	"strconv"
	"strings"
	"unicode/utf8"
)

// The attribute type names the export format writes: those of the AWS
// SDK for Java v1 AttributeValue fields, as the emr-dynamodb-tools
// DynamoDbExport step serialises them with Gson. Readers accept any case
// and the v2 names (null, bool) too.
const (
	keyS    = "s"
	keyN    = "n"
	keyB    = "b"
	keySS   = "sS"
	keyNS   = "nS"
	keyBS   = "bS"
	keyM    = "m"
	keyL    = "l"
	keyBool = "bOOL"
	keyNull = "nULLValue"
)

// AppendItemJSON appends rec as one export-format item, e.g.
// {"id":{"s":"a"},"n":{"n":"1"}}, without a newline.
func AppendItemJSON(b *strings.Builder, rec Record) {
	b.WriteByte('{')
	for i, f := range rec {
		if i > 0 {
			b.WriteByte(',')
		}
		appendJSONString(b, f.Name)
		b.WriteByte(':')
		appendValueJSON(b, f.Value)
	}
	b.WriteByte('}')
}

// appendValueJSON appends one attribute value object ({"s":"x"}).
func appendValueJSON(b *strings.Builder, v Value) {
	b.WriteByte('{')
	switch v.Kind {
	case Null:
		b.WriteString(`"` + keyNull + `":true`)
	case String:
		b.WriteString(`"` + keyS + `":`)
		appendJSONString(b, v.Str)
	case Number:
		b.WriteString(`"` + keyN + `":`)
		appendJSONString(b, v.Str)
	case Binary:
		b.WriteString(`"` + keyB + `":`)
		appendJSONString(b, base64.StdEncoding.EncodeToString([]byte(v.Str)))
	case Bool:
		b.WriteString(`"` + keyBool + `":` + strconv.FormatBool(v.Bool))
	case StringSet, NumberSet, BinarySet:
		appendSetJSON(b, v)
	case List:
		b.WriteString(`"` + keyL + `":[`)
		for i, e := range v.List {
			if i > 0 {
				b.WriteByte(',')
			}
			appendValueJSON(b, e)
		}
		b.WriteByte(']')
	case Map:
		b.WriteString(`"` + keyM + `":`)
		AppendItemJSON(b, v.Map)
	}
	b.WriteByte('}')
}

// appendSetJSON appends a set's key and its array of strings.
func appendSetJSON(b *strings.Builder, v Value) {
	key := map[Kind]string{StringSet: keySS, NumberSet: keyNS, BinarySet: keyBS}[v.Kind]
	b.WriteString(`"` + key + `":[`)
	for i, e := range v.List {
		if i > 0 {
			b.WriteByte(',')
		}
		s := e.Str
		if v.Kind == BinarySet {
			s = base64.StdEncoding.EncodeToString([]byte(s))
		}
		appendJSONString(b, s)
	}
	b.WriteByte(']')
}

// hexDigits are the digits of \u escapes.
const hexDigits = "0123456789abcdef"

// appendJSONString appends s as a JSON string the way Gson does with HTML
// escaping off: quotes, backslashes and control characters escaped, and
// U+2028/U+2029 as \u escapes; invalid UTF-8 becomes U+FFFD.
func appendJSONString(b *strings.Builder, s string) {
	b.WriteByte('"')
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			appendJSONByte(b, c)
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch r {
		case '\u2028', '\u2029':
			b.WriteString(`\u202` + string(hexDigits[r&0xf]))
		default:
			b.WriteRune(r)
		}
		i += size
	}
	b.WriteByte('"')
}

// appendJSONByte appends one ASCII byte of a JSON string, escaped.
func appendJSONByte(b *strings.Builder, c byte) {
	switch c {
	case '"':
		b.WriteString(`\"`)
	case '\\':
		b.WriteString(`\\`)
	case '\n':
		b.WriteString(`\n`)
	case '\r':
		b.WriteString(`\r`)
	case '\t':
		b.WriteString(`\t`)
	case '\b':
		b.WriteString(`\b`)
	case '\f':
		b.WriteString(`\f`)
	default:
		if c < 0x20 {
			b.WriteString(`\u00`)
			b.WriteByte(hexDigits[c>>4])
			b.WriteByte(hexDigits[c&0xf])
			return
		}
		b.WriteByte(c)
	}
}
