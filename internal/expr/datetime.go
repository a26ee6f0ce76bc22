package expr

import (
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/datapipe/datapipe/internal/schedule"
)

// DateTime results must lie in years MinYear..MaxYear (the range of the
// four-digit DateTime literal) in their own location.
const (
	MinYear = 1
	MaxYear = 9999
)

// Bounds on arithmetic amounts, comfortably above any span inside
// MinYear..MaxYear, so that no intermediate computation overflows.
const (
	maxSpanSeconds = 400 * 1e9 // > 10000 years of seconds
	maxSpanDays    = 4_000_000 // > 10000 years of days
	maxSpanMonths  = 130_000   // > 10000 years of months
)

var errOutOfRange = errors.New("datetime out of range")

// adder adds n units to a DateTime.
type adder func(t time.Time, n int64) (time.Time, error)

// unitAdder returns the adder for a plusX/minusX unit name.
func unitAdder(unit string) (adder, bool) {
	switch unit {
	case "Minutes":
		return scaled(addSeconds, 60), true
	case "Hours":
		return scaled(addSeconds, 3600), true
	case "Days":
		return addDays, true
	case "Weeks":
		return scaled(addDays, 7), true
	case "Months":
		return addMonths, true
	case "Years":
		return scaled(addMonths, 12), true
	}
	return nil, false
}

// scaled returns an adder that adds n·k units of add.
func scaled(add adder, k int64) adder {
	return func(t time.Time, n int64) (time.Time, error) {
		if n > math.MaxInt64/k || n < math.MinInt64/k {
			return time.Time{}, errOutOfRange
		}
		return add(t, n*k)
	}
}

// addSeconds adds an exact duration of n seconds.
func addSeconds(t time.Time, n int64) (time.Time, error) {
	if n > maxSpanSeconds || n < -maxSpanSeconds {
		return time.Time{}, errOutOfRange
	}
	return time.Unix(t.Unix()+n, int64(t.Nanosecond())).In(t.Location()), nil
}

// addDays adds n calendar days, keeping the wall-clock time.
func addDays(t time.Time, n int64) (time.Time, error) {
	if n > maxSpanDays || n < -maxSpanDays {
		return time.Time{}, errOutOfRange
	}
	return t.AddDate(0, 0, int(n)), nil
}

// addMonths adds n calendar months, clamping the day to the month's length.
func addMonths(t time.Time, n int64) (time.Time, error) {
	if n > maxSpanMonths || n < -maxSpanMonths {
		return time.Time{}, errOutOfRange
	}
	return schedule.AddMonths(t, int(n)), nil
}

// signed returns n·sign, failing for the one int64 that cannot be negated.
func signed(n, sign int64) (int64, error) {
	if sign < 0 && n == math.MinInt64 {
		return 0, errOutOfRange
	}
	return n * sign, nil
}

// dateResult checks that t lies within MinYear..MaxYear.
func dateResult(t time.Time, err error) (Value, error) {
	if err != nil {
		return Value{}, err
	}
	if y := t.Year(); y < MinYear || y > MaxYear {
		return Value{}, fmt.Errorf("%w: year %d is outside %d..%d", errOutOfRange, y, MinYear, MaxYear)
	}
	return DateTimeValue(t), nil
}

// addPeriod adds sign times the period text ("1 day", "15 minutes").
func addPeriod(t time.Time, text string, sign int64) (Value, error) {
	p, err := schedule.ParsePeriod(text)
	if err != nil {
		return Value{}, err
	}
	n := int64(p.N) * sign
	switch p.Unit {
	case schedule.Second:
		return dateResult(addSeconds(t, n))
	case schedule.Minute:
		return dateResult(scaled(addSeconds, 60)(t, n))
	case schedule.Hour:
		return dateResult(scaled(addSeconds, 3600)(t, n))
	case schedule.Day:
		return dateResult(addDays(t, n))
	case schedule.Week:
		return dateResult(scaled(addDays, 7)(t, n))
	case schedule.Month:
		return dateResult(addMonths(t, n))
	}
	return dateResult(scaled(addMonths, 12)(t, n))
}

// fnMakeDate is makeDate(y, m, d): midnight UTC of that date.
func fnMakeDate(a []arg) (Value, error) {
	return makeDateTime(a[0].n, a[1].n, a[2].n, 0, 0)
}

// fnMakeDateTime is makeDateTime(y, m, d, h, mi): that minute in UTC.
func fnMakeDateTime(a []arg) (Value, error) {
	return makeDateTime(a[0].n, a[1].n, a[2].n, a[3].n, a[4].n)
}

// makeDateTime builds a UTC DateTime, rejecting out-of-range fields as Joda
// does rather than normalising them (month 13 is an error, not January).
func makeDateTime(y, mo, d, h, mi int64) (Value, error) {
	checks := []struct {
		name      string
		v, lo, hi int64
	}{
		{"year", y, MinYear, MaxYear},
		{"month", mo, 1, 12},
		{"hour", h, 0, 23},
		{"minute", mi, 0, 59},
	}
	for _, c := range checks {
		if c.v < c.lo || c.v > c.hi {
			return Value{}, fmt.Errorf("%s %d is outside %d..%d", c.name, c.v, c.lo, c.hi)
		}
	}
	if last := int64(daysIn(int(y), time.Month(mo))); d < 1 || d > last {
		return Value{}, fmt.Errorf("day %d is outside 1..%d for %04d-%02d", d, last, y, mo)
	}
	return DateTimeValue(time.Date(int(y), time.Month(mo), int(d), int(h), int(mi), 0, 0, time.UTC)), nil
}

func daysIn(y int, m time.Month) int {
	return time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// fnMidnight is midnight(dt): the start of dt's day in dt's location.
func fnMidnight(a []arg) (Value, error) {
	t := a[0].t
	return dateResult(time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, t.Location()), nil)
}

// fnFirstOfMonth is firstOfMonth(dt): day set to 1, time of day kept.
func fnFirstOfMonth(a []arg) (Value, error) {
	t := a[0].t
	return dateResult(time.Date(t.Year(), t.Month(), 1, t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), t.Location()), nil)
}

// fnSunday is sunday(dt): the most recent Sunday on or before dt, time of
// day kept.
func fnSunday(a []arg) (Value, error) {
	return dateResult(addDays(a[0].t, -int64(a[0].t.Weekday())))
}

// fnYesterday is yesterday(dt) = minusDays(dt, 1).
func fnYesterday(a []arg) (Value, error) {
	return dateResult(addDays(a[0].t, -1))
}

// fnInTimeZone is inTimeZone(dt, zoneId): the same instant in that zone.
func fnInTimeZone(a []arg) (Value, error) {
	loc, err := loadZone(a[1].s)
	if err != nil {
		return Value{}, err
	}
	return dateResult(a[0].t.In(loc), nil)
}

// fnFormat is format(dt, pattern) with a Joda-Time pattern.
func fnFormat(a []arg) (Value, error) {
	s, err := formatJoda(a[0].t, a[1].s)
	if err != nil {
		return Value{}, err
	}
	return StringValue(s), nil
}
