package format

import (
	"fmt"
	"strings"
)

// Column is one entry of a data format's column list: "name TYPE".
type Column struct {
	Name string
	// Type is the declared type in upper case ("STRING" when none was
	// given); Kind is what the readers make of it.
	Type string
	Kind Kind
}

// ParseColumns parses column values ("Score INT", "name STRING",
// "tags map<string,string>"). A column without a type is a STRING. It
// fails on an empty entry or a repeated name, naming the entry (1-based).
func ParseColumns(specs []string) ([]Column, error) {
	cols := make([]Column, 0, len(specs))
	seen := make(map[string]bool, len(specs))
	for i, spec := range specs {
		c, err := parseColumn(spec)
		if err != nil {
			return nil, fmt.Errorf("column %d: %w", i+1, err)
		}
		if seen[c.Name] {
			return nil, fmt.Errorf("column %d: %q is listed twice", i+1, c.Name)
		}
		seen[c.Name] = true
		cols = append(cols, c)
	}
	return cols, nil
}

// parseColumn parses one "name TYPE" entry.
func parseColumn(spec string) (Column, error) {
	spec = strings.TrimSpace(spec)
	if spec == "" {
		return Column{}, fmt.Errorf("empty column")
	}
	name, typ, _ := strings.Cut(spec, " ")
	typ = strings.ToUpper(strings.TrimSpace(typ))
	if typ == "" {
		typ = "STRING"
	}
	return Column{Name: name, Type: typ, Kind: kindOfType(typ)}, nil
}

// kindOfType maps a Hive/SQL column type to the Kind readers produce.
func kindOfType(typ string) Kind { return TypeKind(typ) }

// TypeKind maps a Hive or SQL column type name (any case, "DECIMAL(10,2)",
// PostgreSQL's INT4/FLOAT8…) to the Kind of its values: Number, Bool,
// Binary, else String.
func TypeKind(typ string) Kind {
	base, _, _ := strings.Cut(strings.ToUpper(strings.TrimSpace(typ)), "(")
	base = strings.TrimSpace(strings.TrimPrefix(strings.TrimSuffix(base, " UNSIGNED"), "UNSIGNED "))
	switch base {
	case "TINYINT", "SMALLINT", "MEDIUMINT", "INT", "INTEGER", "BIGINT", "FLOAT", "DOUBLE",
		"DECIMAL", "NUMERIC", "REAL", "NUMBER", "N", "INT2", "INT4", "INT8", "FLOAT4",
		"FLOAT8", "DOUBLE PRECISION", "SERIAL", "BIGSERIAL", "YEAR":
		return Number
	case "BOOLEAN", "BOOL":
		return Bool
	case "BINARY", "B", "BYTEA", "BLOB", "LONGBLOB", "MEDIUMBLOB", "TINYBLOB", "VARBINARY":
		return Binary
	}
	return String
}

// columnNames returns the names of cols.
func columnNames(cols []Column) []string {
	out := make([]string, len(cols))
	for i, c := range cols {
		out[i] = c.Name
	}
	return out
}
