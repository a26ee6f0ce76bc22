package config

import (
	"cmp"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

// checker walks the YAML tree against the Config type before decoding:
// it rejects unknown and repeated keys and values of the wrong type with
// their line and key, expands ${NAME} in scalars, and records the line of
// every key for the semantic checks.
type checker struct {
	lookup func(string) (string, bool)
	lines  map[string]int
}

// check checks node n, at key path, against type t.
func (c *checker) check(n *yaml.Node, t reflect.Type, path string) error {
	if n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	if n.ShortTag() == "!!null" {
		return nil
	}
	switch {
	case t.Kind() == reflect.Struct:
		return c.checkStruct(n, t, path)
	case t.Kind() == reflect.Map:
		return c.checkMap(n, t, path)
	case t.Kind() == reflect.Slice:
		return c.checkSlice(n, t, path)
	}
	return c.checkScalar(n, t, path)
}

// checkStruct checks a mapping whose keys are t's yaml field names.
func (c *checker) checkStruct(n *yaml.Node, t reflect.Type, path string) error {
	fields := yamlFields(t)
	return c.eachPair(n, path, func(key *yaml.Node, val *yaml.Node, keyPath string) error {
		f, ok := fields[key.Value]
		if !ok {
			return errorf(key.Line, keyPath, ErrUnknownKey, "want one of %s", strings.Join(sortedKeys(fields), ", "))
		}
		return c.check(val, f.Type, keyPath)
	})
}

// checkMap checks a mapping with free keys and values of t's element type.
func (c *checker) checkMap(n *yaml.Node, t reflect.Type, path string) error {
	return c.eachPair(n, path, func(_ *yaml.Node, val *yaml.Node, keyPath string) error {
		return c.check(val, t.Elem(), keyPath)
	})
}

// eachPair checks that n is a mapping with distinct scalar keys and calls
// fn for every pair, recording each key's line.
func (c *checker) eachPair(n *yaml.Node, path string, fn func(key, val *yaml.Node, keyPath string) error) error {
	if n.Kind != yaml.MappingNode {
		return errorf(n.Line, path, ErrBadValue, "want a mapping of keys to values, not %s", kindName(n))
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		key, val := n.Content[i], n.Content[i+1]
		if key.Kind != yaml.ScalarNode || key.Value == "" {
			return errorf(key.Line, path, ErrBadValue, "want a non-empty plain key")
		}
		keyPath := joinKey(path, key.Value)
		if line, dup := c.lines[keyPath]; dup {
			return errorf(key.Line, keyPath, ErrDuplicateKey, "already given on line %d", line)
		}
		c.lines[keyPath] = key.Line
		if err := fn(key, val, keyPath); err != nil {
			return err
		}
	}
	return nil
}

// checkSlice checks a sequence of t's element type.
func (c *checker) checkSlice(n *yaml.Node, t reflect.Type, path string) error {
	if n.Kind != yaml.SequenceNode {
		return errorf(n.Line, path, ErrBadValue, "want a list, not %s", kindName(n))
	}
	for i, item := range n.Content {
		if err := c.check(item, t.Elem(), fmt.Sprintf("%s[%d]", path, i)); err != nil {
			return err
		}
	}
	return nil
}

// checkScalar expands ${NAME} in a scalar and checks that it decodes into
// t.
func (c *checker) checkScalar(n *yaml.Node, t reflect.Type, path string) error {
	if n.Kind != yaml.ScalarNode {
		return errorf(n.Line, path, ErrBadValue, "want %s, not %s", typeName(t), kindName(n))
	}
	v, err := expand(n.Value, c.lookup)
	if err != nil {
		return &Error{Line: n.Line, Key: path, Err: err}
	}
	if v != n.Value {
		setExpanded(n, v)
	}
	out := reflect.New(t)
	if err := n.Decode(out.Interface()); err != nil {
		return errorf(n.Line, path, ErrBadValue, "%q: want %s", n.Value, typeName(t))
	}
	if d, ok := out.Elem().Interface().(time.Duration); ok && d < 0 {
		return errorf(n.Line, path, ErrBadValue, "%q: want %s", n.Value, typeName(t))
	}
	return nil
}

// setExpanded sets a scalar's expanded value. A plain scalar's type is
// resolved again from its new value (so that `concurrency: ${N}` is an
// int), a quoted or tagged one stays what it says.
func setExpanded(n *yaml.Node, v string) {
	n.Value = v
	if n.Style&(yaml.TaggedStyle|yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle|yaml.LiteralStyle|yaml.FoldedStyle) == 0 {
		n.Tag = ""
	}
}

// yamlFields maps the yaml names of t's fields to the fields, as yaml
// decodes them: the tag's name, else the lower-cased field name; "-" and
// unexported fields are left out.
func yamlFields(t reflect.Type) map[string]reflect.StructField {
	fields := map[string]reflect.StructField{}
	for i := range t.NumField() {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
		if name == "-" || !f.IsExported() {
			continue
		}
		fields[cmp.Or(name, strings.ToLower(f.Name))] = f
	}
	return fields
}

// sortedKeys returns m's keys in order.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// joinKey appends key to the dotted path.
func joinKey(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// kindName names a node's kind for messages.
func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	}
	return fmt.Sprintf("%q", n.Value)
}

// typeName describes the values of type t for messages.
func typeName(t reflect.Type) string {
	switch {
	case t == reflect.TypeFor[time.Duration]():
		return "a non-negative duration such as 20s, 1m30s or 2h"
	case t.Kind() == reflect.Bool:
		return "true or false"
	case t.Kind() == reflect.Int:
		return "a whole number"
	case t.Kind() == reflect.String:
		return "a string"
	}
	return t.String()
}
