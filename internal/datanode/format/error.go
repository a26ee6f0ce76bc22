package format

import (
	"errors"
	"fmt"
)

// ErrMalformed is the sentinel every RowError matches with errors.Is.
var ErrMalformed = errors.New("malformed record")

// RowError is a record that cannot be read or written: Source names the
// data (the node and file, e.g. "S3DataNode In s3://b/k"), Row is the
// 1-based record number in that file (0 when unknown), Column the column
// at fault ("" when the whole row is).
type RowError struct {
	Source string
	Row    int64
	Column string
	Err    error
}

// Error returns "<source> row <n> column <c>: <err>".
func (e *RowError) Error() string {
	s := e.Source
	if e.Row > 0 {
		s += fmt.Sprintf(" row %d", e.Row)
	}
	if e.Column != "" {
		s += fmt.Sprintf(" column %s", e.Column)
	}
	return s + ": " + e.Err.Error()
}

// Unwrap returns the cause.
func (e *RowError) Unwrap() error { return e.Err }

// Is matches ErrMalformed.
func (e *RowError) Is(target error) bool { return target == ErrMalformed }
