package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"reflect"
	"regexp"
	"strconv"

	"go.yaml.in/yaml/v3"
)

// Load reads and parses the file at path, expanding ${NAME} from the
// process environment. Errors are prefixed with path; parse errors wrap an
// *Error.
func Load(path string) (Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return Config{}, fmt.Errorf("read config: %w", err)
	}
	cfg, err := Parse(data)
	if err != nil {
		return Config{}, fmt.Errorf("%s: %w", path, err)
	}
	return cfg, nil
}

// Parse parses a configuration file's contents, expanding ${NAME} from
// the process environment. See ParseEnv.
func Parse(data []byte) (Config, error) {
	return ParseEnv(data, os.LookupEnv)
}

// ParseEnv parses a configuration file's contents, expanding ${NAME} with
// lookup. Empty input is the zero Config. Every error is an *Error: the
// first problem found, with its line and key.
func ParseEnv(data []byte, lookup func(string) (string, bool)) (Config, error) {
	var cfg Config
	root, err := parseYAML(data)
	if err != nil || root == nil {
		return cfg, err
	}
	c := &checker{lookup: lookup, lines: map[string]int{}}
	if err := c.check(root, reflect.TypeFor[Config](), ""); err != nil {
		return cfg, err
	}
	if err := root.Decode(&cfg); err != nil {
		// check accepted every leaf, so this is unexpected: still report it.
		return cfg, &Error{Err: fmt.Errorf("%w: %v", ErrBadValue, err)}
	}
	return cfg, validate(cfg, c.lines)
}

// yamlLine matches the position in yaml's error messages.
var yamlLine = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// parseYAML parses data as one YAML document and returns its root node,
// nil for an empty document.
func parseYAML(data []byte) (*yaml.Node, error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, nil
		}
		return nil, syntaxError(err)
	}
	var more yaml.Node
	if err := dec.Decode(&more); !errors.Is(err, io.EOF) {
		return nil, &Error{Line: more.Line, Err: fmt.Errorf("%w: want one YAML document, found more", ErrSyntax)}
	}
	if len(doc.Content) == 0 {
		return nil, nil
	}
	return doc.Content[0], nil
}

// syntaxError turns a yaml parse error into an *Error with its line.
func syntaxError(err error) *Error {
	m := yamlLine.FindStringSubmatch(err.Error())
	if m == nil {
		return &Error{Err: fmt.Errorf("%w: %v", ErrSyntax, err)}
	}
	line, _ := strconv.Atoi(m[1])
	return &Error{Line: line, Err: fmt.Errorf("%w: %s", ErrSyntax, m[2])}
}
