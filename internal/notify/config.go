package notify

import (
	"crypto/tls"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
)

// Config says which backends New builds and how. It is the `notify`
// section of the server's YAML configuration; the zero Config builds the
// log backend only. Fields tagged `yaml:"-"` can only be set from Go.
type Config struct {
	SNS     SNSConfig     `yaml:"sns"`
	Webhook WebhookConfig `yaml:"webhook"`
	SMTP    SMTPConfig    `yaml:"smtp"`
	Log     LogConfig     `yaml:"log"`
}

// SNSConfig configures the SNS backend (notify.sns.*), enabled by
// Enabled.
type SNSConfig struct {
	// Enabled turns the backend on.
	Enabled bool `yaml:"enabled"`
	// Region signs the requests. Empty means the region of each message's
	// topic ARN, else the SDK's (AWS_REGION, shared config), else us-east-1.
	Region string `yaml:"region"`
	// Endpoint is the base URL of an SNS-compatible service (e.g.
	// http://127.0.0.1:47100 for goaws). Empty means AWS's endpoint.
	Endpoint string `yaml:"endpoint"`
	// Timeout bounds one Notify, retries included (default 30s).
	Timeout time.Duration `yaml:"timeout"`
	// Credentials signs the requests. Nil means the SDK's default chain
	// (AWS_ACCESS_KEY_ID…, shared config and credentials files, container
	// and instance roles).
	Credentials aws.CredentialsProvider `yaml:"-"`
}

// WebhookConfig configures the webhook backend (notify.webhook.*),
// enabled when URL is set.
type WebhookConfig struct {
	// URL receives the POSTs; http or https. Treated as a secret beyond
	// its scheme and host (webhook URLs often carry tokens in their path).
	URL string `yaml:"url"`
	// Headers are added to every request, replacing defaults of the same
	// name (Content-Type, User-Agent). Their values are never logged.
	Headers map[string]string `yaml:"headers"`
	// Timeout bounds one request, including reading the response
	// (default 10s).
	Timeout time.Duration `yaml:"timeout"`
	// Client sends the requests; nil means a new http.Client. Its Timeout
	// is left alone (Timeout above applies through the request context).
	Client *http.Client `yaml:"-"`
}

// SMTPConfig configures the email backend (notify.smtp.*), enabled when
// Host is set.
type SMTPConfig struct {
	// Host is the SMTP server's host name or IP address.
	Host string `yaml:"host"`
	// Port is the SMTP server's port (default 587 with StartTLS, else 25).
	Port int `yaml:"port"`
	// From is the sender address (RFC 5322, e.g. `datapipe <dp@example.com>`).
	From string `yaml:"from"`
	// To lists the recipient addresses; at least one.
	To []string `yaml:"to"`
	// Username and Password, when Username is set, authenticate with SMTP
	// AUTH PLAIN, which needs StartTLS unless Host is localhost, 127.0.0.1
	// or ::1. Password is never logged.
	Username string `yaml:"username"`
	Password string `yaml:"password"`
	// StartTLS requires STARTTLS before authenticating and sending; the
	// server's certificate is verified against the system roots (which
	// SSL_CERT_FILE and SSL_CERT_DIR extend) unless TLSConfig says
	// otherwise. Without it the session is plain text.
	StartTLS bool `yaml:"starttls"`
	// Timeout bounds one delivery, connection included (default 30s).
	Timeout time.Duration `yaml:"timeout"`
	// TLSConfig is used for STARTTLS; nil means verify Host against the
	// system roots. Its ServerName defaults to Host.
	TLSConfig *tls.Config `yaml:"-"`
}

// LogConfig configures the log backend (notify.log.*), which writes one
// slog record per notification. It is enabled when Level is set or when
// no other backend is.
type LogConfig struct {
	// Level of the records: debug, info (default), warn or error, with an
	// optional offset as slog.Level parses it ("warn+2").
	Level string `yaml:"level"`
}

// Default values applied by the constructors.
const (
	DefaultSNSTimeout     = 30 * time.Second
	DefaultWebhookTimeout = 10 * time.Second
	DefaultSMTPTimeout    = 30 * time.Second
	DefaultLogLevel       = "info"
)

// enabled reports whether the webhook backend is configured.
func (c WebhookConfig) enabled() bool { return c.URL != "" }

// enabled reports whether the SMTP backend is configured.
func (c SMTPConfig) enabled() bool { return c.Host != "" }

// logEnabled reports whether c enables the log backend.
func (c Config) logEnabled() bool {
	return c.Log.Level != "" || !(c.SNS.Enabled || c.Webhook.enabled() || c.SMTP.enabled())
}

// LogValue describes c for logs without its secrets: the enabled
// backends, the SMTP server and addresses, the webhook's scheme and host
// and header names, never passwords, credentials, header values or the
// webhook URL's path and query.
func (c Config) LogValue() slog.Value {
	var attrs []slog.Attr
	if c.SNS.Enabled {
		attrs = append(attrs, slog.Group("sns",
			"region", c.SNS.Region, "endpoint", redactURL(c.SNS.Endpoint)))
	}
	if c.Webhook.enabled() {
		attrs = append(attrs, slog.Group("webhook",
			"url", redactURL(c.Webhook.URL), "headers", headerNames(c.Webhook.Headers)))
	}
	if c.SMTP.enabled() {
		attrs = append(attrs, slog.Group("smtp",
			"host", c.SMTP.Host, "port", c.SMTP.smtpPort(), "from", c.SMTP.From, "to", c.SMTP.To,
			"username", c.SMTP.Username, "starttls", c.SMTP.StartTLS))
	}
	if c.logEnabled() {
		attrs = append(attrs, slog.Group("log", "level", c.Log.Level))
	}
	return slog.GroupValue(attrs...)
}

// redactURL returns scheme://host of raw, dropping user info, path and
// query, or "" when raw does not parse.
func redactURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return ""
	}
	return u.Scheme + "://" + u.Host
}

// headerNames returns the sorted names of h.
func headerNames(h map[string]string) []string {
	names := make([]string, 0, len(h))
	for k := range h {
		names = append(names, k)
	}
	slices.Sort(names)
	return names
}

// smtpPort returns the configured port or its default.
func (c SMTPConfig) smtpPort() int {
	switch {
	case c.Port != 0:
		return c.Port
	case c.StartTLS:
		return 587
	default:
		return 25
	}
}

// addr returns host:port.
func (c SMTPConfig) addr() string {
	return net.JoinHostPort(c.Host, strconv.Itoa(c.smtpPort()))
}
