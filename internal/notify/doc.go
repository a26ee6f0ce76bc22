// Package notify delivers SnsAlarm notifications through pluggable
// backends chosen in the server's configuration.
//
// The engine evaluates an SnsAlarm's subject and message in the context of
// the triggering instance (#{node.*}), builds a Message and calls the
// Notifier port. A failed notification is the engine's to log; it never
// changes an instance's status.
//
// # Backends
//
//   - SNS: the SNS Publish API (aws-sdk-go-v2) on AWS or on an
//     SNS-compatible endpoint such as goaws.
//   - Webhook: an HTTP POST of a JSON Payload; any 2xx is success.
//   - SMTP: one plain-text RFC 5322 email per notification (net/smtp),
//     optionally with STARTTLS and AUTH PLAIN.
//   - Log: one slog record per notification.
//
// Multi fans a message out to several backends and joins their errors.
// New builds the backends a Config enables, in the order above; each
// backend's constructor (NewSNS, NewWebhook, NewSMTP, NewLog) can also be
// used on its own. Every backend is immutable once built and safe for
// concurrent use.
//
// # Configuration
//
// Config is the `notify` section of the server's YAML configuration:
//
//	notify:
//	  sns:
//	    enabled: true
//	    region: us-east-1             # default: the topic ARN's region
//	    endpoint: http://127.0.0.1:47100
//	    timeout: 30s
//	  webhook:
//	    url: https://hooks.example.com/datapipe
//	    headers: {Authorization: "Bearer …"}
//	    timeout: 10s
//	  smtp:
//	    host: smtp.example.com
//	    port: 587                     # default 587 with starttls, else 25
//	    from: datapipe <datapipe@example.com>
//	    to: [oncall@example.com]
//	    username: datapipe
//	    password: …
//	    starttls: true
//	    timeout: 30s
//	  log:
//	    level: info
//
// SNS is enabled by sns.enabled, the webhook by webhook.url, SMTP by
// smtp.host, and the log backend by log.level, or when nothing else is
// enabled: with no configuration at all, notifications are logged.
// Durations are Go durations ("10s"). SNS credentials come from the SDK's
// default chain unless SNSConfig.Credentials is set from Go. Config's
// LogValue never shows secrets.
//
// # Message limits
//
// Every backend delivers Message.Normalized: the subject made SNS-safe
// (control characters and line breaks become spaces, surrounding space is
// trimmed) and cut to MaxSubjectChars (100) characters, the last three
// being Ellipsis ("..."), and the body cut to MaxBodyBytes (256 KB) on a
// character boundary, ending with BodyTruncated. So a message that one
// backend delivers, SNS would accept too.
//
// # Tests
//
// The SNS and SMTP backends are tested against real servers that
// scripts/servers.sh starts as local processes: goaws v0.4.5 (SNS, port
// 47100, DATAPIPE_TEST_SNS_ENDPOINT; goaws listens on 0.0.0.0 whatever its
// config says) and Mailpit v1.33.1 (SMTP 127.0.0.1:47125 with optional
// STARTTLS, DATAPIPE_TEST_SMTP_ADDR and DATAPIPE_TEST_SMTP_CA; HTTP API
// 127.0.0.1:47180, DATAPIPE_TEST_MAILPIT_API). Those tests fail when their
// variables are unset, except under go test -short, which skips them. The
// webhook backend is tested with net/http/httptest.
package notify
