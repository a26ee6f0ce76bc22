// Package schedule holds datapipe's calendar: the Period grammar ("15
// minutes", "1 Day"), the DateTime literal format, calendar arithmetic with
// month-end clamping, and the generation of schedule intervals.
//
// All arithmetic is in UTC and follows Joda-Time Period semantics: months and
// years move by calendar months and clamp the day of month (Jan 31 + 1 month
// is Feb 28 or 29); weeks are 7 calendar days; hours, minutes and seconds are
// exact durations.
//
// The package is pure. It never reads the clock: every function that needs
// "now" takes it as an argument.
package schedule
