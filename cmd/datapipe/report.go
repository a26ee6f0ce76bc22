package main

import (
	"fmt"
	"io"

	"github.com/datapipe/datapipe/internal/definition"
)

// writeTextReport prints each problem as "file:line:col: severity: object:
// CODE: 'field' message", lenient relaxations as notes, and a summary line
// per file.
func writeTextReport(w io.Writer, outs []fileResult) {
	for _, o := range outs {
		for _, rel := range o.doc.Relaxed {
			fmt.Fprintf(w, "%s:%d:%d: note: accepted %s (--lenient)\n", o.doc.File, rel.Pos.Line, rel.Pos.Col, rel.What)
		}
		for _, p := range o.res.Problems {
			fmt.Fprintf(w, "%s: %s: %s: %s\n", place(o.doc, p), severity(p.Severity), objectName(p), p.Text())
		}
		fmt.Fprintln(w, summary(o))
	}
}

func objectName(p definition.Problem) string {
	if p.Object == "" {
		return "(definition)"
	}
	return p.Object
}

func severity(s definition.Severity) string {
	switch s {
	case definition.Fatal:
		return "fatal"
	case definition.Error:
		return "error"
	}
	return "warning"
}

// place returns "file:line:col" for the field at fault (or its object), or
// just the file name when its position is unknown.
func place(doc *definition.Document, p definition.Problem) string {
	pos, ok := doc.FieldPos[definition.FieldRef{Object: p.Object, Key: p.Field}]
	if !ok {
		pos, ok = doc.ObjectPos[p.Object]
	}
	if !ok {
		return doc.File
	}
	col := pos.Col
	if p.Pos >= 0 && ok {
		col += p.Pos + 1 // the value's opening quote, then the offset within it
	}
	return fmt.Sprintf("%s:%d:%d", doc.File, pos.Line, col)
}

func summary(o fileResult) string {
	errs, warns := len(o.res.Errors()), len(o.res.Warnings())
	verdict := "valid"
	if errs > 0 {
		verdict = "invalid"
	}
	return fmt.Sprintf("%s: %s (%d %s, %d %s)", o.doc.File, verdict, errs, plural(errs, "error"), warns, plural(warns, "warning"))
}

func plural(n int, word string) string {
	if n == 1 {
		return word
	}
	return word + "s"
}
