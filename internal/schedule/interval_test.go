package schedule

import (
	"testing"
	"time"
)

func at(s string) time.Time {
	t, err := ParseDateTime(s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestSpec_Between(t *testing.T) {
	hourly := Spec{Start: at("2012-09-01T00:00:00"), Period: Period{1, Hour}, End: at("2012-09-01T03:00:00")}
	for _, tt := range []struct {
		name     string
		spec     Spec
		from, to string
		max      int
		want     []string
	}{
		{"AllBeforeEnd", hourly, "2012-01-01T00:00:00", "2013-01-01T00:00:00", 0,
			[]string{"2012-09-01T00:00:00", "2012-09-01T01:00:00", "2012-09-01T02:00:00"}},
		{"FromMiddle", hourly, "2012-09-01T00:30:00", "2013-01-01T00:00:00", 0,
			[]string{"2012-09-01T01:00:00", "2012-09-01T02:00:00"}},
		{"Capped", hourly, "2012-01-01T00:00:00", "2013-01-01T00:00:00", 2,
			[]string{"2012-09-01T00:00:00", "2012-09-01T01:00:00"}},
		{"Occurrences", Spec{Start: at("2012-01-31T00:00:00"), Period: Period{1, Month}, Occurrences: 3},
			"2000-01-01T00:00:00", "2100-01-01T00:00:00", 0,
			[]string{"2012-01-31T00:00:00", "2012-02-29T00:00:00", "2012-03-31T00:00:00"}},
		{"Unbounded", Spec{Start: at("2000-01-01T00:00:00"), Period: Period{15, Minute}},
			"2020-06-01T00:10:00", "2020-06-01T00:50:00", 0,
			[]string{"2020-06-01T00:15:00", "2020-06-01T00:30:00", "2020-06-01T00:45:00"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.spec.Between(at(tt.from), at(tt.to), tt.max)
			if len(got) != len(tt.want) {
				t.Fatalf("got %d intervals %v; want %v", len(got), got, tt.want)
			}
			for i, iv := range got {
				if FormatDateTime(iv.Start) != tt.want[i] {
					t.Errorf("interval %d starts %s; want %s", i, FormatDateTime(iv.Start), tt.want[i])
				}
				if !iv.End.Equal(tt.spec.Period.AddTo(iv.Start, 1)) && tt.spec.Period.Unit != Month {
					t.Errorf("interval %d ends %s", i, iv.End)
				}
			}
		})
	}
}

func TestSpec_Valid(t *testing.T) {
	s := Spec{Start: at("2012-09-01T00:00:00"), Period: Period{1, Hour}, Occurrences: 2}
	if !s.Valid(0) || !s.Valid(1) || s.Valid(2) || s.Valid(-1) {
		t.Error("occurrences bounds wrong")
	}
}
