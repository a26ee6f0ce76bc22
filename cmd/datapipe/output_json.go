package main

import (
	"io"
	"strconv"

	"github.com/datapipe/datapipe/internal/definition"
)

// writeJSON prints v as the CLI's JSON formatter does: Python's json.dump
// with indent=4 and ensure_ascii=False, then a newline. An empty object
// (an operation without output) prints nothing.
func writeJSON(w io.Writer, v any) error {
	if o, ok := v.(*object); v == nil || ok && o.len() == 0 {
		return nil
	}
	b := appendJSON(nil, v, 0)
	_, err := w.Write(append(b, '\n'))
	return err
}

// appendJSON appends v indented at depth.
func appendJSON(b []byte, v any, depth int) []byte {
	switch v := v.(type) {
	case *object:
		return appendJSONObject(b, v, depth)
	case []any:
		return appendJSONList(b, v, depth)
	case string:
		return appendJSONString(b, v)
	case bool:
		return strconv.AppendBool(b, v)
	case int:
		return strconv.AppendInt(b, int64(v), 10)
	}
	return append(b, "null"...)
}

// appendJSONObject appends o, one member a line.
func appendJSONObject(b []byte, o *object, depth int) []byte {
	if o.len() == 0 {
		return append(b, "{}"...)
	}
	b = append(b, '{')
	for i, k := range o.keys {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendIndent(b, depth+1)
		b = append(appendJSONString(b, k), ": "...)
		b = appendJSON(b, o.vals[k], depth+1)
	}
	return append(appendIndent(b, depth), '}')
}

// appendJSONList appends l, one element a line.
func appendJSONList(b []byte, l []any, depth int) []byte {
	if len(l) == 0 {
		return append(b, "[]"...)
	}
	b = append(b, '[')
	for i, e := range l {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendIndent(b, depth+1)
		b = appendJSON(b, e, depth+1)
	}
	return append(appendIndent(b, depth), ']')
}

// appendIndent starts a new line indented four spaces a level.
func appendIndent(b []byte, depth int) []byte {
	b = append(b, '\n')
	for range depth {
		b = append(b, "    "...)
	}
	return b
}

// appendJSONString appends s quoted as Python's json module does with
// ensure_ascii=False, as the AWS CLI prints it.
func appendJSONString(b []byte, s string) []byte { return definition.AppendPyJSONString(b, s) }
