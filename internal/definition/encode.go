package definition

import (
	"unicode/utf8"

	"github.com/datapipe/datapipe/internal/pipeline"
)

// EncodeCLI renders d in the AWS CLI file format, byte for byte as
// `aws datapipeline get-pipeline-definition` prints it (api.md §7.6; the
// CLI's json.dumps with indent=4 and ensure_ascii=False, then a newline):
//
//   - "objects": each object is {"id", "name", then its fields in order};
//     the first field with a key gives a scalar, a repeat turns it into an
//     array; a string is a JSON string, a reference {"ref": id}.
//   - "parameters": each is {"id", then attribute: value | [values]}.
//   - "values": {id: value | [values]}, ids in order of first appearance.
//
// Sections with no entries are left out (a Definition does not tell an
// absent section from an empty one). Like the CLI, a field or attribute
// keyed "id" or "name" merges with the object's own id or name into an
// array; such output does not load back. Invalid UTF-8 in a string is
// written as U+FFFD.
//
// The output is deterministic. The error is always nil today; it is kept
// so that callers need not change if encoding ever becomes fallible.
func EncodeCLI(d Definition) ([]byte, error) {
	w := &pyWriter{}
	n := 0
	section := func(name string) {
		if n == 0 {
			w.open('{')
		}
		w.item(n)
		n++
		w.key(name)
	}
	if len(d.Objects) > 0 {
		section("objects")
		w.list(objectMaps(d.Objects))
	}
	if len(d.Parameters) > 0 {
		section("parameters")
		w.list(parameterMaps(d.Parameters))
	}
	if len(d.Values) > 0 {
		section("values")
		w.object(valuesMap(d.Values))
	}
	if n == 0 {
		return []byte("{}\n"), nil
	}
	w.close('}')
	return append(w.b, '\n'), nil
}

// cliValue is one value in CLI output: a string, or a reference.
type cliValue struct {
	text string
	ref  bool
}

// cliEntry is one key of a CLI output object with its values; one value
// prints as a scalar, more as an array.
type cliEntry struct {
	key  string
	vals []cliValue
}

// cliMap is an insertion-ordered JSON object being built for output.
type cliMap struct {
	entries []cliEntry
	index   map[string]int
}

// add appends v to key's values, as the CLI's _add_value does.
func (m *cliMap) add(key string, v cliValue) {
	if i, ok := m.index[key]; ok {
		m.entries[i].vals = append(m.entries[i].vals, v)
		return
	}
	if m.index == nil {
		m.index = make(map[string]int)
	}
	m.index[key] = len(m.entries)
	m.entries = append(m.entries, cliEntry{key: key, vals: []cliValue{v}})
}

// objectMaps builds the CLI form of each object.
func objectMaps(objs []pipeline.Object) []cliMap {
	out := make([]cliMap, len(objs))
	for i, o := range objs {
		m := &out[i]
		m.add("id", cliValue{text: o.ID})
		m.add("name", cliValue{text: o.Name})
		for _, f := range o.Fields {
			m.add(f.Key, cliValue{text: f.Value, ref: f.Ref})
		}
	}
	return out
}

// parameterMaps builds the CLI form of each parameter object.
func parameterMaps(params []pipeline.ParameterObject) []cliMap {
	out := make([]cliMap, len(params))
	for i, p := range params {
		m := &out[i]
		m.add("id", cliValue{text: p.ID})
		for _, a := range p.Attributes {
			m.add(a.Key, cliValue{text: a.Value})
		}
	}
	return out
}

// valuesMap builds the CLI "values" object.
func valuesMap(vals []pipeline.ParameterValue) cliMap {
	var m cliMap
	for _, v := range vals {
		m.add(v.ID, cliValue{text: v.Value})
	}
	return m
}

// pyWriter writes JSON indented as Python's json.dumps(indent=4) does.
type pyWriter struct {
	b     []byte
	depth int
}

// newline starts a new line at the current depth.
func (w *pyWriter) newline() {
	w.b = append(w.b, '\n')
	for range w.depth {
		w.b = append(w.b, "    "...)
	}
}

// open writes an opening bracket and indents.
func (w *pyWriter) open(c byte) {
	w.b = append(w.b, c)
	w.depth++
}

// close dedents and writes a closing bracket on its own line.
func (w *pyWriter) close(c byte) {
	w.depth--
	w.newline()
	w.b = append(w.b, c)
}

// item starts the i-th element of an array or object.
func (w *pyWriter) item(i int) {
	if i > 0 {
		w.b = append(w.b, ',')
	}
	w.newline()
}

// key writes an object key and its separator.
func (w *pyWriter) key(k string) {
	w.b = AppendPyJSONString(w.b, k)
	w.b = append(w.b, ": "...)
}

// list writes an array of objects.
func (w *pyWriter) list(maps []cliMap) {
	if len(maps) == 0 {
		w.b = append(w.b, "[]"...)
		return
	}
	w.open('[')
	for i, m := range maps {
		w.item(i)
		w.object(m)
	}
	w.close(']')
}

// object writes one output object.
func (w *pyWriter) object(m cliMap) {
	if len(m.entries) == 0 {
		w.b = append(w.b, "{}"...)
		return
	}
	w.open('{')
	for i, e := range m.entries {
		w.item(i)
		w.key(e.key)
		w.values(e.vals)
	}
	w.close('}')
}

// values writes one value as a scalar, several as an array.
func (w *pyWriter) values(vs []cliValue) {
	if len(vs) == 1 {
		w.value(vs[0])
		return
	}
	w.open('[')
	for i, v := range vs {
		w.item(i)
		w.value(v)
	}
	w.close(']')
}

// value writes a string, or a reference as {"ref": id}.
func (w *pyWriter) value(v cliValue) {
	if !v.ref {
		w.b = AppendPyJSONString(w.b, v.text)
		return
	}
	w.open('{')
	w.item(0)
	w.key("ref")
	w.b = AppendPyJSONString(w.b, v.text)
	w.close('}')
}

// AppendPyJSONString appends s as a JSON string quoted the way Python's
// json module does with ensure_ascii=False (what the AWS CLI prints): only
// '"', '\\' and control characters are escaped, with the short escapes
// where they exist and lower-case \u00xx otherwise. Invalid UTF-8 becomes
// U+FFFD.
func AppendPyJSONString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c >= utf8.RuneSelf:
			r, size := utf8.DecodeRuneInString(s[i:])
			b = utf8.AppendRune(b, r) // RuneError for invalid bytes
			i += size
			continue
		case c == '"' || c == '\\':
			b = append(b, '\\', c)
		case c >= 0x20:
			b = append(b, c)
		case shortEscape(c) != 0:
			b = append(b, '\\', shortEscape(c))
		default:
			b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xF])
		}
		i++
	}
	return append(b, '"')
}

// shortEscape returns the letter of the short escape for control byte c,
// or 0.
func shortEscape(c byte) byte {
	switch c {
	case '\n':
		return 'n'
	case '\r':
		return 'r'
	case '\t':
		return 't'
	case '\b':
		return 'b'
	case '\f':
		return 'f'
	}
	return 0
}

// compactJSON returns v as compact JSON text: no spaces, members in file
// order. Load uses it for object-valued fields that are not references.
func compactJSON(v jsonValue) string {
	return string(appendCompactJSON(nil, v))
}

// appendCompactJSON appends v as compact JSON text.
func appendCompactJSON(b []byte, v jsonValue) []byte {
	switch v.Kind {
	case jsonString:
		return AppendPyJSONString(b, v.Text)
	case jsonArray:
		b = append(b, '[')
		for i, e := range v.Elems {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendCompactJSON(b, e)
		}
		return append(b, ']')
	case jsonObject:
		b = append(b, '{')
		for i, m := range v.Members {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(AppendPyJSONString(b, m.Key), ':')
			b = appendCompactJSON(b, m.Value)
		}
		return append(b, '}')
	}
	return append(b, v.Text...)
}
