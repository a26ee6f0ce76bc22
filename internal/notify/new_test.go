package notify

import (
	"bytes"
	"fmt"
	"log/slog"
	"reflect"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/credentials"
)

// testCredentials are the static credentials that goaws accepts.
var testCredentials = credentials.NewStaticCredentialsProvider("test", "test", "")

func TestNew(t *testing.T) {
	webhook := WebhookConfig{URL: "http://127.0.0.1:1/hook"}
	smtp := SMTPConfig{Host: "127.0.0.1", From: "dp@example.com", To: []string{"ops@example.com"}}
	sns := SNSConfig{Enabled: true, Credentials: testCredentials}
	tests := []struct {
		name string
		cfg  Config
		want []string // backend types in delivery order
	}{
		{"OKDefault", Config{}, []string{"*notify.Log"}},
		{"OKWebhookOnly", Config{Webhook: webhook}, []string{"*notify.Webhook"}},
		{"OKSNSOnly", Config{SNS: sns}, []string{"*notify.SNS"}},
		{"OKSNSDisabled", Config{SNS: SNSConfig{Region: "eu-west-1"}}, []string{"*notify.Log"}},
		{"OKAll", Config{SNS: sns, Webhook: webhook, SMTP: smtp, Log: LogConfig{Level: "warn"}},
			[]string{"*notify.SNS", "*notify.Webhook", "*notify.SMTP", "*notify.Log"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n, err := New(tt.cfg, nil)
			if err != nil {
				t.Fatalf("New: %v", err)
			}
			if got := backendTypes(n); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("New built %v, want %v", got, tt.want)
			}
		})
	}
}

// backendTypes lists the types of the backends n delivers to.
func backendTypes(n Notifier) []string {
	ms, ok := n.(Multi)
	if !ok {
		return []string{fmt.Sprintf("%T", n)}
	}
	var types []string
	for _, m := range ms {
		types = append(types, fmt.Sprintf("%T", m))
	}
	return types
}

func TestNew_Err(t *testing.T) {
	smtp := SMTPConfig{Host: "127.0.0.1", From: "dp@example.com", To: []string{"ops@example.com"}}
	tests := []struct {
		name string
		edit func(*Config)
		want []string
	}{
		{"ErrSNSEndpoint", func(c *Config) { c.SNS = SNSConfig{Enabled: true, Endpoint: "127.0.0.1:47100"} },
			[]string{"notify.sns: endpoint:"}},
		{"ErrWebhookURL", func(c *Config) { c.Webhook.URL = "ftp://example.com/x" }, []string{"notify.webhook: url:"}},
		{"ErrWebhookHeader", func(c *Config) {
			c.Webhook = WebhookConfig{URL: "http://example.com", Headers: map[string]string{"Bad Name": "v"}}
		}, []string{"notify.webhook: headers:"}},
		{"ErrSMTPFrom", func(c *Config) { c.SMTP = smtp; c.SMTP.From = "not an address" }, []string{"notify.smtp: from:"}},
		{"ErrSMTPNoTo", func(c *Config) { c.SMTP = smtp; c.SMTP.To = nil }, []string{"notify.smtp: to:"}},
		{"ErrSMTPTo", func(c *Config) { c.SMTP = smtp; c.SMTP.To = []string{"ok@example.com", "@"} },
			[]string{"notify.smtp: to[1]:"}},
		{"ErrLogLevel", func(c *Config) { c.Log.Level = "loud" }, []string{"notify.log: level:"}},
		{"ErrSeveral", func(c *Config) { c.Webhook.URL = "/relative"; c.Log.Level = "loud" },
			[]string{"notify.webhook: url:", "notify.log: level:"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var cfg Config
			tt.edit(&cfg)
			n, err := New(cfg, nil)
			if err == nil {
				t.Fatalf("New = %T, want an error", n)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("New error %q does not contain %q", err, w)
				}
			}
		})
	}
}

func TestConfig_LogValue(t *testing.T) {
	cfg := Config{
		Webhook: WebhookConfig{URL: "https://user:pw@hooks.example.com/services/T0/SECRETPATH?token=SECRETQUERY",
			Headers: map[string]string{"Authorization": "Bearer SECRETHEADER"}},
		SMTP: SMTPConfig{Host: "smtp.example.com", From: "dp@example.com", To: []string{"ops@example.com"},
			Username: "dp", Password: "SECRETPASSWORD"},
		SNS: SNSConfig{Enabled: true, Endpoint: "http://127.0.0.1:47100", Credentials: testCredentials},
	}
	var buf bytes.Buffer
	slog.New(slog.NewTextHandler(&buf, nil)).Info("config", "notify", cfg)
	out := buf.String()
	for _, secret := range []string{"SECRET", "pw@"} {
		if strings.Contains(out, secret) {
			t.Errorf("logged config %q contains %q", out, secret)
		}
	}
	for _, want := range []string{"hooks.example.com", "Authorization", "smtp.example.com", "47100"} {
		if !strings.Contains(out, want) {
			t.Errorf("logged config %q lacks %q", out, want)
		}
	}
}
