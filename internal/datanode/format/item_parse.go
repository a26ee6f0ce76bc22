package format

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
)

// ParseItemJSON parses one export-format line into a record: a JSON
// object of attribute → {"type": value}, or the older Hive export layout
// (name ETX value STX name ETX value…) that DynamoDbImport also reads.
// Attribute type keys are matched in any case.
func ParseItemJSON(line []byte) (Record, error) {
	line = bytes.TrimSpace(line)
	if len(line) > 0 && line[0] != '{' {
		return parseHiveItem(line)
	}
	dec := json.NewDecoder(bytes.NewReader(line))
	dec.UseNumber()
	rec, err := decodeItem(dec, 0)
	if errors.Is(err, io.EOF) {
		return nil, io.ErrUnexpectedEOF
	}
	if err != nil {
		return nil, err
	}
	if dec.More() {
		return nil, fmt.Errorf("text after the item")
	}
	return rec, nil
}

// parseHiveItem parses name\x03{json}\x02name\x03{json}….
func parseHiveItem(line []byte) (Record, error) {
	var rec Record
	for part := range bytes.SplitSeq(line, []byte{0x02}) {
		name, val, ok := bytes.Cut(part, []byte{0x03})
		if !ok {
			return nil, fmt.Errorf("not an item: no { and no ETX separator")
		}
		dec := json.NewDecoder(bytes.NewReader(val))
		dec.UseNumber()
		v, err := decodeValue(dec, 0)
		if err != nil {
			return nil, fmt.Errorf("attribute %s: %w", name, err)
		}
		rec = append(rec, Field{Name: string(name), Value: v})
	}
	return rec, nil
}

// maxDepth is the deepest nesting of lists and maps DynamoDB allows.
const maxDepth = 32

// decodeItem decodes {name: value, …} in order, depth levels down.
func decodeItem(dec *json.Decoder, depth int) (Record, error) {
	if depth > maxDepth {
		return nil, fmt.Errorf("attributes nest deeper than %d levels", maxDepth)
	}
	if err := expectDelim(dec, '{'); err != nil {
		return nil, err
	}
	rec := Record{}
	for dec.More() {
		name, err := stringToken(dec)
		if err != nil {
			return nil, err
		}
		v, err := decodeValue(dec, depth)
		if err != nil {
			return nil, fmt.Errorf("attribute %s: %w", name, err)
		}
		rec = append(rec, Field{Name: name, Value: v})
	}
	return rec, expectDelim(dec, '}')
}

// decodeValue decodes one attribute value object ({"s":"x"}).
func decodeValue(dec *json.Decoder, depth int) (Value, error) {
	if err := expectDelim(dec, '{'); err != nil {
		return Value{}, err
	}
	var v Value
	found := false
	for dec.More() {
		key, err := stringToken(dec)
		if err != nil {
			return Value{}, err
		}
		if found {
			return Value{}, fmt.Errorf("more than one type in an attribute value")
		}
		if v, err = decodeTyped(dec, strings.ToLower(key), depth); err != nil {
			return Value{}, fmt.Errorf("%s: %w", key, err)
		}
		found = true
	}
	if !found {
		return Value{}, fmt.Errorf("an attribute value without a type")
	}
	return v, expectDelim(dec, '}')
}

// decodeTyped decodes the payload of one type key.
func decodeTyped(dec *json.Decoder, key string, depth int) (Value, error) {
	switch key {
	case "s":
		s, err := stringToken(dec)
		return Str(s), err
	case "n":
		return decodeNumber(dec)
	case "b":
		s, err := stringToken(dec)
		if err != nil {
			return Value{}, err
		}
		raw, err := base64.StdEncoding.DecodeString(s)
		return Value{Kind: Binary, Str: string(raw)}, err
	case "bool", "null", "nullvalue":
		return decodeFlag(dec, key)
	case "ss", "ns", "bs":
		return decodeSet(dec, key)
	case "l":
		return decodeList(dec, depth+1)
	case "m":
		rec, err := decodeItem(dec, depth+1)
		return Value{Kind: Map, Map: rec}, err
	}
	return Value{}, fmt.Errorf("unknown attribute type")
}

// decodeNumber decodes a number given as a JSON string or number.
func decodeNumber(dec *json.Decoder) (Value, error) {
	tok, err := dec.Token()
	if err != nil {
		return Value{}, err
	}
	var s string
	switch t := tok.(type) {
	case string:
		s = t
	case json.Number:
		s = t.String()
	default:
		return Value{}, fmt.Errorf("want a number, got %v", tok)
	}
	if !IsNumber(s) {
		return Value{}, fmt.Errorf("%q is not a number", s)
	}
	return Num(s), nil
}

// decodeFlag decodes the boolean payload of bool and null.
func decodeFlag(dec *json.Decoder, key string) (Value, error) {
	tok, err := dec.Token()
	if err != nil {
		return Value{}, err
	}
	b, ok := tok.(bool)
	if !ok {
		return Value{}, fmt.Errorf("want true or false, got %v", tok)
	}
	if key == "bool" {
		return Value{Kind: Bool, Bool: b}, nil
	}
	return Value{}, nil
}

// decodeSet decodes an array of strings (base64 for bs).
func decodeSet(dec *json.Decoder, key string) (Value, error) {
	kind := map[string]Kind{"ss": StringSet, "ns": NumberSet, "bs": BinarySet}[key]
	elem := map[string]Kind{"ss": String, "ns": Number, "bs": Binary}[key]
	if err := expectDelim(dec, '['); err != nil {
		return Value{}, err
	}
	v := Value{Kind: kind, List: []Value{}}
	for dec.More() {
		e, err := decodeTyped(dec, strings.ToLower(elem.String()), 0)
		if err != nil {
			return Value{}, err
		}
		v.List = append(v.List, e)
	}
	return v, expectDelim(dec, ']')
}

// decodeList decodes an array of attribute values.
func decodeList(dec *json.Decoder, depth int) (Value, error) {
	if depth > maxDepth {
		return Value{}, fmt.Errorf("attributes nest deeper than %d levels", maxDepth)
	}
	if err := expectDelim(dec, '['); err != nil {
		return Value{}, err
	}
	v := Value{Kind: List, List: []Value{}}
	for dec.More() {
		e, err := decodeValue(dec, depth)
		if err != nil {
			return Value{}, err
		}
		v.List = append(v.List, e)
	}
	return v, expectDelim(dec, ']')
}

// expectDelim reads the delimiter d.
func expectDelim(dec *json.Decoder, d json.Delim) error {
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	if tok != d {
		return fmt.Errorf("want %v, got %v", d, tok)
	}
	return nil
}

// stringToken reads a JSON string.
func stringToken(dec *json.Decoder) (string, error) {
	tok, err := dec.Token()
	if err != nil {
		return "", err
	}
	s, ok := tok.(string)
	if !ok {
		return "", fmt.Errorf("want a string, got %v", tok)
	}
	return s, nil
}
