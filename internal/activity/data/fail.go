package data

import (
	"context"
	"errors"
	"strings"

	"github.com/datapipe/datapipe/internal/activity"
	"github.com/datapipe/datapipe/internal/datanode"
	"github.com/datapipe/datapipe/internal/datanode/format"
)

// Error ids of data failures (see Fail).
const (
	IDInvalidNode  = "InvalidDataNode"
	IDNotFound     = "DataNotFound"
	IDMalformed    = "MalformedRecord"
	IDAccessDenied = "DataAccessDenied"
)

// Fail returns err as an attempt failure whose errorId says what kind of
// data error it is (see the package doc). An error that already carries
// an *activity.Error (a timeout, a NotSupported) keeps it; nil stays nil.
func Fail(err error) error {
	if err == nil {
		return nil
	}
	var ae *activity.Error
	if errors.As(err, &ae) || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	id := ""
	switch {
	case errors.Is(err, format.ErrMalformed):
		id = IDMalformed
	case errors.Is(err, datanode.ErrNotFound):
		id = IDNotFound
	case errors.Is(err, datanode.ErrInvalid):
		id = IDInvalidNode
	case strings.Contains(err.Error(), "access denied") || strings.Contains(err.Error(), "refused the credentials"):
		id = IDAccessDenied
	default:
		return err
	}
	return &failure{id: id, err: err}
}

// failure is an error with an errorId that keeps its chain.
type failure struct {
	id  string
	err error
}

// Error returns the cause's text.
func (f *failure) Error() string { return f.err.Error() }

// Unwrap returns the cause.
func (f *failure) Unwrap() error { return f.err }

// As makes errors.As find an *activity.Error with the failure's id.
func (f *failure) As(target any) bool {
	p, ok := target.(**activity.Error)
	if ok {
		*p = &activity.Error{ID: f.id, Message: f.err.Error()}
	}
	return ok
}
