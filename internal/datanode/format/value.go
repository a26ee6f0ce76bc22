package format

import (
	"encoding/base64"
	"strconv"
	"strings"
)

// Kind is the type of a Value. The kinds are DynamoDB's attribute types,
// which include every type the tabular formats produce (strings, numbers,
// booleans and nulls).
type Kind uint8

// The kinds of Value.
const (
	Null      Kind = iota // no value: an empty CSV field, \N in TSV, a SQL NULL, DynamoDB NULL
	String                // Str holds the text
	Number                // Str holds the decimal text, unchanged
	Binary                // Str holds the raw bytes
	Bool                  // Bool holds the value
	StringSet             // List holds String values
	NumberSet             // List holds Number values
	BinarySet             // List holds Binary values
	List                  // List holds the elements
	Map                   // Map holds the entries, in order
)

// kindNames are the names Kind.String returns.
var kindNames = [...]string{"NULL", "S", "N", "B", "BOOL", "SS", "NS", "BS", "L", "M"}

// String returns the DynamoDB type name of k ("S", "N", "NULL"…).
func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "Kind(" + strconv.Itoa(int(k)) + ")"
}

// Value is one typed value of a record. The zero Value is Null.
type Value struct {
	Kind Kind
	Str  string
	Bool bool
	List []Value
	Map  []Field
}

// Field is one named value of a record.
type Field struct {
	Name  string
	Value Value
}

// Record is one row or item: its fields in order. Tabular readers name
// every field after the format's columns (empty names when the format has
// none); item readers name them after the item's attributes.
type Record []Field

// Get returns the value of the first field called name.
func (r Record) Get(name string) (Value, bool) {
	for _, f := range r {
		if f.Name == name {
			return f.Value, true
		}
	}
	return Value{}, false
}

// Names returns the field names in order.
func (r Record) Names() []string {
	out := make([]string, len(r))
	for i, f := range r {
		out[i] = f.Name
	}
	return out
}

// Str returns a String value.
func Str(s string) Value { return Value{Kind: String, Str: s} }

// Num returns a Number value holding the decimal text s.
func Num(s string) Value { return Value{Kind: Number, Str: s} }

// IsNull reports whether v is Null.
func (v Value) IsNull() bool { return v.Kind == Null }

// Text returns v as the text a tabular format writes: strings and numbers
// as they are, booleans as true/false, binaries in base64, and sets, lists
// and maps as their DynamoDB export JSON. Null is "".
func (v Value) Text() string {
	switch v.Kind {
	case Null:
		return ""
	case String, Number:
		return v.Str
	case Bool:
		return strconv.FormatBool(v.Bool)
	case Binary:
		return base64.StdEncoding.EncodeToString([]byte(v.Str))
	}
	var b strings.Builder
	appendValueJSON(&b, v)
	return b.String()
}
