package api

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/datapipe/datapipe/internal/pipeline"
)

// This file verifies AWS Signature Version 4 (AWS4-HMAC-SHA256) request
// signatures in the Authorization header, as aws-sdk-go-v2 and botocore
// compute them. Presigned (query-string) signatures are not supported:
// no SDK uses them for this service.

// The fixed parts of a Data Pipeline signature.
const (
	sigAlgorithm  = "AWS4-HMAC-SHA256"
	sigService    = "datapipeline"
	sigTerminator = "aws4_request"
	amzDateLayout = "20060102T150405Z"
	scopeLayout   = "20060102"
	// MaxClockSkew is how far a request's signing time may be from the
	// server's clock.
	MaxClockSkew = 15 * time.Minute
)

// authorization is a parsed SigV4 Authorization header.
type authorization struct {
	accessKey, date, region, service, terminator string
	signedHeaders                                []string // lower case, as listed
	signature                                    string
}

// parseAuthorization parses an Authorization header value; a malformed
// one is IncompleteSignatureException.
func parseAuthorization(h string) (authorization, error) {
	rest, ok := strings.CutPrefix(h, sigAlgorithm+" ")
	if !ok {
		return authorization{}, incomplete("Authorization header must start with '%s '.", sigAlgorithm)
	}
	params := map[string]string{}
	for part := range strings.SplitSeq(rest, ",") {
		if k, v, ok := strings.Cut(strings.TrimSpace(part), "="); ok {
			params[k] = v
		}
	}
	if err := requireParams(params); err != nil {
		return authorization{}, err
	}
	cred := strings.Split(params["Credential"], "/")
	if len(cred) != 5 || cred[0] == "" {
		return authorization{}, incomplete("Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '%s'", truncate(params["Credential"]))
	}
	return authorization{accessKey: cred[0], date: cred[1], region: cred[2], service: cred[3], terminator: cred[4],
		signedHeaders: strings.Split(strings.ToLower(params["SignedHeaders"]), ";"), signature: params["Signature"]}, nil
}

// requireParams checks that the three Authorization parameters are there.
func requireParams(params map[string]string) error {
	var missing []string
	for _, k := range [...]string{"Credential", "SignedHeaders", "Signature"} {
		if params[k] == "" {
			missing = append(missing, "Authorization header requires '"+k+"' parameter.")
		}
	}
	if missing != nil {
		return incomplete("%s", strings.Join(missing, " "))
	}
	return nil
}

// incomplete returns an IncompleteSignatureException.
func incomplete(format string, args ...any) error {
	return pipeline.Errorf(CodeIncompleteSignature, format, args...)
}

// invalidSignature returns an InvalidSignatureException.
func invalidSignature(format string, args ...any) error {
	return pipeline.Errorf(CodeInvalidSignature, format, args...)
}

// requestTime returns the signing time: X-Amz-Date, else Date.
func requestTime(r *http.Request) (time.Time, error) {
	if v := r.Header.Get("X-Amz-Date"); v != "" {
		t, err := time.Parse(amzDateLayout, v)
		if err != nil {
			return time.Time{}, incomplete("X-Amz-Date must be in ISO-8601 basic format (%s), got '%s'.", amzDateLayout, truncate(v))
		}
		return t, nil
	}
	if v := r.Header.Get("Date"); v != "" {
		t, err := http.ParseTime(v)
		if err != nil {
			return time.Time{}, incomplete("Date header is not an HTTP date: '%s'.", truncate(v))
		}
		return t.UTC(), nil
	}
	return time.Time{}, incomplete("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.")
}

// checkScope checks the credential scope against the signing time t.
func (a authorization) checkScope(t time.Time) error {
	switch day := t.Format(scopeLayout); {
	case a.service != sigService:
		return invalidSignature("Credential should be scoped to correct service: '%s'.", sigService)
	case a.terminator != sigTerminator:
		return invalidSignature("Credential should be scoped with a valid terminator: '%s', not '%s'.", sigTerminator, truncate(a.terminator))
	case a.date != day:
		return invalidSignature("Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '%s' != '%s', from '%s'.", truncate(a.date), day, t.Format(amzDateLayout))
	case !hasHost(a.signedHeaders):
		return invalidSignature("'Host' must be a 'SignedHeader' in the AWS Authorization.")
	}
	return nil
}

// hasHost reports whether host is among the signed headers.
func hasHost(headers []string) bool {
	for _, h := range headers {
		if h == "host" {
			return true
		}
	}
	return false
}

// checkSkew rejects a signing time t more than MaxClockSkew from now.
func checkSkew(t, now time.Time) error {
	now = now.UTC()
	switch {
	case t.Before(now.Add(-MaxClockSkew)):
		return invalidSignature("Signature expired: %s is now earlier than %s (%s - 15 min.)",
			t.Format(amzDateLayout), now.Add(-MaxClockSkew).Format(amzDateLayout), now.Format(amzDateLayout))
	case t.After(now.Add(MaxClockSkew)):
		return invalidSignature("Signature not yet current: %s is still later than %s (%s + 15 min.)",
			t.Format(amzDateLayout), now.Add(MaxClockSkew).Format(amzDateLayout), now.Format(amzDateLayout))
	}
	return nil
}

// verify checks a's signature of r (with body) against secret.
func (a authorization) verify(r *http.Request, body []byte, secret string, t time.Time) error {
	hash, err := payloadHash(r, body)
	if err != nil {
		return err
	}
	canonical := canonicalRequest(r, a.signedHeaders, hash)
	want := hex.EncodeToString(hmacSHA256(a.signingKey(secret), stringToSign(t, a.scope(), canonical)))
	if !hmac.Equal([]byte(want), []byte(strings.ToLower(a.signature))) {
		return invalidSignature("The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.")
	}
	return nil
}

// payloadHash is the hex SHA-256 of body. An X-Amz-Content-Sha256 header
// is accepted only when it is that hash.
func payloadHash(r *http.Request, body []byte) (string, error) {
	sum := sha256.Sum256(body)
	hash := hex.EncodeToString(sum[:])
	if v := r.Header.Get("X-Amz-Content-Sha256"); v != "" && !strings.EqualFold(v, hash) {
		return "", invalidSignature("The provided 'x-amz-content-sha256' header does not match what was computed.")
	}
	return hash, nil
}

// scope is the credential scope "date/region/service/aws4_request".
func (a authorization) scope() string {
	return a.date + "/" + a.region + "/" + a.service + "/" + a.terminator
}

// signingKey derives the SigV4 signing key from secret.
func (a authorization) signingKey(secret string) []byte {
	k := hmacSHA256([]byte("AWS4"+secret), a.date)
	k = hmacSHA256(k, a.region)
	k = hmacSHA256(k, a.service)
	return hmacSHA256(k, a.terminator)
}

// hmacSHA256 returns HMAC-SHA256(key, data).
func hmacSHA256(key []byte, data string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(data))
	return m.Sum(nil)
}

// stringToSign builds the SigV4 string to sign.
func stringToSign(t time.Time, scope, canonical string) string {
	sum := sha256.Sum256([]byte(canonical))
	return sigAlgorithm + "\n" + t.Format(amzDateLayout) + "\n" + scope + "\n" + hex.EncodeToString(sum[:])
}

// canonicalRequest builds the SigV4 canonical request of r from the
// signed headers, in the order listed.
func canonicalRequest(r *http.Request, signed []string, hash string) string {
	var b strings.Builder
	b.WriteString(r.Method + "\n")
	b.WriteString(escapeURI(r.URL.EscapedPath(), false) + "\n")
	b.WriteString(canonicalQuery(r.URL.RawQuery) + "\n")
	for _, h := range signed {
		b.WriteString(h + ":" + headerValue(r, h) + "\n")
	}
	b.WriteString("\n" + strings.Join(signed, ";") + "\n" + hash)
	return b.String()
}

// headerValue is the canonical value of the signed header name (lower
// case): the values trimmed, inner runs of spaces collapsed, joined by
// commas.
func headerValue(r *http.Request, name string) string {
	if name == "host" {
		return collapseSpaces(r.Host)
	}
	values := r.Header.Values(name)
	if len(values) == 0 && name == "content-length" && r.ContentLength >= 0 {
		return strconv.FormatInt(r.ContentLength, 10)
	}
	for i, v := range values {
		values[i] = collapseSpaces(v)
	}
	return strings.Join(values, ",")
}

// collapseSpaces trims spaces and collapses inner runs of them to one.
func collapseSpaces(s string) string {
	s = strings.Trim(s, " ")
	if !strings.Contains(s, "  ") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != ' ' || s[i-1] != ' ' {
			b.WriteByte(s[i])
		}
	}
	return b.String()
}

// canonicalQuery encodes the query parameters and sorts them by encoded
// name, then value.
func canonicalQuery(raw string) string {
	var params [][2]string
	for part := range strings.SplitSeq(raw, "&") {
		if part != "" {
			k, v, _ := strings.Cut(part, "=")
			params = append(params, [2]string{escapeURI(unescapeQuery(k), true), escapeURI(unescapeQuery(v), true)})
		}
	}
	sort.Slice(params, func(i, j int) bool {
		return params[i][0] < params[j][0] || params[i][0] == params[j][0] && params[i][1] < params[j][1]
	})
	pairs := make([]string, len(params))
	for i, p := range params {
		pairs[i] = p[0] + "=" + p[1]
	}
	return strings.Join(pairs, "&")
}

// unescapeQuery decodes a query component, leaving it as is when it is
// not validly escaped.
func unescapeQuery(s string) string {
	if u, err := url.QueryUnescape(s); err == nil {
		return u
	}
	return s
}

// escapeURI percent-encodes every byte but the unreserved characters
// (and '/', unless encodeSlash).
func escapeURI(s string, encodeSlash bool) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if isUnreserved(c) || (c == '/' && !encodeSlash) {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}

// isUnreserved reports whether c is an RFC 3986 unreserved character.
func isUnreserved(c byte) bool {
	return 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-' || c == '.' || c == '_' || c == '~'
}
