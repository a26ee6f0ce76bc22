// Package expr implements the AWS Data Pipeline expression language: the
// #{…} expressions inside string field values (spec §7).
//
// # Templates
//
// A field value is a Template: literal text interleaved with any number of
// #{expr}. ParseTemplate parses it; Template.Eval or Template.Render
// evaluate it against a Scope that resolves names for one object (an
// instance or attempt at run time). "${NAME}" is not Data Pipeline syntax and
// stays literal text. As an extension, "\#{" stands for a literal "#{" (so a
// backslash directly before an expression cannot be written as text; use
// #{'\\'}#{x}). An unterminated "#{" is an error. A "}" inside a quoted
// string literal does not end the expression.
//
// # Grammar
//
//	expr           := additive
//	additive       := multiplicative { ("+" | "-") multiplicative }
//	multiplicative := power { ("*" | "/") power }
//	power          := unary [ "^" power ]             (right-associative)
//	unary          := [ "-" ] postfix
//	postfix        := primary { "." member }
//	member         := NAME | "@" NAME | NAME "(" [args] ")"
//	primary        := STRING | INT | DECIMAL | "(" expr ")" | NAME "(" [args] ")" | path
//	path           := "@" NAME | "*" NAME | NAME
//	args           := expr { "," expr }
//
// NAME is [A-Za-z_][A-Za-z0-9_]*. Strings are quoted with ' or " and
// support the escapes \' \" \\ (any other backslash is kept). INT is
// [0-9]+ (int64), DECIMAL [0-9]+.[0-9]+. As the spec's grammar says, unary
// minus binds tighter than "^": -2^2 is (-2)^2. A method call x.f(a) is the
// call f(x, a). Nesting is limited to MaxNesting levels and an expression to
// MaxNodes nodes.
//
// # Names
//
// The first segment of a path is resolved by Scope.Lookup ("@field",
// "myParam", "*myParam", or a field through inheritance); each following
// segment reads a field of the object the current value references, mapping
// over a list of references. Errors caused by Lookup wrap its error, so
// errors.Is(err, ErrUnknownName) identifies unknown names.
//
// # Values
//
// Values are String, Integer (int64), Double, DateTime, Reference or List
// (flat). They render as §7.5 says: a DateTime as 2006-01-02T15:04:05 in its
// own location, a Double like Java's Double.toString (4.0, 0.5, 1.0E10), a
// Reference as the object's ID, and a List as its elements joined with ","
// (Render gives one string per element instead). A String holding a DateTime
// literal is accepted where a DateTime is expected, and a String holding an
// integer where an Integer is expected.
//
// # Operators
//
// "+" concatenates when either side is a String (the other side rendered),
// and otherwise adds numbers; "-", "*" and "/" are numeric (numeric Strings
// count as numbers); Integer op Integer is an Integer, with "/" truncating;
// any Double makes a Double; "^" always gives a Double. Division by zero,
// Integer overflow and non-finite results are errors. Operators and
// functions map over List operands element-wise; with several Lists they
// take the cartesian product (left operand varying slowest), so
// 'x' + a + b and the template "x#{a}#{b}" agree. An empty List operand
// gives an empty List. No result may exceed MaxListLen values.
//
// # Functions
//
// Functions lists the built-ins: format (Joda-Time patterns, every letter of
// Joda's DateTimeFormat, English texts), the field extractors year, month,
// day, dayOfYear, hour and minute, makeDate and makeDateTime (UTC),
// midnight, firstOfMonth and sunday (which keep the time of day), yesterday,
// plus/minus Minutes, Hours, Days, Weeks, Months (clamping to month end),
// Years and Period ("1 day"), and inTimeZone. Amounts may be negative.
// DateTime results must lie in years MinYear..MaxYear.
//
// inTimeZone accepts "UTC", tz database names and fixed offsets ("+05:30").
// After it, rendering, format and the field functions use that zone's wall
// time. Pattern z prints the zone's abbreviation ("UTC", "PDT"); zzzz prints
// Java's long name for UTC, GMT and common abbreviations ("Coordinated
// Universal Time", "Pacific Daylight Time") and otherwise the zone id, which
// is Joda's own fallback; Z, ZZ and ZZZ print +0000, +00:00 and the zone id.
// Zone names come from the host's zoneinfo unless the binary imports
// time/tzdata.
//
// # Errors and purity
//
// Every error is an *Error carrying the byte offset of the fault in the
// field value. The package never panics on any input, performs no I/O apart
// from loading time zones, does no logging and never reads the clock.
// Template.Check validates a template statically (function names, arities,
// literal arguments) without a Scope.
package expr
