package awsclient

import (
	"fmt"
	"os"
	"sync/atomic"
	"testing"
	"time"
)

// serverEnv returns the environment variable that scripts/servers.sh
// sets to a test server's address or key. Unset, the test fails, except
// under -short where it is skipped.
func serverEnv(t *testing.T, name string) string {
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

var nameSeq atomic.Int64

// uniqueName returns a bucket or table name no other test run uses.
func uniqueName(prefix string) string {
	return fmt.Sprintf("%s-%d-%d", prefix, time.Now().UnixNano()%1e12, nameSeq.Add(1))
}
