package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/datapipe/datapipe/internal/explain"
)

// runExplainCLI runs `datapipe explain` and returns its exit code and
// output streams.
func runExplainCLI(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	m := NewMain(strings.NewReader(""), &out, &errb)
	code := m.Run(context.Background(), append([]string{"explain"}, args...))
	return code, out.String(), errb.String()
}

func TestMain_Explain(t *testing.T) {
	storeURL := "sqlite:" + filepath.Join(t.TempDir(), "explain.db")
	s := startServer(t, storeURL)
	id := newPipeline(t, s.local(), "explained")
	putHello(t, s.local(), id)
	start := time.Date(2099, 1, 1, 0, 0, 0, 0, time.UTC)
	att := queueTask(t, storeURL, id, "Hello", "wg-1", start)
	inst := strings.TrimSuffix(att, "_Attempt=1")
	common := []string{"--endpoint-url", s.endpoint, "--pipeline-id", id}
	t.Run("OK", func(t *testing.T) {
		code, out, errOut := runExplainCLI(t, append(common, "--object-id", inst, "--output", "text")...)
		if code != exitOK {
			t.Fatalf("exit %d: %s", code, errOut)
		}
		for _, want := range []string{inst + " (Hello) is WAITING_FOR_RUNNER and is not running:", "PIPELINE_STATE", "is PENDING",
			"NO_RUNNER", "no task runner has ever polled worker group wg-1"} {
			if !strings.Contains(out, want) {
				t.Errorf("output lacks %q:\n%s", want, out)
			}
		}
	})
	t.Run("OKJSONForAttempt", func(t *testing.T) {
		code, out, errOut := runExplainCLI(t, append(common, "--object-id", att)...)
		var e explain.Explanation
		if code != exitOK || json.Unmarshal([]byte(out), &e) != nil {
			t.Fatalf("exit %d: %s%s", code, out, errOut)
		}
		if e.ObjectID != inst || !e.Waiting || len(e.Reasons) != 2 {
			t.Errorf("explanation %+v", e)
		}
	})
	t.Run("ErrUnknownObject", func(t *testing.T) {
		code, _, errOut := runExplainCLI(t, append(common, "--object-id", "@Nope")...)
		if code != exitClientService || !strings.Contains(errOut, "ObjectNotFoundException") {
			t.Errorf("exit %d: %s", code, errOut)
		}
	})
	t.Run("ErrMissingArgument", func(t *testing.T) {
		if code, _, _ := runExplainCLI(t, "--endpoint-url", s.endpoint, "--pipeline-id", id); code != exitClientUsage {
			t.Errorf("exit %d; want %d", code, exitClientUsage)
		}
	})
}

// TestMain_ExplainSigned checks that with access keys the endpoint takes
// a SigV4-signed request and refuses a wrong secret.
func TestMain_ExplainSigned(t *testing.T) {
	keys := filepath.Join(t.TempDir(), "keys.json")
	if err := os.WriteFile(keys, []byte(`[{"accessKeyId":"AKIDEXPLAIN","secretAccessKey":"right-secret","accountId":"123456789012"}]`), 0o600); err != nil {
		t.Fatal(err)
	}
	storeURL := "sqlite:" + filepath.Join(t.TempDir(), "signed.db")
	s := startServer(t, storeURL, "--keys-file", keys)
	c := s.client("AKIDEXPLAIN", "right-secret")
	id := newPipeline(t, c, "signed")
	putHello(t, c, id)
	att := queueTask(t, storeURL, id, "Hello", "wg-1", time.Date(2099, 1, 1, 0, 0, 0, 0, time.UTC))
	t.Setenv("AWS_ACCESS_KEY_ID", "AKIDEXPLAIN")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "right-secret")
	args := []string{"--endpoint-url", s.endpoint, "--pipeline-id", id, "--object-id", att, "--output", "text"}
	if code, out, errOut := runExplainCLI(t, args...); code != exitOK || !strings.Contains(out, "NO_RUNNER") {
		t.Fatalf("signed explain: exit %d\n%s%s", code, out, errOut)
	}
	t.Setenv("AWS_SECRET_ACCESS_KEY", "wrong-secret")
	if code, _, errOut := runExplainCLI(t, args...); code != exitClientService || !strings.Contains(errOut, "AccessDenied") {
		t.Errorf("wrong secret: exit %d: %s", code, errOut)
	}
}
