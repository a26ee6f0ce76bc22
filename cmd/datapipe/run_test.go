package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// runMain runs the real Main with `run` and returns the exit code and
// both streams.
func runMain(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	m := NewMain(strings.NewReader(""), &out, &errOut)
	code := m.Run(context.Background(), append([]string{"run"}, args...))
	if err := m.Close(); err != nil {
		t.Error(err)
	}
	return code, out.String(), errOut.String()
}

// findLog returns the content of the first uploaded file named name under
// root, or "".
func findLog(t *testing.T, root, name string) string {
	t.Helper()
	var data []byte
	_ = filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && d.Name() == name && data == nil {
			data, _ = os.ReadFile(p)
		}
		return nil
	})
	return string(data)
}

func TestMain_RunPipeline(t *testing.T) {
	samples := filepath.Join("..", "..", "testdata", "samples", "aws-samples")
	t.Run("OK", func(t *testing.T) {
		for _, tc := range []struct{ file, logSub string }{
			{"helloworld__helloworld.json", "HelloWorld"},
			{"OnDemandWithLamdaFunctions__ondemand.json", ""},
		} {
			t.Run(tc.file, func(t *testing.T) {
				logs := t.TempDir()
				code, out, errOut := runMain(t, "--lenient", filepath.Join(samples, tc.file),
					"--parameter-values", "myS3LogsPath=file://"+logs, "--timeout", "60s")
				if code != exitOK {
					t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
				}
				if !strings.Contains(out, "FINISHED") || strings.Contains(out, "FAILED") {
					t.Errorf("summary:\n%s", out)
				}
				if got := findLog(t, filepath.Join(logs, tc.logSub), "StdOutput"); !strings.Contains(got, "Hello World!") {
					t.Errorf("uploaded StdOutput = %q, want Hello World!", got)
				}
			})
		}
	})
	t.Run("OKKeepStore", func(t *testing.T) {
		dir := t.TempDir()
		def := writeDef(t, `{"objects":[{"id":"Default","scheduleType":"ondemand","workerGroup":"wg-run"},
			{"id":"Echo","type":"ShellCommandActivity","command":"echo hi"}]}`)
		code, out, errOut := runMain(t, def, "--store", "sqlite:"+filepath.Join(dir, "run.db"))
		if code != exitOK {
			t.Fatalf("exit %d\n%s\n%s", code, out, errOut)
		}
		if _, err := os.Stat(filepath.Join(dir, "run.db")); err != nil {
			t.Errorf("store not kept: %v", err)
		}
	})
	t.Run("OKWiderThanOnePlan", func(t *testing.T) {
		// 300 activities: more than one scheduling plan creates (256), so
		// the rest are created by the plans that follow, from the cache.
		var sb strings.Builder
		sb.WriteString(`{"objects":[{"id":"Default","scheduleType":"ondemand","workerGroup":"wg-run"}`)
		for i := range 300 {
			fmt.Fprintf(&sb, `,{"id":"T%d","type":"ShellCommandActivity","command":"true"}`, i)
		}
		sb.WriteString("]}")
		code, out, errOut := runMain(t, writeDef(t, sb.String()), "--timeout", "60s")
		if code != exitOK {
			t.Fatalf("exit %d\n%s\n%s", code, out, errOut)
		}
		if n := strings.Count(out, "FINISHED"); n < 300 {
			t.Errorf("%d FINISHED in the summary, want 300:\n%s", n, out)
		}
	})
	t.Run("ErrFailed", func(t *testing.T) {
		def := writeDef(t, `{"objects":[{"id":"Default","scheduleType":"ondemand","workerGroup":"wg-run"},
			{"id":"Boom","type":"ShellCommandActivity","command":"exit 3","maximumRetries":"0"},
			{"id":"After","type":"ShellCommandActivity","command":"echo never","dependsOn":{"ref":"Boom"}}]}`)
		code, out, errOut := runMain(t, def, "--timeout", "60s")
		if code != exitInvalid {
			t.Fatalf("exit %d, want 1\n%s\n%s", code, out, errOut)
		}
		if !strings.Contains(out, "FAILED @Boom_") || !strings.Contains(out, "exited with code 3") {
			t.Errorf("summary does not name the failed instance:\n%s", out)
		}
	})
	t.Run("ErrInvalid", func(t *testing.T) {
		def := writeDef(t, `{"objects":[{"id":"X","type":"NoSuchType"}]}`)
		if code, out, errOut := runMain(t, def); code != exitInvalid {
			t.Errorf("exit %d, want 1\n%s\n%s", code, out, errOut)
		}
	})
	t.Run("ErrUnreadable", func(t *testing.T) {
		if code, _, _ := runMain(t, filepath.Join(t.TempDir(), "missing.json")); code != exitUsage {
			t.Errorf("exit %d, want 2", code)
		}
		if code, _, _ := runMain(t, "a.json", "--until", "tomorrow"); code != exitUsage {
			t.Errorf("bad --until: exit %d, want 2", code)
		}
		if code, _, errOut := runMain(t, "a.json", "--concurrency", "0"); code != exitUsage || !strings.Contains(errOut, "--concurrency") {
			t.Errorf("bad --concurrency: exit %d, want 2\n%s", code, errOut)
		}
	})
	t.Run("OKConcurrencyOne", func(t *testing.T) {
		def := writeDef(t, `{"objects":[{"id":"Default","scheduleType":"ondemand","workerGroup":"wg-run"},
			{"id":"A","type":"ShellCommandActivity","command":"true"},{"id":"B","type":"ShellCommandActivity","command":"true"}]}`)
		if code, out, errOut := runMain(t, def, "--concurrency", "1", "--timeout", "60s"); code != exitOK {
			t.Errorf("exit %d\n%s\n%s", code, out, errOut)
		}
	})
}

// writeDef writes a definition file and returns its path.
func writeDef(t *testing.T, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "def.json")
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// An SnsAlarm whose message uses #{node.*} must not stop the activity it
// is attached to: the runner never receives actions (they are evaluated
// by the service when they fire, with node bound).
func TestMain_RunActionWithNode(t *testing.T) {
	path := filepath.Join(t.TempDir(), "alarm-node.json")
	def := `{"objects":[
  {"id":"Default","name":"Default","scheduleType":"ondemand","workerGroup":"local"},
  {"id":"Greet","type":"ShellCommandActivity","command":"echo hi","onSuccess":{"ref":"Done"}},
  {"id":"Done","type":"SnsAlarm","topicArn":"arn:aws:sns:us-east-1:123456789012:t","role":"DataPipelineDefaultRole",
   "subject":"Greet finished","message":"#{node.name} is done"}]}`
	if err := os.WriteFile(path, []byte(def), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := runMain(t, path, "--timeout", "60s")
	if code != exitOK || !strings.Contains(out, "FINISHED") {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
	}
}
