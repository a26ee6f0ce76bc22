package web

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"

	"github.com/datapipe/datapipe/internal/control"
	"github.com/datapipe/datapipe/internal/explain"
	"github.com/datapipe/datapipe/internal/pipeline"
	"github.com/datapipe/datapipe/internal/store"
)

// request is one authenticated page request.
type request struct {
	w      http.ResponseWriter
	r      *http.Request
	s      session
	caller control.Caller
}

// pageFunc builds a page's view; an error is shown as an error page.
type pageFunc func(q *request) (*view, error)

// page wraps a pageFunc with the loopback rule, the session (redirecting
// to sign-in) and, for POST, the CSRF check.
func (c *Console) page(h pageFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if c.local && !loopback(r) {
			http.Error(w, "the console is in local mode: it answers loopback clients only", http.StatusForbidden)
			return
		}
		s, err := c.current(w, r)
		if err != nil {
			http.Redirect(w, r, "/console/signin?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
			return
		}
		if r.Method == http.MethodPost {
			r.Body = http.MaxBytesReader(w, r.Body, 1<<20)
			if !c.checkCSRF(r, s) {
				c.pages.render(w, http.StatusForbidden, "error", c.decorate(&view{Title: "Forbidden", Error: "The form's CSRF token is missing or stale: reload the page and try again."}, s))
				return
			}
		}
		v, err := h(&request{w: w, r: r, s: s, caller: s.caller()})
		if err != nil {
			c.fail(w, s, err)
			return
		}
		if v != nil {
			c.pages.render(w, http.StatusOK, v.Template, c.decorate(v, s))
		}
	})
}

// decorate adds what every page shows: the user, the CSRF token.
func (c *Console) decorate(v *view, s session) *view {
	v.CSRF, v.User, v.Local = c.csrfToken(s), s.UserID, c.local
	return v
}

// fail renders an error page with the status its code maps to.
func (c *Console) fail(w http.ResponseWriter, s session, err error) {
	status := statusOf(err)
	if status == http.StatusInternalServerError {
		c.log.Error("console page failed", "err", err)
	}
	c.pages.render(w, status, "error", c.decorate(&view{Title: http.StatusText(status), Error: messageOf(err)}, s))
}

// statusOf maps domain and store errors to HTTP statuses.
func statusOf(err error) int {
	switch pipeline.ErrorCode(err) {
	case pipeline.CodePipelineNotFound, pipeline.CodePipelineDeleted:
		return http.StatusNotFound
	case pipeline.CodeInvalidRequest:
		return http.StatusBadRequest
	}
	switch {
	case errors.Is(err, store.ErrNotFound), errors.Is(err, store.ErrDeleted), errors.Is(err, explain.ErrNotInstance), errors.Is(err, errNotFound):
		return http.StatusNotFound
	case errors.Is(err, errBadInput):
		return http.StatusBadRequest
	}
	return http.StatusInternalServerError
}

// codeOf names an error for JSON clients: the domain code, else one
// derived from the status.
func codeOf(err error) string {
	var pe *pipeline.Error
	if errors.As(err, &pe) {
		return string(pe.Code)
	}
	switch statusOf(err) {
	case http.StatusNotFound:
		return "ObjectNotFoundException"
	case http.StatusBadRequest:
		return string(pipeline.CodeInvalidRequest)
	}
	return string(pipeline.CodeInternal)
}

// pipelineErr turns the store's not-found and deleted errors about a
// pipeline into the API's exceptions.
func pipelineErr(id string, err error) error {
	switch {
	case errors.Is(err, store.ErrNotFound):
		return pipeline.Errorf(pipeline.CodePipelineNotFound, "Pipeline %s does not exist.", id)
	case errors.Is(err, store.ErrDeleted):
		return pipeline.Errorf(pipeline.CodePipelineDeleted, "Pipeline %s has been deleted.", id)
	}
	return fmt.Errorf("pipeline %s: %w", id, err)
}

func messageOf(err error) string {
	if m := pipeline.ErrorMessage(err); m != "" && pipeline.ErrorCode(err) != "" {
		return m
	}
	return err.Error()
}

var (
	errNotFound = errors.New("not found")
	errBadInput = errors.New("bad input")
)

// jsonFunc answers a JSON endpoint for a caller.
type jsonFunc func(r *http.Request, caller control.Caller) (any, error)

// jsonAPI wraps a JSON endpoint: a session cookie or a request signed for
// the API authenticates it.
func (c *Console) jsonAPI(h jsonFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		caller, ok := c.apiCaller(w, r)
		if !ok {
			writeJSON(w, http.StatusForbidden, map[string]string{"code": "AccessDenied", "message": "sign in, or sign the request with an access key"})
			return
		}
		out, err := h(r, caller)
		if err != nil {
			writeJSON(w, statusOf(err), map[string]string{"code": codeOf(err), "message": messageOf(err)})
			return
		}
		writeJSON(w, http.StatusOK, out)
	})
}

// apiCaller authenticates a JSON request.
func (c *Console) apiCaller(w http.ResponseWriter, r *http.Request) (control.Caller, bool) {
	if c.local && !loopback(r) {
		return control.Caller{}, false
	}
	if r.Header.Get("Authorization") != "" && c.cfg.Auth != nil {
		caller, err := c.cfg.Auth.Authenticate(r, nil)
		return caller, err == nil
	}
	s, err := c.current(w, r)
	return s.caller(), err == nil
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	_ = enc.Encode(v)
}
