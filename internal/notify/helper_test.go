package notify

import (
	"context"
	"os"
	"testing"
	"time"
)

// serverEnv returns the value of the environment variable name, which
// scripts/servers.sh sets for a test server. The test fails when it is
// unset, except under -short, where it is skipped.
func serverEnv(t testing.TB, name string) string {
	t.Helper()
	if v := os.Getenv(name); v != "" {
		return v
	}
	if testing.Short() {
		t.Skipf("%s is unset (skipped under -short)", name)
	}
	t.Fatalf(`%s is unset: run ./scripts/test.sh, or eval "$(scripts/servers.sh start)" first (go test -short skips these tests)`, name)
	return ""
}

// testMessage returns a complete message whose subject carries token, so
// that a test can find it among others on a shared server.
func testMessage(token string) Message {
	return Message{
		TopicArn:   "arn:aws:sns:us-east-1:100010001000:alerts",
		Subject:    "datapipe " + token + " failed",
		Body:       "CopyData failed.\nError: exit status 1\n",
		PipelineID: "df-0123456789ABCDEFGHIJ",
		ObjectID:   "FailureAlarm",
		NodeID:     "@CopyData_2026-11-26T00:00:00",
		Event:      EventFail,
		Role:       "DataPipelineDefaultRole",
		At:         time.Date(2026, 11, 26, 1, 2, 3, 0, time.UTC),
	}
}

// notifierFunc adapts a function to the Notifier port.
type notifierFunc func(ctx context.Context, m Message) error

func (f notifierFunc) Notify(ctx context.Context, m Message) error { return f(ctx, m) }
