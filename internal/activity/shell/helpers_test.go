package shell_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/datapipe/datapipe/internal/activity"
	"github.com/datapipe/datapipe/internal/pipeline"
)

// attemptID is the attempt of every test task.
const attemptID = "@Act_2024-01-01T00:00:00_Attempt=1"

// newTask builds a task whose attempt has fields, with extra objects.
func newTask(t testing.TB, fields []pipeline.Field, objects ...pipeline.Object) *activity.Task {
	t.Helper()
	objs := map[string]pipeline.Object{attemptID: {ID: attemptID, Fields: fields}}
	for _, o := range objects {
		objs[o.ID] = o
	}
	tk, err := activity.NewTask("task-1", "df-1", attemptID, objs)
	if err != nil {
		t.Fatal(err)
	}
	return tk
}

// str and ref shorten field literals.
func str(k, v string) pipeline.Field { return pipeline.String(k, v) }
func ref(k, v string) pipeline.Field { return pipeline.Reference(k, v) }

// node is a data node object.
func node(id, typ string, fields ...pipeline.Field) pipeline.Object {
	return pipeline.Object{ID: id, Fields: append([]pipeline.Field{str("type", typ)}, fields...)}
}

// buffer is a goroutine-safe bytes.Buffer.
type buffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *buffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *buffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

// env returns an Env whose streams are buffers.
func env() (*activity.Env, *buffer, *buffer, *buffer) {
	log, out, errOut := &buffer{}, &buffer{}, &buffer{}
	return &activity.Env{Log: log, Stdout: out, Stderr: errOut}, log, out, errOut
}

func wantID(t *testing.T, err error, id string) {
	t.Helper()
	if got := activity.AsError(err); got == nil || got.ID != id {
		t.Fatalf("error = %v; want id %s", err, id)
	}
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// waitPIDs waits until path holds n process ids, one a line.
func waitPIDs(t *testing.T, path string, n int) []int {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		b, _ := os.ReadFile(path)
		if lines := strings.Fields(string(b)); len(lines) >= n {
			pids := make([]int, n)
			for i := range pids {
				pids[i], _ = strconv.Atoi(lines[i])
			}
			return pids
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("%s did not get %d pids", path, n)
	return nil
}

// alive reports whether pid runs: it exists and is not a zombie.
func alive(pid int) bool {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return false
	}
	s := string(b)
	i := strings.LastIndex(s, ")")
	return i < 0 || i+2 >= len(s) || s[i+2] != 'Z'
}

// wantGone fails unless every pid is gone within a few seconds.
func wantGone(t *testing.T, pids []int) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for _, pid := range pids {
		for alive(pid) && time.Now().Before(deadline) {
			time.Sleep(10 * time.Millisecond)
		}
		if alive(pid) {
			t.Errorf("process %d still runs", pid)
		}
	}
}
