package main

import (
	"bufio"
	"io"
	"slices"
)

// writeTable prints v as the aws CLI's table formatter (awscli/formatter.py
// TableFormatter over awscli/table.py MultiTable) does, without colours:
// a boxed section titled title; an object's scalar members as a header row
// and a value row (a single scalar member as one "key | value" row); each
// list or object member as a nested section indented one level; a list of
// objects as one header row and a row per element, starting a new section
// per element when the elements have nested members. When the table is
// wider than width, single-row sections turn vertical ("key | value"
// rows). An empty value prints nothing.
func writeTable(w io.Writer, title string, v any, width int) error {
	t := &tableBuilder{}
	if !t.build(title, v, 0, true) {
		return nil
	}
	bw := bufio.NewWriter(w)
	t.render(bw, width)
	return bw.Flush()
}

// tableSection is one titled block of a table.
type tableSection struct {
	title   string
	indent  int
	headers []string
	rows    [][]string
	widths  []int // the widest text in each column
}

// addHeader sets the column headers.
func (s *tableSection) addHeader(headers []string) {
	s.grow(headers)
	s.headers = headers
}

// addRow appends a row of values, rendered as Python's str() does.
func (s *tableSection) addRow(values []any) {
	row := make([]string, len(values))
	for i, v := range values {
		row[i] = pyStr(v)
	}
	s.rows = append(s.rows, row)
	s.grow(row)
}

// grow widens the columns to fit row.
func (s *tableSection) grow(row []string) {
	if len(s.widths) == 0 {
		s.widths = make([]int, 0, len(row))
	}
	for i, el := range row {
		if i == len(s.widths) {
			s.widths = append(s.widths, 0)
		}
		s.widths[i] = max(s.widths[i], textWidth(el))
	}
}

// columnWidths returns each column's width with padding, scaled so that
// they sum to total, as table.py's calculate_column_widths does.
func (s *tableSection) columnWidths(padding, total int) []int {
	if len(s.widths) == 0 {
		return nil
	}
	sum := 0
	for _, w := range s.widths {
		sum += w + padding
	}
	scale := float64(total) / float64(sum)
	scaled := make([]int, len(s.widths))
	off := -total
	for i, w := range s.widths {
		scaled[i] = int(roundHalfEven(scale * float64(w+padding)))
		off += scaled[i]
	}
	return fixWidths(scaled, off)
}

// fixWidths takes off (the excess, or a deficit when negative) from the
// columns one at a time: from the left to shrink, from the right to grow.
func fixWidths(scaled []int, off int) []int {
	for off != 0 {
		for j := range scaled {
			i := j
			if off < 0 {
				i = len(scaled) - 1 - j
			}
			if off > 0 {
				scaled[i]--
				off--
			} else {
				scaled[i]++
				off++
			}
			if off == 0 {
				break
			}
		}
	}
	return scaled
}

// totalWidth returns the width the section needs, borders and indent
// included.
func (s *tableSection) totalWidth() int {
	total := 2 + 2*s.indent
	for _, w := range s.widths {
		total += w + 4
	}
	return max(textWidth(s.title)+2+2*s.indent, total)
}

// tableBuilder turns a value into sections, as TableFormatter does.
type tableBuilder struct {
	sections []*tableSection
	cur      *tableSection
}

// section starts a new section.
func (t *tableBuilder) section(title string, indent int) {
	t.cur = &tableSection{title: title, indent: indent}
	t.sections = append(t.sections, t.cur)
}

// build adds v under title; hasTitle false adds to the current section.
// It reports whether v was non-empty.
func (t *tableBuilder) build(title string, v any, indent int, hasTitle bool) bool {
	if isEmpty(v) {
		return false
	}
	if hasTitle || t.cur == nil {
		t.section(title, indent)
	}
	switch v := v.(type) {
	case []any:
		t.buildList(title, v, indent)
	case *object:
		t.buildObject(v, indent)
	}
	return true
}

// isEmpty reports whether v is falsy in Python: an empty list, object or
// string, false, 0 or None.
func isEmpty(v any) bool {
	switch v := v.(type) {
	case []any:
		return len(v) == 0
	case *object:
		return v.len() == 0
	case string:
		return v == ""
	case bool:
		return !v
	case int:
		return v == 0
	}
	return v == nil
}

// buildList adds a list: a sub-table when it holds objects, else a row
// per element.
func (t *tableBuilder) buildList(title string, l []any, indent int) {
	if isObject(l[0]) {
		t.buildObjectList(title, l, indent)
		return
	}
	for _, e := range l {
		switch {
		case isScalar(e):
			t.cur.addRow([]any{e})
		case allScalar(e):
			t.cur.addRow(rowOf(e))
		default:
			t.build("", e, 0, false)
		}
	}
}

// allScalar reports whether every element of list e (every key of object
// e, as Python iterates a dict) is a scalar.
func allScalar(e any) bool {
	if l, ok := e.([]any); ok {
		return !slices.ContainsFunc(l, func(v any) bool { return !isScalar(v) })
	}
	return true
}

// rowOf returns the row Python makes of a list (its elements) or an
// object (its keys).
func rowOf(e any) []any {
	if l, ok := e.([]any); ok {
		return l
	}
	o := e.(*object)
	row := make([]any, len(o.keys))
	for i, k := range o.keys {
		row[i] = k
	}
	return row
}

// buildObject adds an object's scalars as a row and its other members as
// nested sections.
func (t *tableBuilder) buildObject(o *object, indent int) {
	headers, more := groupKeys(o)
	switch {
	case len(headers) == 1:
		t.cur.addRow([]any{headers[0], o.vals[headers[0]]})
	case len(headers) > 1:
		t.cur.addHeader(headers)
		t.cur.addRow(valuesOf(o, headers))
	}
	for _, k := range more {
		t.build(k, o.vals[k], indent+1, true)
	}
}

// buildObjectList adds a list of objects: shared headers, one row each.
func (t *tableBuilder) buildObjectList(title string, l []any, indent int) {
	headers, more := groupListKeys(l)
	t.cur.addHeader(headers)
	for i, e := range l {
		o, ok := e.(*object)
		if !ok {
			continue
		}
		if i > 0 && len(more) > 0 {
			t.section(title, indent)
			t.cur.addHeader(headers)
		}
		t.cur.addRow(valuesOf(o, headers))
		for _, k := range more {
			if v, ok := o.get(k); ok {
				t.build(k, v, indent+1, true)
			}
		}
	}
}

// valuesOf returns o's values for keys, "" where o lacks one.
func valuesOf(o *object, keys []string) []any {
	row := make([]any, len(keys))
	for i, k := range keys {
		v, ok := o.get(k)
		if !ok {
			v = ""
		}
		row[i] = v
	}
	return row
}

// groupKeys returns o's scalar keys and its other keys, each sorted.
func groupKeys(o *object) (headers, more []string) {
	headers, more = []string{}, []string{}
	for _, k := range o.keys {
		if isScalar(o.vals[k]) {
			headers = append(headers, k)
		} else {
			more = append(more, k)
		}
	}
	slices.Sort(headers)
	slices.Sort(more)
	return headers, more
}

// groupListKeys returns the sorted unions of groupKeys over l's objects.
func groupListKeys(l []any) (headers, more []string) {
	hs, ms := map[string]bool{}, map[string]bool{}
	for _, e := range l {
		if o, ok := e.(*object); ok {
			h, m := groupKeys(o)
			for _, k := range h {
				hs[k] = true
			}
			for _, k := range m {
				ms[k] = true
			}
		}
	}
	return sortedSet(hs), sortedSet(ms)
}

// sortedSet returns the keys of set, sorted.
func sortedSet(set map[string]bool) []string {
	keys := []string{}
	for k := range set {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// render writes the table, turning single-row sections vertical when it
// is wider than width.
func (t *tableBuilder) render(w *bufio.Writer, width int) {
	total := t.maxWidth()
	if total > width {
		t.verticalize()
		total = t.maxWidth()
	}
	w.WriteString(repeat("-", total) + "\n")
	for _, s := range t.sections {
		renderSection(w, s, total-2*s.indent)
	}
}

// maxWidth returns the width of the widest section.
func (t *tableBuilder) maxWidth() int {
	total := 0
	for _, s := range t.sections {
		total = max(total, s.totalWidth())
	}
	return total
}

// verticalize turns each section with headers and a single row into
// "header | value" rows, as table.py's convert_to_vertical_table does.
func (t *tableBuilder) verticalize() {
	for i, s := range t.sections {
		if len(s.rows) != 1 || len(s.headers) == 0 {
			continue
		}
		v := &tableSection{title: s.title, indent: s.indent}
		for j, h := range s.headers {
			if j < len(s.rows[0]) {
				v.addRow([]any{h, s.rows[0][j]})
			}
		}
		t.sections[i] = v
	}
}
