package schedule

import (
	"strings"
	"testing"
	"time"
)

func TestParsePeriod(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		for _, tt := range []struct {
			in   string
			want Period
		}{
			{"15 minutes", Period{15, Minute}},
			{"1 Day", Period{1, Day}},
			{"1 days", Period{1, Day}},
			{"70 Minutes", Period{70, Minute}},
			{"2  HOURS", Period{2, Hour}},
			{"1 week", Period{1, Week}},
			{"3 months", Period{3, Month}},
			{"1 year", Period{1, Year}},
			{"30 seconds", Period{30, Second}},
		} {
			got, err := ParsePeriod(tt.in)
			if err != nil || got != tt.want {
				t.Errorf("ParsePeriod(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
			}
		}
	})
	t.Run("ErrMalformed", func(t *testing.T) {
		for _, in := range []string{"", "15", "15 Period", "0 days", "-1 days", "x days", "1 day extra", "1.5 hours"} {
			_, err := ParsePeriod(in)
			if err == nil || !strings.Contains(err.Error(), "period") {
				t.Errorf("ParsePeriod(%q) err = %v; want a period error", in, err)
			}
		}
	})
}

func TestPeriod_String(t *testing.T) {
	if got := (Period{1, Day}).String(); got != "1 day" {
		t.Errorf("got %q", got)
	}
	if got := (Period{15, Minute}).String(); got != "15 minutes" {
		t.Errorf("got %q", got)
	}
}

func TestPeriod_AddTo(t *testing.T) {
	jan31 := time.Date(2011, 1, 31, 10, 0, 0, 0, time.UTC)
	for _, tt := range []struct {
		p    Period
		k    int
		from time.Time
		want string
	}{
		{Period{1, Month}, 1, jan31, "2011-02-28T10:00:00"},
		{Period{1, Month}, 2, jan31, "2011-03-31T10:00:00"},
		{Period{1, Month}, -2, jan31, "2010-11-30T10:00:00"},
		{Period{1, Month}, 1, time.Date(2012, 1, 31, 0, 0, 0, 0, time.UTC), "2012-02-29T00:00:00"},
		{Period{1, Year}, 1, time.Date(2012, 2, 29, 0, 0, 0, 0, time.UTC), "2013-02-28T00:00:00"},
		{Period{1, Year}, 4, time.Date(2012, 2, 29, 0, 0, 0, 0, time.UTC), "2016-02-29T00:00:00"},
		{Period{1, Week}, 1, jan31, "2011-02-07T10:00:00"},
		{Period{15, Minute}, 4, jan31, "2011-01-31T11:00:00"},
		{Period{1, Day}, 1, jan31, "2011-02-01T10:00:00"},
		{Period{30, Second}, 2, jan31, "2011-01-31T10:01:00"},
	} {
		if got := FormatDateTime(tt.p.AddTo(tt.from, tt.k)); got != tt.want {
			t.Errorf("%v.AddTo(%v, %d) = %s; want %s", tt.p, tt.from, tt.k, got, tt.want)
		}
	}
}

func TestPeriod_Approx(t *testing.T) {
	if got := (Period{15, Minute}).Approx(); got != 15*time.Minute {
		t.Errorf("got %v", got)
	}
	if got := (Period{3, Year}).Approx(); got != 3*365*24*time.Hour {
		t.Errorf("got %v", got)
	}
}

func TestParseDateTime(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		for _, in := range []string{"2012-01-15T23:59:00", "2012-01-15T23:59:00Z", "2012-01-15T23:59:00.000", "2012-01-15T23:59:00.5Z"} {
			got, err := ParseDateTime(in)
			if err != nil || got.Truncate(time.Second) != time.Date(2012, 1, 15, 23, 59, 0, 0, time.UTC) {
				t.Errorf("ParseDateTime(%q) = %v, %v", in, got, err)
			}
		}
	})
	t.Run("ErrMalformed", func(t *testing.T) {
		for _, in := range []string{"", "2012-01-15", "makeDate(2011,5,24)", "2012-13-01T00:00:00", "2012-01-15 23:59:00"} {
			if _, err := ParseDateTime(in); err == nil {
				t.Errorf("ParseDateTime(%q) accepted", in)
			}
		}
	})
}
