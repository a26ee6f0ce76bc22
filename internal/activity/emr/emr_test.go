package emr_test

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/datapipe/datapipe/internal/activity"
	"github.com/datapipe/datapipe/internal/activity/emr"
	"github.com/datapipe/datapipe/internal/activity/shell"
	"github.com/datapipe/datapipe/internal/pipeline"
)

// copySteps returns the export and import steps of the shared samples
// for a copy of source through dir into dest.
func copySteps(dir, source, dest string) (exp, imp string) {
	const jar = "s3://dynamodb-emr-us-east-1/emr-ddb-storage-handler/2.1.0/emr-ddb-2.1.0.jar,"
	return jar + "org.apache.hadoop.dynamodb.tools.DynamoDbExport," + dir + "," + source + ",0.25",
		jar + "org.apache.hadoop.dynamodb.tools.DynamoDbImport," + dir + "," + dest + ",0.25"
}

// run executes one EmrActivity with steps, running on a cluster in
// region, with the copy's data nodes as input and output.
func run(t *testing.T, a *emr.Activity, region string, steps ...string) (string, error) {
	t.Helper()
	fields := []pipeline.Field{pipeline.Reference("runsOn", "Cluster")}
	for _, s := range steps {
		fields = append(fields, pipeline.String("step", s))
	}
	tk := newTask(t, fields, object("Cluster", "EmrCluster", pipeline.String("region", region)))
	var log strings.Builder
	env := &activity.Env{Log: activity.SyncWriter(&log)}
	out, err := a.Execute(t.Context(), tk, env)
	if err == nil && out != activity.Finished {
		t.Fatalf("outcome %v", out)
	}
	return log.String(), err
}

// The samples' copy, natively: export a table of the first dynalite to
// S3 in four segments, import the files into a table of the second.
func TestActivity_Execute(t *testing.T) {
	f := testFactory(t)
	ctx := t.Context()
	s3c, _ := f.S3(ctx, "")
	home, _ := f.DynamoDB(ctx, "us-east-1")
	away, _ := f.DynamoDB(ctx, awayRegion)
	bucket := newBucket(t, s3c)
	source, dest := uniqueName("src"), uniqueName("dst")
	createTable(t, home, source, 0)
	createTable(t, away, dest, 0)
	fill(t, home, source, 260)
	a := emr.New(emr.Config{Clients: f, ItemsPerFile: 50})

	t.Run("OK", func(t *testing.T) {
		dir := "s3://" + bucket + "/tmp/2024-01-01-00-00-00"
		exp, imp := copySteps(dir, source, dest)
		if log, err := run(t, a, "us-east-1", exp); err != nil {
			t.Fatalf("export: %v\n%s", err, log)
		}
		checkLayout(t, s3c, bucket, "tmp/2024-01-01-00-00-00/", 260, 50)
		if log, err := run(t, a, awayRegion, imp); err != nil {
			t.Fatalf("import: %v\n%s", err, log)
		}
		if got, want := scanAll(t, away, dest), scanAll(t, home, source); !reflect.DeepEqual(got, want) {
			t.Fatalf("destination holds %d items, source %d; they differ", len(got), len(want))
		}
	})
	t.Run("ErrOutputExists", func(t *testing.T) {
		exp, _ := copySteps("s3://"+bucket+"/tmp/2024-01-01-00-00-00", source, dest)
		_, err := run(t, a, "us-east-1", exp)
		wantID(t, err, emr.IDOutputExists)
	})
	t.Run("ErrTableNotFound", func(t *testing.T) {
		exp, _ := copySteps("s3://"+bucket+"/none", "missing-table", dest)
		_, err := run(t, a, awayRegion, exp)
		wantID(t, err, emr.IDTableNotFound)
		if !strings.Contains(err.Error(), "missing-table does not exist in region eu-west-1") {
			t.Errorf("message %q does not name the table and region", err)
		}
		if keys := listKeys(t, s3c, bucket, "none"); len(keys) > 0 {
			t.Errorf("a failed export left %v", keys)
		}
	})
	t.Run("ErrSourceInOtherRegion", func(t *testing.T) {
		exp, _ := copySteps("s3://"+bucket+"/other", source, dest)
		_, err := run(t, a, awayRegion, exp)
		wantID(t, err, emr.IDTableNotFound)
	})
}

// checkLayout checks the export directory: a manifest listing every
// data file, a _SUCCESS marker, data files named by UUIDs holding at
// most perFile items each, items in all.
func checkLayout(t *testing.T, c *s3.Client, bucket, prefix string, items, perFile int) {
	t.Helper()
	keys := listKeys(t, c, bucket, prefix)
	uuid := regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)
	var data []string
	for _, k := range keys {
		name := strings.TrimPrefix(k, prefix)
		switch {
		case name == "manifest" || name == "_SUCCESS":
		case uuid.MatchString(name):
			data = append(data, "s3://"+bucket+"/"+k)
		default:
			t.Errorf("unexpected file %s", k)
		}
	}
	if !slices.Contains(keys, prefix+"_SUCCESS") {
		t.Errorf("no _SUCCESS in %v", keys)
	}
	manifest := getObject(t, c, bucket, prefix+"manifest")
	head := "{\"name\":\"DynamoDB-export\",\"version\":3,\n\"entries\": [\n"
	if !strings.HasPrefix(manifest, head) || !strings.HasSuffix(manifest, "\n]}") {
		t.Errorf("manifest does not have DynamoDbExport's layout:\n%s", manifest)
	}
	for _, u := range data {
		if !strings.Contains(manifest, `{"url":"`+u+`","mandatory":true}`) {
			t.Errorf("manifest does not list %s:\n%s", u, manifest)
		}
	}
	total := 0
	for _, u := range data {
		n := strings.Count(getObject(t, c, bucket, strings.TrimPrefix(u, "s3://"+bucket+"/")), "\n")
		if n > perFile {
			t.Errorf("%s holds %d items; want at most %d", u, n, perFile)
		}
		total += n
	}
	if total != items {
		t.Errorf("data files hold %d items; want %d", total, items)
	}
}

// getObject returns an object's content.
func getObject(t *testing.T, c *s3.Client, bucket, key string) string {
	t.Helper()
	out, err := c.GetObject(context.Background(), &s3.GetObjectInput{Bucket: &bucket, Key: aws.String(key)})
	if err != nil {
		t.Fatalf("get s3://%s/%s: %v", bucket, key, err)
	}
	defer out.Body.Close()
	b, err := io.ReadAll(out.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// Files laid out by the real DynamoDbExport (a manifest of version 3,
// UUID-named data files, _SUCCESS) import, with the older layout
// without a manifest too; bad files fail naming the file and row.
func TestActivity_ExecuteImport(t *testing.T) {
	f := testFactory(t)
	ctx := t.Context()
	s3c, _ := f.S3(ctx, "")
	home, _ := f.DynamoDB(ctx, "us-east-1")
	bucket := newBucket(t, s3c)
	a := emr.New(emr.Config{Clients: f})
	for _, tc := range []struct {
		name     string
		testdata string
		wantID   string
		wantMsg  string
		items    int
	}{
		{"OK", "real-export", "", "", 3},
		{"OKNoManifest", "no-manifest", "", "", 2},
		{"ErrMalformedRow", "malformed", "MalformedRecord", "row 2", 0},
		{"ErrManifestEntryMissing", "manifest-missing", "DataNotFound", "which is not in the directory", 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			prefix := "in/" + tc.name
			upload(t, s3c, bucket, prefix, filepath.Join("testdata", tc.testdata))
			dest := uniqueName("imp")
			createTable(t, home, dest, 0)
			_, imp := copySteps("s3://"+bucket+"/"+prefix, "unused", dest)
			_, err := run(t, a, "us-east-1", imp)
			if tc.wantID != "" {
				wantID(t, err, tc.wantID)
			}
			if tc.wantMsg != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantMsg) {
					t.Fatalf("err = %v; want %q", err, tc.wantMsg)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := scanAll(t, home, dest); len(got) != tc.items {
				t.Fatalf("imported %d items; want %d: %v", len(got), tc.items, got)
			}
		})
	}
}

// upload copies the files of a testdata directory under prefix, with
// {{DIR}} in them replaced by the s3:// URL of prefix.
func upload(t *testing.T, c *s3.Client, bucket, prefix, dir string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		body := strings.ReplaceAll(string(b), "{{DIR}}", "s3://"+bucket+"/"+prefix)
		key := prefix + "/" + e.Name()
		if _, err := c.PutObject(t.Context(), &s3.PutObjectInput{Bucket: &bucket, Key: &key, Body: strings.NewReader(body)}); err != nil {
			t.Fatalf("put %s: %v", key, err)
		}
	}
}

// Any other step fails before anything runs, saying how to get a
// cluster; pre- and post-step commands run around the native steps.
func TestActivity_ExecuteSteps(t *testing.T) {
	a := emr.New(emr.Config{Shell: shell.NewActivity(shell.Config{})})
	t.Run("ErrClusterRequired", func(t *testing.T) {
		marker := filepath.Join(t.TempDir(), "pre")
		tk := newTask(t, []pipeline.Field{pipeline.String("preStepCommand", "touch "+marker),
			pipeline.String("step", sampleExport),
			pipeline.String("step", "s3://elasticmapreduce/libs/script-runner/script-runner.jar,s3://b/run.sh,x")})
		_, err := a.Execute(t.Context(), tk, &activity.Env{Log: io.Discard})
		wantID(t, err, emr.IDClusterRequired)
		for _, want := range []string{"EmrActivity Copy step 2", "script-runner.jar", "workerGroup"} {
			if !strings.Contains(err.Error(), want) {
				t.Errorf("message %q lacks %q", err, want)
			}
		}
		if _, statErr := os.Stat(marker); statErr == nil {
			t.Error("the preStepCommand ran although a step cannot")
		}
	})
	t.Run("ErrNoStep", func(t *testing.T) {
		_, err := a.Execute(t.Context(), newTask(t, nil), &activity.Env{Log: io.Discard})
		wantID(t, err, activity.IDInvalidTask)
	})
}

// preStepCommand runs before the steps, postStepCommand after them, in a
// local shell; an export to a file:// directory imports back.
func TestActivity_ExecuteCommands(t *testing.T) {
	f := testFactory(t)
	home, _ := f.DynamoDB(t.Context(), "us-east-1")
	source, dest := uniqueName("src"), uniqueName("dst")
	createTable(t, home, source, 0)
	createTable(t, home, dest, 0)
	fill(t, home, source, 30)
	a := emr.New(emr.Config{Clients: f, Shell: shell.NewActivity(shell.Config{}), Segments: 2})
	dir := filepath.Join(t.TempDir(), "export")
	order := filepath.Join(t.TempDir(), "order")
	exp, imp := copySteps("file://"+dir, source, dest)
	tk := newTask(t, []pipeline.Field{
		pipeline.String("preStepCommand", "echo pre >> "+order),
		pipeline.String("step", exp), pipeline.String("step", imp),
		pipeline.String("postStepCommand", "test -f "+dir+"/manifest && echo post >> "+order)})
	var log strings.Builder
	if _, err := a.Execute(t.Context(), tk, &activity.Env{Log: activity.SyncWriter(&log)}); err != nil {
		t.Fatalf("%v\n%s", err, log.String())
	}
	if got, _ := os.ReadFile(order); string(got) != "pre\npost\n" {
		t.Errorf("commands ran as %q; want pre, then post after the steps", got)
	}
	if m, _ := os.ReadFile(filepath.Join(dir, "manifest")); !strings.Contains(string(m), `"url":"file://`+dir+"/") {
		t.Errorf("manifest %q does not list the files under %s", m, dir)
	}
	if got, want := scanAll(t, home, dest), scanAll(t, home, source); !reflect.DeepEqual(got, want) {
		t.Fatalf("destination holds %d items, source %d; they differ", len(got), len(want))
	}
	t.Run("ErrPostCommand", func(t *testing.T) {
		tk := newTask(t, []pipeline.Field{pipeline.String("step", imp), pipeline.String("postStepCommand", "exit 3")})
		_, err := a.Execute(t.Context(), tk, &activity.Env{Log: io.Discard})
		wantID(t, err, shell.IDCommandFailed)
		if !strings.Contains(err.Error(), "postStepCommand 1") {
			t.Errorf("message %q does not name the command", err)
		}
	})
}

// The read ratio paces the scan of a provisioned table: at one read
// unit a second, the export waits about as long as its reads cost.
func TestActivity_ExecuteRateLimit(t *testing.T) {
	f := testFactory(t)
	home, _ := f.DynamoDB(t.Context(), "us-east-1")
	source := uniqueName("slow")
	createTable(t, home, source, 1)
	fill(t, home, source, 120)
	clk := &fakeClock{now: time.Unix(0, 0)}
	a := emr.New(emr.Config{Clients: f, Segments: 1, Clock: clk})
	exp, _ := copySteps("file://"+filepath.Join(t.TempDir(), "out"), source, "unused")
	exp = strings.Replace(exp, ",0.25", ",1.0", 1)
	if log, err := run(t, a, "us-east-1", exp); err != nil {
		t.Fatalf("%v\n%s", err, log)
	}
	// 120 items of about 250 bytes are 30 kB, 8 blocks of 4 kB, 4 units
	// read eventually consistent: at 1 unit/s, about 3 s of waiting
	// after the first second's budget.
	if clk.total() < 2*time.Second {
		t.Fatalf("the export waited %v (sleeps %v); want the reads paced to 1 unit/s", clk.total(), clk.slept)
	}
}

// fakeClock is a clock whose sleeps advance it.
type fakeClock struct {
	mu    sync.Mutex
	now   time.Time
	slept []time.Duration
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Sleep(_ context.Context, d time.Duration) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.slept = append(c.slept, d)
	c.now = c.now.Add(d)
	return nil
}

// total is the time slept.
func (c *fakeClock) total() time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	var sum time.Duration
	for _, d := range c.slept {
		sum += d
	}
	return sum
}
