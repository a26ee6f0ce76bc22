// Package datatest helps the tests of data activities and preconditions
// run against the real servers that scripts/servers.sh starts: it builds
// tasks, an Opener whose AWS clients point at the test S3 and DynamoDB
// servers, fresh buckets, PostgreSQL schemas and DynamoDB tables, each
// removed when the test ends.
//
// A test that needs a server fails when the server's environment
// variable is unset (run `eval "$(scripts/servers.sh start)"`), and is
// skipped under -short.
package datatest

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"sync"
	"testing"

	"github.com/datapipe/datapipe/internal/activity"
	"github.com/datapipe/datapipe/internal/activity/data"
	"github.com/datapipe/datapipe/internal/awsclient"
	"github.com/datapipe/datapipe/internal/config"
	"github.com/datapipe/datapipe/internal/pipeline"
)

// AttemptID is the attempt of every task Task builds.
const AttemptID = "@Act_2024-01-01T00:00:00_Attempt=1"

// OtherRegion is the region the second DynamoDB server serves.
const OtherRegion = "eu-west-1"

// Env returns the environment variable key, failing the test when it is
// unset (skipping it under -short).
func Env(t testing.TB, key string) string {
	t.Helper()
	v := os.Getenv(key)
	if v == "" {
		if testing.Short() {
			t.Skip(key + " is not set (-short)")
		}
		t.Fatalf(`%s is not set: run eval "$(scripts/servers.sh start)"`, key)
	}
	return v
}

// AWS returns the aws configuration section of the test servers: S3 and
// the first DynamoDB server in every region, the second DynamoDB server
// in OtherRegion.
func AWS(t testing.TB) config.AWS {
	return config.AWS{Region: "us-east-1", S3ForcePathStyle: true,
		Endpoints:       map[string]string{"s3": Env(t, "DATAPIPE_TEST_S3_ENDPOINT"), "dynamodb": Env(t, "DATAPIPE_TEST_DYNAMODB_ENDPOINT")},
		RegionEndpoints: map[string]map[string]string{OtherRegion: {"dynamodb": Env(t, "DATAPIPE_TEST_DYNAMODB_ENDPOINT2")}},
		AccessKeyID:     Env(t, "DATAPIPE_TEST_S3_ACCESS_KEY"), SecretAccessKey: Env(t, "DATAPIPE_TEST_S3_SECRET_KEY")}
}

// Factory returns an AWS client factory for the test servers.
func Factory(t testing.TB) *awsclient.Factory {
	return awsclient.New(awsclient.Config{AWS: AWS(t), Getenv: func(string) string { return "" }})
}

// Opener returns an Opener on the test servers.
func Opener(t testing.TB) *data.Opener { return data.New(data.Config{AWS: Factory(t)}) }

// Task builds a task whose attempt has fields, with objects.
func Task(t testing.TB, fields []pipeline.Field, objects ...pipeline.Object) *activity.Task {
	t.Helper()
	objs := map[string]pipeline.Object{AttemptID: {ID: AttemptID, Fields: fields}}
	for _, o := range objects {
		objs[o.ID] = o
	}
	tk, err := activity.NewTask("task-1", "df-test", AttemptID, objs)
	if err != nil {
		t.Fatal(err)
	}
	return tk
}

// Obj builds an object of type typ.
func Obj(id, typ string, fields ...pipeline.Field) pipeline.Object {
	return pipeline.Object{ID: id, Fields: append([]pipeline.Field{pipeline.String("type", typ)}, fields...)}
}

// Str and Ref shorten field literals.
func Str(k, v string) pipeline.Field { return pipeline.String(k, v) }

// Ref is a reference field.
func Ref(k, v string) pipeline.Field { return pipeline.Reference(k, v) }

// Name returns a fresh lower-case name starting with prefix.
func Name(prefix string) string {
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	return prefix + hex.EncodeToString(b)
}

// Log is a goroutine-safe buffer for Env.Log.
type Log struct {
	mu sync.Mutex
	b  bytes.Buffer
}

// Write appends p.
func (l *Log) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

// String returns what was written.
func (l *Log) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// NewEnv returns an Env logging into a fresh Log.
func NewEnv() (*activity.Env, *Log) {
	l := &Log{}
	return &activity.Env{Log: l}, l
}

// WantID fails unless err reports errorId id.
func WantID(t testing.TB, err error, id string) {
	t.Helper()
	e := activity.AsError(err)
	if e == nil || e.ID != id {
		t.Fatalf("err = %v (id %v); want errorId %s", err, e, id)
	}
}

// Context is the tests' context.
func Context() context.Context { return context.Background() }
