package definition

import (
	"sort"
	"strings"
)

// Kind is the value type ("slot type") of a field. Every value travels as a
// string; the kind says how the string is parsed and validated.
type Kind int

// The field kinds of objects.md §2.
const (
	KindString Kind = iota
	KindInteger
	KindDouble
	KindBoolean
	KindDateTime
	KindPeriod
	KindEnum
	KindRef
)

var kindNames = [...]string{"String", "Integer", "Double", "Boolean", "DateTime", "Period", "Enumeration", "Reference"}

// String returns the kind's name as the AWS documentation writes it.
func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "Kind?"
}

// Category groups object types that share field groups and behaviour.
type Category string

// The object categories of objects.md §5.
const (
	CategoryActivity     Category = "Activity"
	CategoryDataNode     Category = "DataNode"
	CategoryResource     Category = "Resource"
	CategoryPrecondition Category = "Precondition"
	CategoryDatabase     Category = "Database"
	CategoryDataFormat   Category = "DataFormat"
	CategoryAction       Category = "Action"
	CategorySchedule     Category = "Schedule"
	CategoryUtility      Category = "Utility"
)

// FieldSpec describes one system field of an object type.
type FieldSpec struct {
	Name string
	Kind Kind
	// Required: the field must be present on the object, directly or
	// through inheritance.
	Required bool
	// Multi: the field may hold several values.
	Multi bool
	// Default is the value the service assumes when the field is absent
	// ("" when there is none). Informational: validation never injects it.
	Default string
	// Enum lists the allowed values of a KindEnum field. Values are compared
	// case-insensitively.
	Enum []string
	// Targets lists the type names a KindRef field may point to. Empty
	// means any object.
	Targets []string
	// NotAllowed: the field must not be set directly on this type
	// (runsOn and workerGroup on resources).
	NotAllowed bool
	// Legacy: an undocumented or deprecated field that is accepted without
	// a warning because real definitions use it.
	Legacy bool
	// Literal: after parameter substitution the value must be a literal,
	// not an expression (Schedule startDateTime, period, ...).
	Literal bool
	// Secret: the value is masked in human-facing output. Secret fields are
	// written with a leading "*" ("*password"); the spec's Name has no star.
	Secret bool
}

// RuleKind is the kind of a field-group rule.
type RuleKind int

// Field-group rules of objects.md §16.3 (16, 17).
const (
	// ExactlyOne: exactly one of the fields must be set.
	ExactlyOne RuleKind = iota
	// AtLeastOne: one or more of the fields must be set.
	AtLeastOne
	// Exclusive: at most one of the fields may be set.
	Exclusive
)

// Rule constrains a group of fields of one type. Fields count as set when
// present directly or through inheritance.
type Rule struct {
	Kind   RuleKind
	Fields []string
}

// TypeSpec describes one object type.
type TypeSpec struct {
	Name     string
	Category Category
	// UserManaged: for preconditions, the check runs on a task runner
	// (Exists, ShellCommandPrecondition) rather than in the service.
	UserManaged bool
	Fields      map[string]*FieldSpec
	Rules       []Rule
}

// Field returns the spec of the named field. A secret field is found with
// or without its "*" ("*password" and "password" are the same field).
func (t *TypeSpec) Field(name string) (*FieldSpec, bool) {
	f, ok := t.Fields[strings.TrimPrefix(name, "*")]
	return f, ok
}

// Catalog is the set of known object types. It is a value: build one with
// NewCatalog and pass it where it is needed.
type Catalog struct {
	types map[string]*TypeSpec
}

// Type returns the spec of the named type. Type names are case-sensitive.
func (c *Catalog) Type(name string) (*TypeSpec, bool) {
	t, ok := c.types[name]
	return t, ok
}

// Types returns every type spec, sorted by name.
func (c *Catalog) Types() []*TypeSpec {
	out := make([]*TypeSpec, 0, len(c.types))
	for _, t := range c.types {
		out = append(out, t)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// InCategory reports whether the named type belongs to category c.
func (c *Catalog) InCategory(typeName string, cat Category) bool {
	t, ok := c.types[typeName]
	return ok && t.Category == cat
}

// AnyField returns the spec a field has on the types that define it, for
// objects with no type of their own (Default and abstract parents). When
// the types disagree on the field's kind it returns a String spec, so that
// no type's rules are applied to the wrong value.
func (c *Catalog) AnyField(name string) (*FieldSpec, bool) {
	var found *FieldSpec
	for _, t := range c.Types() {
		f, ok := t.Field(name)
		if !ok || f.NotAllowed {
			continue
		}
		if found != nil && (found.Kind != f.Kind || found.Multi != f.Multi) {
			return &FieldSpec{Name: f.Name, Kind: KindString, Multi: true, Secret: f.Secret}, true
		}
		if found == nil {
			found = f
		}
	}
	return found, found != nil
}

// sortedFieldNames returns a type's field names in a stable order, so that
// problems are reported deterministically.
func sortedFieldNames(t *TypeSpec) []string {
	names := make([]string, 0, len(t.Fields))
	for n := range t.Fields {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}
