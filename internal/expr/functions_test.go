package expr_test

import (
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/datapipe/datapipe/internal/expr"
)

// funcCases lists, for every built-in function, expressions that must
// evaluate to the given rendering (myDateTime = 2011-05-24T17:10:00 UTC, a
// Tuesday).
var funcCases = map[string][]evalCase{
	"format": {
		{"format(myDateTime, 'YYYY-MM-dd')", expr.KindString, "2011-05-24"},
		{"format(myDateTimeText, 'dd/MM')", expr.KindString, "24/05"},
		{"myDateTime.format('HH:mm')", expr.KindString, "17:10"},
	},
	"year":      {{"year(myDateTime)", expr.KindInt, "2011"}, {"year('2012-12-12T00:00:00')", expr.KindInt, "2012"}},
	"month":     {{"month(myDateTime)", expr.KindInt, "5"}},
	"day":       {{"day(myDateTime)", expr.KindInt, "24"}, {"myDateTime.day()", expr.KindInt, "24"}},
	"dayOfYear": {{"dayOfYear(myDateTime)", expr.KindInt, "144"}, {"dayOfYear(makeDate(2012, 12, 31))", expr.KindInt, "366"}},
	"hour":      {{"hour(myDateTime)", expr.KindInt, "17"}, {"hour(inTimeZone(myDateTime, 'Asia/Tokyo'))", expr.KindInt, "2"}},
	"minute":    {{"minute(myDateTime)", expr.KindInt, "10"}},
	"makeDate": {
		{"makeDate(2011, 5, 24)", expr.KindDateTime, "2011-05-24T00:00:00"},
		{"makeDate(2012, 2, 29)", expr.KindDateTime, "2012-02-29T00:00:00"},
		{"makeDate('2011', myDaysBack, 1)", expr.KindDateTime, "2011-03-01T00:00:00"},
	},
	"makeDateTime": {
		{"makeDateTime(2011, 5, 24, 14, 21)", expr.KindDateTime, "2011-05-24T14:21:00"},
		{"makeDateTime(9999, 12, 31, 23, 59)", expr.KindDateTime, "9999-12-31T23:59:00"},
	},
	"midnight": {
		{"midnight(myDateTime)", expr.KindDateTime, "2011-05-24T00:00:00"},
		{"midnight(inTimeZone(myDateTime, 'Asia/Tokyo'))", expr.KindDateTime, "2011-05-25T00:00:00"},
	},
	"firstOfMonth": {
		{"firstOfMonth(myDateTime)", expr.KindDateTime, "2011-05-01T17:10:00"},
		{"firstOfMonth(makeDate(2011, 5, 1))", expr.KindDateTime, "2011-05-01T00:00:00"},
	},
	"sunday": {
		{"sunday(myDateTime)", expr.KindDateTime, "2011-05-22T17:10:00"},
		{"sunday(makeDateTime(2011, 5, 22, 9, 0))", expr.KindDateTime, "2011-05-22T09:00:00"},
		{"sunday(makeDate(2011, 5, 21))", expr.KindDateTime, "2011-05-15T00:00:00"},
		{"sunday(makeDate(2011, 1, 1))", expr.KindDateTime, "2010-12-26T00:00:00"},
	},
	"yesterday": {
		{"yesterday(myDateTime)", expr.KindDateTime, "2011-05-23T17:10:00"},
		{"yesterday(makeDate(2012, 3, 1))", expr.KindDateTime, "2012-02-29T00:00:00"},
	},
	"plusMinutes": {
		{"plusMinutes(myDateTime, 50)", expr.KindDateTime, "2011-05-24T18:00:00"},
		{"plusMinutes(myDateTime, -10)", expr.KindDateTime, "2011-05-24T17:00:00"},
	},
	"minusMinutes": {
		{"minusMinutes(myDateTime, 30)", expr.KindDateTime, "2011-05-24T16:40:00"},
		{"minusMinutes(myDateTime, -30)", expr.KindDateTime, "2011-05-24T17:40:00"},
	},
	"plusHours":  {{"plusHours(myDateTime, 7)", expr.KindDateTime, "2011-05-25T00:10:00"}},
	"minusHours": {{"minusHours(myDateTime, 18)", expr.KindDateTime, "2011-05-23T23:10:00"}},
	"plusDays": {
		{"plusDays(myDateTime, 8)", expr.KindDateTime, "2011-06-01T17:10:00"},
		{"plusDays(makeDate(2012, 2, 28), 1)", expr.KindDateTime, "2012-02-29T00:00:00"},
		{"plusDays(myDateTime, myDaysBack)", expr.KindDateTime, "2011-05-27T17:10:00"},
	},
	"minusDays": {
		{"minusDays(myDateTime, 24)", expr.KindDateTime, "2011-04-30T17:10:00"},
		{"minusDays(myDateTime, -1)", expr.KindDateTime, "2011-05-25T17:10:00"},
	},
	"plusWeeks":  {{"plusWeeks(myDateTime, 2)", expr.KindDateTime, "2011-06-07T17:10:00"}},
	"minusWeeks": {{"minusWeeks(myDateTime, 1)", expr.KindDateTime, "2011-05-17T17:10:00"}},
	"plusMonths": {
		{"plusMonths(makeDate(2011, 1, 31), 1)", expr.KindDateTime, "2011-02-28T00:00:00"},
		{"plusMonths(makeDate(2011, 1, 31), 2)", expr.KindDateTime, "2011-03-31T00:00:00"},
		{"plusMonths(makeDate(2012, 1, 31), 1)", expr.KindDateTime, "2012-02-29T00:00:00"},
		{"plusMonths(makeDate(2011, 12, 15), 1)", expr.KindDateTime, "2012-01-15T00:00:00"},
		{"plusMonths(makeDate(2011, 3, 31), -1)", expr.KindDateTime, "2011-02-28T00:00:00"},
		{"plusMonths(myDateTime, 0)", expr.KindDateTime, "2011-05-24T17:10:00"},
	},
	"minusMonths": {
		{"minusMonths(makeDate(2011, 3, 31), 1)", expr.KindDateTime, "2011-02-28T00:00:00"},
		{"minusMonths(makeDate(2012, 3, 31), 1)", expr.KindDateTime, "2012-02-29T00:00:00"},
		{"minusMonths(makeDate(2011, 1, 15), 1)", expr.KindDateTime, "2010-12-15T00:00:00"},
		{"minusMonths(makeDate(2011, 5, 31), 13)", expr.KindDateTime, "2010-04-30T00:00:00"},
	},
	"plusYears": {
		{"plusYears(makeDate(2012, 2, 29), 1)", expr.KindDateTime, "2013-02-28T00:00:00"},
		{"plusYears(makeDate(2012, 2, 29), 4)", expr.KindDateTime, "2016-02-29T00:00:00"},
		{"plusYears(myDateTime, -11)", expr.KindDateTime, "2000-05-24T17:10:00"},
	},
	"minusYears": {
		{"minusYears(makeDate(2012, 2, 29), 1)", expr.KindDateTime, "2011-02-28T00:00:00"},
		{"minusYears(myDateTime, 1)", expr.KindDateTime, "2010-05-24T17:10:00"},
	},
	"inTimeZone": {
		{"inTimeZone(myDateTime, 'America/Los_Angeles')", expr.KindDateTime, "2011-05-24T10:10:00"},
		{"inTimeZone(makeDate(2011, 1, 24), 'America/Los_Angeles')", expr.KindDateTime, "2011-01-23T16:00:00"},
		{"inTimeZone(myDateTime, 'UTC')", expr.KindDateTime, "2011-05-24T17:10:00"},
		{"inTimeZone(myDateTime, '+05:30')", expr.KindDateTime, "2011-05-24T22:40:00"},
		{"inTimeZone(myDateTime, '-03')", expr.KindDateTime, "2011-05-24T14:10:00"},
		{"inTimeZone(inTimeZone(myDateTime, 'Asia/Tokyo'), 'UTC')", expr.KindDateTime, "2011-05-24T17:10:00"},
	},
	"plusPeriod": {
		{"plusPeriod(myDateTime, '1 day')", expr.KindDateTime, "2011-05-25T17:10:00"},
		{"plusPeriod(makeDate(2011, 1, 31), '1 Month')", expr.KindDateTime, "2011-02-28T00:00:00"},
		{"plusPeriod(myDateTime, '15 minutes')", expr.KindDateTime, "2011-05-24T17:25:00"},
		{"plusPeriod(myDateTime, '2 hours')", expr.KindDateTime, "2011-05-24T19:10:00"},
		{"plusPeriod(myDateTime, '1 week')", expr.KindDateTime, "2011-05-31T17:10:00"},
		{"plusPeriod(makeDate(2012, 2, 29), '1 year')", expr.KindDateTime, "2013-02-28T00:00:00"},
		{"plusPeriod(myDateTime, '30 seconds')", expr.KindDateTime, "2011-05-24T17:10:30"},
	},
	"minusPeriod": {
		{"minusPeriod(myDateTime, '1 day')", expr.KindDateTime, "2011-05-23T17:10:00"},
		{"minusPeriod(makeDate(2011, 3, 31), '1 month')", expr.KindDateTime, "2011-02-28T00:00:00"},
	},
}

// funcErrCases lists, for every built-in function, failing calls.
var funcErrCases = map[string][]errCase{
	"format": {
		{"format(myDateTime)", 0, "format: want 2 arguments, got 1 (signature format(DateTime, String))"},
		{"format(myDateTime, 'YYYY-QQ')", 0, `format: illegal pattern component "QQ"`},
		{"format(myDateTime, '')", 0, "empty format pattern"},
		{"format(myDateTime, 1)", 19, "format: argument 2: want a String, got Integer 1"},
		{"format('yesterday', 'YYYY')", 7, "format: argument 1: want a DateTime, got String 'yesterday'"},
		{"myDateTime.format()", 11, "in method form the receiver is the first argument"},
	},
	"year":      {{"year()", 0, "want 1 arguments, got 0"}, {"year(1)", 5, "want a DateTime, got Integer 1"}},
	"month":     {{"month(myDateTime, 1)", 0, "want 1 arguments, got 2"}},
	"day":       {{"day(node)", 4, "want a DateTime, got Reference"}},
	"dayOfYear": {{"dayOfYear(2.5)", 10, "want a DateTime, got Double 2.5"}},
	"hour":      {{"hour(myList1)", 5, "want a DateTime, got String '1'"}},
	"minute":    {{"minute()", 0, "minute: want 1 arguments"}},
	"makeDate": {
		{"makeDate(2011, 13, 1)", 0, "makeDate: month 13 is outside 1..12"},
		{"makeDate(2011, 2, 29)", 0, "day 29 is outside 1..28 for 2011-02"},
		{"makeDate(2011, 4, 0)", 0, "day 0 is outside 1..30"},
		{"makeDate(0, 1, 1)", 0, "year 0 is outside 1..9999"},
		{"makeDate(2011, 1.5, 1)", 15, "argument 2: want an Integer, got Double 1.5"},
		{"makeDate(2011, 'x', 1)", 15, "argument 2: want an Integer, got String 'x'"},
		{"makeDate(2011, 1)", 0, "want 3 arguments, got 2"},
	},
	"makeDateTime": {
		{"makeDateTime(2011, 5, 24, 24, 0)", 0, "hour 24 is outside 0..23"},
		{"makeDateTime(2011, 5, 24, 1, 60)", 0, "minute 60 is outside 0..59"},
		{"makeDateTime(2011, 5, 24)", 0, "want 5 arguments, got 3"},
	},
	"midnight":     {{"midnight('x')", 9, "want a DateTime"}},
	"firstOfMonth": {{"firstOfMonth()", 0, "want 1 arguments"}},
	"sunday":       {{"sunday(makeDate(1, 1, 1))", 0, "sunday: datetime out of range: year 0"}},
	"yesterday":    {{"yesterday(makeDate(1, 1, 1))", 0, "datetime out of range"}},
	"plusMinutes":  {{"plusMinutes(myDateTime, 9223372036854775807)", 0, "datetime out of range"}},
	"minusMinutes": {{"minusMinutes(myDateTime)", 0, "want 2 arguments"}},
	"plusHours":    {{"plusHours(myDateTime, 100000000)", 0, "datetime out of range"}},
	"minusHours":   {{"minusHours(myDateTime, 'x')", 23, "want an Integer"}},
	"plusDays":     {{"plusDays(myDateTime, 3000000)", 0, "year 10225 is outside 1..9999"}},
	"minusDays": {
		{"minusDays(myDateTime, -9223372036854775807 - 1)", 0, "datetime out of range"},
		{"minusDays(myDateTime, 1.0)", 22, "want an Integer, got Double 1.0"},
	},
	"plusWeeks":   {{"plusWeeks(myDateTime, 2000000000000000000)", 0, "datetime out of range"}},
	"minusWeeks":  {{"minusWeeks(myDateTime, 1, 2)", 0, "want 2 arguments, got 3"}},
	"plusMonths":  {{"plusMonths(myDateTime, 100000)", 0, "outside 1..9999"}},
	"minusMonths": {{"minusMonths(myDateTime, 1000000)", 0, "datetime out of range"}},
	"plusYears":   {{"plusYears(myDateTime, 8000)", 0, "year 10011 is outside"}},
	"minusYears":  {{"minusYears(myDateTime, 2011)", 0, "year 0 is outside"}},
	"inTimeZone": {
		{"inTimeZone(myDateTime, 'Mars/Olympus_Mons')", 0, `inTimeZone: unknown time zone "Mars/Olympus_Mons"`},
		{"inTimeZone(myDateTime, 'Local')", 0, `unknown time zone "Local"`},
		{"inTimeZone(myDateTime, '')", 0, `unknown time zone ""`},
		{"inTimeZone(myDateTime, '+25:00')", 0, "offsets are written +HH:MM"},
		{"inTimeZone(myDateTime, '+5')", 0, "offsets are written +HH:MM"},
		{"inTimeZone(myDateTime, '../../etc/passwd')", 0, "unknown time zone"},
		{"inTimeZone(myDateTime)", 0, "want 2 arguments"},
	},
	"plusPeriod": {
		{"plusPeriod(myDateTime, 'soon')", 0, `plusPeriod: period "soon"`},
		{"plusPeriod(myDateTime, '1 fortnight')", 0, "unknown unit"},
		{"plusPeriod(myDateTime, '-1 day')", 0, "not a positive whole number"},
		{"plusPeriod(myDateTime, 1)", 23, "want a String"},
		{"plusPeriod(myDateTime, '5000000000 minutes')", 0, "outside 1..9999"},
		{"plusPeriod(myDateTime, '900000000000 seconds')", 0, "datetime out of range"},
	},
	"minusPeriod": {{"minusPeriod(myDateTime, '2000000000 years')", 0, "datetime out of range"}},
}

func TestFunctions(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		got := expr.Functions()
		if !slices.IsSorted(got) {
			t.Fatalf("Functions() not sorted: %q", got)
		}
		var tested []string
		for name := range funcCases {
			tested = append(tested, name)
		}
		slices.Sort(tested)
		if !reflect.DeepEqual(got, tested) {
			t.Fatalf("Functions() = %q\nfunctions with tests = %q", got, tested)
		}
		for _, name := range got {
			if len(funcErrCases[name]) == 0 {
				t.Errorf("no error cases for %s", name)
			}
		}
	})
}

func TestFunc(t *testing.T) {
	for _, name := range expr.Functions() {
		t.Run(name, func(t *testing.T) {
			t.Run("OK", func(t *testing.T) { runEvalOK(t, funcCases[name]) })
			t.Run("ErrArgs", func(t *testing.T) { runEvalErr(t, funcErrCases[name]) })
		})
	}
}

func TestFunc_Unknown(t *testing.T) {
	t.Run("ErrUnknownFunction", func(t *testing.T) {
		runEvalErr(t, []errCase{
			{"now()", 0, `unknown function "now"`},
			{"myDateTime.plusSeconds(1)", 11, `unknown function "plusSeconds"`},
			{"Format(myDateTime, 'YYYY')", 0, `unknown function "Format"`},
			{"1 + substring('abc', 1)", 4, `unknown function "substring"`},
		})
	})
}

func TestFunc_Lists(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		runEvalOK(t, []evalCase{
			{"format(myDates, 'YYYY-MM-dd')", expr.KindList, "2011-05-24,2011-12-31"},
			{"plusDays(myDateTime, myList1)", expr.KindList, "2011-05-25T17:10:00,2011-05-26T17:10:00"},
			{"makeDate(2011, myList1, myList2)", expr.KindList,
				"2011-01-03T00:00:00,2011-01-04T00:00:00,2011-02-03T00:00:00,2011-02-04T00:00:00"},
			{"year(myEmpty)", expr.KindList, ""},
		})
	})
	t.Run("ErrElement", func(t *testing.T) {
		runEvalErr(t, []errCase{{"year(myList)", 5, "want a DateTime, got String 'one'"}})
	})
}

func TestFunc_TimeZoneFormatting(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		runEvalOK(t, []evalCase{
			{"format(inTimeZone(myDateTime, 'America/Los_Angeles'), 'YYYY-MM-dd HH:mm z Z ZZ ZZZ')", expr.KindString,
				"2011-05-24 10:10 PDT -0700 -07:00 America/Los_Angeles"},
			{"format(inTimeZone(makeDate(2011, 1, 24), 'America/Los_Angeles'), 'zzzz')", expr.KindString, "Pacific Standard Time"},
			{"inTimeZone(myDateTime, 'Asia/Kolkata').format('HH:mm zzzz ZZ')", expr.KindString, "22:40 India Standard Time +05:30"},
			{"inTimeZone(myDateTime, '+05:30').format('z ZZZ')", expr.KindString, "+05:30 +05:30"},
			{"hour(inTimeZone(makeDateTime(2011, 3, 13, 10, 0), 'America/New_York'))", expr.KindInt, "6"},
			{"hour(inTimeZone(makeDateTime(2011, 3, 12, 10, 0), 'America/New_York'))", expr.KindInt, "5"},
			{"plusDays(inTimeZone(makeDateTime(2011, 3, 12, 17, 0), 'America/New_York'), 1).format('HH:mm Z')", expr.KindString, "12:00 -0400"},
			{"plusHours(inTimeZone(makeDateTime(2011, 3, 12, 17, 0), 'America/New_York'), 24).format('HH:mm Z')", expr.KindString, "13:00 -0400"},
		})
	})
}

func TestFunc_ErrorsNameFunction(t *testing.T) {
	t.Run("ErrArgs", func(t *testing.T) {
		for name, cases := range funcErrCases {
			for _, c := range cases {
				n, err := expr.Parse(c.src)
				if err != nil {
					t.Fatalf("Parse(%q): %v", c.src, err)
				}
				_, err = expr.Eval(n, newScope())
				if err == nil || !strings.Contains(err.Error(), name) {
					t.Errorf("Eval(%q) error %v does not name %s", c.src, err, name)
				}
			}
		}
	})
}
