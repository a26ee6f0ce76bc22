package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/datapipeline"
	"github.com/aws/aws-sdk-go-v2/service/datapipeline/types"

	"github.com/datapipe/datapipe/internal/pipeline"
	"github.com/datapipe/datapipe/internal/store"
)

// crashTasks is the size of the run the server is killed in.
const crashTasks = 200

// TestEngine_ServerCrash kills the server with SIGKILL in the middle of a
// 200-task run and restarts it on the same store: every instance must end
// FINISHED exactly once, with exactly one FINISHED attempt.
func TestEngine_ServerCrash(t *testing.T) {
	for _, sc := range storeCases() {
		t.Run(sc.name, func(t *testing.T) {
			url := sc.url(t)
			leases := []string{"--ack-timeout", "2s", "--progress-timeout", "2s"}
			a := startProcess(t, url, leases...)
			c := (&server{endpoint: a.endpoint}).local()
			id := crashPipeline(t, c)
			stopA := startEngineRunner(t, &server{endpoint: a.endpoint}, "wg-crash")
			waitFinished(t, url, id, crashTasks/4)
			_ = a.cmd.Process.Kill() // SIGKILL mid-run
			_ = a.cmd.Wait()
			stopA()
			b := startProcess(t, url, leases...)
			stopB := startEngineRunner(t, &server{endpoint: b.endpoint}, "wg-crash")
			defer stopB()
			waitState(t, (&server{endpoint: b.endpoint}).local(), id, "FINISHED", 60*time.Second)
			checkExactlyOnce(t, url, id)
		})
	}
}

// crashPipeline creates and activates an on-demand pipeline of independent
// shell activities.
func crashPipeline(t *testing.T, c *datapipeline.Client) string {
	f := func(k, v string) types.Field { return types.Field{Key: aws.String(k), StringValue: aws.String(v)} }
	objs := []types.PipelineObject{{Id: aws.String("Default"), Name: aws.String("Default"), Fields: []types.Field{
		f("scheduleType", "ondemand"), f("workerGroup", "wg-crash"), f("maximumRetries", "5"), f("retryDelay", "1 second")}}}
	for i := range crashTasks {
		name := fmt.Sprintf("T%03d", i)
		objs = append(objs, types.PipelineObject{Id: aws.String(name), Name: aws.String(name), Fields: []types.Field{
			f("type", "ShellCommandActivity"), f("command", "sleep 0.02")}})
	}
	ctx := context.Background()
	id := newPipeline(t, c, "crash")
	out := must[*datapipeline.PutPipelineDefinitionOutput](t)(c.PutPipelineDefinition(ctx, &datapipeline.PutPipelineDefinitionInput{PipelineId: aws.String(id), PipelineObjects: objs}))
	if out.Errored {
		t.Fatalf("definition: %+v", out.ValidationErrors)
	}
	must[*datapipeline.ActivatePipelineOutput](t)(c.ActivatePipeline(ctx, &datapipeline.ActivatePipelineInput{PipelineId: aws.String(id)}))
	return id
}

// waitFinished waits until n instances are FINISHED.
func waitFinished(t *testing.T, url, id string, n int) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		if len(objectsIn(t, url, id, pipeline.SphereInstance, "FINISHED")) >= n {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("%d instances did not finish in time", n)
}

// objectsIn reads a pipeline's objects of a sphere (with a status when
// given) straight from the store.
func objectsIn(t *testing.T, url, id string, sphere pipeline.Sphere, status string) []store.Object {
	t.Helper()
	st, err := openStore(context.Background(), url, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	p := store.ObjectQueryParams{PipelineID: id, Sphere: sphere}
	if status != "" {
		p.Filters = []store.ObjectFilter{{Field: "@status", Op: store.OpEQ, Values: []string{status}}}
	}
	objs, err := st.ObjectQuery(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	return objs
}

// checkExactlyOnce: every instance FINISHED, and exactly one FINISHED
// attempt per instance.
func checkExactlyOnce(t *testing.T, url, id string) {
	insts := objectsIn(t, url, id, pipeline.SphereInstance, "")
	if len(insts) != crashTasks {
		t.Fatalf("%d instances; want %d", len(insts), crashTasks)
	}
	finished := map[string]int{}
	retried := 0
	for _, a := range objectsIn(t, url, id, pipeline.SphereAttempt, "") {
		if a.Status == pipeline.StatusFinished {
			finished[a.InstanceID]++
		}
		if !strings.HasSuffix(a.ID, "_Attempt=1") {
			retried++
		}
	}
	for _, o := range insts {
		if o.Status != pipeline.StatusFinished || finished[o.ID] != 1 {
			t.Errorf("%s is %s with %d FINISHED attempts", o.ID, o.Status, finished[o.ID])
		}
	}
	t.Logf("%d instances FINISHED exactly once; %d attempts were retries after the crash", len(insts), retried)
}

// TestEngine_LeaderFailover runs two replicas on one PostgreSQL schema and
// kills the scheduling leader mid-run: the other replica takes the lease
// over and finishes the run.
func TestEngine_LeaderFailover(t *testing.T) {
	url := postgresURL(t)
	flags := []string{"--lease-ttl", "2s", "--ack-timeout", "2s", "--progress-timeout", "2s"}
	a := startProcess(t, url, flags...)
	time.Sleep(300 * time.Millisecond) // A takes the lease first
	b := startProcess(t, url, flags...)
	cb := (&server{endpoint: b.endpoint}).local()
	id := crashPipeline(t, cb)
	stop := startEngineRunner(t, &server{endpoint: b.endpoint}, "wg-crash")
	defer stop()
	waitFinished(t, url, id, crashTasks/4)
	killed := time.Now()
	_ = a.cmd.Process.Kill()
	_ = a.cmd.Wait()
	waitState(t, cb, id, "FINISHED", 60*time.Second)
	checkExactlyOnce(t, url, id)
	t.Logf("replica B finished the run %v after the leader was killed (lease TTL 2s)", time.Since(killed).Round(10*time.Millisecond))
}

// TestHelperRunner is not a test: it is the task runner process that
// TestEngine_RunnerKilled starts and kills with SIGKILL.
func TestHelperRunner(t *testing.T) {
	endpoint := os.Getenv("DATAPIPE_HELPER_RUNNER")
	if endpoint == "" {
		t.Skip("helper process for TestEngine_RunnerKilled")
	}
	m := NewMain(strings.NewReader(""), os.Stdout, os.Stderr)
	os.Exit(m.Run(context.Background(), []string{"taskrunner", "--endpoint-url", endpoint, "--worker-group", "wg-kill", "--log-dir", os.TempDir()}))
}

// TestEngine_RunnerKilled kills a task runner with SIGKILL while its task
// runs: the lease expires, the attempt fails with LeaseExpired, and a new
// attempt on another runner finishes the instance.
func TestEngine_RunnerKilled(t *testing.T) {
	url := "sqlite:" + filepath.Join(t.TempDir(), "kill.db")
	s := startServer(t, url, "--ack-timeout", "2s", "--progress-timeout", "2s")
	c := s.local()
	f := func(k, v string) types.Field { return types.Field{Key: aws.String(k), StringValue: aws.String(v)} }
	marker := filepath.Join(t.TempDir(), "started")
	objs := []types.PipelineObject{
		{Id: aws.String("Default"), Name: aws.String("Default"), Fields: []types.Field{f("scheduleType", "ondemand"), f("workerGroup", "wg-kill"), f("retryDelay", "1 second")}},
		{Id: aws.String("Slow"), Name: aws.String("Slow"), Fields: []types.Field{f("type", "ShellCommandActivity"),
			f("command", "if [ -e "+marker+" ]; then exit 0; fi; touch "+marker+"; sleep 8")}},
	}
	ctx := context.Background()
	id := newPipeline(t, c, "kill")
	must[*datapipeline.PutPipelineDefinitionOutput](t)(c.PutPipelineDefinition(ctx, &datapipeline.PutPipelineDefinitionInput{PipelineId: aws.String(id), PipelineObjects: objs}))
	must[*datapipeline.ActivatePipelineOutput](t)(c.ActivatePipeline(ctx, &datapipeline.ActivatePipelineInput{PipelineId: aws.String(id)}))
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperRunner$")
	cmd.Env = append(os.Environ(), "DATAPIPE_HELPER_RUNNER="+s.endpoint)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	waitFile(t, marker, 30*time.Second)
	_ = cmd.Process.Kill() // the runner dies mid-task
	_ = cmd.Wait()
	stop := startEngineRunner(t, s, "wg-kill")
	defer stop()
	waitState(t, c, id, "FINISHED", 60*time.Second)
	atts := objectsIn(t, url, id, pipeline.SphereAttempt, "")
	if len(atts) != 2 || atts[0].Status != pipeline.StatusFailed || fieldOfObject(atts[0], "errorId") != "LeaseExpired" || atts[1].Status != pipeline.StatusFinished {
		for _, a := range atts {
			t.Logf("%s %s %s", a.ID, a.Status, fieldOfObject(a, "errorId"))
		}
		t.Fatal("want attempt 1 FAILED (LeaseExpired) and attempt 2 FINISHED")
	}
}

func waitFile(t *testing.T, path string, within time.Duration) {
	t.Helper()
	for deadline := time.Now().Add(within); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if _, err := os.Stat(path); err == nil {
			return
		}
	}
	t.Fatalf("%s did not appear", path)
}

func fieldOfObject(o store.Object, key string) string {
	for _, f := range o.Fields {
		if f.Key == key {
			return f.Value
		}
	}
	return ""
}
