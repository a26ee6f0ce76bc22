package main

import (
	"fmt"
	"strings"
)

// args is a parsed aws-cli-style command line: --name value options, where
// a multi-valued option (--parameter-values a=1 b=2) takes every following
// word up to the next option, plus positional words.
type args struct {
	positional []string
	options    map[string][]string
	flags      map[string]bool
}

// parseArgs parses words. boolFlags take no value; multi options take all
// following words; any other option takes exactly one word.
func parseArgs(words []string, boolFlags, multi map[string]bool) (*args, error) {
	a := &args{options: map[string][]string{}, flags: map[string]bool{}}
	for i := 0; i < len(words); i++ {
		w := words[i]
		if !strings.HasPrefix(w, "--") || w == "--" {
			a.positional = append(a.positional, w)
			continue
		}
		name, val, hasVal := strings.Cut(strings.TrimPrefix(w, "--"), "=")
		switch {
		case boolFlags[name]:
			a.flags[name] = !hasVal || val == "true"
		case hasVal:
			a.options[name] = append(a.options[name], val)
		case multi[name]:
			i = a.takeMany(name, words, i)
		case i+1 < len(words):
			i++
			a.options[name] = append(a.options[name], words[i])
		default:
			return nil, fmt.Errorf("option --%s needs a value", name)
		}
	}
	return a, nil
}

func (a *args) takeMany(name string, words []string, i int) int {
	for i+1 < len(words) && !strings.HasPrefix(words[i+1], "--") {
		i++
		a.options[name] = append(a.options[name], words[i])
	}
	return i
}

// one returns the last value of an option, or def.
func (a *args) one(name, def string) string {
	if vs := a.options[name]; len(vs) > 0 {
		return vs[len(vs)-1]
	}
	return def
}

// unknown returns the first option not in known, or "".
func (a *args) unknown(known ...string) string {
	ok := map[string]bool{}
	for _, k := range known {
		ok[k] = true
	}
	for name := range a.options {
		if !ok[name] {
			return name
		}
	}
	return ""
}

// fileURI strips the aws-cli "file://" prefix from a path argument.
func fileURI(s string) string { return strings.TrimPrefix(s, "file://") }
