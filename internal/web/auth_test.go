package web

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/datapipe/datapipe/internal/api"
)

var testKeys = []api.Key{{AccessKeyID: "AKIDCONSOLE", SecretAccessKey: "s3cret", AccountID: "123456789012", UserID: "alice"}}

// signIn loads the sign-in form, posts it and returns the response.
func (e *env) signIn(id, secret string) *http.Response {
	form := e.do(http.MethodGet, "/console/signin", nil)
	ck := form.Cookies()[0]
	body := readAll(form)
	token := body[strings.Index(body, `name="csrf" value="`)+len(`name="csrf" value="`):]
	token = token[:strings.Index(token, `"`)]
	return e.do(http.MethodPost, "/console/signin", url.Values{"accessKeyId": {id}, "secretAccessKey": {secret}, "next": {"/console/metrics"}, "csrf": {token}}, ck)
}

func sessionOf(res *http.Response) *http.Cookie {
	for _, c := range res.Cookies() {
		if c.Name == sessionCookie {
			return c
		}
	}
	return nil
}

func TestConsole_SignIn(t *testing.T) {
	e := newEnv(t, testKeys)
	t.Run("OK", func(t *testing.T) {
		res := e.signIn("AKIDCONSOLE", "s3cret")
		ck := sessionOf(res)
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/console/metrics" || ck == nil {
			t.Fatalf("sign-in = %d %q cookie %v", res.StatusCode, res.Header.Get("Location"), ck)
		}
		if !ck.HttpOnly || ck.SameSite != http.SameSiteStrictMode || ck.Expires.IsZero() {
			t.Errorf("cookie attributes: %+v", ck)
		}
		if code, body := e.get("/", ck); code != http.StatusOK || !strings.Contains(body, "alice") {
			t.Errorf("signed-in list = %d", code)
		}
		s, _ := e.console.decode(ck.Value)
		if s.AccountID != "123456789012" {
			t.Errorf("session account %q", s.AccountID)
		}
	})
	t.Run("ErrWrongSecret", func(t *testing.T) {
		for _, pair := range [][2]string{{"AKIDCONSOLE", "wrong"}, {"AKIDNOBODY", "s3cret"}, {"", ""}} {
			res := e.signIn(pair[0], pair[1])
			body, _ := io.ReadAll(res.Body)
			if res.StatusCode != http.StatusUnauthorized || sessionOf(res) != nil || strings.Contains(string(body), "s3cret") {
				t.Errorf("sign-in %v = %d", pair, res.StatusCode)
			}
		}
	})
	t.Run("ErrNoFormToken", func(t *testing.T) {
		res := e.do(http.MethodPost, "/console/signin", url.Values{"accessKeyId": {"AKIDCONSOLE"}, "secretAccessKey": {"s3cret"}})
		if res.StatusCode != http.StatusForbidden || sessionOf(res) != nil {
			t.Errorf("sign-in without the form's token = %d", res.StatusCode)
		}
	})
	t.Run("ErrNoSession", func(t *testing.T) {
		res := e.do(http.MethodGet, "/console/pipelines/"+e.id, nil)
		if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/console/signin?next=") {
			t.Errorf("anonymous page = %d %q", res.StatusCode, res.Header.Get("Location"))
		}
		if code, _ := e.get("/console/api/explain?pipelineId=x&objectId=y"); code != http.StatusForbidden {
			t.Errorf("anonymous JSON = %d", code)
		}
	})
	t.Run("ErrTampered", func(t *testing.T) {
		ck := sessionOf(e.signIn("AKIDCONSOLE", "s3cret"))
		ck.Value = strings.Replace(ck.Value, ck.Value[:4], "eyJr", 1) + "0"
		if res := e.do(http.MethodGet, "/", nil, ck); res.StatusCode != http.StatusSeeOther {
			t.Errorf("tampered cookie = %d", res.StatusCode)
		}
	})
	t.Run("ErrExpired", func(t *testing.T) {
		ck := sessionOf(e.signIn("AKIDCONSOLE", "s3cret"))
		e.clock.Add(13 * time.Hour)
		defer e.clock.Add(-13 * time.Hour)
		if res := e.do(http.MethodGet, "/", nil, ck); res.StatusCode != http.StatusSeeOther {
			t.Errorf("expired cookie = %d", res.StatusCode)
		}
	})
	t.Run("ErrOtherAccount", func(t *testing.T) {
		ck := sessionOf(e.signIn("AKIDCONSOLE", "s3cret"))
		if code, _ := e.get("/console/pipelines/"+e.id, ck); code != http.StatusNotFound {
			t.Errorf("another account's pipeline = %d; want 404", code)
		}
	})
}

func TestConsole_CSRF(t *testing.T) {
	e := newEnv(t, nil)
	ck, token := e.localSession()
	form := url.Values{"action": {"deactivate"}}
	for name, tok := range map[string]string{"missing": "", "wrong": "deadbeef", "other session": otherToken(e)} {
		f := url.Values{"action": {"deactivate"}, "csrf": {tok}}
		if res := e.do(http.MethodPost, "/console/pipelines/"+e.id+"/actions", f, ck); res.StatusCode != http.StatusForbidden {
			t.Errorf("%s token: %d; want 403", name, res.StatusCode)
		}
	}
	form.Set("csrf", token)
	if res := e.do(http.MethodPost, "/console/pipelines/"+e.id+"/actions", form, ck); res.StatusCode != http.StatusOK {
		t.Errorf("good token: %d; want the confirmation page", res.StatusCode)
	}
}

func otherToken(e *env) string {
	_, tok := e.localSession()
	return tok
}

func TestConsole_LocalModeErrRemote(t *testing.T) {
	e := newEnv(t, nil)
	r := httptest.NewRequest(http.MethodGet, "/", nil)
	r.RemoteAddr = "192.0.2.7:4000"
	w := httptest.NewRecorder()
	e.console.Handler().ServeHTTP(w, r)
	if w.Code != http.StatusForbidden {
		t.Errorf("remote client in local mode = %d; want 403", w.Code)
	}
}

func TestSafeNext(t *testing.T) {
	for in, want := range map[string]string{"/console/metrics": "/console/metrics", "//evil.example": "/", "https://evil": "/", `/\evil`: "/", "": "/"} {
		if got := safeNext(in); got != want {
			t.Errorf("safeNext(%q) = %q; want %q", in, got, want)
		}
	}
}
