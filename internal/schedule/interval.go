package schedule

import (
	"sort"
	"time"
)

// Spec is a resolved Schedule: the first interval start, the period, and at
// most one of an end time and an occurrence count.
type Spec struct {
	Start  time.Time
	Period Period
	// End: no interval starts at or after End. Zero means no end.
	End time.Time
	// Occurrences: exactly this many intervals. Zero means no limit.
	Occurrences int
}

// Interval is the k-th schedule interval, [Start, End).
type Interval struct {
	Index int
	Start time.Time
	End   time.Time
}

// Interval returns interval k, computed from the schedule start in one step
// so that month arithmetic never drifts.
func (s Spec) Interval(k int) Interval {
	return Interval{Index: k, Start: s.Period.AddTo(s.Start, k), End: s.Period.AddTo(s.Start, k+1)}
}

// Valid reports whether interval k exists under the stop conditions.
func (s Spec) Valid(k int) bool {
	if k < 0 || (s.Occurrences > 0 && k >= s.Occurrences) {
		return false
	}
	return s.End.IsZero() || s.Period.AddTo(s.Start, k).Before(s.End)
}

// Between returns the intervals whose start lies in [from, to), in order, at
// most max of them (max <= 0 means no cap). It finds the first index by
// binary search, so a schedule that began years ago costs no more than one
// that begins now.
func (s Spec) Between(from, to time.Time, max int) []Interval {
	var out []Interval
	for k := s.firstAtOrAfter(from); s.Valid(k); k++ {
		iv := s.Interval(k)
		if !iv.Start.Before(to) || (max > 0 && len(out) >= max) {
			break
		}
		out = append(out, iv)
	}
	return out
}

// firstAtOrAfter returns the smallest k >= 0 whose start is not before t.
func (s Spec) firstAtOrAfter(t time.Time) int {
	if !t.After(s.Start) {
		return 0
	}
	hi := 1
	for s.Period.AddTo(s.Start, hi).Before(t) {
		hi *= 2
	}
	return sort.Search(hi+1, func(k int) bool { return !s.Period.AddTo(s.Start, k).Before(t) })
}
