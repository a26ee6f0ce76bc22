package web

import (
	"bytes"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"net"
	"net/http"
	"strings"

	"github.com/datapipe/datapipe/internal/api"
	"github.com/datapipe/datapipe/internal/control"
)

// sessionCookie names the session cookie.
const sessionCookie = "datapipe_session"

// session is what the signed cookie holds.
type session struct {
	AccessKey string `json:"k"`
	AccountID string `json:"a"`
	UserID    string `json:"u"`
	Expires   int64  `json:"e"`
	// Nonce binds the CSRF token to this sign-in.
	Nonce string `json:"n"`
}

func (s session) caller() control.Caller {
	return control.Caller{AccountID: s.AccountID, UserID: s.UserID}
}

var errNoSession = errors.New("no valid session")

// encode signs a session: base64(json) "." hex(HMAC-SHA256).
func (c *Console) encode(s session) string {
	b, _ := json.Marshal(s)
	payload := base64.RawURLEncoding.EncodeToString(b)
	return payload + "." + c.sign("session:"+payload)
}

// decode verifies and parses a cookie value, refusing expired sessions.
func (c *Console) decode(v string) (session, error) {
	payload, sig, ok := strings.Cut(v, ".")
	if !ok || !hmac.Equal([]byte(sig), []byte(c.sign("session:"+payload))) {
		return session{}, errNoSession
	}
	b, err := base64.RawURLEncoding.DecodeString(payload)
	var s session
	if err != nil || json.NewDecoder(bytes.NewReader(b)).Decode(&s) != nil {
		return session{}, errNoSession
	}
	if c.now().Unix() >= s.Expires {
		return session{}, errNoSession
	}
	return s, nil
}

func (c *Console) sign(msg string) string {
	m := hmac.New(sha256.New, c.cfg.SessionKey)
	m.Write([]byte(msg))
	return hex.EncodeToString(m.Sum(nil))
}

// csrfToken is the token POST forms of session s must carry.
func (c *Console) csrfToken(s session) string { return c.sign("csrf:" + s.Nonce + ":" + s.AccessKey) }

// checkCSRF verifies a POST's token.
func (c *Console) checkCSRF(r *http.Request, s session) bool {
	got := r.PostFormValue("csrf")
	return got != "" && hmac.Equal([]byte(got), []byte(c.csrfToken(s)))
}

// newSession starts a session for a caller and sets its cookie.
func (c *Console) newSession(w http.ResponseWriter, r *http.Request, accessKey string, caller control.Caller) session {
	nonce := make([]byte, 16)
	_, _ = rand.Read(nonce)
	exp := c.now().Add(c.cfg.SessionTTL)
	s := session{AccessKey: accessKey, AccountID: caller.AccountID, UserID: caller.UserID, Expires: exp.Unix(), Nonce: hex.EncodeToString(nonce)}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: c.encode(s), Path: "/", Expires: exp, HttpOnly: true,
		SameSite: http.SameSiteStrictMode, Secure: r.TLS != nil})
	return s
}

// current returns the request's session. In local mode a loopback
// client without one gets a fresh local session.
func (c *Console) current(w http.ResponseWriter, r *http.Request) (session, error) {
	if ck, err := r.Cookie(sessionCookie); err == nil {
		if s, err := c.decode(ck.Value); err == nil && (!c.local || s.AccountID == api.LocalAccountID) {
			return s, nil
		}
	}
	if !c.local {
		return session{}, errNoSession
	}
	return c.newSession(w, r, "local", control.Caller{AccountID: api.LocalAccountID, UserID: api.LocalAccountID}), nil
}

// verifyKey checks an access key pair against the configured keys.
func (c *Console) verifyKey(id, secret string) (control.Caller, bool) {
	k, ok := c.keys[id]
	if !ok || subtle.ConstantTimeCompare([]byte(k.SecretAccessKey), []byte(secret)) != 1 {
		return control.Caller{}, false
	}
	account := k.AccountID
	if account == "" {
		account = api.LocalAccountID
	}
	user := k.UserID
	if user == "" {
		user = account
	}
	return control.Caller{AccountID: account, UserID: user}, true
}

// loopback reports whether the request comes from this machine.
func loopback(r *http.Request) bool {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return false
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// signInPage shows the sign-in form.
func (c *Console) signInPage(w http.ResponseWriter, r *http.Request) {
	if c.local {
		http.Redirect(w, r, "/", http.StatusSeeOther)
		return
	}
	c.pages.render(w, http.StatusOK, "signin", &view{Title: "Sign in", Next: safeNext(r.URL.Query().Get("next")), CSRF: c.signInToken(w, r)})
}

// signInCookie holds the nonce the sign-in form's CSRF token is bound to.
const signInCookie = "datapipe_signin"

// signInToken sets (or reuses) the sign-in nonce cookie and returns the
// form's token, so another site cannot sign a browser in.
func (c *Console) signInToken(w http.ResponseWriter, r *http.Request) string {
	nonce := ""
	if ck, err := r.Cookie(signInCookie); err == nil && len(ck.Value) == 32 {
		nonce = ck.Value
	} else {
		b := make([]byte, 16)
		_, _ = rand.Read(b)
		nonce = hex.EncodeToString(b)
		http.SetCookie(w, &http.Cookie{Name: signInCookie, Value: nonce, Path: "/console/signin", MaxAge: 3600, HttpOnly: true,
			SameSite: http.SameSiteStrictMode, Secure: r.TLS != nil})
	}
	return c.sign("signin:" + nonce)
}

// checkSignInToken verifies the sign-in form's token.
func (c *Console) checkSignInToken(r *http.Request) bool {
	ck, err := r.Cookie(signInCookie)
	got := r.PostFormValue("csrf")
	return err == nil && got != "" && hmac.Equal([]byte(got), []byte(c.sign("signin:"+ck.Value)))
}

// signIn checks the form's token and the key pair, and starts a session.
// A wrong pair shows the form again with 401 and says nothing about which
// half was wrong.
func (c *Console) signIn(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	id, secret := strings.TrimSpace(r.PostFormValue("accessKeyId")), r.PostFormValue("secretAccessKey")
	if !c.checkSignInToken(r) {
		c.pages.render(w, http.StatusForbidden, "signin", &view{Title: "Sign in", Error: "The sign-in form expired: please try again.",
			Next: safeNext(r.PostFormValue("next")), CSRF: c.signInToken(w, r)})
		return
	}
	caller, ok := c.verifyKey(id, secret)
	if c.local || !ok {
		c.log.Info("console sign-in refused", "access_key_id", id, "remote", r.RemoteAddr)
		c.pages.render(w, http.StatusUnauthorized, "signin", &view{Title: "Sign in", Error: "The access key id or secret is wrong.",
			Next: safeNext(r.PostFormValue("next")), CSRF: c.signInToken(w, r)})
		return
	}
	c.newSession(w, r, id, caller)
	c.log.Info("console sign-in", "access_key_id", id, "account_id", caller.AccountID)
	http.Redirect(w, r, safeNext(r.PostFormValue("next")), http.StatusSeeOther)
}

// signOut ends the session (its CSRF token is required).
func (c *Console) signOut(w http.ResponseWriter, r *http.Request) {
	if s, err := c.current(w, r); err == nil && c.checkCSRF(r, s) {
		http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true, SameSite: http.SameSiteStrictMode})
	}
	http.Redirect(w, r, "/console/signin", http.StatusSeeOther)
}

// safeNext keeps redirects on this site.
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.Contains(next, `\`) {
		return "/"
	}
	return next
}
