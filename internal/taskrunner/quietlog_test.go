package taskrunner

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/datapipeline/types"

	"github.com/datapipe/datapipe/internal/activity"
)

// The files of attempt @A_1_Attempt=1 of the harness's pipeline df-1.
const testAttempt = "@A_1_Attempt=1"

func testLogPath(h *harness) string   { return filepath.Join(h.logDir, "df-1", testAttempt+".log") }
func testQuietPath(h *harness) string { return filepath.Join(h.logDir, "df-1", quietName) }

// registerQuiet adds Quiet, an executor that writes a runner message
// but no output and finishes.
func registerQuiet(h *harness) {
	h.reg.Register("Quiet", executorFunc(func(_ context.Context, _ *activity.Task, env *activity.Env) (activity.Outcome, error) {
		env.Printf("nothing to say")
		return activity.Finished, nil
	}))
}

// readAll reads the attempt's log as a reader would.
func readAll(t *testing.T, h *harness) string {
	t.Helper()
	text, next, err := ReadAttemptLog(testLogPath(h), testAttempt, 0, 0)
	if err != nil || next != int64(len(text)) {
		t.Fatalf("ReadAttemptLog = %q, %d, %v", text, next, err)
	}
	return text
}

func TestRunner_Run_QuietLog(t *testing.T) {
	t.Run("OKSilentGoesToQuietLog", func(t *testing.T) {
		h := newHarness(t)
		registerQuiet(h)
		h.client.tasks <- taskObject("1", "Quiet")
		h.start(t)
		wantStatus(t, h.client.status(t), types.TaskStatusFinished, "", "")
		if _, err := os.Stat(testLogPath(h)); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("a silent attempt created its own log file: %v", err)
		}
		quiet, err := os.ReadFile(testQuietPath(h))
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(strings.TrimSuffix(string(quiet), "\n"), "\n")
		for _, l := range lines {
			if !strings.HasPrefix(l, testAttempt+"\t") {
				t.Errorf("quiet.log line %q lacks the attempt prefix", l)
			}
		}
		text := readAll(t, h)
		if strings.Contains(text, testAttempt+"\t") || len(strings.Split(strings.TrimSuffix(text, "\n"), "\n")) != len(lines) {
			t.Errorf("ReadAttemptLog = %q; want the %d quiet.log lines without prefixes", text, len(lines))
		}
		for _, want := range []string{"datapipe: attempt " + testAttempt + " of pipeline df-1 (Quiet) started", "datapipe: nothing to say", "datapipe: attempt FINISHED"} {
			if !strings.Contains(text, want) {
				t.Errorf("log %q lacks %q", text, want)
			}
		}
	})
	for _, tc := range []struct {
		name, typ string
		extra     []types.Field
		status    types.TaskStatus
		edit      func(*Config)
	}{
		{"OKOutputMakesFile", "Echo", nil, types.TaskStatusFinished, func(*Config) {}},
		{"OKUploadMakesFile", "Quiet", []types.Field{strField("pipelineLogUri", "file://"+t.TempDir())}, types.TaskStatusFinished, func(*Config) {}},
		{"OKNegativeLogFileAfter", "Quiet", nil, types.TaskStatusFinished, func(c *Config) { c.LogFileAfter = -1 }},
		{"ErrFailedMakesFile", "Fail", nil, types.TaskStatusFailed, func(*Config) {}},
		{"ErrFalseMakesFile", "False", nil, types.TaskStatusFalse, func(*Config) {}},
		{"ErrPanicMakesFile", "Panic", nil, types.TaskStatusFailed, func(*Config) {}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t)
			registerQuiet(h)
			h.client.tasks <- taskObject("1", tc.typ, tc.extra...)
			h.start(t, tc.edit)
			if st := h.client.status(t); st.TaskStatus != tc.status {
				t.Fatalf("status %s; want %s", st.TaskStatus, tc.status)
			}
			wantOwnFile(t, h, "attempt "+string(tc.status))
		})
	}
	t.Run("OKLogFileAfter", func(t *testing.T) {
		h := newHarness(t)
		h.client.tasks <- taskObject("1", "Block")
		h.start(t, func(c *Config) { c.LogFileAfter = 3 * time.Second })
		h.waitStarted(t)
		if _, err := os.Stat(testLogPath(h)); !errors.Is(err, fs.ErrNotExist) {
			t.Fatalf("the log file exists before LogFileAfter: %v", err)
		}
		h.clock.fireTimer(t, 3*time.Second)
		waitFile(t, testLogPath(h), "started on host-1")
		close(h.release)
		wantStatus(t, h.client.status(t), types.TaskStatusFinished, "", "")
		wantOwnFile(t, h, "attempt FINISHED")
	})
}

// wantOwnFile checks that the attempt's log is its own file, holding its
// first line and last, and that quiet.log has none of it.
func wantOwnFile(t *testing.T, h *harness, last string) {
	t.Helper()
	b, err := os.ReadFile(testLogPath(h))
	if err != nil {
		t.Fatalf("no log file of its own: %v", err)
	}
	if !strings.Contains(string(b), "started on host-1 by task runner runner-1") || !strings.Contains(string(b), last) {
		t.Errorf("log file = %q; want the early lines and %q", b, last)
	}
	if q, err := os.ReadFile(testQuietPath(h)); strings.Contains(string(q), testAttempt) {
		t.Errorf("quiet.log = %q, %v; want nothing of the attempt", q, err)
	}
	if text := readAll(t, h); text != string(b) {
		t.Errorf("ReadAttemptLog = %q; want the file %q", text, b)
	}
}

// waitFile waits until path exists and contains want.
func waitFile(t *testing.T, path, want string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		b, err := os.ReadFile(path)
		if err == nil && strings.Contains(string(b), want) {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s = %q, %v; want %q", path, b, err, want)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// settle hands a quiet attempt's lines back for quiet.log, or makes the
// file; a quiet attempt whose .log file exists (the same attempt run
// before, offered again) appends to it, where readers look.
func TestAttemptLog_Settle(t *testing.T) {
	for _, tc := range []struct {
		name     string
		existing bool
		keep     bool
		wantFile string
		wantMem  string
	}{
		{"OKQuiet", false, false, "", "line\n"},
		{"OKKeep", false, true, "line\n", ""},
		{"OKExistingFileAppended", true, false, "before\nline\n", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			l, err := openAttemptLog(dir, "df-1", testAttempt)
			if err != nil {
				t.Fatal(err)
			}
			defer l.close()
			path := l.paths[logFile]
			if tc.existing {
				if err := os.WriteFile(path, []byte("before\n"), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			fmt.Fprint(l, "line\n")
			quiet, err := l.settle(tc.keep)
			l.close()
			b, _ := os.ReadFile(path)
			if err != nil || string(quiet) != tc.wantMem || string(b) != tc.wantFile {
				t.Errorf("settle = %q, %v; file %q; want %q and file %q", quiet, err, b, tc.wantMem, tc.wantFile)
			}
			l.spill() // a late timer: no file after a quiet settle
			if _, err := os.Stat(path); tc.wantFile == "" && !errors.Is(err, fs.ErrNotExist) {
				t.Errorf("a spill after settle created the file: %v", err)
			}
		})
	}
	t.Run("OKStdoutSpills", func(t *testing.T) {
		l, err := openAttemptLog(t.TempDir(), "df-1", testAttempt)
		if err != nil {
			t.Fatal(err)
		}
		defer l.close()
		fmt.Fprint(l, "early\n")
		fmt.Fprint(l.files[stderrFile], "oops\n")
		fmt.Fprint(l, "late\n")
		l.close()
		if b, _ := os.ReadFile(l.paths[logFile]); string(b) != "early\nlate\n" {
			t.Errorf("log file = %q", b)
		}
	})
}

func TestReadAttemptLog_FileOrQuiet(t *testing.T) {
	dir := t.TempDir()
	own := filepath.Join(dir, "@B_1_Attempt=1.log")
	if err := os.WriteFile(own, []byte("file one\nfile two\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	quiet := testAttempt + "\tq one\n" +
		testAttempt + "0\tnot mine: attempt 10\n" +
		"@B_1_Attempt=1\tshadowed by the file\n" +
		testAttempt + "\t\n" +
		testAttempt + "\tq three\n" +
		testAttempt + "\tpartial, being appended"
	if err := os.WriteFile(filepath.Join(dir, quietName), []byte(quiet), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, location, attempt string
		offset, limit           int64
		want                    string
		wantErr                 error
	}{
		{"OKFile", own, "@B_1_Attempt=1", 0, 0, "file one\nfile two\n", nil},
		{"OKFileOffsetLimit", own, "@B_1_Attempt=1", 5, 7, "one\nfil", nil},
		{"OKFilePastEnd", own, "@B_1_Attempt=1", 100, 0, "", nil},
		{"OKQuiet", filepath.Join(dir, testAttempt+".log"), testAttempt, 0, 0, "q one\n\nq three\npartial, being appended", nil},
		{"OKQuietOffsetLimit", filepath.Join(dir, testAttempt+".log"), testAttempt, 2, 8, "one\n\nq t", nil},
		{"OKQuietPastEnd", filepath.Join(dir, testAttempt+".log"), testAttempt, 1000, 0, "", nil},
		{"ErrNeither", filepath.Join(dir, "@C_1_Attempt=1.log"), "@C_1_Attempt=1", 0, 0, "", fs.ErrNotExist},
		{"ErrNoQuietLog", filepath.Join(t.TempDir(), testAttempt+".log"), testAttempt, 0, 0, "", fs.ErrNotExist},
	} {
		t.Run(tc.name, func(t *testing.T) {
			text, next, err := ReadAttemptLog(tc.location, tc.attempt, tc.offset, tc.limit)
			if !errors.Is(err, tc.wantErr) || (tc.wantErr == nil) != (err == nil) || text != tc.want || next != tc.offset+int64(len(text)) {
				t.Errorf("ReadAttemptLog = %q, %d, %v; want %q, %v", text, next, err, tc.want, tc.wantErr)
			}
		})
	}
}

// Following a log a few bytes at a time yields the whole log, from a
// file and from quiet.log, including what is appended in between.
func TestReadAttemptLog_Follow(t *testing.T) {
	for _, quiet := range []bool{false, true} {
		t.Run(fmt.Sprintf("OKQuiet=%v", quiet), func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, testAttempt+".log")
			write := func(s string) {
				target, line := path, s
				if quiet {
					target, line = filepath.Join(dir, quietName), string(quietRecord(quietKey(testAttempt), []byte(s)))+"@X\tnoise\n"
				}
				f, err := os.OpenFile(target, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o644)
				if err != nil {
					t.Fatal(err)
				}
				defer f.Close()
				if _, err := f.WriteString(line); err != nil {
					t.Fatal(err)
				}
			}
			var got strings.Builder
			var offset int64
			follow := func() {
				for {
					text, next, err := ReadAttemptLog(path, testAttempt, offset, 3)
					if err != nil {
						t.Fatal(err)
					}
					if text == "" {
						return
					}
					got.WriteString(text)
					offset = next
				}
			}
			write("one\ntwo\n")
			follow()
			write("three\n")
			follow()
			if got.String() != "one\ntwo\nthree\n" {
				t.Errorf("followed %q", got.String())
			}
		})
	}
}

// Runners sharing a LogDir append whole records: an attempt's lines are
// never interleaved with another's.
func TestQuietLogs_Append(t *testing.T) {
	dir := t.TempDir()
	runners := []*quietLogs{{}, {}}
	var wg sync.WaitGroup
	for r, q := range runners {
		for w := range 4 {
			wg.Go(func() {
				for i := range 50 {
					id := fmt.Sprintf("@A_%d_%d_%d_Attempt=1", r, w, i)
					lines := strings.Repeat(id+" line\n", 20)
					if err := q.append(dir, id, []byte(lines)); err != nil {
						t.Error(err)
					}
				}
			})
		}
	}
	wg.Wait()
	for _, q := range runners {
		q.close()
	}
	b, err := os.ReadFile(filepath.Join(dir, quietName))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
	if len(lines) != 2*4*50*20 {
		t.Fatalf("%d lines", len(lines))
	}
	for i := 0; i < len(lines); i += 20 {
		id, _, _ := strings.Cut(lines[i], "\t")
		for _, l := range lines[i : i+20] {
			if l != id+"\t"+id+" line" {
				t.Fatalf("line %q inside the record of %s", l, id)
			}
		}
	}
	text, _, err := ReadAttemptLog(filepath.Join(dir, "@A_1_3_49_Attempt=1.log"), "@A_1_3_49_Attempt=1", 0, 0)
	if err != nil || text != strings.Repeat("@A_1_3_49_Attempt=1 line\n", 20) {
		t.Errorf("ReadAttemptLog = %q, %v", text, err)
	}
}
