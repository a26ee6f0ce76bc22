package main

import (
	"context"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/datapipeline"
	"github.com/aws/aws-sdk-go-v2/service/datapipeline/types"
	"github.com/chromedp/chromedp"
)

// consoleDefinition is an hourly pipeline of past intervals: Extract
// finishes, Load fails, Report waits on Load for ever, and Slow prints a
// line a second (for log tailing).
func consoleDefinition(start, end time.Time) []types.PipelineObject {
	f := func(k, v string) types.Field { return types.Field{Key: aws.String(k), StringValue: aws.String(v)} }
	r := func(k, v string) types.Field { return types.Field{Key: aws.String(k), RefValue: aws.String(v)} }
	obj := func(id string, fields ...types.Field) types.PipelineObject {
		return types.PipelineObject{Id: aws.String(id), Name: aws.String(id), Fields: fields}
	}
	return []types.PipelineObject{
		obj("Default", f("scheduleType", "cron"), r("schedule", "Hourly"), f("workerGroup", "wg-console"), f("maximumRetries", "0"), f("maxActiveInstances", "3")),
		obj("Hourly", f("type", "Schedule"), f("period", "1 hour"), f("startDateTime", start.Format("2006-01-02T15:04:05")), f("endDateTime", end.Format("2006-01-02T15:04:05"))),
		obj("Raw", f("type", "S3DataNode"), f("directoryPath", "s3://bucket/raw")),
		obj("Extract", f("type", "ShellCommandActivity"), f("command", "echo extracting"), r("input", "Raw"), r("output", "Clean")),
		obj("Clean", f("type", "S3DataNode"), f("directoryPath", "s3://bucket/clean")),
		obj("Load", f("type", "ShellCommandActivity"), f("command", "echo loading; exit 3"), r("dependsOn", "Extract")),
		obj("Report", f("type", "ShellCommandActivity"), f("command", "echo report"), r("dependsOn", "Load")),
		obj("Slow", f("type", "ShellCommandActivity"), f("command", "for i in 1 2 3 4; do echo tick $i; sleep 1; done"), r("dependsOn", "Extract")),
	}
}

// chromiumPath is the browser the console tests drive: DATAPIPE_TEST_CHROMIUM
// (scripts/servers.sh sets it), else Debian's /usr/bin/chromium.
func chromiumPath(t *testing.T) string {
	p := os.Getenv("DATAPIPE_TEST_CHROMIUM")
	if p == "" {
		p = "/usr/bin/chromium"
	}
	if _, err := os.Stat(p); err != nil {
		if testing.Short() {
			t.Skipf("no Chromium at %s (-short)", p)
		}
		t.Fatalf("no Chromium at %s: install Debian's chromium or set DATAPIPE_TEST_CHROMIUM (scripts/servers.sh start does both)", p)
	}
	return p
}

// artifactDir is where screenshots go: DATAPIPE_TEST_ARTIFACTS, else a
// new temporary directory that outlives the test.
func artifactDir(t *testing.T) string {
	dir := os.Getenv("DATAPIPE_TEST_ARTIFACTS")
	if dir == "" {
		var err error
		if dir, err = os.MkdirTemp("", "datapipe-console-"); err != nil {
			t.Fatal(err)
		}
	}
	dir = filepath.Join(dir, "console")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// browser starts headless Chromium with a fresh profile.
func browser(t *testing.T) context.Context {
	opts := []chromedp.ExecAllocatorOption{chromedp.ExecPath(chromiumPath(t)), chromedp.Headless, chromedp.NoSandbox, chromedp.NoFirstRun,
		chromedp.UserDataDir(t.TempDir()), chromedp.Flag("disable-gpu", true), chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.Flag("disable-dev-shm-usage", true), chromedp.WindowSize(1400, 1000)}
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(alloc)
	t.Cleanup(func() { cancel(); cancelAlloc() })
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start Chromium: %v", err)
	}
	return ctx
}

// TestConsole_Browser runs a pipeline with finished, failed, waiting and
// running work on the real server, then drives the console in headless
// Chromium: the list, the graph, the runs grid, the timeline, a live
// log, the "why" view and a confirmed rerun. It saves a screenshot of
// each page.
func TestConsole_Browser(t *testing.T) {
	ctx := browser(t)
	shots := artifactDir(t)
	s := startServer(t, "sqlite:"+filepath.Join(t.TempDir(), "console.db"))
	c := s.local()
	end := time.Now().UTC().Truncate(time.Hour).Add(-time.Hour)
	id := newPipeline(t, c, "nightly-sales")
	must[*datapipeline.AddTagsOutput](t)(c.AddTags(context.Background(), &datapipeline.AddTagsInput{PipelineId: aws.String(id),
		Tags: []types.Tag{{Key: aws.String("team"), Value: aws.String("analytics")}}}))
	put := must[*datapipeline.PutPipelineDefinitionOutput](t)(c.PutPipelineDefinition(context.Background(),
		&datapipeline.PutPipelineDefinitionInput{PipelineId: aws.String(id), PipelineObjects: consoleDefinition(end.Add(-5*time.Hour), end)}))
	if put.Errored {
		t.Fatalf("definition: %+v", put.ValidationErrors)
	}
	must[*datapipeline.ActivatePipelineOutput](t)(c.ActivatePipeline(context.Background(), &datapipeline.ActivatePipelineInput{PipelineId: aws.String(id)}))
	stop := startConsoleRunner(t, s, "wg-console")
	defer stop()
	b := &browserCheck{t: t, ctx: ctx, base: s.endpoint, pipeline: "/console/pipelines/" + id, shots: shots}

	t.Run("log tails live", func(t *testing.T) {
		att := waitConsoleObject(t, c, id, "ATTEMPT", "Slow", "RUNNING")
		b.open(t, b.pipeline+"/object?id="+url.QueryEscape(att), "#log")
		first := b.text(t, "#log")
		b.waitJS(t, `document.getElementById("log").textContent.includes("tick 4")`)
		if strings.Contains(first, "tick 4") {
			t.Errorf("the log was complete on load; nothing was tailed: %q", first)
		}
		b.shot(t, "log.png")
	})
	load := waitConsoleObject(t, c, id, "INSTANCE", "Load", "FAILED")
	report := waitConsoleObject(t, c, id, "INSTANCE", "Report", "WAITING_ON_DEPENDENCIES")
	waitConsoleObject(t, c, id, "INSTANCE", "Slow", "FINISHED")

	t.Run("list", func(t *testing.T) {
		b.open(t, "/?q=team%3Danalytics", "#pipelines")
		b.contains(t, "#pipelines", "nightly-sales", "SCHEDULED", "every 1 hour", "FAILED", "team=analytics")
		b.shot(t, "list.png")
	})
	t.Run("graph", func(t *testing.T) {
		b.open(t, b.pipeline, "#graph")
		b.waitJS(t, `document.querySelectorAll("#graph .node").length === 6 && document.querySelectorAll("#graph .node.st-fail").length === 1`)
		b.contains(t, "#graph", "Extract", "Load", "Report", "Slow", "dependsOn", "input", "output")
		b.shot(t, "graph.png")
	})
	t.Run("runs grid", func(t *testing.T) {
		b.open(t, b.pipeline+"/runs", "#runs-grid")
		b.waitJS(t, `document.querySelectorAll("#runs-grid tbody tr").length >= 5 && document.querySelectorAll("#runs-grid .cell.st-fail").length >= 5`)
		b.contains(t, "#runs-grid", "Extract", "FINISHED", "FAILED", "WAITING_ON_DEPENDENCIES")
		b.shot(t, "runs-grid.png")
	})
	t.Run("timeline", func(t *testing.T) {
		b.open(t, b.pipeline+"/timeline", "#gantt")
		b.waitJS(t, `document.querySelectorAll("#gantt .bar").length >= 6`)
		b.shot(t, "timeline.png")
	})
	t.Run("why", func(t *testing.T) {
		b.open(t, b.pipeline+"/object?id="+url.QueryEscape(report), "#why")
		b.contains(t, "#why", "Why is this not running?", "DEPENDENCY", "@Load_", "is FAILED, not FINISHED")
		b.shot(t, "why.png")
	})
	t.Run("rerun with confirmation", func(t *testing.T) {
		b.open(t, b.pipeline+"/object?id="+url.QueryEscape(load), "#act-rerun")
		b.do(t, chromedp.Click(chromedp.CSS("#instance-actions input[name=cascade]")), chromedp.Click(chromedp.CSS("#act-rerun")),
			chromedp.WaitVisible(chromedp.CSS("#confirm")))
		b.contains(t, "#confirm", "Rerun", load, "@Report_")
		b.shot(t, "confirm.png")
		if st := objectStatus(t, c, id, load); st != "FAILED" {
			t.Fatalf("the rerun ran before it was confirmed: %s", st)
		}
		b.do(t, chromedp.Click(chromedp.CSS("#confirm-yes")), chromedp.WaitVisible(chromedp.CSS(".flash")))
		b.contains(t, ".flash", "Rerun: ")
		waitConsoleObject(t, c, id, "ATTEMPT", "Load", "", load+"_Attempt=2")
	})
	t.Run("metrics", func(t *testing.T) {
		b.open(t, "/console/metrics", "#queue-depth")
		b.shot(t, "metrics.png")
	})
	if os.Getenv("DATAPIPE_UPDATE_SCREENSHOTS") != "" {
		copyShots(t, shots, "../../docs/screenshots", "graph.png", "runs-grid.png")
	}
}

// startConsoleRunner runs `datapipe taskrunner` with four slots, so the
// intervals run side by side.
func startConsoleRunner(t *testing.T, s *server, group string) func() {
	ctx, cancel := context.WithCancel(context.Background())
	m := NewMain(strings.NewReader(""), &syncBuffer{}, &syncBuffer{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		m.Run(ctx, []string{"taskrunner", "--endpoint-url", s.endpoint, "--worker-group", group, "--concurrency", "4", "--log-dir", t.TempDir()})
	}()
	return func() { cancel(); <-done; _ = m.Close() }
}

// browserCheck drives one tab against the server.
type browserCheck struct {
	t        *testing.T
	ctx      context.Context
	base     string
	pipeline string
	shots    string
}

func (b *browserCheck) do(t *testing.T, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 20*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatal(err)
	}
}

// open loads a page and waits for an element.
func (b *browserCheck) open(t *testing.T, path, sel string) {
	t.Helper()
	b.do(t, chromedp.Navigate(b.base+path), chromedp.WaitVisible(chromedp.CSS(sel)))
}

func (b *browserCheck) text(t *testing.T, sel string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 20*time.Second)
	defer cancel()
	s, err := chromedp.Run(ctx, chromedp.TextContent(chromedp.CSS(sel)))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func (b *browserCheck) contains(t *testing.T, sel string, want ...string) {
	t.Helper()
	got := b.text(t, sel)
	for _, w := range want {
		if !strings.Contains(got, w) {
			t.Errorf("%s lacks %q:\n%s", sel, w, got)
		}
	}
}

// waitJS waits until a JavaScript condition holds in the page.
func (b *browserCheck) waitJS(t *testing.T, cond string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 20*time.Second)
	defer cancel()
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](cond, chromedp.WithPollingInterval(100*time.Millisecond))); err != nil {
		t.Fatalf("waiting for %s: %v", cond, err)
	}
}

// shot saves a full-page screenshot as a test artifact.
func (b *browserCheck) shot(t *testing.T, name string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 20*time.Second)
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(b.shots, name)
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot %s", path)
}

// waitConsoleObject waits until an object of a component has a status ("" for
// any) or, with want, until that id exists; it returns its id.
func waitConsoleObject(t *testing.T, c *datapipeline.Client, id, sphere, comp, status string, want ...string) string {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		sel := []types.Selector{{FieldName: aws.String("@componentParent"), Operator: &types.Operator{Type: types.OperatorTypeEqual, Values: []string{comp}}}}
		if status != "" {
			sel = append(sel, types.Selector{FieldName: aws.String("@status"), Operator: &types.Operator{Type: types.OperatorTypeEqual, Values: []string{status}}})
		}
		out, err := c.QueryObjects(context.Background(), &datapipeline.QueryObjectsInput{PipelineId: aws.String(id), Sphere: aws.String(sphere), Query: &types.Query{Selectors: sel}})
		if err != nil {
			t.Fatal(err)
		}
		for _, got := range out.Ids {
			if len(want) == 0 || got == want[0] {
				return got
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("no %s of %s with status %q %v within 60s", sphere, comp, status, want)
	return ""
}

// objectStatus reads an object's @status.
func objectStatus(t *testing.T, c *datapipeline.Client, id, oid string) string {
	t.Helper()
	out := must[*datapipeline.DescribeObjectsOutput](t)(c.DescribeObjects(context.Background(), &datapipeline.DescribeObjectsInput{PipelineId: aws.String(id), ObjectIds: []string{oid}}))
	for _, f := range out.PipelineObjects[0].Fields {
		if aws.ToString(f.Key) == "@status" {
			return aws.ToString(f.StringValue)
		}
	}
	return ""
}

// copyShots refreshes the screenshots committed under docs/.
func copyShots(t *testing.T, from, to string, names ...string) {
	for _, n := range names {
		data, err := os.ReadFile(filepath.Join(from, n))
		if err == nil {
			err = os.WriteFile(filepath.Join(to, n), data, 0o644)
		}
		if err != nil {
			t.Error(err)
		}
	}
}

// TestConsole_BrowserSignIn signs in with an access key in headless
// Chromium against a server with a keys file: the console first sends the
// browser to the sign-in form, then shows the key's own pipelines.
func TestConsole_BrowserSignIn(t *testing.T) {
	ctx := browser(t)
	keys := filepath.Join(t.TempDir(), "keys.json")
	if err := os.WriteFile(keys, []byte(`[{"accessKeyId":"AKIDCONSOLE","secretAccessKey":"console-secret","accountId":"123456789012","userId":"carol"}]`), 0o600); err != nil {
		t.Fatal(err)
	}
	s := startServer(t, "sqlite:"+filepath.Join(t.TempDir(), "signin.db"), "--keys-file", keys)
	newPipeline(t, s.client("AKIDCONSOLE", "console-secret"), "carols-pipeline")
	b := &browserCheck{t: t, ctx: ctx, base: s.endpoint, shots: artifactDir(t)}
	b.open(t, "/", "input[name=accessKeyId]")
	b.do(t, chromedp.SendKeys(chromedp.CSS("input[name=accessKeyId]"), "AKIDCONSOLE"),
		chromedp.SendKeys(chromedp.CSS("input[name=secretAccessKey]"), "wrong"),
		chromedp.Submit(chromedp.CSS("input[name=secretAccessKey]")), chromedp.WaitVisible(chromedp.CSS(".error")))
	b.contains(t, ".error", "wrong")
	b.do(t, chromedp.SendKeys(chromedp.CSS("input[name=accessKeyId]"), "AKIDCONSOLE"),
		chromedp.SendKeys(chromedp.CSS("input[name=secretAccessKey]"), "console-secret"),
		chromedp.Submit(chromedp.CSS("input[name=secretAccessKey]")), chromedp.WaitVisible(chromedp.CSS("#pipelines")))
	b.contains(t, "#pipelines", "carols-pipeline")
	b.contains(t, ".who", "carol")
	b.shot(t, "signed-in.png")
}
