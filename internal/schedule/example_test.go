package schedule_test

import (
	"fmt"
	"time"

	"github.com/datapipe/datapipe/internal/schedule"
)

func ExampleParsePeriod() {
	p, err := schedule.ParsePeriod("1 Day")
	fmt.Println(p, err)
	_, err = schedule.ParsePeriod("15 Period")
	fmt.Println(err)
	// Output:
	// 1 day <nil>
	// period "15 Period": unknown unit "Period" (want minutes, hours, days, weeks, months or years)
}

func ExampleAddMonths() {
	jan31 := time.Date(2011, 1, 31, 17, 10, 0, 0, time.UTC)
	fmt.Println(schedule.FormatDateTime(schedule.AddMonths(jan31, 1)))
	fmt.Println(schedule.FormatDateTime(schedule.AddMonths(jan31, 2)))
	// Output:
	// 2011-02-28T17:10:00
	// 2011-03-31T17:10:00
}

func ExampleSpec_Between() {
	start, _ := schedule.ParseDateTime("2012-09-01T00:00:00")
	end, _ := schedule.ParseDateTime("2012-09-01T03:00:00")
	s := schedule.Spec{Start: start, Period: schedule.Period{N: 1, Unit: schedule.Hour}, End: end}
	for _, iv := range s.Between(start, end.Add(24*time.Hour), 0) {
		fmt.Println(iv.Index, schedule.FormatDateTime(iv.Start), schedule.FormatDateTime(iv.End))
	}
	// Output:
	// 0 2012-09-01T00:00:00 2012-09-01T01:00:00
	// 1 2012-09-01T01:00:00 2012-09-01T02:00:00
	// 2 2012-09-01T02:00:00 2012-09-01T03:00:00
}
