package notify

import (
	"cmp"
	"errors"
	"fmt"
	"log/slog"
)

// backend is one entry of the registry New builds from: a backend's name
// (its config key), whether the config enables it, and its constructor.
type backend struct {
	name    string
	enabled bool
	build   func() (Notifier, error)
}

// backends returns the registry for cfg, in delivery order.
func backends(cfg Config, logger *slog.Logger) []backend {
	return []backend{
		{"sns", cfg.SNS.Enabled, func() (Notifier, error) { return NewSNS(cfg.SNS) }},
		{"webhook", cfg.Webhook.enabled(), func() (Notifier, error) { return NewWebhook(cfg.Webhook) }},
		{"smtp", cfg.SMTP.enabled(), func() (Notifier, error) { return NewSMTP(cfg.SMTP) }},
		{"log", cfg.logEnabled(), func() (Notifier, error) { return NewLog(cfg.Log, logger) }},
	}
}

// New builds the notifier that cfg describes: every enabled backend (SNS
// when notify.sns.enabled, the webhook when notify.webhook.url is set,
// SMTP when notify.smtp.host is set, and the log backend when
// notify.log.level is set or nothing else is), in that order.
//
// It returns the backend itself when only one is enabled, else a Multi of
// them. A nil logger means slog.Default(); it is where the log backend
// writes. An invalid configuration returns every problem found, joined,
// each prefixed with its config key (e.g. "notify.smtp: from: …"), and a
// nil Notifier. New does no network I/O.
func New(cfg Config, logger *slog.Logger) (Notifier, error) {
	logger = cmp.Or(logger, slog.Default())
	var ns Multi
	var errs []error
	for _, b := range backends(cfg, logger) {
		if !b.enabled {
			continue
		}
		n, err := b.build()
		if err != nil {
			errs = append(errs, fmt.Errorf("notify.%s: %w", b.name, err))
			continue
		}
		ns = append(ns, n)
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	if len(ns) == 1 {
		return ns[0], nil
	}
	return ns, nil
}
