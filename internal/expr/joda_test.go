package expr_test

import (
	"strings"
	"testing"
	"time"

	"github.com/datapipe/datapipe/internal/expr"
)

// formatAt formats the DateTime at with a Joda pattern through the format
// function.
func formatAt(at time.Time, pattern string) (string, error) {
	n := &expr.CallExpr{Func: "format", Args: []expr.Node{
		&expr.PathExpr{Segments: []string{"t"}, Offsets: []int{0}},
		&expr.StringLit{Value: pattern},
	}}
	v, err := expr.Eval(n, exampleScope{"t": expr.DateTimeValue(at)})
	return v.String(), err
}

func TestFormat(t *testing.T) {
	// A Tuesday in ISO week 21, day 144 of 2011, with a fraction of second.
	tue := time.Date(2011, 5, 24, 17, 10, 5, 123456789, time.UTC)
	morning := time.Date(2011, 9, 5, 0, 30, 3, 0, time.UTC)     // Monday
	noon := time.Date(2011, 1, 1, 12, 0, 0, 0, time.UTC)        // Saturday, ISO week 52 of 2010
	afternoon := time.Date(2008, 12, 29, 13, 0, 0, 0, time.UTC) // Monday, ISO week 1 of 2009
	sunday := time.Date(2011, 5, 22, 23, 59, 59, 999000000, time.UTC)
	tests := []struct {
		at      time.Time
		pattern string
		want    string
	}{
		// G era
		{tue, "G", "AD"}, {tue, "GGGG", "AD"},
		// C century of era
		{tue, "C", "20"}, {tue, "CCC", "020"},
		// Y year of era
		{tue, "Y", "2011"}, {tue, "YY", "11"}, {tue, "YYY", "2011"}, {tue, "YYYY", "2011"}, {tue, "YYYYY", "02011"},
		{time.Date(2005, 1, 1, 0, 0, 0, 0, time.UTC), "YY", "05"},
		// y year
		{tue, "y", "2011"}, {tue, "yy", "11"}, {tue, "yyyy", "2011"}, {tue, "yyyyyy", "002011"},
		// x ISO week-year
		{tue, "x", "2011"}, {tue, "xx", "11"}, {tue, "xxxx", "2011"},
		{noon, "xxxx", "2010"}, {afternoon, "xxxx", "2009"}, {afternoon, "yyyy", "2008"},
		// w ISO week of week-year
		{tue, "w", "21"}, {tue, "www", "021"}, {noon, "w", "52"}, {afternoon, "ww", "01"},
		// e day of week number
		{tue, "e", "2"}, {tue, "ee", "02"}, {morning, "e", "1"}, {sunday, "e", "7"},
		// E day of week text
		{tue, "E", "Tue"}, {tue, "EE", "Tue"}, {tue, "EEE", "Tue"}, {tue, "EEEE", "Tuesday"}, {tue, "EEEEE", "Tuesday"},
		{sunday, "EEEE", "Sunday"},
		// D day of year
		{tue, "D", "144"}, {tue, "DDDD", "0144"}, {noon, "D", "1"}, {noon, "DDD", "001"},
		// M month
		{tue, "M", "5"}, {tue, "MM", "05"}, {tue, "MMM", "May"}, {tue, "MMMM", "May"},
		{morning, "MMM", "Sep"}, {morning, "MMMM", "September"}, {morning, "MMMMMM", "September"}, {noon, "M", "1"},
		// d day of month
		{tue, "d", "24"}, {tue, "dd", "24"}, {tue, "ddd", "024"}, {morning, "d", "5"}, {morning, "dd", "05"},
		// a half-day
		{tue, "a", "PM"}, {morning, "a", "AM"}, {noon, "a", "PM"}, {noon, "aa", "PM"},
		// K hour of half-day 0-11
		{tue, "K", "5"}, {tue, "KK", "05"}, {noon, "K", "0"}, {morning, "K", "0"},
		// h clock hour of half-day 1-12
		{tue, "h", "5"}, {tue, "hh", "05"}, {morning, "hh", "12"}, {noon, "h", "12"}, {afternoon, "hh", "01"},
		// H hour of day 0-23
		{tue, "H", "17"}, {tue, "HH", "17"}, {morning, "H", "0"}, {morning, "HH", "00"}, {sunday, "HH", "23"},
		// k clock hour of day 1-24
		{tue, "k", "17"}, {morning, "k", "24"}, {morning, "kkk", "024"},
		// m minute
		{tue, "m", "10"}, {tue, "mm", "10"}, {noon, "m", "0"}, {noon, "mm", "00"},
		// s second
		{tue, "s", "5"}, {tue, "ss", "05"}, {sunday, "s", "59"},
		// S fraction of second (millisecond precision, truncated)
		{tue, "S", "1"}, {tue, "SS", "12"}, {tue, "SSS", "123"}, {tue, "SSSSSS", "123000"},
		{sunday, "S", "9"}, {sunday, "SSS", "999"}, {noon, "SSS", "000"},
		// z zone name
		{tue, "z", "UTC"}, {tue, "zz", "UTC"}, {tue, "zzz", "UTC"}, {tue, "zzzz", "Coordinated Universal Time"},
		// Z offset and zone id
		{tue, "Z", "+0000"}, {tue, "ZZ", "+00:00"}, {tue, "ZZZ", "UTC"}, {tue, "ZZZZ", "UTC"},
		// quoting and literals
		{tue, "yyyy-MM-dd'T'HH:mm:ss", "2011-05-24T17:10:05"},
		{tue, "hh 'o''clock' a", "05 o'clock PM"},
		{tue, "''", "'"},
		{tue, "''''", "''"},
		{tue, "'it''s' h", "it's 5"},
		{tue, "'Year' YYYY", "Year 2011"},
		{tue, "'unterminated YYYY", "unterminated YYYY"},
		{tue, "'a' 'b'", "a b"},
		{tue, "-/:._ ,;[]#", "-/:._ ,;[]#"},
		{tue, "dd é MM", "24 é 05"},
		{tue, "YYYYMMdd", "20110524"},
		{tue, "YYYY-MM-dd HH:mm:ss z", "2011-05-24 17:10:05 UTC"},
	}
	t.Run("OK", func(t *testing.T) {
		for _, tt := range tests {
			got, err := formatAt(tt.at, tt.pattern)
			if err != nil || got != tt.want {
				t.Errorf("format(%s, %q) = %q, %v; want %q", tt.at.Format(time.RFC3339), tt.pattern, got, err, tt.want)
			}
		}
	})
	t.Run("ErrUnknownLetter", func(t *testing.T) {
		for c := byte('A'); c <= 'z'; c++ {
			if (c > 'Z' && c < 'a') || strings.IndexByte("GCYyxweEDMdaKhHkmsSzZ", c) >= 0 {
				continue
			}
			pattern := "YYYY-" + string(c)
			_, err := formatAt(tue, pattern)
			if err == nil || !strings.Contains(err.Error(), "illegal pattern component") {
				t.Errorf("format(%q) error = %v, want illegal pattern component", pattern, err)
			}
		}
	})
	t.Run("ErrEmpty", func(t *testing.T) {
		if _, err := formatAt(tue, ""); err == nil || !strings.Contains(err.Error(), "empty format pattern") {
			t.Fatalf("got %v", err)
		}
	})
}

func TestFormat_Zones(t *testing.T) {
	at := time.Date(2011, 7, 1, 12, 0, 0, 0, time.UTC)
	winter := time.Date(2011, 1, 10, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		zone string
		at   time.Time
		want string // "z|zzzz|Z|ZZ|ZZZ"
	}{
		{"America/Los_Angeles", at, "PDT|Pacific Daylight Time|-0700|-07:00|America/Los_Angeles"},
		{"America/Los_Angeles", winter, "PST|Pacific Standard Time|-0800|-08:00|America/Los_Angeles"},
		{"America/Chicago", at, "CDT|Central Daylight Time|-0500|-05:00|America/Chicago"},
		{"America/New_York", winter, "EST|Eastern Standard Time|-0500|-05:00|America/New_York"},
		{"America/Anchorage", at, "AKDT|Alaska Daylight Time|-0800|-08:00|America/Anchorage"},
		{"Pacific/Honolulu", at, "HST|Hawaii Standard Time|-1000|-10:00|Pacific/Honolulu"},
		{"America/Havana", winter, "CST|America/Havana|-0500|-05:00|America/Havana"},
		{"Asia/Shanghai", at, "CST|Asia/Shanghai|+0800|+08:00|Asia/Shanghai"},
		{"Europe/London", at, "BST|British Summer Time|+0100|+01:00|Europe/London"},
		{"Europe/London", winter, "GMT|Greenwich Mean Time|+0000|+00:00|Europe/London"},
		{"Europe/Paris", at, "CEST|Central European Summer Time|+0200|+02:00|Europe/Paris"},
		{"Europe/Paris", winter, "CET|Central European Time|+0100|+01:00|Europe/Paris"},
		{"Europe/Athens", winter, "EET|Eastern European Time|+0200|+02:00|Europe/Athens"},
		{"Europe/Lisbon", at, "WEST|Western European Summer Time|+0100|+01:00|Europe/Lisbon"},
		{"Europe/Dublin", at, "IST|Irish Standard Time|+0100|+01:00|Europe/Dublin"},
		{"Asia/Kolkata", at, "IST|India Standard Time|+0530|+05:30|Asia/Kolkata"},
		{"Asia/Jerusalem", winter, "IST|Israel Standard Time|+0200|+02:00|Asia/Jerusalem"},
		{"Asia/Tokyo", at, "JST|Japan Standard Time|+0900|+09:00|Asia/Tokyo"},
		{"Asia/Seoul", at, "KST|Korea Standard Time|+0900|+09:00|Asia/Seoul"},
		{"Asia/Hong_Kong", at, "HKT|Hong Kong Time|+0800|+08:00|Asia/Hong_Kong"},
		{"Europe/Moscow", at, "MSK|Moscow Standard Time|+0400|+04:00|Europe/Moscow"},
		{"Australia/Sydney", at, "AEST|Australian Eastern Standard Time|+1000|+10:00|Australia/Sydney"},
		{"Australia/Adelaide", winter, "ACDT|Australian Central Daylight Time|+1030|+10:30|Australia/Adelaide"},
		{"Australia/Perth", at, "AWST|Australian Western Standard Time|+0800|+08:00|Australia/Perth"},
		{"Pacific/Auckland", winter, "NZDT|New Zealand Daylight Time|+1300|+13:00|Pacific/Auckland"},
		{"America/St_Johns", at, "NDT|Newfoundland Daylight Time|-0230|-02:30|America/St_Johns"},
		{"America/Halifax", at, "ADT|Atlantic Daylight Time|-0300|-03:00|America/Halifax"},
		{"America/Sao_Paulo", at, "-03|America/Sao_Paulo|-0300|-03:00|America/Sao_Paulo"},
		{"Africa/Nairobi", at, "EAT|Africa/Nairobi|+0300|+03:00|Africa/Nairobi"},
		{"UTC", at, "UTC|Coordinated Universal Time|+0000|+00:00|UTC"},
		{"+05:45", at, "+05:45|+05:45|+0545|+05:45|+05:45"},
		{"-09:30", at, "-09:30|-09:30|-0930|-09:30|-09:30"},
		{"+00:00", at, "UTC|Coordinated Universal Time|+0000|+00:00|UTC"},
	}
	t.Run("OK", func(t *testing.T) {
		for _, tt := range tests {
			n, err := expr.Parse("format(inTimeZone(t, zone), 'z|zzzz|Z|ZZ|ZZZ')")
			if err != nil {
				t.Fatal(err)
			}
			v, err := expr.Eval(n, exampleScope{"t": expr.DateTimeValue(tt.at), "zone": expr.StringValue(tt.zone)})
			if err != nil || v.String() != tt.want {
				t.Errorf("%s at %s: got %q, %v; want %q", tt.zone, tt.at.Format(time.DateOnly), v.String(), err, tt.want)
			}
		}
	})
}
