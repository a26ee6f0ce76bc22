package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"time"

	"github.com/datapipe/datapipe/internal/control"
	"github.com/datapipe/datapipe/internal/pipeline"
)

// Key is one static credential: an access key pair and the principal it
// stands for. AccountID defaults to LocalAccountID and UserID to the
// account id (the account's root user). Printing or logging a Key never
// shows the secret.
type Key struct {
	AccessKeyID     string `json:"accessKeyId"`
	SecretAccessKey string `json:"secretAccessKey"`
	AccountID       string `json:"accountId,omitempty"`
	UserID          string `json:"userId,omitempty"`
}

// String describes k without its secret.
func (k Key) String() string {
	return fmt.Sprintf("Key{AccessKeyID:%s AccountID:%s UserID:%s SecretAccessKey:%s}", k.AccessKeyID, k.AccountID, k.UserID, pipeline.Mask)
}

// GoString describes k without its secret, for %#v.
func (k Key) GoString() string { return k.String() }

// LogValue logs k without its secret.
func (k Key) LogValue() slog.Value {
	return slog.GroupValue(slog.String("access_key_id", k.AccessKeyID), slog.String("account_id", k.AccountID), slog.String("user_id", k.UserID))
}

// withDefaults fills AccountID and UserID.
func (k Key) withDefaults() Key {
	if k.AccountID == "" {
		k.AccountID = LocalAccountID
	}
	if k.UserID == "" {
		k.UserID = k.AccountID
	}
	return k
}

// check reports what is wrong with k (after withDefaults), never quoting
// the secret.
func (k Key) check() error {
	switch {
	case !validAccessKeyID(k.AccessKeyID):
		return fmt.Errorf("access key id %q must be 1 to 128 letters, digits or underscores", truncate(k.AccessKeyID))
	case k.SecretAccessKey == "":
		return fmt.Errorf("access key %s has an empty secret", k.AccessKeyID)
	case !isAccountID(k.AccountID):
		return fmt.Errorf("access key %s: account id %q must be 12 digits", k.AccessKeyID, truncate(k.AccountID))
	case len(k.UserID) > 1024 || !matchesPattern(k.UserID):
		return fmt.Errorf("access key %s: user id is not a valid id", k.AccessKeyID)
	}
	return nil
}

// validAccessKeyID reports whether s can be an access key id: 1–128
// ASCII letters, digits or underscores (AWS's own are [A-Z0-9]{16,128}).
func validAccessKeyID(s string) bool {
	if len(s) == 0 || len(s) > 128 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !isUnreserved(c) || c == '-' || c == '.' || c == '~' {
			return false
		}
	}
	return true
}

// isAccountID reports whether s is 12 digits.
func isAccountID(s string) bool {
	if len(s) != 12 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// KeyAuth is the Authenticator for static keys: it fully verifies SigV4
// signatures (service datapipeline, any region) and maps the access key
// to its account and user. Build it with NewKeyAuth.
type KeyAuth struct {
	keys map[string]Key
	now  func() time.Time
}

var _ Authenticator = (*KeyAuth)(nil)

// NewKeyAuth returns a KeyAuth for keys, checking signing times against
// now (nil means time.Now). It fails when there are no keys, when an
// access key repeats, or when a key is invalid (see Key); the errors never
// quote a secret.
func NewKeyAuth(keys []Key, now func() time.Time) (*KeyAuth, error) {
	if len(keys) == 0 {
		return nil, errors.New("no access keys")
	}
	if now == nil {
		now = time.Now
	}
	a := &KeyAuth{keys: make(map[string]Key, len(keys)), now: now}
	for i, k := range keys {
		k = k.withDefaults()
		if err := k.check(); err != nil {
			return nil, fmt.Errorf("key %d: %w", i+1, err)
		}
		if _, dup := a.keys[k.AccessKeyID]; dup {
			return nil, fmt.Errorf("key %d: access key %s appears twice", i+1, k.AccessKeyID)
		}
		a.keys[k.AccessKeyID] = k
	}
	return a, nil
}

// Authenticate implements Authenticator. A missing Authorization header
// is MissingAuthenticationTokenException, a malformed one
// IncompleteSignatureException, an unknown access key
// UnrecognizedClientException, and a wrong scope, a signing time more
// than MaxClockSkew away or a wrong signature InvalidSignatureException.
// An X-Amz-Security-Token header is ignored: static keys have none.
func (a *KeyAuth) Authenticate(r *http.Request, body []byte) (control.Caller, error) {
	h := r.Header.Get("Authorization")
	if h == "" {
		return control.Caller{}, pipeline.Errorf(CodeMissingAuthenticationToken, "Missing Authentication Token")
	}
	auth, err := parseAuthorization(h)
	if err != nil {
		return control.Caller{}, err
	}
	t, err := requestTime(r)
	if err != nil {
		return control.Caller{}, err
	}
	key, ok := a.keys[auth.accessKey]
	if !ok {
		return control.Caller{}, pipeline.Errorf(CodeUnrecognizedClient, "The security token included in the request is invalid.")
	}
	if err := a.check(auth, r, body, key, t); err != nil {
		return control.Caller{}, err
	}
	return control.Caller{AccountID: key.AccountID, UserID: key.UserID}, nil
}

// check verifies scope, time and signature.
func (a *KeyAuth) check(auth authorization, r *http.Request, body []byte, key Key, t time.Time) error {
	if err := auth.checkScope(t); err != nil {
		return err
	}
	if err := checkSkew(t, a.now()); err != nil {
		return err
	}
	return auth.verify(r, body, key.SecretAccessKey, t)
}

// LoadKeysFile reads a keys file: a JSON array of Key objects,
//
//	[{"accessKeyId": "AKIDEXAMPLE", "secretAccessKey": "…",
//	  "accountId": "123456789012", "userId": "alice"}]
//
// where accountId (12 digits) and userId are optional. Unknown members
// are an error (they are likely typos). It fails when the file cannot be
// read or parsed, is empty, or holds an invalid key; the errors never
// quote a secret. Keep the file readable by the server's user only.
func LoadKeysFile(path string) ([]Key, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read keys file: %w", err)
	}
	keys, err := parseKeys(data)
	if err != nil {
		return nil, fmt.Errorf("keys file %s: %w", path, err)
	}
	return keys, nil
}

// parseKeys parses and checks the contents of a keys file.
func parseKeys(data []byte) ([]Key, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var keys []Key
	if err := dec.Decode(&keys); err != nil {
		return nil, fmt.Errorf("not a JSON array of keys: %w", err)
	}
	if _, err := NewKeyAuth(keys, nil); err != nil {
		return nil, err
	}
	for i := range keys {
		keys[i] = keys[i].withDefaults()
	}
	return keys, nil
}

// The environment variables KeysFromEnv reads.
const (
	EnvAccessKeyID     = "DATAPIPE_ACCESS_KEY_ID"
	EnvSecretAccessKey = "DATAPIPE_SECRET_ACCESS_KEY"
	EnvAccountID       = "DATAPIPE_ACCOUNT_ID"
)

// KeysFromEnv returns the key in DATAPIPE_ACCESS_KEY_ID and
// DATAPIPE_SECRET_ACCESS_KEY, with the optional DATAPIPE_ACCOUNT_ID; nil
// when neither of the first two is set. Setting only one of them, or an
// invalid value, is an error.
func KeysFromEnv() ([]Key, error) {
	id, secret := os.Getenv(EnvAccessKeyID), os.Getenv(EnvSecretAccessKey)
	if id == "" && secret == "" {
		return nil, nil
	}
	if id == "" || secret == "" {
		return nil, fmt.Errorf("set both %s and %s, or neither", EnvAccessKeyID, EnvSecretAccessKey)
	}
	k := Key{AccessKeyID: id, SecretAccessKey: secret, AccountID: os.Getenv(EnvAccountID)}.withDefaults()
	if err := k.check(); err != nil {
		return nil, fmt.Errorf("environment: %w", err)
	}
	return []Key{k}, nil
}
