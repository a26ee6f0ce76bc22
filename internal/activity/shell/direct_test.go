package shell_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/datapipe/datapipe/internal/activity"
	"github.com/datapipe/datapipe/internal/activity/shell"
	"github.com/datapipe/datapipe/internal/pipeline"
)

// run is what one attempt did, with paths under its TempDir replaced
// by <tmp> and its work directory's name by datapipe-attempt-N.
type run struct {
	err                        string
	stdout, stderr, stdoutFile []string // sorted lines: bash and exec order env differently
}

// runBoth runs the attempt once with the fast path and once through the
// shell, and returns both runs.
func runBoth(t *testing.T, fields []pipeline.Field, objects ...pipeline.Object) (direct, viaShell run) {
	t.Helper()
	return runOnce(t, false, fields, objects), runOnce(t, true, fields, objects)
}

// runOnce runs the attempt, its stdout also going to a file.
func runOnce(t *testing.T, alwaysShell bool, fields []pipeline.Field, objects []pipeline.Object) run {
	t.Helper()
	c := cfg(t)
	c.AlwaysShell = alwaysShell
	outFile := filepath.Join(t.TempDir(), "stdout.txt")
	fields = append(slices.Clip(fields), str("stdout", outFile))
	e, _, out, errOut := env()
	_, err := shell.NewActivity(c).Execute(context.Background(), newTask(t, fields, objects...), e)
	work := regexp.MustCompile(`datapipe-attempt-[0-9]+`)
	norm := func(s string) string {
		return work.ReplaceAllString(strings.ReplaceAll(s, c.TempDir, "<tmp>"), "datapipe-attempt-N")
	}
	lines := func(s string) []string {
		l := strings.Split(norm(s), "\n")
		slices.Sort(l)
		return l
	}
	r := run{stdout: lines(out.String()), stderr: lines(errOut.String()), stdoutFile: lines(readFile(t, outFile))}
	if err != nil {
		r.err = activity.AsError(err).ID + ": " + norm(err.Error())
	}
	if !slices.Equal(r.stdoutFile, r.stdout) {
		t.Errorf("stdout file %q; stdout %q", r.stdoutFile, r.stdout)
	}
	return r
}

func TestActivity_Execute_Direct(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "in", "a.csv"), "1,2\n")
	script := filepath.Join(dir, "noshebang")
	writeFile(t, script, "echo from-script \"$0\"\n")
	if err := os.Chmod(script, 0o755); err != nil {
		t.Fatal(err)
	}
	in := node("In", "S3DataNode", str("directoryPath", filepath.Join(dir, "in")))
	for _, tc := range []struct {
		name       string
		command    string
		setenv     map[string]string
		stage      bool
		direct     bool     // the fast path takes it
		wantOut    []string // lines the stdout must hold
		wantErr    string   // what the error must hold; "" for none
		wantStderr string   // what standard error must hold
	}{
		{name: "OKTrue", command: "true", direct: true},
		{name: "OKEnv", command: "env", direct: true, wantOut: []string{"PWD=<tmp>/datapipe-attempt-N"}},
		{name: "OKEnvShlvlSet", command: "env", setenv: map[string]string{"SHLVL": "07"}, direct: true, wantOut: []string{"SHLVL=7"}},
		{name: "OKEnvOldpwdDir", command: "env", setenv: map[string]string{"OLDPWD": "/"}, direct: true, wantOut: []string{"OLDPWD=/"}},
		{name: "OKEnvOldpwdMissing", command: "env", setenv: map[string]string{"OLDPWD": "/nonexistent"}, direct: true},
		{name: "OKEnvStaging", command: "env", stage: true, direct: true,
			wantOut: []string{"INPUT1_STAGING_DIR=<tmp>/datapipe-attempt-N/staging/input1"}},
		{name: "OKCwd", command: "realpath .", direct: true, wantOut: []string{"<tmp>/datapipe-attempt-N"}},
		{name: "OKListWorkDir", command: "ls -a", direct: true, wantOut: []string{".", ".."}},
		{name: "OKScriptWithoutShebang", command: script + " x", direct: true, wantOut: []string{"from-script " + script}},
		{name: "ErrFalse", command: "false", direct: true, wantErr: "ShellCommandFailed: the command exited with code 1"},
		{name: "ErrExitCode", command: "ls /nonexistent-dp", direct: true,
			wantErr: "exited with code 2", wantStderr: "/nonexistent-dp"},
		{name: "ErrCommandNotFound", command: "no-such-command-dp arg", direct: false,
			wantErr: "exited with code 127", wantStderr: "no-such-command-dp: command not found"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for k, v := range tc.setenv {
				t.Setenv(k, v)
			}
			if got := shell.Direct(cfg(t), tc.command, t.TempDir()); got != tc.direct {
				t.Errorf("Direct(%q) = %v; want %v", tc.command, got, tc.direct)
			}
			fields := []pipeline.Field{str("command", tc.command)}
			if tc.stage {
				fields = append(fields, str("stage", "true"), ref("input", "In"))
			}
			direct, viaShell := runBoth(t, fields, in)
			if d, s := diff(direct.stdout, viaShell.stdout); d != nil || s != nil {
				t.Errorf("stdout: direct only %q, shell only %q", d, s)
			}
			if d, s := diff(direct.stderr, viaShell.stderr); d != nil || s != nil || direct.err != viaShell.err {
				t.Errorf("stderr: direct only %q, shell only %q; errors %q and %q", d, s, direct.err, viaShell.err)
			}
			for _, l := range tc.wantOut {
				if !slices.Contains(direct.stdout, l) {
					t.Errorf("stdout %q lacks %q", direct.stdout, l)
				}
			}
			if tc.wantErr == "" && direct.err != "" || !strings.Contains(direct.err, tc.wantErr) ||
				!strings.Contains(direct.err, tc.wantStderr) || !strings.Contains(strings.Join(direct.stderr, "\n"), tc.wantStderr) {
				t.Errorf("error %q, stderr %q; want %q and %q", direct.err, direct.stderr, tc.wantErr, tc.wantStderr)
			}
		})
	}
}

func TestActivity_Execute_DirectStop(t *testing.T) {
	timeout := activity.Errorf(activity.IDAttemptTimeout, "the attempt did not finish within its attemptTimeout of 1 second")
	for _, tc := range []struct {
		name    string
		timeout bool // stopped by a timeout, not a cancel
	}{{"ErrCanceled", false}, {"ErrAttemptTimeout", true}} {
		t.Run(tc.name, func(t *testing.T) {
			c := cfg(t)
			if !shell.Direct(c, "sleep 30", t.TempDir()) {
				t.Fatal("sleep 30 would run through the shell")
			}
			ctx, cancel := context.WithCancel(context.Background())
			if tc.timeout {
				ctx, cancel = context.WithTimeoutCause(context.Background(), time.Second, timeout)
			}
			defer cancel()
			done := make(chan error, 1)
			go func() {
				_, err := shell.NewActivity(c).Execute(ctx, newTask(t, []pipeline.Field{str("command", "sleep 30")}), &activity.Env{Log: &buffer{}})
				done <- err
			}()
			pid := childPID(t, "sleep")
			if !tc.timeout {
				cancel()
			}
			select {
			case err := <-done:
				if tc.timeout {
					wantID(t, err, activity.IDAttemptTimeout)
				} else if !errors.Is(err, context.Canceled) {
					t.Errorf("err = %v; want context.Canceled", err)
				}
			case <-time.After(5 * time.Second):
				t.Fatal("the attempt was not stopped within 5s")
			}
			wantGone(t, []int{pid})
		})
	}
}

// diff returns the lines only in a and those only in b.
func diff(a, b []string) (onlyA, onlyB []string) {
	for _, l := range a {
		if !slices.Contains(b, l) {
			onlyA = append(onlyA, l)
		}
	}
	for _, l := range b {
		if !slices.Contains(a, l) {
			onlyB = append(onlyB, l)
		}
	}
	return onlyA, onlyB
}

// childPID waits for a child of the test process named comm and returns
// its process id.
func childPID(t *testing.T, comm string) int {
	t.Helper()
	self := strconv.Itoa(os.Getpid())
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		entries, _ := os.ReadDir("/proc")
		for _, e := range entries {
			b, err := os.ReadFile("/proc/" + e.Name() + "/stat")
			if err != nil {
				continue
			}
			s := string(b)
			open, closing := strings.IndexByte(s, '('), strings.LastIndexByte(s, ')')
			fields := strings.Fields(s[closing+1:]) // state ppid …
			if open < 0 || len(fields) < 2 || s[open+1:closing] != comm || fields[1] != self || fields[0] == "Z" {
				continue
			}
			pid, _ := strconv.Atoi(e.Name())
			return pid
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatalf("no child %s started", comm)
	return 0
}
