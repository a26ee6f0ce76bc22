package schedule

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Unit is the unit of a Period.
type Unit int

// The period units, smallest first.
const (
	Second Unit = iota + 1
	Minute
	Hour
	Day
	Week
	Month
	Year
)

var unitNames = [...]string{Second: "second", Minute: "minute", Hour: "hour", Day: "day", Week: "week", Month: "month", Year: "year"}

// String returns the singular lower-case name of the unit ("day").
func (u Unit) String() string {
	if u < Second || u > Year {
		return "unit(" + strconv.Itoa(int(u)) + ")"
	}
	return unitNames[u]
}

// Period is a calendar period: N units. N is always positive.
type Period struct {
	N    int
	Unit Unit
}

// OnDemandPeriod is the period token of an on-demand Schedule.
const OnDemandPeriod = "ONDEMAND_PERIOD"

// ParsePeriod parses "N unit" where unit is one of second(s), minute(s),
// hour(s), day(s), week(s), month(s), year(s), in any case, separated from N
// by white space. It returns an error naming the text when N is not a
// positive integer or the unit is unknown. Callers that must refuse seconds
// (schedule periods) check Unit themselves.
func ParsePeriod(s string) (Period, error) {
	parts := strings.Fields(s)
	if len(parts) != 2 {
		return Period{}, fmt.Errorf("period %q is not of the form \"N unit\" (for example \"15 minutes\")", s)
	}
	n, err := strconv.Atoi(parts[0])
	if err != nil || n <= 0 {
		return Period{}, fmt.Errorf("period %q: %q is not a positive whole number", s, parts[0])
	}
	u, ok := parseUnit(parts[1])
	if !ok {
		return Period{}, fmt.Errorf("period %q: unknown unit %q (want minutes, hours, days, weeks, months or years)", s, parts[1])
	}
	return Period{N: n, Unit: u}, nil
}

func parseUnit(s string) (Unit, bool) {
	s = strings.TrimSuffix(strings.ToLower(s), "s")
	for u := Second; u <= Year; u++ {
		if unitNames[u] == s {
			return u, true
		}
	}
	return 0, false
}

// String renders the period in the canonical form "15 minutes", "1 day".
func (p Period) String() string {
	s := strconv.Itoa(p.N) + " " + p.Unit.String()
	if p.N != 1 {
		s += "s"
	}
	return s
}

// AddTo returns t + k·p. For month and year periods the result is computed
// from t in one step, not by repeated addition, so Jan 31 + 2 months is
// Mar 31 even though Jan 31 + 1 month is Feb 28.
func (p Period) AddTo(t time.Time, k int) time.Time {
	n := p.N * k
	switch p.Unit {
	case Second:
		return t.Add(time.Duration(n) * time.Second)
	case Minute:
		return t.Add(time.Duration(n) * time.Minute)
	case Hour:
		return t.Add(time.Duration(n) * time.Hour)
	case Day:
		return t.AddDate(0, 0, n)
	case Week:
		return t.AddDate(0, 0, 7*n)
	case Month:
		return AddMonths(t, n)
	case Year:
		return AddMonths(t, 12*n)
	}
	return t
}

// Approx returns the period's nominal length (months as 30 days, years as
// 365 days), for comparisons against limits such as "at least 15 minutes".
func (p Period) Approx() time.Duration {
	const day = 24 * time.Hour
	per := [...]time.Duration{Second: time.Second, Minute: time.Minute, Hour: time.Hour,
		Day: day, Week: 7 * day, Month: 30 * day, Year: 365 * day}
	if p.Unit < Second || p.Unit > Year {
		return 0
	}
	return time.Duration(p.N) * per[p.Unit]
}

// AddMonths returns t moved by n calendar months (n may be negative), with
// the day of month clamped to the target month's length and the time of day
// kept: AddMonths(Jan 31, 1) is Feb 28 (or 29 in a leap year).
func AddMonths(t time.Time, n int) time.Time {
	y, m, d := t.Date()
	total := int(m) - 1 + n
	y += floorDiv(total, 12)
	month := time.Month(total - floorDiv(total, 12)*12 + 1)
	if last := daysIn(y, month); d > last {
		d = last
	}
	return time.Date(y, month, d, t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), t.Location())
}

func floorDiv(a, b int) int {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

func daysIn(y int, m time.Month) int {
	return time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
}
