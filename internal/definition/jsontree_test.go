package definition

import (
	"bytes"
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestParseJSON(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		src := "{\"b\": [1, -0.5e+3, true, null],\n \"a\": {\"x\": \"\\u00e9\\ud83d\\ude00\\/\\\"\\\\\\b\\f\\n\\r\\t\"},\n \"b\": \"last\"}"
		v, relaxed, err := parseJSON([]byte(src), false)
		if err != nil || relaxed != nil {
			t.Fatalf("parseJSON: %v %v", err, relaxed)
		}
		if len(v.Members) != 2 || v.Members[0].Key != "b" || v.Members[1].Key != "a" {
			t.Fatalf("members %+v: want b (last value, first place) then a", v.Members)
		}
		if b := v.Members[0].Value; b.Kind != jsonString || b.Text != "last" || b.Pos != (Position{3, 7}) {
			t.Errorf("b = %+v", b)
		}
		x := v.Members[1].Value.Members[0]
		if x.Value.Text != "é😀/\"\\\b\f\n\r\t" || x.KeyPos != (Position{2, 8}) || x.Value.Pos != (Position{2, 13}) {
			t.Errorf("x = %+v", x)
		}
		if got := compactJSON(v); got != `{"b":"last","a":{"x":"é😀/\"\\\b\f\n\r\t"}}` {
			t.Errorf("compactJSON = %s", got)
		}
	})
	t.Run("OKNumbers", func(t *testing.T) {
		v, _, err := parseJSON([]byte(`[0, -0, 12, 1.50, 1e9, 2E-3, -7.0e+01]`), false)
		if err != nil {
			t.Fatal(err)
		}
		var texts []string
		for _, e := range v.Elems {
			texts = append(texts, e.Text)
		}
		if got := strings.Join(texts, " "); got != "0 -0 12 1.50 1e9 2E-3 -7.0e+01" {
			t.Errorf("numbers %s", got)
		}
	})
	t.Run("ErrSyntax", func(t *testing.T) {
		tests := []struct{ src, want string }{
			{`01`, `1:2: unexpected '1' after the end of the JSON value`},
			{`1.`, `1:3: expected a digit after '.' in number, found end of input`},
			{`1e`, `1:3: expected a digit in number exponent, found end of input`},
			{`tru`, `1:1: expected a JSON value, found 't'`},
			{`{"a" 1}`, `1:6: expected ':' after member name "a", found '1'`},
			{`{1: 2}`, `1:2: expected a member name in double quotes, found '1'`},
			{`[1 2]`, `1:4: expected ',' or ']' after array element, found '2'`},
			{`[,]`, `1:2: expected a JSON value, found ','`},
			{`[1,,2]`, `1:4: expected a JSON value, found ','`},
			{`"\u12"`, `1:2: invalid \u escape in string: want four hex digits`},
			{`"\ude00"`, `1:2: lone surrogate \ude00 in string`},
			{`"\ud800\u0041"`, `1:2: lone surrogate \ud800 in string`},
			{`"abc\`, `1:5: unterminated escape sequence in string`},
			{"\"\xc3\"", `1:2: invalid UTF-8 byte 0xc3 in string`},
			{"\xff", `1:1: expected a JSON value, found byte 0xff`},
			{"[\n  \"a\",\n]", `2:6: trailing comma is not allowed in JSON (remove the comma, or load with --lenient)`},
		}
		for _, tt := range tests {
			_, _, err := parseJSON([]byte(tt.src), false)
			if err == nil || err.Error() != tt.want {
				t.Errorf("parseJSON(%q) = %v, want %s", tt.src, err, tt.want)
			}
		}
	})
	t.Run("ErrDepth", func(t *testing.T) {
		ok := strings.Repeat("[", maxJSONDepth) + strings.Repeat("]", maxJSONDepth)
		if _, _, err := parseJSON([]byte(ok), false); err != nil {
			t.Errorf("depth %d: %v", maxJSONDepth, err)
		}
		deep := strings.Repeat(`{"a":[`, 100000)
		_, _, err := parseJSON([]byte(deep), false)
		var se *SyntaxError
		if !errors.As(err, &se) || !strings.Contains(se.Msg, "nested deeper than 1000") || se.Col != 6*500+1 {
			t.Errorf("deep nesting: %v", err)
		}
	})
}

func TestParseJSON_Lenient(t *testing.T) {
	src := "\xef\xbb\xbf{\"a\": [1, 2,],\n \"s\": \"x\ty\r\nz\", \"a\": 3,}"
	v, relaxed, err := parseJSON([]byte(src), true)
	if err != nil {
		t.Fatal(err)
	}
	want := []Relaxation{
		{Position{1, 1}, "byte order mark"},
		{Position{1, 15}, "trailing comma"},
		{Position{2, 9}, "raw tab in string"},
		{Position{2, 11}, "raw carriage return in string"},
		{Position{2, 12}, "raw newline in string"},
		{Position{3, 5}, `duplicate key "a" (the last value is kept)`},
		{Position{3, 11}, "trailing comma"},
	}
	if !reflect.DeepEqual(relaxed, want) {
		t.Errorf("relaxed\n got %v\nwant %v", relaxed, want)
	}
	if got := compactJSON(v); got != `{"a":3,"s":"x\ty\r\nz"}` {
		t.Errorf("tree %s", got)
	}
}

// jsonAgreesWithStdlib checks parseJSON against encoding/json: strict
// success implies encoding/json accepts the input and decodes the same
// value; valid UTF-8 JSON that encoding/json accepts parses strictly,
// except for lone surrogate escapes and excessive nesting.
func jsonAgreesWithStdlib(t *testing.T, data []byte) {
	v, _, err := parseJSON(data, false)
	valid := json.Valid(data)
	if err != nil {
		msg := err.(*SyntaxError).Msg
		if valid && !bytes.HasPrefix(data, []byte("\xef\xbb\xbf")) && utf8.Valid(data) &&
			!strings.Contains(msg, "surrogate") && !strings.Contains(msg, "nested deeper") {
			t.Fatalf("parseJSON refuses what encoding/json accepts: %v\n%q", err, data)
		}
		return
	}
	if !valid {
		t.Fatalf("parseJSON accepts what encoding/json refuses: %q", data)
	}
	var want, got any
	jsonDecodeNumbers(t, data, &want)
	jsonDecodeNumbers(t, []byte(compactJSON(v)), &got)
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("parseJSON tree %#v, encoding/json %#v", got, want)
	}
}

// jsonDecodeNumbers decodes data with encoding/json, numbers as text.
func jsonDecodeNumbers(t *testing.T, data []byte, v *any) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	if err := dec.Decode(v); err != nil {
		t.Fatalf("encoding/json: %v on %q", err, data)
	}
}

func TestParseJSON_AgreesWithStdlib(t *testing.T) {
	for _, src := range []string{
		`{}`, `[]`, `"x"`, `0`, `-1.5e3`, `true`, `null`, ` {"a" : [ {"b":null} , "c" ] } `,
		`{"a":1,"a":2}`, `"\u00e9\ud83d\ude00"`, "\"\xe2\x82\xac\"", `[1,]`, `{"a":"b",}`,
	} {
		jsonAgreesWithStdlib(t, []byte(src))
	}
	for _, s := range loadSamples(t) {
		jsonAgreesWithStdlib(t, s.data)
	}
}
