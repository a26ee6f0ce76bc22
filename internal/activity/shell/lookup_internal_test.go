package shell

import (
	"os"
	"path/filepath"
	"testing"
)

func TestLookupCache_Find(t *testing.T) {
	// setup makes PATH "first:second" with an executable x in second.
	setup := func(t *testing.T) (first, second, path string) {
		root := t.TempDir()
		first, second = filepath.Join(root, "first"), filepath.Join(root, "second")
		for _, d := range []string{first, second} {
			if err := os.Mkdir(d, 0o755); err != nil {
				t.Fatal(err)
			}
		}
		writeExe(t, filepath.Join(second, "x"))
		return first, second, first + ":" + second
	}
	t.Run("OKRemembered", func(t *testing.T) {
		first, second, path := setup(t)
		c := &lookupCache{}
		if exe, ok := c.find("x", path, true, "/"); !ok || exe != filepath.Join(second, "x") {
			t.Fatalf("find = %q, %v", exe, ok)
		}
		// [I] An executable that appears in an earlier directory within
		// lookupTTL is not seen.
		writeExe(t, filepath.Join(first, "x"))
		if exe, ok := c.find("x", path, true, "/"); !ok || exe != filepath.Join(second, "x") {
			t.Errorf("find = %q, %v; want the remembered lookup", exe, ok)
		}
	})
	t.Run("OKRechecked", func(t *testing.T) {
		_, second, path := setup(t)
		c := &lookupCache{}
		c.find("x", path, true, "/")
		if err := os.Remove(filepath.Join(second, "x")); err != nil {
			t.Fatal(err)
		}
		if exe, ok := c.find("x", path, true, "/"); ok {
			t.Errorf("find = %q; want not found once the file is gone", exe)
		}
	})
	t.Run("OKNotFoundNotRemembered", func(t *testing.T) {
		first, _, path := setup(t)
		c := &lookupCache{}
		if _, ok := c.find("y", path, true, "/"); ok {
			t.Fatal("found y")
		}
		writeExe(t, filepath.Join(first, "y"))
		if exe, ok := c.find("y", path, true, "/"); !ok || exe != filepath.Join(first, "y") {
			t.Errorf("find = %q, %v; want the new file", exe, ok)
		}
	})
}

func writeExe(t *testing.T, path string) {
	t.Helper()
	if err := os.WriteFile(path, []byte("#!/bin/sh\n"), 0o755); err != nil {
		t.Fatal(err)
	}
}
