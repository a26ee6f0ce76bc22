package shell_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/datapipe/datapipe/internal/activity"
	"github.com/datapipe/datapipe/internal/activity/shell"
	"github.com/datapipe/datapipe/internal/pipeline"
)

// workDirOf runs an attempt of fields on x whose command prints its
// work directory first, and returns that directory, the rest of its
// standard output and the error.
func workDirOf(t *testing.T, x activity.Executor, fields []pipeline.Field, objects ...pipeline.Object) (dir, rest string, err error) {
	t.Helper()
	e, log, out, _ := env()
	_, err = x.Execute(context.Background(), newTask(t, fields, objects...), e)
	dir, rest, _ = strings.Cut(out.String(), "\n")
	if dir == "" {
		t.Fatalf("the attempt printed no directory: %v\n%s", err, log)
	}
	return dir, rest, err
}

// cmd is an attempt running command after printing its directory.
func cmd(command string, more ...pipeline.Field) []pipeline.Field {
	return append([]pipeline.Field{str("command", "pwd; "+command)}, more...)
}

// wantEntries fails unless dir holds exactly n entries.
func wantEntries(t *testing.T, dir string, n int) {
	t.Helper()
	if got, err := os.ReadDir(dir); err != nil || len(got) != n {
		t.Errorf("%s holds %d entries (%v); want %d", dir, len(got), err, n)
	}
}

func TestActivity_Execute_WorkDirReuse(t *testing.T) {
	src := t.TempDir()
	writeFile(t, filepath.Join(src, "in", "a.csv"), "1,2\n")
	script := filepath.Join(src, "script.sh")
	writeFile(t, script, "pwd\nls -A\n")
	in := node("In", "S3DataNode", str("directoryPath", filepath.Join(src, "in")))
	for _, tc := range []struct {
		name   string
		first  []pipeline.Field // the first attempt, which prints its directory first
		reused bool             // the second attempt runs in the first one's directory
		wantID string           // the first attempt's error id; "" for none
	}{
		{name: "OKNothingWritten", first: cmd("true"), reused: true},
		{name: "OKDirect", first: []pipeline.Field{str("command", "realpath .")}, reused: true},
		{name: "OKCreatedAndRemoved", first: cmd("touch f; mkdir d; rm f; rmdir d"), reused: true},
		{name: "OKModeRestored", first: cmd("chmod 755 .; chmod 700 ."), reused: true},
		{name: "OKScriptURI", first: []pipeline.Field{str("scriptUri", script)}, reused: true},
		{name: "OKFileNotSeen", first: cmd("echo secret > f")},
		{name: "OKHiddenFileNotSeen", first: cmd("touch .f")},
		{name: "OKDirectoryNotSeen", first: cmd("mkdir -p d/e")},
		{name: "OKStagedNotReused", first: cmd("ls $INPUT1_STAGING_DIR", str("stage", "true"), ref("input", "In"))},
		{name: "OKModeChangedNotReused", first: cmd("chmod 755 .")},
		// The new directory is made while the old one still exists, so
		// that its inode differs.
		{name: "OKReplacedNotReused", first: cmd(`cd .. && mv "$OLDPWD" "$OLDPWD.old" && mkdir -m 700 "$OLDPWD" && rmdir "$OLDPWD.old"`)},
		{name: "OKSymlinkNotReused", first: cmd(`cd .. && rmdir "$OLDPWD" && ln -s "$1" "$OLDPWD"`, str("scriptArgument", src))},
		{name: "ErrCommandFailed", first: cmd("exit 3"), reused: true, wantID: shell.IDCommandFailed},
		{name: "ErrCommandFailedFileNotSeen", first: cmd("touch f; exit 3"), wantID: shell.IDCommandFailed},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := cfg(t)
			a := shell.NewActivity(c)
			first, _, err := workDirOf(t, a, tc.first, in)
			if tc.wantID == "" && err != nil {
				t.Fatal(err)
			} else if tc.wantID != "" {
				wantID(t, err, tc.wantID)
			}
			second, seen, err := workDirOf(t, a, cmd("ls -A"))
			if err != nil || seen != "" {
				t.Fatalf("the second attempt saw %q (%v); want an empty directory", seen, err)
			}
			if (second == first) != tc.reused {
				t.Errorf("second attempt in %s, first in %s; want reused %v", second, first, tc.reused)
			}
			if _, err := os.Lstat(first); !tc.reused && !os.IsNotExist(err) {
				t.Errorf("%s was not removed: %v", first, err)
			}
			wantEntries(t, filepath.Join(src, "in"), 1) // a symbolic link is not followed
			if err := a.Close(); err != nil {
				t.Fatal(err)
			}
			wantEntries(t, c.TempDir, 0)
		})
	}
}

func TestActivity_Execute_WorkDirKept(t *testing.T) {
	for _, tc := range []struct {
		name    string
		command string
		fresh   bool // Config.FreshWorkDirs
		kept    bool
	}{
		{"OKEmpty", "pwd", false, true},
		{"OKDirect", "realpath .", false, true},
		{"OKNotEmptyRemoved", "pwd; mkdir -p d/e; touch x d/e/f", false, false},
		{"OKFreshRemoved", "pwd", true, false},
		{"OKFreshDirectRemoved", "realpath .", true, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := cfg(t)
			c.FreshWorkDirs = tc.fresh
			work, _, err := workDirOf(t, shell.NewActivity(c), []pipeline.Field{str("command", tc.command)})
			if err != nil {
				t.Fatal(err)
			}
			if filepath.Dir(work) != c.TempDir || !strings.HasPrefix(filepath.Base(work), "datapipe-attempt-") {
				t.Errorf("work directory %q is not a datapipe-attempt-* of %q", work, c.TempDir)
			}
			_, err = os.Stat(work)
			if tc.kept && err != nil || !tc.kept && !os.IsNotExist(err) {
				t.Errorf("work directory %s: %v; want kept %v", work, err, tc.kept)
			}
			if tc.kept {
				wantEntries(t, work, 0)
			}
		})
	}
}

func TestActivity_Execute_WorkDirConcurrent(t *testing.T) {
	const n = 8
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	a := shell.NewActivity(cfg(t))
	// Every attempt waits until all n run, so that they hold their
	// directories at the same time.
	barrier := `touch "$1/$$"; while [ "$(ls "$1" | wc -l)" -lt ` + strconv.Itoa(n) + ` ]; do sleep 0.01; done; pwd; ls -A`
	var rounds [][]string
	for range 3 {
		dir := t.TempDir()
		tk := newTask(t, []pipeline.Field{str("command", barrier), str("scriptArgument", dir)})
		dirs := make([]string, n)
		var wg sync.WaitGroup
		for i := range n {
			wg.Go(func() {
				e, _, out, _ := env()
				if _, err := a.Execute(ctx, tk, e); err != nil {
					t.Error(err)
				}
				dirs[i] = out.String()
			})
		}
		wg.Wait()
		slices.Sort(dirs)
		if len(slices.Compact(slices.Clone(dirs))) != n {
			t.Fatalf("concurrent attempts shared directories or saw files: %q", dirs)
		}
		rounds = append(rounds, dirs)
	}
	t.Run("OKDistinct", func(t *testing.T) {
		for _, r := range rounds {
			for _, d := range r {
				if strings.Count(d, "\n") != 1 {
					t.Errorf("attempt output %q; want its directory only", d)
				}
			}
		}
	})
	t.Run("OKReused", func(t *testing.T) {
		if !slices.Equal(rounds[0], rounds[1]) || !slices.Equal(rounds[1], rounds[2]) {
			t.Errorf("rounds ran in %q; want the same %d directories", rounds, n)
		}
	})
}

func TestConfig_ShareWorkDirs(t *testing.T) {
	for _, tc := range []struct {
		name   string
		mod    func(*testing.T, *shell.Config) // applied after ShareWorkDirs
		share  bool                            // call ShareWorkDirs
		shared bool
	}{
		{"OKShared", func(*testing.T, *shell.Config) {}, true, true},
		{"OKOwnPools", func(*testing.T, *shell.Config) {}, false, false},
		{"OKOtherTempDir", func(t *testing.T, c *shell.Config) { c.TempDir = t.TempDir() }, true, false},
		{"OKFresh", func(_ *testing.T, c *shell.Config) { c.FreshWorkDirs = true }, true, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := cfg(t)
			if tc.share {
				c = c.ShareWorkDirs()
			}
			a := shell.NewActivity(c)
			tc.mod(t, &c)
			p := shell.NewPrecondition(c)
			first, _, err := workDirOf(t, a, cmd("true"))
			if err != nil {
				t.Fatal(err)
			}
			second, _, err := workDirOf(t, p, cmd("true"))
			if err != nil || (first == second) != tc.shared {
				t.Errorf("activity in %s, precondition in %s (%v); want shared %v", first, second, err, tc.shared)
			}
		})
	}
}

func TestActivity_Close(t *testing.T) {
	t.Run("OKRemovesIdle", func(t *testing.T) {
		c := cfg(t).ShareWorkDirs()
		a, p := shell.NewActivity(c), shell.NewPrecondition(c)
		for _, x := range []activity.Executor{a, p} {
			if _, _, err := workDirOf(t, x, cmd("true")); err != nil {
				t.Fatal(err)
			}
		}
		wantEntries(t, c.TempDir, 1)
		if err := p.Close(); err != nil {
			t.Fatal(err)
		}
		wantEntries(t, c.TempDir, 0)
		if err := a.Close(); err != nil {
			t.Fatalf("second Close: %v", err)
		}
	})
	t.Run("OKExecuteAfterClose", func(t *testing.T) {
		c := cfg(t)
		a := shell.NewActivity(c)
		if err := a.Close(); err != nil {
			t.Fatal(err)
		}
		if _, _, err := workDirOf(t, a, cmd("true")); err != nil {
			t.Fatal(err)
		}
		wantEntries(t, c.TempDir, 0)
	})
	t.Run("ErrCanceledAfterClose", func(t *testing.T) {
		c := cfg(t)
		a := shell.NewActivity(c)
		_ = a.Close()
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		_, err := a.Execute(ctx, newTask(t, cmd("true")), &activity.Env{})
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("err = %v", err)
		}
		wantEntries(t, c.TempDir, 0)
	})
}
