// Package api is datapipe's HTTP edge: the AWS Data Pipeline web API
// (version 2012-10-29) spoken as AWS JSON 1.1, exactly as aws-sdk-go-v2,
// botocore/the AWS CLI, Terraform and the AWS Task Runner expect
// (api.md).
//
// # Routes
//
// Server.Handler serves:
//
//   - POST / — the API. The operation is chosen by the X-Amz-Target header,
//     "DataPipeline.<Operation>", for all 19 operations. A query string is
//     ignored. Other methods on / get 405.
//   - GET /healthz — 200 "ok".
//   - GET /metrics — the Prometheus text exposition of the Gatherer.
//   - anything else — 404.
//
// # Request pipeline
//
// Every API request goes through, in order:
//
//  1. Reading the body, at most Config.MaxBodyBytes (default 32 MiB);
//     a larger body is InvalidRequestException (400).
//  2. Authentication by Config.Auth (KeyAuth verifies SigV4; LocalAuth
//     accepts anyone as the local account). Failures are 403 with the AWS
//     codes MissingAuthenticationTokenException, IncompleteSignatureException,
//     InvalidSignatureException or UnrecognizedClientException.
//  3. Dispatch by X-Amz-Target; a missing or unknown target is
//     UnknownOperationException (400).
//  4. Decoding: an empty body means {}, null means absent, unknown members
//     are ignored, member names are case-sensitive. Malformed JSON, a body
//     that is not an object, or a member of the wrong JSON type is
//     SerializationException (400).
//  5. Model validation (required members, string lengths counted in
//     characters, the model's character pattern, enums, the 10-tag limit):
//     ValidationException (400) with the AWS message, e.g.
//     "1 validation error detected: Value null at 'pipelineId' failed to
//     satisfy constraint: Member must not be null". Nested members are
//     named as AWS names them ('tags.1.member.key').
//  6. The control.Service method; its *pipeline.Error codes are sent
//     unchanged.
//
// # Responses
//
// Every API response carries x-amzn-RequestId (a random UUID) and
// Content-Type application/x-amz-json-1.1. Successes are 200 with the
// output's exact lowerCamelCase members, absent members omitted and {} for
// operations without output. Errors are {"__type":Code,"message":…} with
// the same Code in X-Amzn-ErrorType; InternalServiceError is 500, the
// authentication codes 403, every other code 400. An error that is not a
// *pipeline.Error is logged and answered with a generic
// InternalServiceError, so internal details never reach clients. A request
// whose client went away is logged and counted with the code
// RequestCanceled (status 499; nobody reads it).
//
// # Observability
//
// The server counts datapipe_api_requests_total{operation,code} (code is
// "OK" or the error code; operation is "unknown" for an unknown target)
// and datapipe_api_request_duration_seconds{operation}, on the
// Config.Registry, and writes one structured access-log record per API
// request (request_id, operation, status, duration_ms, error_code,
// account_id). Request bodies and secrets are never logged.
package api
