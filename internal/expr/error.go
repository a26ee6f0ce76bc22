package expr

import (
	"errors"
	"fmt"
)

// ErrUnknownName is the sentinel a Scope wraps when a name is not defined.
// Evaluation errors caused by it still match errors.Is(err, ErrUnknownName).
var ErrUnknownName = errors.New("unknown name")

// Error is a syntax or evaluation error at a position in the field value.
// Every error returned by this package's parsing, checking and evaluation
// functions is an *Error.
type Error struct {
	// Pos is the 0-based byte offset in the original field value (for Parse,
	// in the expression source) of the token or node at fault.
	Pos int
	// Msg describes the problem for a person; it names the function, path or
	// token involved.
	Msg string
	// Err is the underlying cause, if any (for example the error a Scope
	// returned). Unwrap exposes it to errors.Is and errors.As.
	Err error
}

// Error renders the error as "at column N: msg" where N is Pos+1.
func (e *Error) Error() string { return fmt.Sprintf("at column %d: %s", e.Pos+1, e.Msg) }

// Unwrap returns the underlying cause, or nil.
func (e *Error) Unwrap() error { return e.Err }

// errorf returns an *Error at pos with a formatted message.
func errorf(pos int, format string, args ...any) *Error {
	return &Error{Pos: pos, Msg: fmt.Sprintf(format, args...)}
}

// wrapAt returns a new *Error at pos whose message is prefix, ": " and
// err's text, and whose cause is err. It always wraps, even when err is an
// *Error from another field value, because that error's position refers to
// a different text.
func wrapAt(pos int, prefix string, err error) *Error {
	return &Error{Pos: pos, Msg: prefix + ": " + err.Error(), Err: err}
}
