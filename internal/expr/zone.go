package expr

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// loadZone resolves a Joda-style zone id: "UTC", a tz database name
// ("America/Los_Angeles") or a fixed offset "+HH", "+HH:MM" (also "-").
// "Local" and "" are rejected: the result must not depend on the host.
// Loading tz names reads the host's zoneinfo (or an embedded copy when the
// binary imports time/tzdata).
func loadZone(id string) (*time.Location, error) {
	switch id {
	case "UTC", "Z":
		return time.UTC, nil
	case "", "Local":
		return nil, fmt.Errorf("unknown time zone %q", id)
	}
	if id[0] == '+' || id[0] == '-' {
		return fixedZone(id)
	}
	loc, err := time.LoadLocation(id)
	if err != nil {
		return nil, fmt.Errorf("unknown time zone %q", id)
	}
	return loc, nil
}

// fixedZone parses "+HH" or "+HH:MM" (hours 0..23, minutes 0..59) into a
// zone named in the canonical "+HH:MM" form, as Joda names offset zones. A
// zero offset is UTC.
func fixedZone(id string) (*time.Location, error) {
	hh, mm, hasMM := strings.Cut(id[1:], ":")
	h, errH := strconv.Atoi(hh)
	m, errM := 0, error(nil)
	if hasMM {
		m, errM = strconv.Atoi(mm)
	}
	if len(hh) != 2 || (hasMM && len(mm) != 2) || errH != nil || errM != nil || h > 23 || m > 59 {
		return nil, fmt.Errorf("unknown time zone %q (offsets are written +HH:MM)", id)
	}
	secs := h*3600 + m*60
	if secs == 0 {
		return time.UTC, nil
	}
	if id[0] == '-' {
		secs = -secs
	}
	return time.FixedZone(formatOffset(secs, true), secs), nil
}

// formatOffset renders an offset in seconds as "+HHMM", or "+HH:MM" with
// colon. Seconds of the offset are dropped, as Joda's Z pattern does.
func formatOffset(secs int, colon bool) string {
	sign := byte('+')
	if secs < 0 {
		sign, secs = '-', -secs
	}
	b := []byte{sign}
	b = appendPadded(b, int64(secs/3600), 2)
	if colon {
		b = append(b, ':')
	}
	return string(appendPadded(b, int64(secs/60%60), 2))
}

// shortZoneName is Joda's short zone name (pattern z): the zone's
// abbreviation at t ("UTC", "PDT"), or the offset ("+05:30") when the zone
// has none.
func shortZoneName(t time.Time) string {
	name, off := t.Zone()
	if name == "" {
		return formatOffset(off, true)
	}
	return name
}

// longZoneName is Joda's long zone name (pattern zzzz). Java's names are
// known for UTC/GMT and the common abbreviations below; for any other zone
// the zone id is used, which is also Joda's fallback when it has no name.
func longZoneName(t time.Time) string {
	abbr, _ := t.Zone()
	id := t.Location().String()
	if name := abbrLongName(abbr, id); name != "" {
		return name
	}
	return zoneID(t)
}

// abbrLongName maps an abbreviation to its English long name, using the zone
// id to tell apart abbreviations that several regions share.
func abbrLongName(abbr, id string) string {
	switch abbr {
	case "CST", "CDT":
		if id == "America/Havana" || !(strings.HasPrefix(id, "America/") || strings.HasPrefix(id, "US/") || id == "CST6CDT") {
			return ""
		}
	case "IST":
		return istName(id)
	}
	return commonLongNames(abbr)
}

func istName(id string) string {
	switch id {
	case "Asia/Kolkata", "Asia/Calcutta":
		return "India Standard Time"
	case "Europe/Dublin", "Eire":
		return "Irish Standard Time"
	case "Asia/Jerusalem", "Asia/Tel_Aviv", "Israel":
		return "Israel Standard Time"
	}
	return ""
}

func commonLongNames(abbr string) string {
	switch abbr {
	case "UTC":
		return "Coordinated Universal Time"
	case "GMT":
		return "Greenwich Mean Time"
	case "BST":
		return "British Summer Time"
	case "CET", "CEST", "EET", "EEST", "WET", "WEST":
		return europeanName(abbr)
	case "MSK":
		return "Moscow Standard Time"
	case "JST":
		return "Japan Standard Time"
	case "KST":
		return "Korea Standard Time"
	case "HKT":
		return "Hong Kong Time"
	case "NZST", "NZDT":
		return "New Zealand " + standardOrDaylight(abbr)
	case "AEST", "AEDT", "ACST", "ACDT", "AWST":
		return australianName(abbr)
	}
	return northAmericanName(abbr)
}

func europeanName(abbr string) string {
	region := map[byte]string{'C': "Central", 'E': "Eastern", 'W': "Western"}[abbr[0]]
	if strings.HasSuffix(abbr, "ST") {
		return region + " European Summer Time"
	}
	return region + " European Time"
}

func australianName(abbr string) string {
	region := map[byte]string{'E': "Eastern", 'C': "Central", 'W': "Western"}[abbr[1]]
	return "Australian " + region + " " + standardOrDaylight(abbr)
}

func northAmericanName(abbr string) string {
	regions := map[string]string{
		"P": "Pacific", "M": "Mountain", "C": "Central", "E": "Eastern",
		"AK": "Alaska", "H": "Hawaii", "A": "Atlantic", "N": "Newfoundland",
	}
	if len(abbr) < 3 || abbr[len(abbr)-1] != 'T' {
		return ""
	}
	region, ok := regions[abbr[:len(abbr)-2]]
	if !ok || (abbr[len(abbr)-2] != 'S' && abbr[len(abbr)-2] != 'D') {
		return ""
	}
	return region + " " + standardOrDaylight(abbr)
}

func standardOrDaylight(abbr string) string {
	if strings.HasSuffix(abbr, "DT") {
		return "Daylight Time"
	}
	return "Standard Time"
}

// zoneID is Joda's zone id (pattern ZZZ): the tz name, "UTC", or the
// "+HH:MM" name of a fixed-offset zone.
func zoneID(t time.Time) string {
	id := t.Location().String()
	if id == "" {
		_, off := t.Zone()
		return formatOffset(off, true)
	}
	return id
}
