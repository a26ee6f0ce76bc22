package main

import (
	"fmt"
	"log/slog"
	"time"

	"github.com/datapipe/datapipe/internal/awsclient"
	"github.com/datapipe/datapipe/internal/config"
	"github.com/datapipe/datapipe/internal/notify"
)

// loadConfigFile reads the YAML configuration file named by --config;
// without --config it returns the zero Config (built-in defaults).
// Errors name the file, line and key.
func loadConfigFile(a *args) (config.Config, error) {
	path := a.one("config", "")
	if path == "" {
		return config.Config{}, nil
	}
	conf, err := config.Load(path)
	if err != nil {
		return config.Config{}, fmt.Errorf("--config: %w", err)
	}
	return conf, nil
}

// durationDefault returns a flag's default: d as text when the file set
// it, else def.
func durationDefault(d time.Duration, def string) string {
	if d == 0 {
		return def
	}
	return d.String()
}

// useAWS builds the AWS client factory of the file's aws section and
// keeps it on m, where the executors of data activities get it.
func (m *Main) useAWS(conf config.Config) *awsclient.Factory {
	m.aws = awsclient.New(awsclient.Config{AWS: conf.AWS})
	return m.aws
}

// notifier delivers SnsAlarm actions as the file's notify section says
// (with the aws section's SNS endpoint and credentials); an empty section
// means the log backend only. An invalid section is an error naming its
// key.
func notifier(conf config.Config, log *slog.Logger) (notify.Notifier, error) {
	n, err := notify.New(conf.NotifyConfig(), log)
	if err != nil {
		return nil, fmt.Errorf("--config: %w", err)
	}
	return n, nil
}
