package shell

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"syscall"
	"testing"
	"time"
)

func TestWorkDirs_Put(t *testing.T) {
	for _, tc := range []struct {
		name   string
		change func(t *testing.T, dir string) // between take and put
		kept   bool
	}{
		{"OKUnchanged", func(*testing.T, string) {}, true},
		{"ErrFile", func(t *testing.T, dir string) { create(t, filepath.Join(dir, "f")) }, false},
		{"ErrMode", func(t *testing.T, dir string) { chmod(t, dir, 0o711) }, false},
		{"ErrSetgid", func(t *testing.T, dir string) { chmod(t, dir, 0o700|os.ModeSetgid) }, false},
		{"ErrXattr", func(t *testing.T, dir string) {
			if err := setUserXattr(dir); err != nil {
				t.Skipf("no user extended attributes here: %v", err)
			}
		}, false},
		{"ErrRemoved", func(t *testing.T, dir string) { rmdir(t, dir) }, false},
		{"ErrFileReplaced", func(t *testing.T, dir string) { rmdir(t, dir); create(t, dir) }, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			parent := t.TempDir()
			p := newWorkDirs(parent, maxIdleWorkDirs)
			d, err := p.take()
			if err != nil {
				t.Fatal(err)
			}
			tc.change(t, d.path)
			p.put(d)
			if got := len(p.idle) == 1; got != tc.kept {
				t.Errorf("kept = %v; want %v", got, tc.kept)
			}
			if _, err := os.Lstat(d.path); tc.kept != (err == nil) {
				t.Errorf("%s: %v; want kept %v", d.path, err, tc.kept)
			}
		})
	}
}

func TestWorkDirs_Take(t *testing.T) {
	for _, tc := range []struct {
		name   string
		change func(t *testing.T, dir string) // to the idle directory
		reused bool
	}{
		{"OKUnchanged", func(*testing.T, string) {}, true},
		{"ErrFileWhileIdle", func(t *testing.T, dir string) { create(t, filepath.Join(dir, ".f")) }, false},
		{"ErrRemovedWhileIdle", func(t *testing.T, dir string) { rmdir(t, dir) }, false},
		{"ErrSymlinkWhileIdle", func(t *testing.T, dir string) {
			rmdir(t, dir)
			if err := os.Symlink(t.TempDir(), dir); err != nil {
				t.Fatal(err)
			}
		}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			parent := t.TempDir()
			p := newWorkDirs(parent, maxIdleWorkDirs)
			d, err := p.take()
			if err != nil {
				t.Fatal(err)
			}
			p.put(d)
			tc.change(t, d.path)
			got, err := p.take()
			if err != nil {
				t.Fatal(err)
			}
			if (got.path == d.path) != tc.reused {
				t.Errorf("took %s after %s; want reused %v", got.path, d.path, tc.reused)
			}
			if entries, _ := os.ReadDir(got.path); len(entries) != 0 {
				t.Errorf("took %s holding %v", got.path, entries)
			}
			if _, err := os.Lstat(d.path); !tc.reused && !os.IsNotExist(err) {
				t.Errorf("%s was not removed: %v", d.path, err)
			}
		})
	}
}

func TestWorkDirs_Bound(t *testing.T) {
	for _, tc := range []struct {
		name      string
		keep, use int
	}{
		{"OKUnderBound", maxIdleWorkDirs, 10},
		{"OKAtBound", maxIdleWorkDirs, maxIdleWorkDirs},
		{"OKOverBound", maxIdleWorkDirs, maxIdleWorkDirs + 6},
		{"OKNoReuse", 0, 3},
	} {
		t.Run(tc.name, func(t *testing.T) {
			parent := t.TempDir()
			p := newWorkDirs(parent, tc.keep)
			var held []workDir
			for range tc.use {
				d, err := p.take()
				if err != nil {
					t.Fatal(err)
				}
				if slices.ContainsFunc(held, func(h workDir) bool { return h.path == d.path }) {
					t.Fatalf("%s handed out twice", d.path)
				}
				held = append(held, d)
			}
			for _, d := range held {
				p.put(d)
			}
			want := min(tc.use, tc.keep)
			if entries, err := os.ReadDir(parent); err != nil || len(entries) != want || len(p.idle) != want {
				t.Errorf("%d directories left, %d idle (%v); want %d", len(entries), len(p.idle), err, want)
			}
			p.close()
			if entries, err := os.ReadDir(parent); err != nil || len(entries) != 0 {
				t.Errorf("after close: %d directories left (%v)", len(entries), err)
			}
			d, err := p.take()
			if err != nil {
				t.Fatal(err)
			}
			p.put(d)
			if entries, _ := os.ReadDir(parent); len(entries) != 0 {
				t.Errorf("a directory given back after close was kept")
			}
		})
	}
	t.Run("ErrParentMissing", func(t *testing.T) {
		p := newWorkDirs(filepath.Join(t.TempDir(), "none"), maxIdleWorkDirs)
		if _, err := p.take(); !errors.Is(err, os.ErrNotExist) {
			t.Fatalf("take = %v; want not exist", err)
		}
	})
}

func TestWorkDirs_Expire(t *testing.T) {
	t.Run("OKIdleRemoved", func(t *testing.T) {
		parent := t.TempDir()
		p := newWorkDirs(parent, maxIdleWorkDirs)
		p.idleFor = 300 * time.Millisecond
		a, _ := p.take()
		b, _ := p.take()
		p.put(a)
		time.Sleep(150 * time.Millisecond)
		p.put(b)
		waitEntries(t, parent, 1) // a expired, b not yet
		if _, err := os.Stat(b.path); err != nil {
			t.Errorf("the recent directory was removed: %v", err)
		}
		waitEntries(t, parent, 0)
		d, err := p.take()
		if err != nil || d.path == a.path || d.path == b.path {
			t.Fatalf("take after expiry = %s, %v; want a new directory", d.path, err)
		}
		p.put(d)
		waitEntries(t, parent, 0)
	})
	t.Run("OKHeldNotRemoved", func(t *testing.T) {
		parent := t.TempDir()
		p := newWorkDirs(parent, maxIdleWorkDirs)
		p.idleFor = 20 * time.Millisecond
		a, _ := p.take()
		p.put(a)
		held, _ := p.take()
		time.Sleep(60 * time.Millisecond)
		if _, err := os.Stat(held.path); held.path != a.path || err != nil {
			t.Errorf("held %s (%v); want %s, kept", held.path, err, a.path)
		}
		p.close()
		p.put(held)
		waitEntries(t, parent, 0)
	})
}

// waitEntries waits up to 5s for dir to hold n entries.
func waitEntries(t *testing.T, dir string, n int) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		entries, err := os.ReadDir(dir)
		if err == nil && len(entries) == n {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s holds %d entries (%v); want %d", dir, len(entries), err, n)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func create(t *testing.T, path string) {
	t.Helper()
	if err := os.WriteFile(path, nil, 0o600); err != nil {
		t.Fatal(err)
	}
}

func chmod(t *testing.T, path string, mode os.FileMode) {
	t.Helper()
	if err := os.Chmod(path, mode); err != nil {
		t.Fatal(err)
	}
}

func rmdir(t *testing.T, path string) {
	t.Helper()
	if err := syscall.Rmdir(path); err != nil {
		t.Fatal(err)
	}
}
