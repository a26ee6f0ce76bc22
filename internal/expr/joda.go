package expr

import (
	"errors"
	"fmt"
	"strconv"
	"time"
)

// jodaToken is one component of a compiled Joda-Time pattern: a run of count
// copies of letter, or (letter 0) literal text.
type jodaToken struct {
	letter byte
	count  int
	lit    string
}

var errEmptyPattern = errors.New("empty format pattern")

// compileJoda splits a Joda-Time DateTimeFormat pattern into tokens, exactly
// as Joda does: runs of the same ASCII letter are fields; text between
// single quotes is literal, and a doubled single quote is one quote (inside
// or outside a quoted section); an unterminated quote runs to the end; any
// other character is literal. Letters that are not pattern letters, and the
// empty pattern, are errors.
func compileJoda(pattern string) ([]jodaToken, error) {
	if pattern == "" {
		return nil, errEmptyPattern
	}
	var toks []jodaToken
	for i := 0; i < len(pattern); {
		c := pattern[i]
		switch {
		case isASCIILetter(c):
			j := i + 1
			for j < len(pattern) && pattern[j] == c {
				j++
			}
			if !isJodaLetter(c) {
				return nil, fmt.Errorf("illegal pattern component %q at offset %d in %q", pattern[i:j], i, pattern)
			}
			toks = append(toks, jodaToken{letter: c, count: j - i})
			i = j
		case c == '\'':
			var lit string
			lit, i = quotedLiteral(pattern, i)
			toks = append(toks, jodaToken{lit: lit})
		default:
			toks = append(toks, jodaToken{lit: pattern[i : i+1]})
			i++
		}
	}
	return toks, nil
}

// quotedLiteral scans literal text starting at the quote at i, returning the
// text and the index of the next pattern letter (or the end).
func quotedLiteral(pattern string, i int) (string, int) {
	var b []byte
	in := false
	for ; i < len(pattern); i++ {
		c := pattern[i]
		switch {
		case c == '\'' && i+1 < len(pattern) && pattern[i+1] == '\'':
			b = append(b, '\'')
			i++
		case c == '\'':
			in = !in
		case !in && isASCIILetter(c):
			return string(b), i
		default:
			b = append(b, c)
		}
	}
	return string(b), i
}

func isASCIILetter(c byte) bool { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') }

// isJodaLetter reports whether c is one of Joda's pattern letters.
func isJodaLetter(c byte) bool {
	switch c {
	case 'G', 'C', 'Y', 'y', 'x', 'w', 'e', 'E', 'D', 'M', 'd',
		'a', 'K', 'h', 'H', 'k', 'm', 's', 'S', 'z', 'Z':
		return true
	}
	return false
}

// formatJoda formats t (in its own location) with a Joda-Time pattern,
// English texts.
func formatJoda(t time.Time, pattern string) (string, error) {
	toks, err := compileJoda(pattern)
	if err != nil {
		return "", err
	}
	b := make([]byte, 0, len(pattern)+16)
	for _, tok := range toks {
		if tok.letter == 0 {
			b = append(b, tok.lit...)
			continue
		}
		b = appendField(b, t, tok.letter, tok.count)
	}
	return string(b), nil
}

// appendField appends one pattern field. count is the run length.
func appendField(b []byte, t time.Time, c byte, count int) []byte {
	switch c {
	case 'G', 'C', 'Y', 'y', 'x':
		return appendYearField(b, t, c, count)
	case 'E', 'M', 'a':
		return append(b, textField(t, c, count)...)
	case 'S':
		return appendFraction(b, t.Nanosecond(), count)
	case 'z':
		if count >= 4 {
			return append(b, longZoneName(t)...)
		}
		return append(b, shortZoneName(t)...)
	case 'Z':
		return append(b, offsetField(t, count)...)
	}
	return appendPadded(b, int64(numberField(t, c)), count)
}

// appendYearField appends era (G), century of era (C), year of era (Y),
// year (y) or ISO week-year (x). A run of two year letters prints the last
// two digits of the absolute year.
func appendYearField(b []byte, t time.Time, c byte, count int) []byte {
	year := t.Year()
	if c == 'x' {
		year, _ = t.ISOWeek()
	}
	yearOfEra := year
	if year <= 0 {
		yearOfEra = 1 - year
	}
	switch {
	case c == 'G':
		if year <= 0 {
			return append(b, "BC"...)
		}
		return append(b, "AD"...)
	case c == 'C':
		return appendPadded(b, int64(yearOfEra/100), count)
	case count == 2:
		return appendPadded(b, int64(abs(year)%100), 2)
	case c == 'Y':
		return appendPadded(b, int64(yearOfEra), count)
	}
	return appendPadded(b, int64(year), count)
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

// textField renders day-of-week (E), month (M, three or more letters) and
// half-day (a) texts; a run of four or more gives the full name. M with one
// or two letters is numeric.
func textField(t time.Time, c byte, count int) string {
	var s string
	switch c {
	case 'a':
		if t.Hour() < 12 {
			return "AM"
		}
		return "PM"
	case 'E':
		s = t.Weekday().String()
	case 'M':
		if count < 3 {
			return string(appendPadded(nil, int64(t.Month()), count))
		}
		s = t.Month().String()
	}
	if count < 4 {
		return s[:3]
	}
	return s
}

// numberField returns the value of a numeric pattern letter.
func numberField(t time.Time, c byte) int {
	switch c {
	case 'w':
		_, w := t.ISOWeek()
		return w
	case 'e':
		return (int(t.Weekday())+6)%7 + 1 // Monday 1 … Sunday 7
	case 'D':
		return t.YearDay()
	case 'd':
		return t.Day()
	case 'K':
		return t.Hour() % 12
	case 'h':
		return (t.Hour()+11)%12 + 1 // 1 … 12
	case 'H':
		return t.Hour()
	case 'k':
		return (t.Hour()+23)%24 + 1 // 1 … 24
	case 'm':
		return t.Minute()
	}
	return t.Second() // 's'
}

// appendFraction appends count digits of the fraction of the second. Joda
// keeps milliseconds: fewer than three digits truncate, more pad with zeros.
func appendFraction(b []byte, nanos, count int) []byte {
	millis := nanos / 1e6
	if count >= 3 {
		b = appendPadded(b, int64(millis), 3)
		for range count - 3 {
			b = append(b, '0')
		}
		return b
	}
	for range 3 - count {
		millis /= 10
	}
	return appendPadded(b, int64(millis), count)
}

// offsetField renders Z ("+0000"), ZZ ("+00:00") and ZZZ (the zone id).
func offsetField(t time.Time, count int) string {
	if count >= 3 {
		return zoneID(t)
	}
	_, off := t.Zone()
	return formatOffset(off, count == 2)
}

// appendPadded appends n in decimal, zero-padded to at least width digits;
// a negative n gets a leading "-" before the padded digits.
func appendPadded(b []byte, n int64, width int) []byte {
	var buf [20]byte
	u := uint64(n)
	if n < 0 {
		b = append(b, '-')
		u = uint64(-(n + 1)) + 1
	}
	digits := strconv.AppendUint(buf[:0], u, 10)
	for range width - len(digits) {
		b = append(b, '0')
	}
	return append(b, digits...)
}
