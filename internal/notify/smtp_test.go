package notify

import (
	"context"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"
)

// mailpitMessage is what Mailpit's API returns for one message.
type mailpitMessage struct {
	ID       string
	From     struct{ Name, Address string }
	To       []struct{ Name, Address string }
	Subject  string
	Text     string
	Username string
	Headers  map[string][]string `json:"-"`
}

// mailpitGet decodes the JSON answer to GET api+path into v.
func mailpitGet(t *testing.T, api, path string, v any) {
	t.Helper()
	req, _ := http.NewRequestWithContext(t.Context(), http.MethodGet, api+path, nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("mailpit GET %s: %v", path, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("mailpit GET %s: %s", path, resp.Status)
	}
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
		t.Fatalf("mailpit GET %s: %v", path, err)
	}
}

// findMail returns the one message on Mailpit whose text contains token,
// waiting up to 10 s for it to arrive.
func findMail(t *testing.T, api, token string) mailpitMessage {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		var found struct{ Messages []struct{ ID string } }
		mailpitGet(t, api, "/api/v1/search?query="+url.QueryEscape(token), &found)
		switch len(found.Messages) {
		case 0:
			continue
		case 1:
		default:
			t.Fatalf("%d messages contain %s, want 1", len(found.Messages), token)
		}
		var m mailpitMessage
		mailpitGet(t, api, "/api/v1/message/"+found.Messages[0].ID, &m)
		mailpitGet(t, api, "/api/v1/message/"+found.Messages[0].ID+"/headers", &m.Headers)
		return m
	}
	t.Fatalf("no message containing %s reached Mailpit", token)
	return mailpitMessage{}
}

// smtpServer returns the test SMTP server's config: Mailpit's address as
// host and port, and a TLS config trusting its certificate.
func smtpServer(t *testing.T) (cfg SMTPConfig, api string) {
	t.Helper()
	addr := serverEnv(t, "DATAPIPE_TEST_SMTP_ADDR")
	api = serverEnv(t, "DATAPIPE_TEST_MAILPIT_API")
	pem, err := os.ReadFile(serverEnv(t, "DATAPIPE_TEST_SMTP_CA"))
	if err != nil {
		t.Fatalf("read Mailpit's certificate: %v", err)
	}
	host, portText, err := net.SplitHostPort(addr)
	if err != nil {
		t.Fatalf("DATAPIPE_TEST_SMTP_ADDR: %v", err)
	}
	port, _ := strconv.Atoi(portText)
	roots := x509.NewCertPool()
	roots.AppendCertsFromPEM(pem)
	return SMTPConfig{
		Host: host, Port: port,
		From:      "datapipe <datapipe@example.com>",
		To:        []string{"ops@example.com", "Ünïcode Person <person@example.org>"},
		TLSConfig: &tls.Config{RootCAs: roots},
	}, api
}

func TestSMTP_Notify(t *testing.T) {
	base, api := smtpServer(t)
	tests := []struct {
		name     string
		edit     func(*SMTPConfig)
		wantUser string
	}{
		{"OK", func(*SMTPConfig) {}, ""},
		{"OKAuth", func(c *SMTPConfig) { c.Username, c.Password = "dp", "pw" }, "dp"},
		{"OKStartTLS", func(c *SMTPConfig) { c.StartTLS = true }, ""},
		{"OKStartTLSAuth", func(c *SMTPConfig) { c.StartTLS, c.Username, c.Password = true, "dp-tls", "pw" }, "dp-tls"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			cfg := base
			tt.edit(&cfg)
			n, err := NewSMTP(cfg)
			if err != nil {
				t.Fatalf("NewSMTP: %v", err)
			}
			token := rand.Text()
			m := testMessage(token)
			m.Subject = "Échec " + m.Subject
			m.Body = "CopyData failed.\n.a line starting with a dot\nünïcode\n" + strings.Repeat("long line ", 30) + "\n"
			if err := n.Notify(t.Context(), m); err != nil {
				t.Fatalf("Notify: %v", err)
			}
			checkMail(t, findMail(t, api, token), m, tt.wantUser)
		})
	}
}

// checkMail checks that got is the email of m as the test config sends it.
func checkMail(t *testing.T, got mailpitMessage, m Message, wantUser string) {
	t.Helper()
	if got.Subject != m.Subject {
		t.Errorf("Subject = %q, want %q", got.Subject, m.Subject)
	}
	if got.From.Address != "datapipe@example.com" || got.From.Name != "datapipe" {
		t.Errorf("From = %+v", got.From)
	}
	if len(got.To) != 2 || got.To[0].Address != "ops@example.com" || got.To[1].Name != "Ünïcode Person" {
		t.Errorf("To = %+v", got.To)
	}
	if text := strings.ReplaceAll(got.Text, "\r\n", "\n"); strings.TrimRight(text, "\n") != strings.TrimRight(m.Body, "\n") {
		t.Errorf("Text = %q, want %q", text, m.Body)
	}
	if got.Username != wantUser {
		t.Errorf("authenticated as %q, want %q", got.Username, wantUser)
	}
	for name, want := range map[string]string{
		"Date": "Thu, 26 Nov 2026 01:02:03 +0000", "X-Datapipe-Event": m.Event,
		"X-Datapipe-Pipeline-Id": m.PipelineID, "X-Datapipe-Object-Id": m.ObjectID,
		"X-Datapipe-Node-Id": m.NodeID, "X-Datapipe-Topic-Arn": m.TopicArn,
	} {
		if v := got.Headers[name]; len(v) != 1 || v[0] != want {
			t.Errorf("header %s = %q, want %q", name, v, want)
		}
	}
	if id := got.Headers["Message-Id"]; len(id) != 1 || !strings.HasSuffix(id[0], "@example.com>") {
		t.Errorf("Message-ID = %q, want one in the sender's domain", id)
	}
}

func TestSMTP_Notify_Err(t *testing.T) {
	base, _ := smtpServer(t)
	t.Run("ErrUntrustedCertificate", func(t *testing.T) {
		cfg := base
		cfg.StartTLS, cfg.TLSConfig = true, nil
		cfg.Username, cfg.Password = "dp", "SECRETPASSWORD"
		n, _ := NewSMTP(cfg)
		err := n.Notify(t.Context(), testMessage("x"))
		checkSMTPErr(t, err, "starttls", "certificate")
	})
	t.Run("ErrConnect", func(t *testing.T) {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		cfg := base
		cfg.Port = l.Addr().(*net.TCPAddr).Port
		l.Close()
		n, _ := NewSMTP(cfg)
		checkSMTPErr(t, n.Notify(t.Context(), testMessage("x")), fmt.Sprintf("smtp: send to 127.0.0.1:%d", cfg.Port))
	})
	t.Run("ErrTimeout", func(t *testing.T) {
		l, err := net.Listen("tcp", "127.0.0.1:0") // accepts, never greets
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { l.Close() })
		cfg := base
		cfg.Port, cfg.Timeout = l.Addr().(*net.TCPAddr).Port, 100*time.Millisecond
		n, _ := NewSMTP(cfg)
		err = n.Notify(t.Context(), testMessage("x"))
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("Notify = %v, want context.DeadlineExceeded", err)
		}
	})
	t.Run("ErrCanceled", func(t *testing.T) {
		n, _ := NewSMTP(base)
		ctx, cancel := context.WithCancel(t.Context())
		cancel()
		if err := n.Notify(ctx, testMessage("x")); !errors.Is(err, context.Canceled) {
			t.Errorf("Notify = %v, want context.Canceled", err)
		}
	})
}

// checkSMTPErr checks that err contains every want and no password.
func checkSMTPErr(t *testing.T, err error, want ...string) {
	t.Helper()
	if err == nil {
		t.Fatal("Notify succeeded, want an error")
	}
	if strings.Contains(err.Error(), "SECRETPASSWORD") {
		t.Errorf("error %q contains the password", err)
	}
	for _, w := range want {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("error %q does not contain %q", err, w)
		}
	}
}

func TestNewSMTP(t *testing.T) {
	ok := SMTPConfig{Host: "smtp.example.com", From: "dp@example.com", To: []string{"ops@example.com"}}
	t.Run("OKPort", func(t *testing.T) {
		for _, tt := range []struct {
			port     int
			startTLS bool
			want     string
		}{{0, false, "smtp.example.com:25"}, {0, true, "smtp.example.com:587"}, {2525, true, "smtp.example.com:2525"}} {
			cfg := ok
			cfg.Port, cfg.StartTLS = tt.port, tt.startTLS
			s, err := NewSMTP(cfg)
			if err != nil || s.addr != tt.want {
				t.Errorf("port %d starttls %v: addr %q, %v; want %q", tt.port, tt.startTLS, s.addr, err, tt.want)
			}
		}
	})
	t.Run("ErrAuthWithoutTLS", func(t *testing.T) {
		cfg := ok
		cfg.Username, cfg.Password = "dp", "pw"
		if _, err := NewSMTP(cfg); err == nil {
			t.Error("NewSMTP accepted a password in clear to a remote host")
		}
	})
	t.Run("ErrHost", func(t *testing.T) {
		cfg := ok
		cfg.Host = ""
		if _, err := NewSMTP(cfg); err == nil {
			t.Error("NewSMTP accepted an empty host")
		}
	})
}
