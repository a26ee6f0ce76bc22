package notify

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"testing"
)

func TestLog_Notify(t *testing.T) {
	tests := []struct {
		level, want string
	}{
		{"", "INFO"},
		{"debug", "DEBUG"},
		{"WARN", "WARN"},
		{"error", "ERROR"},
	}
	for _, tt := range tests {
		t.Run("OK"+tt.want, func(t *testing.T) {
			var buf bytes.Buffer
			logger := slog.New(slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
			n, err := NewLog(LogConfig{Level: tt.level}, logger)
			if err != nil {
				t.Fatalf("NewLog: %v", err)
			}
			m := testMessage("x")
			if err := n.Notify(t.Context(), m); err != nil {
				t.Fatalf("Notify: %v", err)
			}
			var rec map[string]any
			if err := json.Unmarshal(buf.Bytes(), &rec); err != nil {
				t.Fatalf("record %q: %v", buf.String(), err)
			}
			want := map[string]any{
				"level": tt.want, "msg": "notification", "event": m.Event,
				"pipeline_id": m.PipelineID, "object_id": m.ObjectID, "node_id": m.NodeID,
				"topic_arn": m.TopicArn, "role": m.Role, "at": "2026-11-26T01:02:03Z",
				"subject": m.Subject, "message": m.Body,
			}
			for k, v := range want {
				if rec[k] != v {
					t.Errorf("record[%q] = %v, want %v", k, rec[k], v)
				}
			}
		})
	}
}

func TestNewLog(t *testing.T) {
	t.Run("ErrLevel", func(t *testing.T) {
		if _, err := NewLog(LogConfig{Level: "loud"}, nil); err == nil {
			t.Error("NewLog accepted level loud")
		}
	})
}
