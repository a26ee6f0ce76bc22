package main

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/smithy-go"
)

// errHelp is returned by newClientCall when the command's help is asked
// for.
var errHelp = errors.New("help requested")

// argError is a malformed command line (argparse's errors in the aws
// CLI): an unknown or missing option, or an option without its value. It
// prints after the usage and exits 252.
type argError string

func (e argError) Error() string { return string(e) }

// paramError is a bad option value (botocore's ParamValidationError): an
// unreadable file, malformed JSON or shorthand, conflicting options. It
// exits 252.
type paramError string

func (e paramError) Error() string { return string(e) }

// paramErrorf returns a paramError.
func paramErrorf(format string, args ...any) error {
	return paramError(fmt.Sprintf(format, args...))
}

// configError is a bad environment or configuration, such as missing
// credentials or an unknown profile. It exits 253.
type configError string

func (e configError) Error() string { return string(e) }

// clientError prints err as the aws CLI prints errors, to stderr after a
// blank line, and returns the exit code:
//
//   - 252 for argument and parameter errors (the request was not sent);
//   - 253 for configuration errors (no credentials, unknown profile);
//   - 254 when the service returned an error: "An error occurred (Code)
//     when calling the Operation operation: message";
//   - 255 for anything else, such as "Could not connect to the endpoint
//     URL".
func (m *Main) clientError(cmd *clientCommand, err error) int {
	var (
		argErr    argError
		paramErr  paramError
		configErr configError
		apiErr    smithy.APIError
	)
	switch {
	case errors.As(err, &argErr):
		writeUsageHint(m.Stderr, cmd)
		fmt.Fprintf(m.Stderr, "datapipe: error: %s\n", argErr)
		return exitClientUsage
	case errors.As(err, &paramErr):
		fmt.Fprintf(m.Stderr, "\n%s\n", paramErr)
		return exitClientUsage
	case errors.As(err, &configErr):
		fmt.Fprintf(m.Stderr, "\n%s\n", configErr)
		return exitClientConfig
	case invalidParams(err) != "":
		fmt.Fprintf(m.Stderr, "\nParameter validation failed:\n%s\n", strings.TrimSpace(invalidParams(err)))
		return exitClientUsage
	case errors.As(err, &apiErr):
		fmt.Fprintf(m.Stderr, "\n%s\n", serviceErrorText(cmd, err, apiErr))
		return exitClientService
	}
	fmt.Fprintf(m.Stderr, "\n%s\n", otherErrorText(err))
	return exitClientOther
}

// invalidParams returns the text of the SDK's client-side parameter
// validation failure (a missing required member) in err, or "".
func invalidParams(err error) string {
	var v smithy.InvalidParamsError
	if errors.As(err, &v) {
		return v.Error()
	}
	var p *smithy.InvalidParamsError
	if errors.As(err, &p) {
		return p.Error()
	}
	return ""
}

// serviceErrorText formats a service error as botocore's ClientError.
func serviceErrorText(cmd *clientCommand, err error, apiErr smithy.APIError) string {
	op := cmd.operation
	var opErr *smithy.OperationError
	if errors.As(err, &opErr) {
		op = opErr.OperationName
	}
	retries := ""
	var maxErr *retry.MaxAttemptsError
	if errors.As(err, &maxErr) && maxErr.Attempt > 1 {
		retries = fmt.Sprintf(" (reached max retries: %d)", maxErr.Attempt-1)
	}
	return fmt.Sprintf("An error occurred (%s) when calling the %s operation%s: %s",
		apiErr.ErrorCode(), op, retries, apiErr.ErrorMessage())
}

// otherErrorText describes an error that is neither the user's nor the
// service's. A failure to connect reads as botocore's
// EndpointConnectionError.
func otherErrorText(err error) string {
	var urlErr *url.Error
	var opErr *net.OpError
	if errors.As(err, &urlErr) && errors.As(err, &opErr) && opErr.Op == "dial" {
		return fmt.Sprintf("Could not connect to the endpoint URL: %q", urlErr.URL)
	}
	return err.Error()
}
