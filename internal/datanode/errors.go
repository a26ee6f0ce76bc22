package datanode

import (
	"errors"
	"fmt"

	"github.com/datapipe/datapipe/internal/pipeline"
)

// Sentinels that adapters' errors match with errors.Is.
var (
	// ErrNotFound: the file, directory, bucket, database table or
	// DynamoDB table is not there.
	ErrNotFound = errors.New("not found")
	// ErrInvalid: the node object (or an object it refers to) is not
	// usable: a missing or conflicting field, an unsupported value.
	ErrInvalid = errors.New("invalid data node")
)

// Name is the "<type> <id>" that messages name an object by.
func Name(obj pipeline.Object) string {
	if t := obj.Type(); t != "" {
		return t + " " + obj.ID
	}
	return obj.ID
}

// Invalidf returns an error matching ErrInvalid: "<name>: <message>".
func Invalidf(name, msg string, args ...any) error {
	return &nodeError{name: name, err: fmt.Errorf(msg, args...), kind: ErrInvalid}
}

// NotFoundf returns an error matching ErrNotFound: "<name>: <message>".
func NotFoundf(name, msg string, args ...any) error {
	return &nodeError{name: name, err: fmt.Errorf(msg, args...), kind: ErrNotFound}
}

// Wrap prefixes err with the node name ("<name>: <op>: <err>"), keeping
// its chain; nil stays nil.
func Wrap(name, op string, err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("%s: %s: %w", name, op, err)
}

// nodeError is an error about one node that matches a sentinel.
type nodeError struct {
	name string
	err  error
	kind error
}

// Error returns "<name>: <message>".
func (e *nodeError) Error() string { return e.name + ": " + e.err.Error() }

// Unwrap returns the cause and the sentinel.
func (e *nodeError) Unwrap() []error { return []error{e.err, e.kind} }
