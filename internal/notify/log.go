package notify

import (
	"cmp"
	"context"
	"fmt"
	"log/slog"
)

// Log is the log backend: it writes each notification as one slog record
// with the message "notification" and the snake_case attributes event,
// pipeline_id, object_id, node_id, topic_arn, role, at, subject and
// message (the body). It never fails and is safe for concurrent use.
type Log struct {
	logger *slog.Logger
	level  slog.Level
}

var _ Notifier = (*Log)(nil)

// NewLog returns a log backend writing to logger (nil means slog.Default())
// at cfg.Level (default info). It fails when the level does not parse.
func NewLog(cfg LogConfig, logger *slog.Logger) (*Log, error) {
	var level slog.Level
	if err := level.UnmarshalText([]byte(cmp.Or(cfg.Level, DefaultLogLevel))); err != nil {
		return nil, fmt.Errorf("level: %w", err)
	}
	return &Log{logger: cmp.Or(logger, slog.Default()), level: level}, nil
}

// Notify writes the normalized m; it always returns nil.
func (l *Log) Notify(ctx context.Context, m Message) error {
	m = m.Normalized()
	l.logger.LogAttrs(ctx, l.level, "notification",
		slog.String("event", m.Event),
		slog.String("pipeline_id", m.PipelineID),
		slog.String("object_id", m.ObjectID),
		slog.String("node_id", m.NodeID),
		slog.String("topic_arn", m.TopicArn),
		slog.String("role", m.Role),
		slog.Time("at", m.At),
		slog.String("subject", m.Subject),
		slog.String("message", m.Body),
	)
	return nil
}
