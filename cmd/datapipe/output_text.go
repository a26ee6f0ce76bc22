package main

import (
	"bufio"
	"io"
	"slices"
	"strings"
)

// writeText prints v as the aws CLI's text formatter (awscli/text.py)
// does:
//
//   - a scalar prints on its own line;
//   - an object prints its scalar values tab-separated on one line, in key
//     order, after the upper-cased name of the member holding it (its
//     identifier) when there is one; then each list or object member in
//     key order, identified by its key;
//   - a list of objects prints one line per element, every line holding
//     the same columns: the sorted union of the elements' scalar keys,
//     empty where an element lacks one;
//   - a list of scalars prints one "IDENTIFIER\tvalue" line per element,
//     or all elements tab-separated on one line when it has no
//     identifier.
func writeText(w io.Writer, v any) error {
	bw := bufio.NewWriter(w)
	t := &textWriter{w: bw}
	t.value(v, "", nil)
	return bw.Flush()
}

// textWriter carries the output of writeText.
type textWriter struct {
	w *bufio.Writer
}

// value prints v. ident is the identifier ("" for none); columns, when
// not nil, are the scalar keys shared by the list v belongs to.
func (t *textWriter) value(v any, ident string, columns []string) {
	switch v := v.(type) {
	case *object:
		t.object(v, ident, columns)
	case []any:
		t.list(v, ident)
	default:
		t.line(pyStr(v))
	}
}

// line writes one line.
func (t *textWriter) line(s string) {
	t.w.WriteString(s)
	t.w.WriteByte('\n')
}

// list prints a list.
func (t *textWriter) list(l []any, ident string) {
	switch {
	case len(l) == 0:
	case slices.ContainsFunc(l, isObject):
		columns := scalarKeys(l)
		for _, e := range l {
			t.value(e, ident, columns)
		}
	case slices.ContainsFunc(l, isList):
		scalars, others := partitionList(l)
		if len(scalars) > 0 {
			t.scalarList(scalars, ident)
		}
		for _, e := range others {
			t.value(e, ident, nil)
		}
	default:
		t.scalarList(l, ident)
	}
}

// scalarList prints a list of scalars.
func (t *textWriter) scalarList(l []any, ident string) {
	if ident != "" {
		for _, e := range l {
			t.line(strings.ToUpper(ident) + "\t" + pyStr(e))
		}
		return
	}
	parts := make([]string, len(l))
	for i, e := range l {
		parts[i] = pyStr(e)
	}
	t.line(strings.Join(parts, "\t"))
}

// object prints an object: its scalars on one line, then the rest.
func (t *textWriter) object(o *object, ident string, columns []string) {
	scalars, others := partitionObject(o, columns)
	if len(scalars) > 0 {
		if ident != "" {
			scalars = append([]string{strings.ToUpper(ident)}, scalars...)
		}
		t.line(strings.Join(scalars, "\t"))
	}
	for _, k := range others {
		t.value(o.vals[k], k, nil)
	}
}

// partitionObject returns the text of o's scalar values and the keys of
// the members to print after them. Without columns the scalars are o's
// own, in key order; with columns they are the columns' values ("" where
// o lacks one) and every other key follows.
func partitionObject(o *object, columns []string) (scalars, others []string) {
	keys := slices.Sorted(slices.Values(o.keys))
	if columns == nil {
		for _, k := range keys {
			if v := o.vals[k]; isScalar(v) {
				scalars = append(scalars, pyStr(v))
			} else {
				others = append(others, k)
			}
		}
		return scalars, others
	}
	for _, c := range columns {
		v, ok := o.get(c)
		if !ok {
			v = ""
		}
		scalars = append(scalars, pyStr(v))
	}
	for _, k := range keys {
		if !slices.Contains(columns, k) {
			others = append(others, k)
		}
	}
	return scalars, others
}

// scalarKeys returns the sorted union of the scalar-valued keys of the
// objects in l.
func scalarKeys(l []any) []string {
	seen := map[string]bool{}
	keys := []string{}
	for _, e := range l {
		o, ok := e.(*object)
		if !ok {
			continue
		}
		for _, k := range o.keys {
			if isScalar(o.vals[k]) && !seen[k] {
				seen[k] = true
				keys = append(keys, k)
			}
		}
	}
	slices.Sort(keys)
	return keys
}

// partitionList splits l into its scalars and the rest, keeping order.
func partitionList(l []any) (scalars, others []any) {
	for _, e := range l {
		if isScalar(e) {
			scalars = append(scalars, e)
		} else {
			others = append(others, e)
		}
	}
	return scalars, others
}

func isObject(v any) bool { _, ok := v.(*object); return ok }

func isList(v any) bool { _, ok := v.([]any); return ok }
