package pipeline

import "strings"

// DefaultID is the id of the object that supplies inherited fields to every
// object without an explicit parent.
const DefaultID = "Default"

// Field is one key/value pair of an object, the API's Field shape. A field
// holds either a string (which may contain #{…} expressions) or a reference
// to another object's id; Ref says which. A multi-valued field is several
// Fields with the same Key, in order.
type Field struct {
	Key   string
	Value string
	Ref   bool
}

// String returns a field holding a string value.
func String(key, value string) Field { return Field{Key: key, Value: value} }

// Reference returns a field holding a reference to object id.
func Reference(key, id string) Field { return Field{Key: key, Value: id, Ref: true} }

// Object is one pipeline object (the API's PipelineObject): a component at
// definition time, or an instance or attempt at run time.
type Object struct {
	ID     string
	Name   string
	Fields []Field
}

// Get returns the first field with the given key.
func (o *Object) Get(key string) (Field, bool) {
	for _, f := range o.Fields {
		if f.Key == key {
			return f, true
		}
	}
	return Field{}, false
}

// All returns every field with the given key, in order.
func (o *Object) All(key string) []Field {
	var out []Field
	for _, f := range o.Fields {
		if f.Key == key {
			out = append(out, f)
		}
	}
	return out
}

// StringValue returns the value of the first string field with the given key.
func (o *Object) StringValue(key string) (string, bool) {
	f, ok := o.Get(key)
	if !ok || f.Ref {
		return "", false
	}
	return f.Value, true
}

// Type returns the object's "type" field, or "" when it has none.
func (o *Object) Type() string {
	t, _ := o.StringValue("type")
	return t
}

// Keys returns the distinct field keys in order of first appearance.
func (o *Object) Keys() []string {
	seen := make(map[string]bool, len(o.Fields))
	var keys []string
	for _, f := range o.Fields {
		if !seen[f.Key] {
			seen[f.Key] = true
			keys = append(keys, f.Key)
		}
	}
	return keys
}

// IsUserField reports whether key names a user-defined field: "my" followed
// by an upper-case letter or an underscore (myComment, my_ref).
func IsUserField(key string) bool {
	if !strings.HasPrefix(key, "my") || len(key) < 3 {
		return false
	}
	c := key[2]
	return c == '_' || (c >= 'A' && c <= 'Z')
}

// IsSecretKey reports whether key is a masked field ("*password").
func IsSecretKey(key string) bool { return strings.HasPrefix(key, "*") }

// IsRuntimeKey reports whether key is a runtime or system field ("@status"),
// which only the service may set.
func IsRuntimeKey(key string) bool { return strings.HasPrefix(key, "@") }

// Mask is what human-facing output shows in place of a secret value.
const Mask = "********"
