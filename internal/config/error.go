package config

import (
	"errors"
	"fmt"
)

// Sentinel errors, wrapped by *Error; test with errors.Is.
var (
	// ErrSyntax: the file is not valid YAML.
	ErrSyntax = errors.New("invalid YAML")
	// ErrUnknownKey: a key the configuration does not define.
	ErrUnknownKey = errors.New("unknown key")
	// ErrDuplicateKey: a key given twice in the same mapping.
	ErrDuplicateKey = errors.New("duplicate key")
	// ErrBadValue: a value of the wrong type or out of range.
	ErrBadValue = errors.New("bad value")
	// ErrUnsetVariable: ${NAME} names an unset environment variable and
	// gives no default.
	ErrUnsetVariable = errors.New("unset environment variable")
)

// Error is a problem in the configuration file: its line, the dotted key
// at fault and what is wrong (wrapping one of the sentinels).
type Error struct {
	// Line is 1-based; 0 when the problem has no single place.
	Line int
	// Key is the dotted path of the key ("server.pollWait",
	// "aws.endpoints.s3"); empty for the document as a whole.
	Key string
	// Err wraps ErrSyntax, ErrUnknownKey, ErrDuplicateKey, ErrBadValue or
	// ErrUnsetVariable.
	Err error
}

// Error formats the problem as "line N: key: message".
func (e *Error) Error() string {
	msg := e.Err.Error()
	if e.Key != "" {
		msg = e.Key + ": " + msg
	}
	if e.Line > 0 {
		msg = fmt.Sprintf("line %d: %s", e.Line, msg)
	}
	return msg
}

// Unwrap returns the wrapped error, for errors.Is.
func (e *Error) Unwrap() error { return e.Err }

// errorf builds an *Error wrapping sentinel with a detail message.
func errorf(line int, key string, sentinel error, format string, args ...any) *Error {
	return &Error{Line: line, Key: key, Err: fmt.Errorf("%w: "+format, append([]any{sentinel}, args...)...)}
}
