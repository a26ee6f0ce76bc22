package activity

import (
	"errors"
	"fmt"
)

// Error ids shared by every executor and the runner. They travel to the
// service as SetTaskStatus' errorId and are shown to users; none starts
// with "Service_", which the service reserves.
const (
	// IDInvalidTask: the task object lacks something the attempt needs
	// (no attempt object, no type, a reference to a missing object…).
	IDInvalidTask = "InvalidTask"
	// IDNotImplemented: no executor is registered for the attempt's type.
	IDNotImplemented = "ActivityNotImplemented"
	// IDNotSupported: the attempt asks for something this runner cannot do
	// yet, such as s3:// paths.
	IDNotSupported = "NotSupported"
	// IDAttemptTimeout: the attempt ran longer than its attemptTimeout.
	IDAttemptTimeout = "AttemptTimeout"
	// IDRunnerStopped: the task runner stopped while the attempt ran.
	IDRunnerStopped = "TaskRunnerStopped"
	// IDRunnerError: any failure that carries no id of its own.
	IDRunnerError = "TaskRunnerError"
)

// Error is an attempt failure with the errorId to report. Error() is the
// Message alone, so that wrapping it (fmt.Errorf("stage input1: %w", e))
// yields a readable errorMessage while AsError still finds the id.
type Error struct {
	ID      string
	Message string
}

// Error returns the message.
func (e *Error) Error() string { return e.Message }

// Errorf returns an *Error with the given id and a formatted message.
func Errorf(id, format string, args ...any) *Error {
	return &Error{ID: id, Message: fmt.Sprintf(format, args...)}
}

// AsError returns what the runner reports for err: the id of the first
// *Error in err's chain (IDRunnerError when there is none) and err's full
// text as the message. It returns nil for nil.
func AsError(err error) *Error {
	if err == nil {
		return nil
	}
	id := IDRunnerError
	var e *Error
	if errors.As(err, &e) {
		id = e.ID
	}
	return &Error{ID: id, Message: err.Error()}
}
