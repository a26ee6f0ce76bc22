package api

import (
	"context"
	"errors"
	"net/http"

	"github.com/datapipe/datapipe/internal/pipeline"
)

// The framework error codes: not in the Data Pipeline model, but sent by
// every AWS JSON service and understood by the SDKs (api.md §1.3). The
// model's own codes are pipeline.Code* values.
const (
	// CodeValidation: a member violates a model constraint.
	CodeValidation pipeline.Code = "ValidationException"
	// CodeSerialization: the body is not a JSON object of the right types.
	CodeSerialization pipeline.Code = "SerializationException"
	// CodeUnknownOperation: X-Amz-Target is missing or names no operation.
	CodeUnknownOperation pipeline.Code = "UnknownOperationException"
	// CodeMissingAuthenticationToken: the request carries no signature.
	CodeMissingAuthenticationToken pipeline.Code = "MissingAuthenticationTokenException"
	// CodeIncompleteSignature: the Authorization header is malformed.
	CodeIncompleteSignature pipeline.Code = "IncompleteSignatureException"
	// CodeInvalidSignature: the signature does not match, its scope is
	// wrong, or its time is more than 15 minutes off.
	CodeInvalidSignature pipeline.Code = "InvalidSignatureException"
	// CodeUnrecognizedClient: the access key is unknown.
	CodeUnrecognizedClient pipeline.Code = "UnrecognizedClientException"
)

// codeCanceled labels, in logs and metrics, a request whose client went
// away before the answer; statusCanceled is its (unread) status.
const (
	codeCanceled   pipeline.Code = "RequestCanceled"
	statusCanceled               = 499
)

// internalMessage is all a client learns of a failure that is not a
// *pipeline.Error.
const internalMessage = "An internal error occurred. Retry the request; if the problem persists, contact the operator with the request id."

// errorBody is the JSON body of an error response.
type errorBody struct {
	Type    pipeline.Code `json:"__type"`
	Message string        `json:"message"`
}

// httpStatus maps an error code to its HTTP status: the one place where
// this happens.
func httpStatus(code pipeline.Code) int {
	switch code {
	case pipeline.CodeInternal:
		return http.StatusInternalServerError
	case CodeMissingAuthenticationToken, CodeIncompleteSignature, CodeInvalidSignature, CodeUnrecognizedClient:
		return http.StatusForbidden
	case codeCanceled:
		return statusCanceled
	}
	return http.StatusBadRequest
}

// describeError returns the code and client-facing message for err; the
// message of a non-domain error is generic. ctx is the request's: an error
// caused by its cancellation is codeCanceled.
func describeError(ctx context.Context, err error) (pipeline.Code, string) {
	var e *pipeline.Error
	switch {
	case errors.As(err, &e):
		return e.Code, e.Message
	case ctx.Err() != nil && (errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)):
		return codeCanceled, "the client closed the request"
	}
	return pipeline.CodeInternal, internalMessage
}

// serializationError returns a SerializationException.
func serializationError(format string, args ...any) error {
	return pipeline.Errorf(CodeSerialization, format, args...)
}

// invalidRequest returns an InvalidRequestException.
func invalidRequest(format string, args ...any) error {
	return pipeline.Errorf(pipeline.CodeInvalidRequest, format, args...)
}
