package taskrunner

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/datapipe/datapipe/internal/activity"
	dt "github.com/datapipe/datapipe/internal/activity/data/datatest"
	"github.com/datapipe/datapipe/internal/awsclient"
	"github.com/datapipe/datapipe/internal/pipeline"
)

// logTask is an attempt of component A in pipeline df-1.
func logTask(t *testing.T) *activity.Task {
	t.Helper()
	att := "@A_1_Attempt=1"
	tk, err := activity.NewTask("task-1", "df-1", att, map[string]pipeline.Object{att: {ID: att, Fields: []pipeline.Field{
		pipeline.Reference("@componentParent", "A"), pipeline.Reference("@instanceParent", "@A_1")}}})
	if err != nil {
		t.Fatal(err)
	}
	return tk
}

func TestUploadLogs_S3(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	paths := [3]string{filepath.Join(dir, "a.log"), filepath.Join(dir, "a.stdout"), filepath.Join(dir, "a.stderr")}
	for i, body := range []string{"log line\n", "out\n", ""} {
		if err := os.WriteFile(paths[i], []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	c := dt.S3(t)
	bucket := dt.Bucket(t, c)
	t.Run("OK", func(t *testing.T) {
		dest, err := uploadLogs(ctx, dt.Factory(t), logTask(t), "s3://"+bucket+"/logs", paths)
		if err != nil {
			t.Fatal(err)
		}
		prefix := "logs/df-1/A/@A_1/@A_1_Attempt=1/"
		if dest != "s3://"+bucket+"/"+prefix {
			t.Errorf("dest = %s", dest)
		}
		if keys := dt.Keys(t, c, bucket, "logs/"); !slices.Equal(keys, []string{prefix + "Activity.log", prefix + "StdOutput"}) {
			t.Errorf("keys %v; want the log and StdOutput (StdError is empty)", keys)
		}
		if got, _ := dt.Get(t, c, bucket, prefix+"Activity.log"); got != "log line\n" {
			t.Errorf("Activity.log = %q", got)
		}
	})
	for _, tc := range []struct {
		name, uri, secret, want string
	}{
		{"ErrMissingBucket", "s3://dp-no-such-bucket-log/x", "", "NoSuchBucket"},
		{"ErrWrongCredentials", "s3://" + bucket + "/logs", "wrong", "SignatureDoesNotMatch"},
		{"ErrNoBucket", "s3:///x", "", "names no bucket"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := dt.AWS(t)
			if tc.secret != "" {
				cfg.SecretAccessKey = tc.secret
			}
			_, err := uploadLogs(ctx, awsclient.New(awsclient.Config{AWS: cfg}), logTask(t), tc.uri, paths)
			if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.HasPrefix(err.Error(), "log upload to s3://") {
				t.Fatalf("err = %v; want %q", err, tc.want)
			}
		})
	}
	t.Run("ErrNoClients", func(t *testing.T) {
		if _, err := uploadLogs(ctx, nil, logTask(t), "s3://"+bucket+"/logs", paths); err == nil || !strings.Contains(err.Error(), "no AWS configuration") {
			t.Fatalf("err = %v", err)
		}
	})
}
