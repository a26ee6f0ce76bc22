package shell

import (
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// copyInto copies src into the directory dir: a directory's content
// recursively, a file as dir/<its name>.
func copyInto(src, dir string) error {
	info, err := os.Stat(src)
	if err != nil {
		return err
	}
	if info.IsDir() {
		return copyTree(src, dir)
	}
	return copyFile(src, filepath.Join(dir, filepath.Base(src)), info.Mode())
}

// copyTree copies the content of directory src into dst, creating
// directories and overwriting files. src may be a symbolic link; inside
// it, links to files are copied as files and links to directories are
// refused (they could loop).
func copyTree(src, dst string) error {
	root, err := filepath.EvalSymlinks(src)
	if err != nil {
		return err
	}
	return filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(root, path)
		if err != nil {
			return err
		}
		return copyEntry(path, filepath.Join(dst, rel), d)
	})
}

// copyEntry copies one directory entry.
func copyEntry(path, to string, d fs.DirEntry) error {
	info, err := os.Stat(path)
	switch {
	case err != nil:
		return err
	case info.IsDir() && d.Type()&fs.ModeSymlink != 0:
		return fmt.Errorf("%s is a symbolic link to a directory, which is not copied", path)
	case info.IsDir():
		return os.MkdirAll(to, 0o755)
	case !info.Mode().IsRegular():
		return fmt.Errorf("%s is not a regular file or directory", path)
	}
	return copyFile(path, to, info.Mode())
}

// copyFile copies one regular file, replacing to.
func copyFile(from, to string, mode fs.FileMode) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	if err := os.MkdirAll(filepath.Dir(to), 0o755); err != nil {
		return err
	}
	out, err := os.OpenFile(to, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, mode.Perm()|0o200)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		_ = out.Close()
		return err
	}
	return out.Close()
}
