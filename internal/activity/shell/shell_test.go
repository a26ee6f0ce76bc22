package shell_test

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/datapipe/datapipe/internal/activity"
	"github.com/datapipe/datapipe/internal/activity/shell"
	"github.com/datapipe/datapipe/internal/pipeline"
)

func cfg(t *testing.T) shell.Config {
	return shell.Config{TempDir: t.TempDir(), KillGrace: 200 * time.Millisecond}
}

func TestActivity_Execute(t *testing.T) {
	ctx := context.Background()
	t.Run("OK", func(t *testing.T) {
		e, log, out, _ := env()
		got, err := shell.NewActivity(cfg(t)).Execute(ctx, newTask(t, []pipeline.Field{str("command", "echo hello; echo oops >&2")}), e)
		if err != nil || got != activity.Finished {
			t.Fatalf("Execute = %v, %v", got, err)
		}
		if !strings.Contains(log.String(), "hello\n") || !strings.Contains(log.String(), "oops\n") || out.String() != "hello\n" {
			t.Errorf("log %q, stdout %q", log, out)
		}
	})
	t.Run("OKArgs", func(t *testing.T) {
		e, _, out, _ := env()
		tk := newTask(t, []pipeline.Field{str("command", `echo "[$1]" "[$2]" $#`), str("scriptArgument", "a b"), str("scriptArgument", "c")})
		if _, err := shell.NewActivity(cfg(t)).Execute(ctx, tk, e); err != nil {
			t.Fatal(err)
		}
		if out.String() != "[a b] [c] 2\n" {
			t.Errorf("stdout = %q", out)
		}
	})
	t.Run("OKMultiLineCommand", func(t *testing.T) {
		e, _, out, _ := env()
		tk := newTask(t, []pipeline.Field{str("command", "x=1\necho $((x+1))")})
		if _, err := shell.NewActivity(cfg(t)).Execute(ctx, tk, e); err != nil || out.String() != "2\n" {
			t.Fatalf("err %v, stdout %q", err, out)
		}
	})
	t.Run("ErrExitCode", func(t *testing.T) {
		e, _, _, _ := env()
		cmd := `for i in 1 2 3 4 5 6 7 8 9 10 11 12; do echo "line $i" >&2; done; exit 3`
		_, err := shell.NewActivity(cfg(t)).Execute(ctx, newTask(t, []pipeline.Field{str("command", cmd)}), e)
		wantID(t, err, shell.IDCommandFailed)
		msg := err.Error()
		if !strings.Contains(msg, "exited with code 3") || !strings.Contains(msg, "line 12") || !strings.Contains(msg, "line 3\n") || strings.Contains(msg, "line 2\n") {
			t.Errorf("message = %q", msg)
		}
	})
	t.Run("ErrNoCommand", func(t *testing.T) {
		_, err := shell.NewActivity(cfg(t)).Execute(ctx, newTask(t, nil), &activity.Env{})
		wantID(t, err, activity.IDInvalidTask)
	})
	t.Run("ErrCommandAndScript", func(t *testing.T) {
		tk := newTask(t, []pipeline.Field{str("command", "true"), str("scriptUri", "/x.sh")})
		_, err := shell.NewActivity(cfg(t)).Execute(ctx, tk, &activity.Env{})
		wantID(t, err, activity.IDInvalidTask)
	})
	t.Run("ErrBadStage", func(t *testing.T) {
		tk := newTask(t, []pipeline.Field{str("command", "true"), str("stage", "maybe")})
		_, err := shell.NewActivity(cfg(t)).Execute(ctx, tk, &activity.Env{})
		wantID(t, err, activity.IDInvalidTask)
	})
}

func TestActivity_Execute_OutputFiles(t *testing.T) {
	dir := t.TempDir()
	outPath, errPath := filepath.Join(dir, "out", "stdout.txt"), filepath.Join(dir, "stderr.txt")
	writeFile(t, errPath, "before\n")
	tk := newTask(t, []pipeline.Field{str("command", "echo to-out; echo to-err >&2"),
		str("stdout", "file://"+outPath), str("stderr", errPath)})
	e, log, _, _ := env()
	if _, err := shell.NewActivity(cfg(t)).Execute(context.Background(), tk, e); err != nil {
		t.Fatal(err)
	}
	if got := readFile(t, outPath); got != "to-out\n" {
		t.Errorf("stdout file = %q", got)
	}
	if got := readFile(t, errPath); got != "before\nto-err\n" {
		t.Errorf("stderr file = %q", got)
	}
	if !strings.Contains(log.String(), "to-out") || !strings.Contains(log.String(), "to-err") {
		t.Errorf("log = %q", log)
	}
	t.Run("ErrS3", func(t *testing.T) {
		tk := newTask(t, []pipeline.Field{str("command", "true"), str("stdout", "s3://bucket/out")})
		_, err := shell.NewActivity(cfg(t)).Execute(context.Background(), tk, &activity.Env{})
		wantID(t, err, activity.IDNotSupported)
	})
}

func TestActivity_Execute_ScriptURI(t *testing.T) {
	dir := t.TempDir()
	plain := filepath.Join(dir, "plain.sh")
	writeFile(t, plain, "echo plain \"$1\"\n")
	shebang := filepath.Join(dir, "shebang")
	writeFile(t, shebang, "#!/bin/sh\necho shebang \"$1\" \"$0\"\n")
	for _, tc := range []struct {
		name, uri, want string
	}{
		{"OKPlain", "file://" + plain, "plain x\n"},
		{"OKShebang", shebang, "shebang x "},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e, _, out, _ := env()
			tk := newTask(t, []pipeline.Field{str("scriptUri", tc.uri), str("scriptArgument", "x")})
			if _, err := shell.NewActivity(cfg(t)).Execute(context.Background(), tk, e); err != nil {
				t.Fatal(err)
			}
			if !strings.HasPrefix(out.String(), tc.want) {
				t.Errorf("stdout = %q; want prefix %q", out, tc.want)
			}
		})
	}
	t.Run("ErrS3", func(t *testing.T) {
		_, err := shell.NewActivity(cfg(t)).Execute(context.Background(), newTask(t, []pipeline.Field{str("scriptUri", "s3://b/k.sh")}), &activity.Env{})
		wantID(t, err, activity.IDNotSupported)
		if !strings.Contains(err.Error(), "S3 support from the data issue") {
			t.Errorf("message = %q", err)
		}
	})
	t.Run("ErrMissing", func(t *testing.T) {
		_, err := shell.NewActivity(cfg(t)).Execute(context.Background(), newTask(t, []pipeline.Field{str("scriptUri", filepath.Join(dir, "none"))}), &activity.Env{})
		wantID(t, err, shell.IDCommandFailed)
	})
}

// treeCommand starts two background sleeps, records their pids in $1,
// and waits.
const treeCommand = `sleep 100 & echo $! >> "$1"; sleep 100 & echo $! >> "$1"; wait`

func TestActivity_Execute_Timeout(t *testing.T) {
	pids := filepath.Join(t.TempDir(), "pids")
	tk := newTask(t, []pipeline.Field{str("command", treeCommand), str("scriptArgument", pids)})
	ctx, cancel := context.WithCancelCause(context.Background())
	done := make(chan error, 1)
	go func() {
		_, err := shell.NewActivity(cfg(t)).Execute(ctx, tk, &activity.Env{Log: &buffer{}})
		done <- err
	}()
	procs := waitPIDs(t, pids, 2)
	cancel(activity.Errorf(activity.IDAttemptTimeout, "the attempt did not finish within its attemptTimeout of 1 hour"))
	err := <-done
	wantID(t, err, activity.IDAttemptTimeout)
	wantGone(t, procs)
}

func TestActivity_Execute_Cancel(t *testing.T) {
	pids := filepath.Join(t.TempDir(), "pids")
	// The shell ignores SIGTERM, so the group must be killed after the grace.
	tk := newTask(t, []pipeline.Field{str("command", `trap "" TERM; `+treeCommand), str("scriptArgument", pids)})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		_, err := shell.NewActivity(cfg(t)).Execute(ctx, tk, &activity.Env{Log: &buffer{}})
		done <- err
	}()
	procs := waitPIDs(t, pids, 2)
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v; want context.Canceled", err)
	}
	wantGone(t, procs)
}

func TestActivity_Execute_Leftovers(t *testing.T) {
	pids := filepath.Join(t.TempDir(), "pids")
	tk := newTask(t, []pipeline.Field{str("command", `sleep 100 & echo $! >> "$1"; echo done`), str("scriptArgument", pids)})
	e, _, out, _ := env()
	got, err := shell.NewActivity(cfg(t)).Execute(context.Background(), tk, e)
	if err != nil || got != activity.Finished || out.String() != "done\n" {
		t.Fatalf("Execute = %v, %v (stdout %q)", got, err, out)
	}
	wantGone(t, waitPIDs(t, pids, 1))
}

func TestPrecondition_Execute(t *testing.T) {
	for _, tc := range []struct {
		name, command string
		want          activity.Outcome
	}{
		{"OKTrue", "test 1 = 1", activity.Finished},
		{"OKFalse", "echo no >&2; exit 1", activity.False},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e, log, _, _ := env()
			got, err := shell.NewPrecondition(cfg(t)).Execute(context.Background(), newTask(t, []pipeline.Field{str("command", tc.command)}), e)
			if err != nil || got != tc.want {
				t.Fatalf("Execute = %v, %v; log %q", got, err, log)
			}
		})
	}
	t.Run("ErrCanceled", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		_, err := shell.NewPrecondition(cfg(t)).Execute(ctx, newTask(t, []pipeline.Field{str("command", "sleep 100")}), &activity.Env{Log: &buffer{}})
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("err = %v", err)
		}
	})
}
