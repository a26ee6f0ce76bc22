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
// together (what an attempt costs the machine).
func BenchmarkActivity_ExecuteTrue(b *testing.B) {
	for _, bc := range []struct {
		name   string
		always bool
	}{{"Direct", false}, {"Shell", true}} {
		b.Run(bc.name, func(b *testing.B) {
			a := shell.NewActivity(shell.Config{TempDir: b.TempDir(), AlwaysShell: bc.always})
			tk := newTask(b, []pipeline.Field{str("command", "true")})
			e := &activity.Env{}
			before := cpuTime()
			b.ResetTimer()
			for b.Loop() {
				if _, err := a.Execute(context.Background(), tk, e); err != nil {
					b.Fatal(err)
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
