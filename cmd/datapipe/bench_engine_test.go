package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// benchDefinition writes an on-demand definition of n ShellCommandActivity
// objects running `true`, chained through dependsOn when chain is set,
// independent otherwise. It is the same definition scripts/bench-engine.sh
// generates.
func benchDefinition(b *testing.B, n int, chain bool) string {
	b.Helper()
	var sb strings.Builder
	sb.WriteString(`{"objects":[{"id":"Default","scheduleType":"ondemand","workerGroup":"bench","maximumRetries":"0"}`)
	for i := 1; i <= n; i++ {
		dep := ""
		if chain && i > 1 {
			dep = fmt.Sprintf(`,"dependsOn":{"ref":"T%d"}`, i-1)
		}
		fmt.Fprintf(&sb, `,{"id":"T%d","type":"ShellCommandActivity","command":"true"%s}`, i, dep)
	}
	sb.WriteString("]}")
	path := filepath.Join(b.TempDir(), "bench.json")
	if err := os.WriteFile(path, []byte(sb.String()), 0o600); err != nil {
		b.Fatal(err)
	}
	return path
}

// benchRun runs `datapipe run path` through the real Main and fails the
// benchmark unless every instance finished.
func benchRun(b *testing.B, path string) (time.Duration, time.Duration) {
	b.Helper()
	var out, errOut bytes.Buffer
	m := NewMain(strings.NewReader(""), &out, &errOut)
	cpu0 := cpuTime()
	start := time.Now()
	code := m.Run(context.Background(), []string{"run", path, "--timeout", "10m"})
	d := time.Since(start)
	cpu := cpuTime() - cpu0
	_ = m.Close()
	if code != exitOK {
		b.Fatalf("exit %d\n%s\n%s", code, out.String(), errOut.String())
	}
	return d, cpu
}

// cpuTime is the CPU time (user and system) this process and its waited-for
// children have used so far: a measure of cost that, unlike wall time,
// other load on the machine barely changes.
func cpuTime() time.Duration {
	var self, children syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &self)
	_ = syscall.Getrusage(syscall.RUSAGE_CHILDREN, &children)
	tv := func(t syscall.Timeval) time.Duration { return time.Duration(t.Nano()) }
	return tv(self.Utime) + tv(self.Stime) + tv(children.Utime) + tv(children.Stime)
}

// BenchmarkRun_Chain100 is benchmark (b) of issue 4: a chain of 100
// dependent `true` tasks through `datapipe run`. It reports the wall time
// per hop and the orchestration overhead per hop: the hop minus the
// command's own time, which is the time this machine takes to start
// `true` and wait for it (the runner runs a simple command like this one
// without a shell; see internal/activity/shell).
func BenchmarkRun_Chain100(b *testing.B) {
	path := benchDefinition(b, 100, true)
	shell := commandTime(b, 100)
	for b.Loop() {
		d, cpu := benchRun(b, path)
		b.ReportMetric(float64(cpu.Microseconds())/100/1000, "cpu-ms/hop")
		b.ReportMetric(float64(d.Microseconds())/100/1000, "ms/hop")
		b.ReportMetric(float64((d-shell).Microseconds())/100/1000, "overhead-ms/hop")
	}
}

// BenchmarkRun_Fan1000 is benchmark (d) of issue 4: 1,000 independent
// `true` tasks through `datapipe run`, against this machine's rate of
// starting `sh -c true` four at a time.
func BenchmarkRun_Fan1000(b *testing.B) {
	path := benchDefinition(b, 1000, false)
	shell := shellTime(b, "sh", 1000, 4)
	for b.Loop() {
		d, cpu := benchRun(b, path)
		b.ReportMetric(float64(cpu.Microseconds())/1000/1000, "cpu-ms/task")
		b.ReportMetric(1000/d.Seconds(), "tasks/s")
		b.ReportMetric(1000/shell.Seconds(), "sh-true/s")
		b.ReportMetric(100*shell.Seconds()/d.Seconds(), "%-of-sh")
	}
}

// commandTime is how long n runs of `true`, one at a time, take.
func commandTime(b *testing.B, n int) time.Duration {
	b.Helper()
	start := time.Now()
	for range n {
		if err := exec.Command("true").Run(); err != nil {
			b.Fatal(err)
		}
	}
	return time.Since(start)
}

// shellTime is how long n runs of `<shell> -c true` take, parallel at a
// time.
func shellTime(b *testing.B, shell string, n, parallel int) time.Duration {
	b.Helper()
	jobs := make(chan struct{}, n)
	for range n {
		jobs <- struct{}{}
	}
	close(jobs)
	var wg sync.WaitGroup
	start := time.Now()
	for range parallel {
		wg.Go(func() {
			for range jobs {
				if err := exec.Command(shell, "-c", "true").Run(); err != nil {
					b.Error(err)
				}
			}
		})
	}
	wg.Wait()
	return time.Since(start)
}
