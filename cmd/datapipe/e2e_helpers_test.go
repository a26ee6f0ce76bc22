package main

import (
	"bytes"
	"context"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/datapipeline"

	"github.com/datapipe/datapipe/internal/pipeline"
	"github.com/datapipe/datapipe/internal/store"
)

// localAccount is the account of every caller in local mode.
const localAccount = "000000000000"

// storeCase names a store the end-to-end suites run on.
type storeCase struct {
	name string
	// url returns a fresh, empty store URL for one test.
	url func(t testing.TB) string
}

// storeCases are the stores every compatibility test runs against. The
// PostgreSQL case needs DATAPIPE_TEST_POSTGRES (scripts/servers.sh sets
// it); without it the test fails, except under -short.
func storeCases() []storeCase {
	return []storeCase{
		{"sqlite", func(t testing.TB) string { return "sqlite:" + filepath.Join(t.TempDir(), "datapipe.db") }},
		{"postgres", postgresURL},
	}
}

var schemaSeq struct {
	sync.Mutex
	n int
}

// postgresURL returns the test server's DSN with a fresh schema.
func postgresURL(t testing.TB) string {
	dsn := os.Getenv("DATAPIPE_TEST_POSTGRES")
	if dsn == "" {
		if testing.Short() {
			t.Skip("DATAPIPE_TEST_POSTGRES is not set (-short)")
		}
		t.Fatal("DATAPIPE_TEST_POSTGRES is not set: run ./scripts/test.sh, or eval \"$(scripts/servers.sh start)\"")
	}
	schemaSeq.Lock()
	schemaSeq.n++
	n := schemaSeq.n
	schemaSeq.Unlock()
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("schema", fmt.Sprintf("e2e_%d_%d", time.Now().UnixNano()%1e9, n))
	u.RawQuery = q.Encode()
	return u.String()
}

// server is a running Main serving the API.
type server struct {
	endpoint string
	stderr   *syncBuffer
	stop     func()
}

// startServer runs the real Main with `server --addr 127.0.0.1:0` and the
// given store, and waits until it listens.
func startServer(t testing.TB, storeURL string, extra ...string) *server {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	errBuf := &syncBuffer{}
	m := NewMain(strings.NewReader(""), &bytes.Buffer{}, errBuf)
	done := make(chan int, 1)
	args := append([]string{"server", "--addr", "127.0.0.1:0", "--store", storeURL, "--poll-wait", "2s"}, extra...)
	go func() { done <- m.Run(ctx, args) }()
	wait, waitCancel := context.WithTimeout(ctx, 30*time.Second)
	defer waitCancel()
	addr, err := m.WaitAddr(wait)
	if err != nil {
		cancel()
		t.Fatalf("server did not start: %v\n%s", err, errBuf.String())
	}
	s := &server{endpoint: "http://" + addr, stderr: errBuf}
	var once sync.Once
	s.stop = func() {
		once.Do(func() {
			cancel()
			<-done
			_ = m.Close()
		})
	}
	t.Cleanup(s.stop)
	return s
}

// client returns the official SDK client for the server with credentials.
func (s *server) client(akid, secret string) *datapipeline.Client {
	cfg := aws.Config{Region: "us-east-1", Credentials: credentials.NewStaticCredentialsProvider(akid, secret, "")}
	return datapipeline.NewFromConfig(cfg, func(o *datapipeline.Options) {
		o.BaseEndpoint = aws.String(s.endpoint)
		o.RetryMaxAttempts = 1
	})
}

// local returns a client for local mode (any credentials work).
func (s *server) local() *datapipeline.Client { return s.client("AKIDLOCAL", "local-secret") }

// queueTask inserts, as the scheduler will, an instance of component comp
// with one attempt and a task for it in the worker group, through a second
// handle on the same store. It returns the attempt id.
func queueTask(t testing.TB, storeURL, pipelineID, comp, group string, start time.Time) string {
	t.Helper()
	st, err := openStore(context.Background(), storeURL, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	return queueTaskIn(t, st, pipelineID, comp, group, start)
}

// queueTaskIn is queueTask through an open store handle.
func queueTaskIn(t testing.TB, st store.Store, pipelineID, comp, group string, start time.Time) string {
	t.Helper()
	ctx := context.Background()
	inst := store.Object{PipelineID: pipelineID, ID: "@" + comp + "_" + start.Format("2006-01-02T15:04:05"), Sphere: pipeline.SphereInstance,
		ComponentID: comp, Status: pipeline.StatusWaitingForRunner, ScheduledStart: start, ScheduledEnd: start.Add(time.Hour), UpdatedAt: start}
	att := inst
	att.ID, att.Sphere, att.InstanceID = inst.ID+"_Attempt=1", pipeline.SphereAttempt, inst.ID
	if err := st.ObjectCreate(ctx, store.ObjectCreateParams{Objects: []store.Object{inst, att}}); err != nil {
		t.Fatal(err)
	}
	now := time.Now().UTC()
	task := store.Task{ID: store.NewTaskID(), AccountID: localAccount, PipelineID: pipelineID, AttemptID: att.ID,
		WorkerGroup: group, AvailableAt: now, CreatedAt: now}
	if _, err := st.TaskCreate(ctx, store.TaskCreateParams{Task: task}); err != nil {
		t.Fatal(err)
	}
	return att.ID
}

// syncBuffer is a bytes.Buffer safe for the server's concurrent logging.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
