package pipeline

import (
	"errors"
	"fmt"
)

// Code is an error code. Codes are the AWS Data Pipeline exception names, so
// that the API edge can return them unchanged to AWS SDKs.
type Code string

// The error codes of the AWS Data Pipeline API.
const (
	// CodeInvalidRequest: the request (or the definition it carries) is
	// malformed or not allowed in the pipeline's current state.
	CodeInvalidRequest Code = "InvalidRequestException"
	// CodePipelineNotFound: no pipeline has the given id.
	CodePipelineNotFound Code = "PipelineNotFoundException"
	// CodePipelineDeleted: the pipeline existed and has been deleted.
	CodePipelineDeleted Code = "PipelineDeletedException"
	// CodeTaskNotFound: the task id is unknown or its lease has ended.
	CodeTaskNotFound Code = "TaskNotFoundException"
	// CodeInternal: an unexpected failure inside datapipe.
	CodeInternal Code = "InternalServiceError"
)

// Error is datapipe's domain error. Message is written for a person and
// names the object, field or position at fault.
type Error struct {
	Code    Code
	Message string
}

// Error implements the error interface as "Code: Message".
func (e *Error) Error() string { return string(e.Code) + ": " + e.Message }

// Errorf returns an *Error with the given code and a formatted message.
func Errorf(code Code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the Code of the first *Error in err's chain, CodeInternal
// for any other non-nil error, and "" for nil.
func ErrorCode(err error) Code {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return CodeInternal
}

// ErrorMessage returns the Message of the first *Error in err's chain, or
// err.Error() when there is none.
func ErrorMessage(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	return err.Error()
}
