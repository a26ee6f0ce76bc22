package notify

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// secretPath is a webhook path that must never appear in an error.
const secretPath = "/services/T000/SECRETTOKEN"

// request is what a test webhook server received.
type request struct {
	method, path string
	header       http.Header
	body         []byte
}

// webhookServer starts a test server that records each request and
// answers it with status and body.
func webhookServer(t *testing.T, status int, body string) (*httptest.Server, <-chan request) {
	t.Helper()
	got := make(chan request, 10)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		got <- request{r.Method, r.URL.Path, r.Header.Clone(), b}
		w.WriteHeader(status)
		_, _ = io.WriteString(w, body)
	}))
	t.Cleanup(srv.Close)
	return srv, got
}

func TestWebhook_Notify(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		srv, got := webhookServer(t, http.StatusNoContent, "")
		n, err := NewWebhook(WebhookConfig{URL: srv.URL + secretPath,
			Headers: map[string]string{"Authorization": "Bearer s3cret", "user-agent": "custom/2"}})
		if err != nil {
			t.Fatalf("NewWebhook: %v", err)
		}
		m := testMessage("x")
		if err := n.Notify(t.Context(), m); err != nil {
			t.Fatalf("Notify: %v", err)
		}
		r := <-got
		if r.method != http.MethodPost || r.path != secretPath {
			t.Errorf("request = %s %s, want POST %s", r.method, r.path, secretPath)
		}
		for name, want := range map[string]string{"Content-Type": "application/json",
			"Authorization": "Bearer s3cret", "User-Agent": "custom/2"} {
			if v := r.header.Get(name); v != want {
				t.Errorf("header %s = %q, want %q", name, v, want)
			}
		}
		checkPayload(t, r.body, m)
	})
	t.Run("OKNormalized", func(t *testing.T) {
		srv, got := webhookServer(t, http.StatusOK, "")
		n, _ := NewWebhook(WebhookConfig{URL: srv.URL})
		m := testMessage("x")
		m.Subject = strings.Repeat("s", 150)
		m.At = time.Time{}
		if err := n.Notify(t.Context(), m); err != nil {
			t.Fatalf("Notify: %v", err)
		}
		r := <-got
		var p map[string]any
		_ = json.Unmarshal(r.body, &p)
		if p["subject"] != Subject(m.Subject) {
			t.Errorf("subject = %v, want it truncated", p["subject"])
		}
		if _, ok := p["at"]; ok {
			t.Errorf("payload %s has at, want it omitted for a zero time", r.body)
		}
	})
}

// checkPayload checks that body is the documented payload of m.
func checkPayload(t *testing.T, body []byte, m Message) {
	t.Helper()
	var p map[string]any
	if err := json.Unmarshal(body, &p); err != nil {
		t.Fatalf("payload %q: %v", body, err)
	}
	want := map[string]any{
		"event": m.Event, "pipeline_id": m.PipelineID, "object_id": m.ObjectID, "node_id": m.NodeID,
		"topic_arn": m.TopicArn, "role": m.Role, "subject": m.Subject, "message": m.Body,
		"at": "2026-11-26T01:02:03Z",
	}
	if len(p) != len(want) {
		t.Errorf("payload has %d members, want %d: %s", len(p), len(want), body)
	}
	for k, v := range want {
		if p[k] != v {
			t.Errorf("payload[%q] = %v, want %v", k, p[k], v)
		}
	}
}

func TestWebhook_Notify_Err(t *testing.T) {
	t.Run("ErrStatus", func(t *testing.T) {
		srv, _ := webhookServer(t, http.StatusInternalServerError, "boom")
		n, _ := NewWebhook(WebhookConfig{URL: srv.URL + secretPath})
		err := n.Notify(t.Context(), testMessage("x"))
		checkWebhookErr(t, err, "500 Internal Server Error", "boom")
	})
	t.Run("ErrRedirectStatus", func(t *testing.T) {
		srv, _ := webhookServer(t, http.StatusNotModified, "")
		n, _ := NewWebhook(WebhookConfig{URL: srv.URL + secretPath})
		checkWebhookErr(t, n.Notify(t.Context(), testMessage("x")), "304")
	})
	t.Run("ErrTimeout", func(t *testing.T) {
		release := make(chan struct{})
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			_, _ = io.Copy(io.Discard, r.Body)
			select { // never answers in time
			case <-r.Context().Done():
			case <-release:
			}
		}))
		t.Cleanup(srv.Close)
		t.Cleanup(func() { close(release) }) // runs first
		n, _ := NewWebhook(WebhookConfig{URL: srv.URL + secretPath, Timeout: 50 * time.Millisecond})
		err := n.Notify(t.Context(), testMessage("x"))
		checkWebhookErr(t, err)
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("Notify = %v, want context.DeadlineExceeded", err)
		}
	})
	t.Run("ErrCanceled", func(t *testing.T) {
		srv, _ := webhookServer(t, http.StatusOK, "")
		n, _ := NewWebhook(WebhookConfig{URL: srv.URL + secretPath})
		ctx, cancel := context.WithCancel(t.Context())
		cancel()
		if err := n.Notify(ctx, testMessage("x")); !errors.Is(err, context.Canceled) {
			t.Errorf("Notify = %v, want context.Canceled", err)
		}
	})
	t.Run("ErrConnect", func(t *testing.T) {
		srv := httptest.NewServer(http.NotFoundHandler())
		srv.Close()
		n, _ := NewWebhook(WebhookConfig{URL: srv.URL + secretPath + "?token=SECRETTOKEN"})
		checkWebhookErr(t, n.Notify(t.Context(), testMessage("x")), "connection refused")
	})
}

// checkWebhookErr checks that err is a webhook error containing want and
// not the URL's secret path.
func checkWebhookErr(t *testing.T, err error, want ...string) {
	t.Helper()
	if err == nil {
		t.Fatal("Notify succeeded, want an error")
	}
	msg := err.Error()
	if !strings.HasPrefix(msg, "webhook: POST http://127.0.0.1:") {
		t.Errorf("error %q does not name the webhook's host", msg)
	}
	if strings.Contains(msg, "SECRETTOKEN") {
		t.Errorf("error %q contains the URL's secret path", msg)
	}
	for _, w := range want {
		if !strings.Contains(msg, w) {
			t.Errorf("error %q does not contain %q", msg, w)
		}
	}
}

func TestNewWebhook(t *testing.T) {
	for _, url := range []string{"", "example.com/hook", "ftp://example.com", "http:///path", "http://[::1"} {
		t.Run("ErrURL", func(t *testing.T) {
			if _, err := NewWebhook(WebhookConfig{URL: url}); err == nil {
				t.Errorf("NewWebhook accepted %q", url)
			}
		})
	}
	t.Run("ErrHeader", func(t *testing.T) {
		_, err := NewWebhook(WebhookConfig{URL: "http://example.com", Headers: map[string]string{"X:Y": "v"}})
		if err == nil {
			t.Error("NewWebhook accepted header X:Y")
		}
	})
}
