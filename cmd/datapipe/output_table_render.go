package main

import (
	"bufio"
	"math"
	"strings"

	"golang.org/x/text/width"
)

// renderSection writes one section width columns wide (its indent
// excluded), each line framed by one '|' per indent level on either side.
func renderSection(w *bufio.Writer, s *tableSection, total int) {
	bar := repeat("|", s.indent)
	line := func(text string) {
		w.WriteString(bar + text + bar + "\n")
	}
	if s.title != "" {
		line(centerText(s.title, total, "|", "|"))
		if len(s.headers) == 0 && len(s.rows) == 0 {
			line("+" + repeat("-", total-2) + "+")
		}
	}
	renderHeaders(s, total, line)
	renderRows(s, total, line)
}

// renderHeaders writes the column headers, centred, under a rule.
func renderHeaders(s *tableSection, total int, line func(string)) {
	if len(s.headers) == 0 {
		return
	}
	widths := s.columnWidths(4, total)
	var b strings.Builder
	for i := 0; i < len(widths) && i < len(s.headers); i++ {
		b.WriteString(centerText(s.headers[i], widths[i], leftEdge(i), "|"))
	}
	line(ruleLine(widths))
	line(b.String())
}

// renderRows writes the rows, left-aligned, between rules.
func renderRows(s *tableSection, total int, line func(string)) {
	if len(s.rows) == 0 {
		return
	}
	widths := s.columnWidths(4, total)
	if len(widths) == 0 {
		return
	}
	line(ruleLine(widths))
	for _, row := range s.rows {
		var b strings.Builder
		for i := 0; i < len(widths) && i < len(row); i++ {
			b.WriteString(alignLeft(row[i], widths[i], leftEdge(i)))
		}
		line(b.String())
	}
	line(ruleLine(widths))
}

// leftEdge returns the left border of column i: only the first has one.
func leftEdge(i int) string {
	if i == 0 {
		return "|"
	}
	return ""
}

// ruleLine returns a rule such as "+-----+------+" for the columns.
func ruleLine(widths []int) string {
	var b strings.Builder
	for i, w := range widths {
		if i == 0 {
			b.WriteString("+" + repeat("-", w-2) + "+")
		} else {
			b.WriteString(repeat("-", w-1) + "+")
		}
	}
	return b.String()
}

// centerText centres text in length columns between the edges, as
// table.py's center_text does (including its arithmetic when the text
// does not fit).
func centerText(text string, length int, left, right string) string {
	n := textWidth(text)
	start := length/2 - n/2 - 1
	soFar := len(left) + start + n
	return left + repeat(" ", start) + text + repeat(" ", length-len(right)-soFar) + right
}

// alignLeft left-aligns text in length columns with two spaces of
// padding when it fits, as table.py's align_left does.
func alignLeft(text string, length int, left string) string {
	const right = "|"
	n := textWidth(text)
	padding := 2
	if length-(n+padding+len(left)+len(right)) < 0 {
		padding = 0
	}
	soFar := len(left) + padding + n
	return left + repeat(" ", padding) + text + repeat(" ", length-soFar-len(right)) + right
}

// textWidth returns the columns text takes on a terminal: two for East
// Asian wide, fullwidth and ambiguous characters, one for others.
func textWidth(text string) int {
	n := 0
	for _, r := range text {
		switch width.LookupRune(r).Kind() {
		case width.EastAsianWide, width.EastAsianFullwidth, width.EastAsianAmbiguous:
			n += 2
		default:
			n++
		}
	}
	return n
}

// repeat is strings.Repeat that gives "" for a negative count, as
// Python's string repetition does.
func repeat(s string, n int) string {
	if n <= 0 {
		return ""
	}
	return strings.Repeat(s, n)
}

// roundHalfEven rounds as Python 3's round does.
func roundHalfEven(x float64) float64 { return math.RoundToEven(x) }
