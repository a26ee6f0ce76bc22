package notify

import (
	"cmp"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/mail"
	"net/smtp"
	"time"
)

// SMTP is the email backend: it sends each notification as one RFC 5322
// plain-text email from a fixed sender to fixed recipients through one
// SMTP server, one session per notification. The email's headers are Date
// (the message's At, else the sending time), From, To, Subject (RFC 2047
// encoded when not ASCII), a unique Message-ID in the sender's domain,
// MIME-Version, Content-Type "text/plain; charset=utf-8",
// Content-Transfer-Encoding quoted-printable, and, when not empty,
// X-Datapipe-Event, X-Datapipe-Pipeline-Id, X-Datapipe-Object-Id,
// X-Datapipe-Node-Id and X-Datapipe-Topic-Arn; its body is the message.
// SMTP is safe for concurrent use.
type SMTP struct {
	host      string
	addr      string // host:port
	from      *mail.Address
	to        []*mail.Address
	auth      smtp.Auth // nil without a username
	startTLS  bool
	tlsConfig *tls.Config
	timeout   time.Duration
}

var _ Notifier = (*SMTP)(nil)

// NewSMTP returns an email backend for cfg. It fails when Host is empty,
// From or an address in To does not parse as an RFC 5322 address, To is
// empty, or a Username is set without StartTLS for a host other than
// localhost (the password would travel in clear); it does no network I/O.
func NewSMTP(cfg SMTPConfig) (*SMTP, error) {
	if cfg.Host == "" {
		return nil, errors.New("host: empty")
	}
	from, err := mail.ParseAddress(cfg.From)
	if err != nil {
		return nil, fmt.Errorf("from: %w", err)
	}
	to, err := parseRecipients(cfg.To)
	if err != nil {
		return nil, err
	}
	s := &SMTP{
		host: cfg.Host, addr: cfg.addr(), from: from, to: to,
		startTLS: cfg.StartTLS, tlsConfig: cfg.TLSConfig,
		timeout: cmp.Or(cfg.Timeout, DefaultSMTPTimeout),
	}
	if cfg.Username != "" {
		if !cfg.StartTLS && !isLocalhost(cfg.Host) {
			return nil, errors.New("username: AUTH PLAIN needs starttls unless host is localhost")
		}
		s.auth = smtp.PlainAuth("", cfg.Username, cfg.Password, cfg.Host)
	}
	return s, nil
}

// isLocalhost reports whether host is one that net/smtp lets PLAIN
// authentication run on without TLS.
func isLocalhost(host string) bool {
	return host == "localhost" || host == "127.0.0.1" || host == "::1"
}

// parseRecipients parses every address of to; there must be one at least.
func parseRecipients(to []string) ([]*mail.Address, error) {
	if len(to) == 0 {
		return nil, errors.New("to: no recipients")
	}
	addrs := make([]*mail.Address, len(to))
	for i, s := range to {
		a, err := mail.ParseAddress(s)
		if err != nil {
			return nil, fmt.Errorf("to[%d]: %w", i, err)
		}
		addrs[i] = a
	}
	return addrs, nil
}

// Notify sends the normalized m as an email. It fails when the server
// cannot be reached, does not offer STARTTLS or AUTH when they are needed,
// presents a certificate that does not verify, refuses the credentials,
// the sender or any recipient, or when the session outlasts the timeout
// or ctx (the error then wraps ctx's error). Errors never contain the
// password.
func (s *SMTP) Notify(ctx context.Context, m Message) error {
	msg := compose(s.from, s.to, m.Normalized(), time.Now())
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	if err := s.send(ctx, msg); err != nil {
		if ctxErr := ctx.Err(); ctxErr != nil {
			err = fmt.Errorf("%w: %w", ctxErr, err)
		}
		return fmt.Errorf("smtp: send to %s: %w", s.addr, err)
	}
	return nil
}

// send runs one SMTP session that delivers msg, bounded by ctx.
func (s *SMTP) send(ctx context.Context, msg []byte) error {
	conn, err := (&net.Dialer{}).DialContext(ctx, "tcp", s.addr)
	if err != nil {
		return err
	}
	defer conn.Close()
	// When ctx ends (its deadline included), fail any pending I/O; ctx.Err
	// is set by then, so Notify reports why.
	stop := context.AfterFunc(ctx, func() { _ = conn.SetDeadline(time.Unix(1, 0)) })
	defer stop()
	c, err := smtp.NewClient(conn, s.host)
	if err != nil {
		return fmt.Errorf("greeting: %w", err)
	}
	defer c.Close()
	if err := s.secure(c); err != nil {
		return err
	}
	if err := s.transmit(c, msg); err != nil {
		return err
	}
	return c.Quit()
}

// secure runs STARTTLS and AUTH as configured.
func (s *SMTP) secure(c *smtp.Client) error {
	if s.startTLS {
		if ok, _ := c.Extension("STARTTLS"); !ok {
			return errors.New("server does not offer STARTTLS")
		}
		cfg := &tls.Config{}
		if s.tlsConfig != nil {
			cfg = s.tlsConfig.Clone()
		}
		cfg.ServerName = cmp.Or(cfg.ServerName, s.host)
		if err := c.StartTLS(cfg); err != nil {
			return fmt.Errorf("starttls: %w", err)
		}
	}
	if s.auth == nil {
		return nil
	}
	if ok, _ := c.Extension("AUTH"); !ok {
		return errors.New("server does not offer AUTH")
	}
	if err := c.Auth(s.auth); err != nil {
		return fmt.Errorf("auth: %w", err)
	}
	return nil
}

// transmit sends the envelope and the message.
func (s *SMTP) transmit(c *smtp.Client, msg []byte) error {
	if err := c.Mail(s.from.Address); err != nil {
		return fmt.Errorf("MAIL FROM: %w", err)
	}
	for _, a := range s.to {
		if err := c.Rcpt(a.Address); err != nil {
			return fmt.Errorf("RCPT TO %s: %w", a.Address, err)
		}
	}
	w, err := c.Data()
	if err != nil {
		return fmt.Errorf("DATA: %w", err)
	}
	if _, err := w.Write(msg); err != nil {
		return fmt.Errorf("DATA: %w", err)
	}
	if err := w.Close(); err != nil {
		return fmt.Errorf("DATA: %w", err)
	}
	return nil
}
