package main

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
)

// structList returns option name's value as a list of structures whose
// members are all strings and all required (Tag: key, value;
// ParameterValue: id, stringValue). As in the aws CLI, each word is a
// JSON object or shorthand ("key=k,value=v"), or a single word is a JSON
// list of objects (or a file:// holding one). apiName names the API
// member in messages. It is nil when the option is absent.
func (in *input) structList(name, apiName string, members ...string) []map[string]string {
	words := in.c.args.options[name]
	if len(words) == 0 {
		return nil
	}
	items, err := parseStructWords(in, name, words)
	if err != nil {
		in.fail(err)
		return nil
	}
	if in.err != nil {
		return nil
	}
	out, problems := checkStructs(items, apiName, members)
	if len(problems) > 0 {
		in.fail(paramError("Parameter validation failed:\n" + strings.Join(problems, "\n")))
		return nil
	}
	return out
}

// parseStructWords parses the words of a list-of-structures option.
func parseStructWords(in *input, name string, words []string) ([]map[string]any, error) {
	if len(words) == 1 {
		data, _, ok := in.load(name, words[0])
		if !ok {
			return nil, nil
		}
		text := strings.TrimSpace(string(data))
		if strings.HasPrefix(text, "[") {
			var items []map[string]any
			err := decodeJSONNumbers(text, &items)
			if err != nil {
				return nil, paramErrorf("Error parsing parameter '--%s': Invalid JSON: %v\nJSON received: %s", name, err, text)
			}
			return items, nil
		}
		words = []string{text}
	}
	out := make([]map[string]any, 0, len(words))
	for _, w := range words {
		item, err := parseStructWord(name, w)
		if err != nil {
			return nil, err
		}
		out = append(out, item)
	}
	return out, nil
}

// parseStructWord parses one structure: a JSON object or shorthand.
func parseStructWord(name, w string) (map[string]any, error) {
	if !strings.HasPrefix(strings.TrimSpace(w), "{") {
		item, err := parseShorthand(w)
		if err != nil {
			return nil, paramErrorf("Error parsing parameter '--%s': %v", name, err)
		}
		return item, nil
	}
	var item map[string]any
	if err := decodeJSONNumbers(w, &item); err != nil {
		return nil, paramErrorf("Error parsing parameter '--%s': Invalid JSON: %v\nJSON received: %s", name, err, w)
	}
	return item, nil
}

// decodeJSONNumbers decodes text into v, keeping numbers as json.Number.
func decodeJSONNumbers(text string, v any) error {
	dec := json.NewDecoder(strings.NewReader(text))
	dec.UseNumber()
	return dec.Decode(v)
}

// checkStructs checks items as botocore's parameter validation does, and
// returns every problem in its words: per item, missing members, then
// unknown ones, then members that are not strings.
func checkStructs(items []map[string]any, apiName string, members []string) ([]map[string]string, []string) {
	var problems []string
	out := make([]map[string]string, len(items))
	for i, item := range items {
		where := fmt.Sprintf("%s[%d]", apiName, i)
		for _, m := range members {
			if _, ok := item[m]; !ok {
				problems = append(problems, fmt.Sprintf("Missing required parameter in %s: %q", where, m))
			}
		}
		keys := slices.Sorted(maps.Keys(item))
		for _, k := range keys {
			if !slices.Contains(members, k) {
				problems = append(problems, fmt.Sprintf("Unknown parameter in %s: %q, must be one of: %s", where, k, strings.Join(members, ", ")))
			}
		}
		out[i] = map[string]string{}
		for _, k := range keys {
			s, ok := item[k].(string)
			if !ok && slices.Contains(members, k) {
				problems = append(problems, fmt.Sprintf("Invalid type for parameter %s.%s, value: %s, type: <class '%s'>, valid types: <class 'str'>",
					where, k, jsonRepr(item[k]), pyTypeName(item[k])))
			}
			out[i][k] = s
		}
	}
	return out, problems
}

// jsonRepr renders a decoded JSON value as Python's repr() would after
// json.loads.
func jsonRepr(v any) string {
	switch v := v.(type) {
	case json.Number:
		return v.String()
	case []any:
		parts := make([]string, len(v))
		for i, e := range v {
			parts[i] = jsonRepr(e)
		}
		return "[" + strings.Join(parts, ", ") + "]"
	case map[string]any:
		var parts []string
		for _, k := range slices.Sorted(maps.Keys(v)) {
			parts = append(parts, pyReprString(k)+": "+jsonRepr(v[k]))
		}
		return "{" + strings.Join(parts, ", ") + "}"
	}
	return pyRepr(v)
}

// pyTypeName names the Python type json.loads gives for v.
func pyTypeName(v any) string {
	switch v := v.(type) {
	case string:
		return "str"
	case bool:
		return "bool"
	case json.Number:
		if strings.ContainsAny(v.String(), ".eE") {
			return "float"
		}
		return "int"
	case []any:
		return "list"
	case map[string]any:
		return "dict"
	}
	return "NoneType"
}

// parseShorthand parses the aws CLI's shorthand for one structure:
// "k1=v1,k2=v2". Whitespace around keys and values is ignored; a value may
// be quoted ('…' or "…", a backslash escaping the quote) or hold an
// escaped comma (\,). As in botocore, words after a value that hold no
// '=' continue it as a list ("k=a,b,c" gives k: [a b c]).
func parseShorthand(s string) (map[string]any, error) {
	p := &shorthand{s: s}
	out := map[string]any{}
	for {
		key, err := p.key()
		if err != nil {
			return nil, err
		}
		val, err := p.values()
		if err != nil {
			return nil, err
		}
		out[key] = val
		if p.i >= len(p.s) {
			return out, nil
		}
		p.i++ // the comma
	}
}

// shorthand scans shorthand text.
type shorthand struct {
	s string
	i int
}

// key reads a key and its '='.
func (p *shorthand) key() (string, error) {
	j := strings.IndexAny(p.s[p.i:], "=,")
	if j < 0 || p.s[p.i+j] != '=' {
		return "", fmt.Errorf("expected key=value in %q (quote a value holding a comma, \"value='a,b'\", or escape it, a\\,b)", p.s)
	}
	key := strings.TrimSpace(p.s[p.i : p.i+j])
	p.i += j + 1
	if key == "" {
		return "", fmt.Errorf("empty key in %q", p.s)
	}
	return key, nil
}

// values reads a value and any list continuation, up to the comma before
// the next key or the end.
func (p *shorthand) values() (any, error) {
	first, err := p.value()
	if err != nil {
		return nil, err
	}
	list := []any{first}
	for p.i < len(p.s) {
		save := p.i
		p.i++ // the comma
		if p.nextHasKey() {
			p.i = save
			break
		}
		v, err := p.value()
		if err != nil {
			return nil, err
		}
		list = append(list, v)
	}
	if len(list) == 1 {
		return first, nil
	}
	return list, nil
}

// nextHasKey reports whether the text up to the next unescaped comma
// holds '=' (outside quotes), and so starts another key.
func (p *shorthand) nextHasKey() bool {
	for j := p.i; j < len(p.s) && p.s[j] != ','; j++ {
		switch p.s[j] {
		case '\\':
			j++
		case '=':
			return true
		case '"', '\'':
			return false
		}
	}
	return false
}

// value reads one value up to the next unescaped comma or the end.
func (p *shorthand) value() (string, error) {
	for p.i < len(p.s) && p.s[p.i] == ' ' {
		p.i++
	}
	if p.i < len(p.s) && (p.s[p.i] == '"' || p.s[p.i] == '\'') {
		return p.quoted()
	}
	var b strings.Builder
	for ; p.i < len(p.s) && p.s[p.i] != ','; p.i++ {
		if p.s[p.i] == '\\' && p.i+1 < len(p.s) && p.s[p.i+1] == ',' {
			p.i++
		}
		b.WriteByte(p.s[p.i])
	}
	return strings.TrimSpace(b.String()), nil
}

// quoted reads a quoted value and what follows it up to the comma.
func (p *shorthand) quoted() (string, error) {
	q := p.s[p.i]
	var b strings.Builder
	for p.i++; p.i < len(p.s) && p.s[p.i] != q; p.i++ {
		if p.s[p.i] == '\\' && p.i+1 < len(p.s) && p.s[p.i+1] == q {
			p.i++
		}
		b.WriteByte(p.s[p.i])
	}
	if p.i >= len(p.s) {
		return "", fmt.Errorf("unterminated quote in %q", p.s)
	}
	p.i++
	for p.i < len(p.s) && p.s[p.i] == ' ' {
		p.i++
	}
	if p.i < len(p.s) && p.s[p.i] != ',' {
		return "", fmt.Errorf("expected ',' after the quoted value in %q", p.s)
	}
	return b.String(), nil
}
