package main

import (
	"bufio"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// writeRuns prints runs as the aws CLI's ListRunsFormatter does:
//
//	       Name (50)  Scheduled Start (19)  Status (23)
//	       ID (50)    Started (19)          Ended (19)
//	-----------------------------------------------------… (as long as the second line)
//	   1.  @componentParent  @scheduledStartTime  @status
//	       @id               @actualStartTime     @actualEndTime
//	(blank line)
//
// Each column is Python's "%-N.Ns": cut to N characters and padded to N,
// trailing spaces included; missing optional fields print empty. A run
// without @componentParent stops the listing with an error (the CLI
// crashes there with KeyError '@componentParent'), after the runs before
// it have been printed.
func writeRuns(w io.Writer, runs []*object) error {
	bw := bufio.NewWriter(w)
	second := runsRow("       ", "ID", 50, "Started", 19, "Ended", 19)
	bw.WriteString(runsRow("       ", "Name", 50, "Scheduled Start", 19, "Status", 23) + "\n")
	bw.WriteString(second + "\n")
	bw.WriteString(strings.Repeat("-", utf8.RuneCountInString(second)) + "\n")
	for i, r := range runs {
		parent, ok := r.get("@componentParent")
		if !ok {
			if err := bw.Flush(); err != nil {
				return err
			}
			return fmt.Errorf("'@componentParent': run %s has no @componentParent field", pyStr(r.vals["@id"]))
		}
		get := func(k string) string {
			v, ok := r.get(k)
			if !ok {
				return ""
			}
			return pyStr(v)
		}
		bw.WriteString(runsRow(fmt.Sprintf("%4d.  ", i+1), pyStr(parent), 50, get("@scheduledStartTime"), 19, get("@status"), 23) + "\n")
		bw.WriteString(runsRow("       ", get("@id"), 50, get("@actualStartTime"), 19, get("@actualEndTime"), 19) + "\n\n")
	}
	return bw.Flush()
}

// runsRow returns prefix and three columns, each formatted as Python's
// "%-N.Ns", separated by two spaces.
func runsRow(prefix, a string, na int, b string, nb int, c string, nc int) string {
	return prefix + pyColumn(a, na) + "  " + pyColumn(b, nb) + "  " + pyColumn(c, nc)
}

// pyColumn formats s as Python's "%-N.Ns": at most n characters, padded
// with spaces to n.
func pyColumn(s string, n int) string {
	runes := []rune(s)
	if len(runes) > n {
		runes = runes[:n]
	}
	return string(runes) + strings.Repeat(" ", n-len(runes))
}
