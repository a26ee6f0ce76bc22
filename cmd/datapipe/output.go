package main

import (
	"fmt"
	"io"
	"strconv"
	"strings"
)

// The output formats of the client commands, as the aws CLI names them.
const (
	outputJSON  = "json"
	outputText  = "text"
	outputTable = "table"
)

// object is a JSON object whose keys keep the order they were first set in,
// as the Python dicts that botocore builds do. Values are string, bool,
// int, nil, []any or *object.
type object struct {
	keys []string
	vals map[string]any
}

// newObject returns an empty object.
func newObject() *object { return &object{vals: map[string]any{}} }

// set sets key to v. A key set again keeps its first position, as in a
// Python dict.
func (o *object) set(key string, v any) *object {
	if _, ok := o.vals[key]; !ok {
		o.keys = append(o.keys, key)
	}
	o.vals[key] = v
	return o
}

// setString sets key to *s when s is not nil: botocore leaves absent
// members out of the dict it parses.
func (o *object) setString(key string, s *string) *object {
	if s != nil {
		o.set(key, *s)
	}
	return o
}

// get returns the value of key and whether it is set.
func (o *object) get(key string) (any, bool) {
	v, ok := o.vals[key]
	return v, ok
}

// len returns the number of keys.
func (o *object) len() int { return len(o.keys) }

// isScalar reports whether v is neither a list nor an object.
func isScalar(v any) bool {
	switch v.(type) {
	case []any, *object:
		return false
	}
	return true
}

// pyStr renders a scalar as Python's str() does: True/False for booleans,
// None for nil.
func pyStr(v any) string {
	switch v := v.(type) {
	case nil:
		return "None"
	case string:
		return v
	case bool:
		if v {
			return "True"
		}
		return "False"
	case int:
		return strconv.Itoa(v)
	case []any, *object:
		return pyRepr(v)
	}
	return fmt.Sprint(v)
}

// pyRepr renders v as Python's repr() does, for the rare list or object
// that the text and table formatters print as a scalar.
func pyRepr(v any) string {
	switch v := v.(type) {
	case string:
		return pyReprString(v)
	case []any:
		parts := make([]string, len(v))
		for i, e := range v {
			parts[i] = pyRepr(e)
		}
		return "[" + strings.Join(parts, ", ") + "]"
	case *object:
		parts := make([]string, len(v.keys))
		for i, k := range v.keys {
			parts[i] = pyReprString(k) + ": " + pyRepr(v.vals[k])
		}
		return "{" + strings.Join(parts, ", ") + "}"
	}
	return pyStr(v)
}

// pyReprString quotes s as Python's repr() does: single quotes unless s
// holds one and no double quote.
func pyReprString(s string) string {
	q := "'"
	if strings.Contains(s, "'") && !strings.Contains(s, `"`) {
		q = `"`
	}
	var b strings.Builder
	b.WriteString(q)
	for _, r := range s {
		switch {
		case r == '\\' || string(r) == q:
			b.WriteString(`\` + string(r))
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&b, `\x%02x`, r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteString(q)
	return b.String()
}

// result is what a client command hands to the formatters.
type result struct {
	// value is the response as the formatters see it (botocore's parsed
	// dict); nil prints nothing.
	value any
	// pages, when set, are the pages of a paginated response: the text
	// formatter prints each on its own, as the CLI's does.
	pages []any
	// jsonText, when set, is printed instead of value for --output json.
	jsonText []byte
	// custom, when set, prints the result instead of the formatters.
	custom func(w io.Writer) error
	// title names the table for --output table: the operation or command
	// name.
	title string
}

// writeResult prints r in format.
func writeResult(w io.Writer, format string, r *result, width int) error {
	if r == nil {
		return nil
	}
	if r.custom != nil {
		return r.custom(w)
	}
	switch format {
	case outputText:
		return writeTextResult(w, r)
	case outputTable:
		return writeTable(w, r.title, r.value, width)
	}
	if r.jsonText != nil {
		_, err := w.Write(r.jsonText)
		return err
	}
	return writeJSON(w, r.value)
}

// writeTextResult prints r page by page, as the CLI's text formatter does.
func writeTextResult(w io.Writer, r *result) error {
	if r.pages == nil {
		return writeText(w, r.value)
	}
	for _, p := range r.pages {
		if err := writeText(w, p); err != nil {
			return err
		}
	}
	return nil
}

// defaultTerminalWidth is the table width limit when the output is not a
// terminal.
const defaultTerminalWidth = 80
