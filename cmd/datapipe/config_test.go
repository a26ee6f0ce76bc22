package main

import (
	"crypto/rand"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/sns"

	"github.com/datapipe/datapipe/internal/notify"
)

// configFile is a testdata/config file.
func configFile(name string) string { return filepath.Join("testdata", "config", name) }

func TestMain_ServerConfig(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		store := "sqlite:" + filepath.Join(t.TempDir(), "datapipe.db")
		s := startServer(t, store, "--config", configFile("json-logs.yaml"))
		s.stop()
		var rec struct{ Level, Msg, Addr string }
		for line := range strings.Lines(s.stderr.String()) {
			if json.Unmarshal([]byte(line), &rec) == nil && rec.Msg == "serving" {
				break
			}
		}
		if rec.Msg != "serving" || !strings.HasPrefix(rec.Addr, "127.0.0.1:") {
			t.Fatalf("no JSON serving record on 127.0.0.1 (logFormat from the file, --addr from the flag):\n%s", s.stderr)
		}
	})
	t.Run("ErrUnknownKey", func(t *testing.T) {
		code, _, errOut := runCommand(t, "server", "--addr", "127.0.0.1:0", "--config", configFile("bad-key.yaml"))
		want := "datapipe server: --config: testdata/config/bad-key.yaml: line 3: server.pollwait: unknown key: want one of "
		if code != exitUsage || !strings.HasPrefix(errOut, want) {
			t.Fatalf("exit %d, stderr:\n%s\nwant exit %d and %q…", code, errOut, exitUsage, want)
		}
	})
	t.Run("ErrNotifySection", func(t *testing.T) {
		store := "sqlite:" + filepath.Join(t.TempDir(), "datapipe.db")
		code, _, errOut := runCommand(t, "server", "--addr", "127.0.0.1:0", "--store", store, "--config", configFile("bad-notify.yaml"))
		if code != exitInvalid || !strings.Contains(errOut, "--config: notify.smtp:") {
			t.Fatalf("exit %d, stderr:\n%s\nwant exit %d naming notify.smtp", code, errOut, exitInvalid)
		}
	})
	t.Run("ErrMissingFile", func(t *testing.T) {
		code, _, errOut := runCommand(t, "server", "--addr", "127.0.0.1:0", "--config", configFile("missing.yaml"))
		if code != exitUsage || !strings.Contains(errOut, "missing.yaml: no such file") {
			t.Fatalf("exit %d, stderr:\n%s", code, errOut)
		}
	})
}

// The notify section reaches the notifier: an SnsAlarm of a `datapipe
// run` is POSTed to the webhook the file names.
func TestMain_RunConfig(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		hook := &webhookSink{}
		srv := httptest.NewServer(hook)
		defer srv.Close()
		conf := filepath.Join(t.TempDir(), "datapipe.yaml")
		writeFile(t, conf, "notify:\n  webhook:\n    url: ${DATAPIPE_TEST_HOOK}/alarms\n")
		t.Setenv("DATAPIPE_TEST_HOOK", srv.URL)
		code, out, errOut := runMain(t, configFile("alarm.json"), "--config", conf, "--timeout", "60s")
		if code != exitOK {
			t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
		}
		got := hook.wait(t)
		if got.Subject != "Greet finished" || got.Message != "Greet is done" || got.ObjectID == "" {
			t.Fatalf("webhook payload %+v; want the SnsAlarm's subject and message", got)
		}
	})
	t.Run("OKSNS", func(t *testing.T) {
		endpoint := testServerEnv(t, "DATAPIPE_TEST_SNS_ENDPOINT")
		topic, got := goawsTopic(t, endpoint)
		dir := t.TempDir()
		def := strings.Replace(string(readTestFile(t, configFile("alarm.json"))),
			"arn:aws:sns:us-east-1:123456789012:datapipe-test", topic, 1)
		writeFile(t, filepath.Join(dir, "alarm.json"), def)
		writeFile(t, filepath.Join(dir, "datapipe.yaml"), "aws:\n  endpoints:\n    sns: ${DATAPIPE_TEST_SNS_ENDPOINT}\n"+
			"  accessKeyId: AKIDTEST\n  secretAccessKey: secret\nnotify:\n  sns:\n    enabled: true\n")
		code, out, errOut := runMain(t, filepath.Join(dir, "alarm.json"), "--config", filepath.Join(dir, "datapipe.yaml"), "--timeout", "60s")
		if code != exitOK {
			t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
		}
		select {
		case n := <-got:
			if n.Subject != "Greet finished" || n.Message != "Greet is done" {
				t.Fatalf("SNS notification %+v; want the SnsAlarm's subject and message", n)
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("no SNS notification reached the subscriber (aws.endpoints.sns); stderr:\n%s", errOut)
		}
	})
	t.Run("ErrUnknownKey", func(t *testing.T) {
		code, _, errOut := runMain(t, configFile("alarm.json"), "--config", configFile("bad-key.yaml"))
		if code != exitUsage || !strings.Contains(errOut, "line 3: server.pollwait: unknown key") {
			t.Fatalf("exit %d, stderr:\n%s", code, errOut)
		}
	})
}

func TestParseTaskRunnerFlags_Config(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		a, cfg, err := parseTaskRunnerFlags([]string{"--config", configFile("taskrunner.yaml")})
		if err != nil {
			t.Fatal(err)
		}
		if cfg.WorkerGroup != "wg-from-file" || cfg.Concurrency != 3 || a.one("endpoint-url", "") != "http://127.0.0.1:1" || cfg.conf.AWS.Region != "eu-west-1" {
			t.Fatalf("group %q, concurrency %d, endpoint %q, region %q; want the file's", cfg.WorkerGroup, cfg.Concurrency, a.one("endpoint-url", ""), cfg.conf.AWS.Region)
		}
	})
	t.Run("OKFlagsWin", func(t *testing.T) {
		a, cfg, err := parseTaskRunnerFlags([]string{"--config", configFile("taskrunner.yaml"), "--worker-group", "wg", "--concurrency", "2", "--endpoint-url", "http://127.0.0.1:2"})
		if err != nil {
			t.Fatal(err)
		}
		if cfg.WorkerGroup != "wg" || cfg.Concurrency != 2 || a.one("endpoint-url", "") != "http://127.0.0.1:2" {
			t.Fatalf("group %q, concurrency %d, endpoint %q; want the flags'", cfg.WorkerGroup, cfg.Concurrency, a.one("endpoint-url", ""))
		}
	})
	t.Run("ErrUnknownKey", func(t *testing.T) {
		_, _, err := parseTaskRunnerFlags([]string{"--config", configFile("bad-key.yaml"), "--worker-group", "wg"})
		if err == nil || !strings.Contains(err.Error(), "line 3: server.pollwait: unknown key") {
			t.Fatalf("err = %v", err)
		}
	})
}

// testServerEnv returns the environment variable scripts/servers.sh sets
// for a test server; unset, the test fails (skips under -short).
func testServerEnv(t *testing.T, name string) string {
	t.Helper()
	v := os.Getenv(name)
	if v == "" {
		if testing.Short() {
			t.Skipf("%s is not set (-short)", name)
		}
		t.Fatalf("%s is not set: run ./scripts/test.sh, or eval \"$(scripts/servers.sh start)\"", name)
	}
	return v
}

// snsNotification is the SNS HTTP notification goaws POSTs to a
// subscriber.
type snsNotification struct{ Type, TopicArn, Subject, Message string }

// goawsTopic creates a uniquely named topic on goaws at endpoint with a
// test HTTP server subscribed, and returns the topic's ARN and the
// notifications the server receives.
func goawsTopic(t *testing.T, endpoint string) (string, <-chan snsNotification) {
	t.Helper()
	got := make(chan snsNotification, 10)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var n snsNotification
		if json.NewDecoder(r.Body).Decode(&n) == nil && n.Type == "Notification" {
			got <- n
		}
	}))
	t.Cleanup(srv.Close)
	admin := sns.New(sns.Options{Region: "us-east-1", BaseEndpoint: aws.String(endpoint),
		Credentials: credentials.NewStaticCredentialsProvider("AKIDTEST", "secret", "")})
	topic, err := admin.CreateTopic(t.Context(), &sns.CreateTopicInput{Name: aws.String("datapipe-config-" + rand.Text())})
	if err != nil {
		t.Fatalf("CreateTopic: %v", err)
	}
	_, err = admin.Subscribe(t.Context(), &sns.SubscribeInput{TopicArn: topic.TopicArn,
		Protocol: aws.String("http"), Endpoint: aws.String(srv.URL + "/sns")})
	if err != nil {
		t.Fatalf("Subscribe: %v", err)
	}
	return *topic.TopicArn, got
}

// readTestFile reads a test file.
func readTestFile(t *testing.T, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// runCommand runs the real Main with args and returns the exit code and
// both streams.
func runCommand(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut syncBuffer
	m := NewMain(strings.NewReader(""), &out, &errOut)
	code := m.Run(t.Context(), args)
	if err := m.Close(); err != nil {
		t.Error(err)
	}
	return code, out.String(), errOut.String()
}

// writeFile writes a test file.
func writeFile(t *testing.T, name, content string) {
	t.Helper()
	if err := os.WriteFile(name, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}

// webhookSink records the payloads POSTed to it.
type webhookSink struct {
	mu       sync.Mutex
	payloads []notify.Payload
}

func (h *webhookSink) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	var p notify.Payload
	body, _ := io.ReadAll(r.Body)
	if r.URL.Path != "/alarms" || json.Unmarshal(body, &p) != nil {
		http.Error(w, "bad request", http.StatusBadRequest)
		return
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	h.payloads = append(h.payloads, p)
}

// wait returns the first payload, waiting up to 10 s for it.
func (h *webhookSink) wait(t *testing.T) notify.Payload {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		h.mu.Lock()
		if len(h.payloads) > 0 {
			defer h.mu.Unlock()
			return h.payloads[0]
		}
		h.mu.Unlock()
	}
	t.Fatal("no webhook POST within 10s")
	return notify.Payload{}
}
