package shell_test

import (
	"context"
	"syscall"
	"testing"
	"time"

	"github.com/datapipe/datapipe/internal/activity"
	"github.com/datapipe/datapipe/internal/activity/shell"
	"github.com/datapipe/datapipe/internal/pipeline"
)

// BenchmarkActivity_ExecuteTrue measures one attempt of `true`: wall
// time per op, and cpu-µs/op, the CPU of the runner and its children
// together (what an attempt costs the machine). The Fresh variants
// create and remove a work directory per attempt instead of reusing an
// empty one (b.TempDir is on the disk os.TempDir is on); the Parallel
// ones run 2×GOMAXPROCS attempts at a time, as a busy runner does.
func BenchmarkActivity_ExecuteTrue(b *testing.B) {
	for _, bc := range []struct {
		name                    string
		always, fresh, parallel bool
	}{
		{"Direct", false, false, false},
		{"DirectFresh", false, true, false},
		{"Shell", true, false, false},
		{"ShellFresh", true, true, false},
		{"DirectParallel", false, false, true},
		{"DirectFreshParallel", false, true, true},
	} {
		b.Run(bc.name, func(b *testing.B) {
			a := shell.NewActivity(shell.Config{TempDir: b.TempDir(), AlwaysShell: bc.always, FreshWorkDirs: bc.fresh})
			defer a.Close()
			tk := newTask(b, []pipeline.Field{str("command", "true")})
			execute := func() {
				if _, err := a.Execute(context.Background(), tk, &activity.Env{}); err != nil {
					b.Error(err)
				}
			}
			before := cpuTime()
			b.ResetTimer()
			if bc.parallel {
				b.SetParallelism(2)
				b.RunParallel(func(pb *testing.PB) {
					for pb.Next() {
						execute()
					}
				})
			} else {
				for b.Loop() {
					execute()
				}
			}
			b.ReportMetric(float64((cpuTime()-before).Microseconds())/float64(b.N), "cpu-µs/op")
		})
	}
}

// cpuTime is the user and system time of this process and its reaped
// children.
func cpuTime() time.Duration {
	var total time.Duration
	for _, who := range []int{syscall.RUSAGE_SELF, syscall.RUSAGE_CHILDREN} {
		var ru syscall.Rusage
		if syscall.Getrusage(who, &ru) == nil {
			total += time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
		}
	}
	return total
}
