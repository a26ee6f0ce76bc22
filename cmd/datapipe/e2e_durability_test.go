package main

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/datapipeline"
)

// TestHelperServer is not a test: it is the server process the durability
// test starts (re-executing the test binary) and kills with SIGKILL.
func TestHelperServer(t *testing.T) {
	store := os.Getenv("DATAPIPE_HELPER_STORE")
	if store == "" {
		t.Skip("helper process for TestServer_Durability")
	}
	m := NewMain(strings.NewReader(""), os.Stdout, os.Stderr)
	go func() {
		addr, err := m.WaitAddr(context.Background())
		if err == nil {
			fmt.Printf("LISTENING %s\n", addr)
		}
	}()
	args := []string{"server", "--addr", "127.0.0.1:0", "--store", store, "--log-level", "warn"}
	args = append(args, strings.Fields(os.Getenv("DATAPIPE_HELPER_ARGS"))...)
	os.Exit(m.Run(context.Background(), args))
}

// process is a server running in a child process.
type process struct {
	cmd      *exec.Cmd
	endpoint string
}

func startProcess(t *testing.T, storeURL string, extra ...string) *process {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperServer$")
	cmd.Env = append(os.Environ(), "DATAPIPE_HELPER_STORE="+storeURL, "DATAPIPE_HELPER_ARGS="+strings.Join(extra, " "))
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		if addr, ok := strings.CutPrefix(sc.Text(), "LISTENING "); ok {
			go func() {
				for sc.Scan() {
				}
			}()
			return &process{cmd: cmd, endpoint: "http://" + addr}
		}
	}
	t.Fatal("the server process exited before listening")
	return nil
}

// TestServer_Durability kills the server with SIGKILL in the middle of a
// burst of CreatePipeline and PutPipelineDefinition calls; after a restart
// every acknowledged write must be there.
func TestServer_Durability(t *testing.T) {
	for _, sc := range storeCases() {
		t.Run(sc.name, func(t *testing.T) {
			url := sc.url(t)
			p := startProcess(t, url)
			acked := burst(t, (&server{endpoint: p.endpoint}).local(), p)
			if len(acked.created) == 0 {
				t.Fatal("no write was acknowledged before the kill")
			}
			s := startServer(t, url)
			verify(t, s.local(), acked)
			t.Logf("%d creates and %d definitions acknowledged before SIGKILL; all present after restart", len(acked.created), len(acked.defined))
		})
	}
}

// acks records what the server acknowledged.
type acks struct {
	mu      sync.Mutex
	created map[string]string // pipeline id -> unique id
	defined map[string]bool   // pipeline ids whose definition was saved
}

// burst runs writers until the process is killed mid-flight.
func burst(t *testing.T, c *datapipeline.Client, p *process) *acks {
	a := &acks{created: map[string]string{}, defined: map[string]bool{}}
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	for w := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			write(ctx, c, a, w)
		}()
	}
	time.Sleep(1500 * time.Millisecond) // let the burst build up; the kill must land mid-flight
	_ = p.cmd.Process.Signal(syscall.SIGKILL)
	_ = p.cmd.Wait()
	cancel()
	wg.Wait()
	return a
}

func write(ctx context.Context, c *datapipeline.Client, a *acks, w int) {
	params, values := helloParams()
	for i := 0; ctx.Err() == nil; i++ {
		uid := fmt.Sprintf("w%d-%d", w, i)
		out, err := c.CreatePipeline(ctx, &datapipeline.CreatePipelineInput{Name: aws.String("burst"), UniqueId: aws.String(uid)})
		if err != nil {
			return
		}
		id := aws.ToString(out.PipelineId)
		a.mu.Lock()
		a.created[id] = uid
		a.mu.Unlock()
		_, err = c.PutPipelineDefinition(ctx, &datapipeline.PutPipelineDefinitionInput{PipelineId: aws.String(id),
			PipelineObjects: helloObjects(), ParameterObjects: params, ParameterValues: values})
		if err != nil {
			return
		}
		a.mu.Lock()
		a.defined[id] = true
		a.mu.Unlock()
	}
}

// verify checks every acknowledged write after the restart.
func verify(t *testing.T, c *datapipeline.Client, a *acks) {
	ctx := context.Background()
	for id, uid := range a.created {
		out, err := c.CreatePipeline(ctx, &datapipeline.CreatePipelineInput{Name: aws.String("burst"), UniqueId: aws.String(uid)})
		if err != nil || aws.ToString(out.PipelineId) != id {
			t.Errorf("acknowledged pipeline %s (%s) lost: got %v, %v", id, uid, out, err)
		}
		if !a.defined[id] {
			continue
		}
		def, err := c.GetPipelineDefinition(ctx, &datapipeline.GetPipelineDefinitionInput{PipelineId: aws.String(id)})
		if err != nil || objectsText(def.PipelineObjects) != objectsText(helloObjects()) {
			t.Errorf("acknowledged definition of %s lost: %v", id, err)
		}
	}
}
