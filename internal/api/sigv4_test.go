package api

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"

	"github.com/datapipe/datapipe/internal/control"
	"github.com/datapipe/datapipe/internal/pipeline"
)

// testNow is the server's clock in the signature tests.
var testNow = time.Date(2024, 1, 1, 12, 0, 0, 0, time.UTC)

// testKeys are the keys the signature tests accept.
var testKeys = []Key{
	{AccessKeyID: "AKIDEXAMPLE", SecretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", AccountID: "123456789012", UserID: "alice"},
	{AccessKeyID: "AKIDROOT", SecretAccessKey: "root-secret"},
}

// authServer serves Authenticate: 200 with the caller as JSON, or the
// error's status with its code and message.
func authServer(t *testing.T, auth Authenticator) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		c, err := auth.Authenticate(r, body)
		if err != nil {
			code, msg := describeError(r.Context(), err)
			writeError(w, code, msg)
			return
		}
		b, _ := json.Marshal(c)
		_, _ = w.Write(b)
	}))
	t.Cleanup(srv.Close)
	return srv
}

// signed builds a request to url signed by the aws-sdk-go-v2 signer.
func signed(t *testing.T, url, body string, creds aws.Credentials, service, region string, at time.Time) *http.Request {
	t.Helper()
	r, err := http.NewRequest(http.MethodPost, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	r.Header.Set("Content-Type", contentType)
	r.Header.Set("X-Amz-Target", "DataPipeline.ListPipelines")
	sum := sha256.Sum256([]byte(body))
	if err := v4.NewSigner().SignHTTP(context.Background(), creds, r, hex.EncodeToString(sum[:]), service, region, at); err != nil {
		t.Fatal(err)
	}
	return r
}

func TestKeyAuth_Authenticate(t *testing.T) {
	auth, err := NewKeyAuth(testKeys, func() time.Time { return testNow })
	if err != nil {
		t.Fatal(err)
	}
	srv := authServer(t, auth)
	alice := aws.Credentials{AccessKeyID: "AKIDEXAMPLE", SecretAccessKey: testKeys[0].SecretAccessKey}
	const body = `{"marker":"a"}`
	for _, tt := range []struct {
		name     string
		creds    aws.Credentials
		service  string
		region   string
		at       time.Time
		path     string
		mutate   func(*http.Request)
		want     control.Caller
		wantCode pipeline.Code
		wantMsg  string
	}{
		{name: "OK", want: control.Caller{AccountID: "123456789012", UserID: "alice"}},
		{name: "OKRootDefaults", creds: aws.Credentials{AccessKeyID: "AKIDROOT", SecretAccessKey: "root-secret"},
			want: control.Caller{AccountID: LocalAccountID, UserID: LocalAccountID}},
		{name: "OKOtherRegion", region: "eu-west-1", want: control.Caller{AccountID: "123456789012", UserID: "alice"}},
		{name: "OKQueryString", path: "/?b=2&a=x%20y&a=1&c", want: control.Caller{AccountID: "123456789012", UserID: "alice"}},
		{name: "OKSessionTokenIgnored", creds: aws.Credentials{AccessKeyID: "AKIDEXAMPLE", SecretAccessKey: testKeys[0].SecretAccessKey, SessionToken: "tok"},
			want: control.Caller{AccountID: "123456789012", UserID: "alice"}},
		{name: "OKSkewWithinLimit", at: testNow.Add(-14 * time.Minute), want: control.Caller{AccountID: "123456789012", UserID: "alice"}},
		{name: "OKAddedUnsignedHeader", mutate: func(r *http.Request) { r.Header.Set("X-Forwarded-For", "1.2.3.4") },
			want: control.Caller{AccountID: "123456789012", UserID: "alice"}},
		{name: "ErrMissing", mutate: func(r *http.Request) { r.Header.Del("Authorization") },
			wantCode: CodeMissingAuthenticationToken, wantMsg: "Missing Authentication Token"},
		{name: "ErrUnknownKey", creds: aws.Credentials{AccessKeyID: "AKIDNOPE", SecretAccessKey: "x"},
			wantCode: CodeUnrecognizedClient, wantMsg: "The security token included in the request is invalid."},
		{name: "ErrWrongSecret", creds: aws.Credentials{AccessKeyID: "AKIDEXAMPLE", SecretAccessKey: "wrong"},
			wantCode: CodeInvalidSignature, wantMsg: "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details."},
		{name: "ErrExpired", at: testNow.Add(-16 * time.Minute), wantCode: CodeInvalidSignature,
			wantMsg: "Signature expired: 20240101T114400Z is now earlier than 20240101T114500Z (20240101T120000Z - 15 min.)"},
		{name: "ErrFuture", at: testNow.Add(16 * time.Minute), wantCode: CodeInvalidSignature,
			wantMsg: "Signature not yet current: 20240101T121600Z is still later than 20240101T121500Z (20240101T120000Z + 15 min.)"},
		{name: "ErrWrongService", service: "dynamodb", wantCode: CodeInvalidSignature,
			wantMsg: "Credential should be scoped to correct service: 'datapipeline'."},
		{name: "ErrTamperedBody", mutate: func(r *http.Request) { r.Body = io.NopCloser(strings.NewReader(`{"marker":"b"}`)) },
			wantCode: CodeInvalidSignature},
		{name: "ErrTamperedTarget", mutate: func(r *http.Request) { r.Header.Set("X-Amz-Target", "DataPipeline.DeletePipeline") },
			wantCode: CodeInvalidSignature},
		{name: "ErrTamperedQuery", path: "/?a=1", mutate: func(r *http.Request) { r.URL.RawQuery = "a=2" },
			wantCode: CodeInvalidSignature},
		{name: "ErrNoDate", mutate: func(r *http.Request) { r.Header.Del("X-Amz-Date") }, wantCode: CodeIncompleteSignature,
			wantMsg: "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header."},
		{name: "ErrBadDate", mutate: func(r *http.Request) { r.Header.Set("X-Amz-Date", "2024-01-01") }, wantCode: CodeIncompleteSignature,
			wantMsg: "X-Amz-Date must be in ISO-8601 basic format (20060102T150405Z), got '2024-01-01'."},
		{name: "ErrScopeDate", mutate: func(r *http.Request) { r.Header.Set("X-Amz-Date", "20240101T120001Z") }, wantCode: CodeInvalidSignature},
		{name: "ErrContentSha", mutate: func(r *http.Request) { r.Header.Set("X-Amz-Content-Sha256", strings.Repeat("0", 64)) }, wantCode: CodeInvalidSignature,
			wantMsg: "The provided 'x-amz-content-sha256' header does not match what was computed."},
		{name: "ErrAlgorithm", mutate: func(r *http.Request) { r.Header.Set("Authorization", "AWS AKIDEXAMPLE:c2ln") }, wantCode: CodeIncompleteSignature,
			wantMsg: "Authorization header must start with 'AWS4-HMAC-SHA256 '."},
		{name: "ErrMissingParams", mutate: func(r *http.Request) {
			r.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240101/us-east-1/datapipeline/aws4_request")
		},
			wantCode: CodeIncompleteSignature,
			wantMsg:  "Authorization header requires 'SignedHeaders' parameter. Authorization header requires 'Signature' parameter."},
		{name: "ErrCredential", mutate: func(r *http.Request) {
			r.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240101/datapipeline/aws4_request, SignedHeaders=host, Signature=00")
		}, wantCode: CodeIncompleteSignature,
			wantMsg: "Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got 'AKIDEXAMPLE/20240101/datapipeline/aws4_request'"},
		{name: "ErrHostUnsigned", mutate: func(r *http.Request) {
			r.Header.Set("Authorization", strings.Replace(r.Header.Get("Authorization"), "SignedHeaders=content-length;content-type;host;", "SignedHeaders=content-length;content-type;", 1))
		}, wantCode: CodeInvalidSignature, wantMsg: "'Host' must be a 'SignedHeader' in the AWS Authorization."},
	} {
		t.Run(tt.name, func(t *testing.T) {
			creds := tt.creds
			if creds.AccessKeyID == "" {
				creds = alice
			}
			r := signed(t, srv.URL+tt.path, body, creds, cmpOr(tt.service, sigService), cmpOr(tt.region, "us-east-1"), orTime(tt.at, testNow))
			if tt.mutate != nil {
				tt.mutate(r)
			}
			resp, err := srv.Client().Do(r)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			got := readAll(t, resp.Body)
			if tt.wantCode == "" {
				var c control.Caller
				if resp.StatusCode != http.StatusOK || json.Unmarshal([]byte(got), &c) != nil || c != tt.want {
					t.Errorf("got %d %s; want caller %+v", resp.StatusCode, got, tt.want)
				}
				return
			}
			var e errorBody
			_ = json.Unmarshal([]byte(got), &e)
			if resp.StatusCode != http.StatusForbidden || e.Type != tt.wantCode || (tt.wantMsg != "" && e.Message != tt.wantMsg) {
				t.Errorf("got %d %s %q; want 403 %s %q", resp.StatusCode, e.Type, e.Message, tt.wantCode, tt.wantMsg)
			}
		})
	}
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

func orTime(a, b time.Time) time.Time {
	if !a.IsZero() {
		return a
	}
	return b
}

func TestKeyAuth_Authenticate_DateHeader(t *testing.T) {
	// A request signed with the Date header instead of X-Amz-Date.
	auth, _ := NewKeyAuth(testKeys, func() time.Time { return testNow })
	r := httptest.NewRequest(http.MethodPost, "http://example.com/", strings.NewReader("{}"))
	r.Header.Set("Date", testNow.Format(http.TimeFormat))
	a := authorization{accessKey: "AKIDROOT", date: "20240101", region: "r", service: sigService, terminator: sigTerminator,
		signedHeaders: []string{"date", "host"}}
	sum := sha256.Sum256([]byte("{}"))
	canonical := canonicalRequest(r, a.signedHeaders, hex.EncodeToString(sum[:]))
	sig := hex.EncodeToString(hmacSHA256(a.signingKey("root-secret"), stringToSign(testNow, a.scope(), canonical)))
	r.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=AKIDROOT/20240101/r/datapipeline/aws4_request,SignedHeaders=date;host,Signature="+sig)
	if c, err := auth.Authenticate(r, []byte("{}")); err != nil || c.AccountID != LocalAccountID {
		t.Errorf("Authenticate = %+v, %v", c, err)
	}
}

func TestCanonicalQuery(t *testing.T) {
	for raw, want := range map[string]string{
		"":                    "",
		"b=2&a=1":             "a=1&b=2",
		"a-b=1&a=1":           "a=1&a-b=1",
		"a=x y&a=x+z&c":       "a=x%20y&a=x%20z&c=",
		"k=%2F%7E&k=%zz":      "k=%25zz&k=%2F~",
		"x=1&&y=%E2%82%AC&x=": "x=&x=1&y=%E2%82%AC",
	} {
		if got := canonicalQuery(raw); got != want {
			t.Errorf("canonicalQuery(%q) = %q; want %q", raw, got, want)
		}
	}
}

func TestCollapseSpaces(t *testing.T) {
	for in, want := range map[string]string{"": "", "  a  ": "a", "a  b   c": "a b c", "a\t b": "a\t b"} {
		if got := collapseSpaces(in); got != want {
			t.Errorf("collapseSpaces(%q) = %q; want %q", in, got, want)
		}
	}
}
