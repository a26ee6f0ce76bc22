package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
)

// input reads option values of one call, keeping the first error so that
// a request can be built in one expression and checked once.
type input struct {
	c   *clientCall
	err error
}

// input returns a reader of c's option values.
func (c *clientCall) input() *input { return &input{c: c} }

// fail records err unless an error is already recorded.
func (in *input) fail(err error) {
	if in.err == nil {
		in.err = err
	}
}

// has reports whether option name was given.
func (in *input) has(name string) bool { return len(in.c.args.options[name]) > 0 }

// raw returns the content of option name's value and where it came from:
// a file's content and its path for file:// and fileb:// values (as the
// aws CLI reads parameter files), else the value itself and "--name".
// ok is false when the option is absent.
func (in *input) raw(name string) (data []byte, source string, ok bool) {
	if !in.has(name) {
		return nil, "", false
	}
	return in.load(name, in.c.args.one(name, ""))
}

// load reads value v of option name.
func (in *input) load(name, v string) ([]byte, string, bool) {
	for _, prefix := range []string{"file://", "fileb://"} {
		path, ok := strings.CutPrefix(v, prefix)
		if !ok {
			continue
		}
		path = expandHome(path)
		data, err := in.c.m.ReadFile(path)
		if err != nil {
			in.fail(paramErrorf("Error parsing parameter '--%s': Unable to load paramfile %s: %v", name, v, err))
			return nil, "", false
		}
		return data, path, true
	}
	return []byte(v), "--" + name, true
}

// expandHome expands a leading "~/" as the aws CLI does.
func expandHome(path string) string {
	rest, ok := strings.CutPrefix(path, "~/")
	if !ok {
		return path
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return path
	}
	return filepath.Join(home, rest)
}

// str returns option name's value (a file's content for file://), or
// nil when absent.
func (in *input) str(name string) *string {
	data, _, ok := in.raw(name)
	if !ok {
		return nil
	}
	return aws.String(string(data))
}

// list returns option name's words. A single word that is a JSON array
// (or a file:// holding one) is decoded as a list of strings.
func (in *input) list(name string) []string {
	words := in.c.args.options[name]
	if len(words) != 1 {
		return words
	}
	data, _, ok := in.load(name, words[0])
	if !ok || !strings.HasPrefix(strings.TrimSpace(string(data)), "[") {
		return words
	}
	var out []string
	if err := json.Unmarshal(data, &out); err != nil {
		in.fail(paramErrorf("Error parsing parameter '--%s': expected a JSON list of strings: %v", name, err))
	}
	return out
}

// bool returns true for --name, false for --no-name, nil for neither, as
// the aws CLI's paired boolean flags.
func (in *input) bool(name string) *bool {
	a := in.c.args
	switch {
	case a.flags[name]:
		return aws.Bool(true)
	case a.flags["no-"+name]:
		return aws.Bool(false)
	}
	return nil
}

// int returns option name's value as a positive integer, or 0 when
// absent.
func (in *input) int(name string) int {
	v := in.c.args.one(name, "")
	if v == "" {
		return 0
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 {
		in.fail(argError(fmt.Sprintf("argument --%s: invalid positive int value: %q", name, v)))
	}
	return n
}

// timestamp returns option name's value as a time: ISO 8601 (a time
// without a zone is UTC, as botocore takes it) or epoch seconds. It is nil
// when absent.
func (in *input) timestamp(name string) *time.Time {
	v := in.c.args.one(name, "")
	if v == "" {
		return nil
	}
	t, err := parseTimestamp(v)
	if err != nil {
		in.fail(paramErrorf("Error parsing parameter '--%s': Invalid timestamp value: %q (use ISO 8601, such as 2024-01-01T00:00:00Z, or epoch seconds)", name, v))
		return nil
	}
	return &t
}

// parseTimestamp parses epoch seconds or an ISO 8601 date-time; one
// without a zone is UTC.
func parseTimestamp(v string) (time.Time, error) {
	if f, err := strconv.ParseFloat(v, 64); err == nil {
		sec := int64(f)
		return time.Unix(sec, int64((f-float64(sec))*1e9)).UTC(), nil
	}
	layouts := []string{
		time.RFC3339Nano,
		"2006-01-02T15:04:05.999999999",
		"2006-01-02T15:04:05Z0700",
		"2006-01-02 15:04:05Z07:00",
		"2006-01-02 15:04:05.999999999",
		"2006-01-02T15:04",
		"2006-01-02",
	}
	for _, layout := range layouts {
		if t, err := time.Parse(layout, v); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("invalid timestamp %q", v)
}
