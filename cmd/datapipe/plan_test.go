package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestMain_Plan(t *testing.T) {
	path := filepath.Join(t.TempDir(), "hourly.json")
	def := `{"objects":[
  {"id":"Default","scheduleType":"cron","schedule":{"ref":"Hourly"},"workerGroup":"w"},
  {"id":"Hourly","type":"Schedule","period":"1 hour","startDateTime":"2024-01-01T00:00:00"},
  {"id":"A","type":"ShellCommandActivity","command":"true"}]}`
	if err := os.WriteFile(path, []byte(def), 0o600); err != nil {
		t.Fatal(err)
	}
	plan := func(args ...string) (int, string, string) {
		var out, errOut bytes.Buffer
		m := NewMain(strings.NewReader(""), &out, &errOut)
		code := m.Run(context.Background(), append([]string{"plan"}, args...))
		return code, out.String(), errOut.String()
	}
	t.Run("OK", func(t *testing.T) {
		code, out, errOut := plan(path, "--from", "2024-01-01T00:00:00", "--hours", "3", "--start-timestamp", "2024-01-01T01:00:00")
		if code != exitOK {
			t.Fatalf("exit %d: %s", code, errOut)
		}
		for _, want := range []string{"3 instances", "@A_2024-01-01T00:00:00", "SKIPPED", "@A_2024-01-01T02:00:00"} {
			if !strings.Contains(out, want) {
				t.Errorf("output lacks %q:\n%s", want, out)
			}
		}
		if strings.Contains(out, "@A_2024-01-01T03:00:00") {
			t.Errorf("output goes past the horizon:\n%s", out)
		}
	})
	t.Run("ErrHours", func(t *testing.T) {
		if code, _, errOut := plan(path, "--hours", "0"); code != exitUsage || !strings.Contains(errOut, "--hours") {
			t.Errorf("exit %d: %s", code, errOut)
		}
	})
	t.Run("ErrInvalid", func(t *testing.T) {
		bad := filepath.Join(t.TempDir(), "bad.json")
		_ = os.WriteFile(bad, []byte(`{"objects":[{"id":"A","type":"ShellCommandActivity"}]}`), 0o600)
		if code, _, _ := plan(bad); code != exitInvalid {
			t.Errorf("exit %d, want %d", code, exitInvalid)
		}
	})
}
