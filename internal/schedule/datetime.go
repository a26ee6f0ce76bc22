package schedule

import (
	"fmt"
	"strings"
	"time"
)

// DateTimeLayout is the service's DateTime literal: UTC, no zone designator,
// no fractional seconds ("2012-01-15T23:59:00").
const DateTimeLayout = "2006-01-02T15:04:05"

// ParseDateTime parses a DateTime literal. Besides the service's own form it
// accepts a trailing "Z" and fractional seconds. The result is in UTC. The
// error names the text and the expected form.
func ParseDateTime(s string) (time.Time, error) {
	v := strings.TrimSuffix(s, "Z")
	layout := DateTimeLayout
	if strings.IndexByte(v, '.') == len(DateTimeLayout) {
		layout += ".999999999"
	}
	t, err := time.Parse(layout, v)
	if err != nil {
		return time.Time{}, fmt.Errorf("datetime %q is not of the form YYYY-MM-DDTHH:MM:SS", s)
	}
	return t.UTC(), nil
}

// FormatDateTime renders t in UTC in the DateTime literal form.
func FormatDateTime(t time.Time) string { return t.UTC().Format(DateTimeLayout) }
