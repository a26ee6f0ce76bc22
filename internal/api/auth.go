package api

import (
	"net/http"

	"github.com/datapipe/datapipe/internal/control"
)

// Authenticator identifies the caller of an API request.
type Authenticator interface {
	// Authenticate returns the caller of r, whose body has already been
	// read into body (r.Body must not be read). A rejection is a
	// *pipeline.Error with CodeMissingAuthenticationToken,
	// CodeIncompleteSignature, CodeInvalidSignature or
	// CodeUnrecognizedClient (answered with 403); any other error is
	// answered as an internal error.
	Authenticate(r *http.Request, body []byte) (control.Caller, error)
}

// LocalAccountID is the account of every caller in local mode.
const LocalAccountID = "000000000000"

// LocalAuth is the local-mode Authenticator: it accepts any request,
// signed or not, and does not check signatures. The caller is the account
// LocalAccountID; its user id is the access key of a well-formed SigV4
// Authorization header, else LocalAccountID. Use it only where every
// client is trusted.
type LocalAuth struct{}

var _ Authenticator = LocalAuth{}

// Authenticate implements Authenticator; it never fails.
func (LocalAuth) Authenticate(r *http.Request, _ []byte) (control.Caller, error) {
	c := control.Caller{AccountID: LocalAccountID, UserID: LocalAccountID}
	if a, err := parseAuthorization(r.Header.Get("Authorization")); err == nil && validAccessKeyID(a.accessKey) {
		c.UserID = a.accessKey
	}
	return c, nil
}
