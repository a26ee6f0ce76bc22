package pipeline

import "strings"

// Attribute is one key/value pair of a parameter object. A list attribute
// (allowedValues) is several Attributes with the same Key, in order.
type Attribute struct {
	Key   string
	Value string
}

// ParameterObject declares a parameter (the API's ParameterObject).
type ParameterObject struct {
	ID         string
	Attributes []Attribute
}

// Get returns the first attribute value with the given key.
func (p *ParameterObject) Get(key string) (string, bool) {
	for _, a := range p.Attributes {
		if a.Key == key {
			return a.Value, true
		}
	}
	return "", false
}

// All returns every attribute value with the given key, in order.
func (p *ParameterObject) All(key string) []string {
	var out []string
	for _, a := range p.Attributes {
		if a.Key == key {
			out = append(out, a.Value)
		}
	}
	return out
}

// Secret reports whether the parameter is masked (its id starts with "*").
func (p *ParameterObject) Secret() bool { return strings.HasPrefix(p.ID, "*") }

// ParameterValue is one value of a parameter (the API's ParameterValue).
// Several entries with the same ID form an array value.
type ParameterValue struct {
	ID    string
	Value string
}

// ParameterName returns id without its secret marker: "*myPassword" and
// "myPassword" name the same parameter.
func ParameterName(id string) string { return strings.TrimPrefix(id, "*") }
