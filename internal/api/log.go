package api

import (
	"context"
	"log/slog"
	"time"
)

// unknownOperationLabel labels requests whose target names no operation.
const unknownOperationLabel = "unknown"

// record writes the access-log record of ex and updates the metrics.
// Bodies and credentials are never logged.
func (s *Server) record(ctx context.Context, ex *exchange, d time.Duration) {
	op := ex.op
	if op == "" {
		op = unknownOperationLabel
	}
	code := string(ex.code)
	if code == "" {
		code = "OK"
	}
	s.metrics.observe(op, code, d)
	attrs := []slog.Attr{
		slog.String("request_id", ex.id),
		slog.String("operation", op),
		slog.Int("status", ex.status),
		slog.Float64("duration_ms", float64(d.Microseconds())/1000),
	}
	if ex.code != "" {
		attrs = append(attrs, slog.String("error_code", string(ex.code)))
	}
	if ex.caller.AccountID != "" {
		attrs = append(attrs, slog.String("account_id", ex.caller.AccountID))
	}
	s.log.LogAttrs(ctx, slog.LevelInfo, "api request", attrs...)
}
