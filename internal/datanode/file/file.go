package file

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/datapipe/datapipe/internal/datanode"
	"github.com/datapipe/datapipe/internal/datanode/format"
	"github.com/datapipe/datapipe/internal/pipeline"
)

// Node is an S3DataNode whose path is local.
type Node struct {
	name     string
	path     string
	dir      bool
	format   *format.Format
	comp     datanode.Compression
	manifest string
}

var (
	_ datanode.Files = (*Node)(nil)
	_ datanode.Node  = (*Node)(nil)
)

// New returns the node for obj, an S3DataNode (or any node with
// directoryPath/filePath) whose path is file:// or a plain path. Relative
// paths are relative to the working directory. Errors match
// datanode.ErrInvalid and name the node and field.
func New(obj pipeline.Object, lookup datanode.Lookup) (*Node, error) {
	loc, err := datanode.LocationOf(obj)
	if err != nil {
		return nil, err
	}
	name := datanode.Name(obj)
	n := &Node{name: name, dir: loc.Dir}
	if n.path, err = LocalPath(loc.URI); err != nil {
		return nil, datanode.Invalidf(name, "%s: %v", loc.Field, err)
	}
	if m := datanode.Str(obj, "manifestFilePath"); m != "" {
		if n.manifest, err = LocalPath(m); err != nil {
			return nil, datanode.Invalidf(name, "manifestFilePath: %v", err)
		}
	}
	if n.comp, err = datanode.CompressionOf(obj); err != nil {
		return nil, err
	}
	if n.format, err = datanode.FormatOf(obj, lookup, format.CSV()); err != nil {
		return nil, err
	}
	return n, nil
}

// LocalPath returns the absolute path of a file:// URI or plain path;
// other schemes fail.
func LocalPath(uri string) (string, error) {
	if s := datanode.Scheme(uri); s != "" && s != "file" {
		return "", fmt.Errorf("%s: the %s:// scheme is not a local path", uri, s)
	}
	p := strings.TrimPrefix(uri, "file://")
	if p == "" {
		return "", fmt.Errorf("the path is empty")
	}
	return filepath.Abs(p)
}

// URL returns the file:// URL of an absolute path.
func URL(path string) string { return "file://" + filepath.ToSlash(path) }

// Name returns "<type> <id>".
func (n *Node) Name() string { return n.name }

// Format returns the node's format (CSV by default).
func (n *Node) Format() *format.Format { return n.format }

// Compression returns the node's compression.
func (n *Node) Compression() datanode.Compression { return n.comp }

// IsDir reports whether the node is a directoryPath.
func (n *Node) IsDir() bool { return n.dir }

// Path returns the node's absolute path.
func (n *Node) Path() string { return n.path }

// Exists reports whether the file exists, or the directory holds at
// least one visible file.
func (n *Node) Exists(ctx context.Context) (bool, error) {
	files, err := n.List(ctx)
	if errors.Is(err, datanode.ErrNotFound) {
		return false, nil
	}
	return len(files) > 0, err
}

// List returns the file, the manifest's entries, or the visible files
// under the directory in name order.
func (n *Node) List(ctx context.Context) ([]datanode.File, error) {
	if n.manifest != "" {
		files, err := n.listManifest()
		if !errors.Is(err, fs.ErrNotExist) {
			return files, err
		}
	}
	if !n.dir {
		f, err := n.stat(n.path, filepath.Base(n.path))
		if err != nil {
			return nil, err
		}
		return []datanode.File{f}, nil
	}
	return n.walk(ctx)
}

// stat returns the File of a regular file.
func (n *Node) stat(path, rel string) (datanode.File, error) {
	fi, err := os.Stat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return datanode.File{}, datanode.NotFoundf(n.name, "%s does not exist", URL(path))
	}
	if err != nil {
		return datanode.File{}, datanode.Wrap(n.name, "stat", err)
	}
	if !fi.Mode().IsRegular() {
		return datanode.File{}, datanode.Invalidf(n.name, "%s is not a regular file", URL(path))
	}
	return datanode.File{Name: rel, URL: URL(path), Size: fi.Size()}, nil
}

// walk lists the directory recursively.
func (n *Node) walk(ctx context.Context) ([]datanode.File, error) {
	if fi, err := os.Stat(n.path); err != nil || !fi.IsDir() {
		return nil, datanode.NotFoundf(n.name, "directory %s does not exist", URL(n.path))
	}
	var files []datanode.File
	err := filepath.WalkDir(n.path, func(p string, d fs.DirEntry, err error) error {
		if err != nil || ctx.Err() != nil {
			return errors.Join(err, ctx.Err())
		}
		rel := filepath.ToSlash(strings.TrimPrefix(p, n.path+string(filepath.Separator)))
		if p == n.path || d.IsDir() || datanode.Hidden(rel) || !d.Type().IsRegular() {
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		files = append(files, datanode.File{Name: rel, URL: URL(p), Size: info.Size()})
		return nil
	})
	if err != nil {
		return nil, datanode.Wrap(n.name, "list "+URL(n.path), err)
	}
	sort.Slice(files, func(i, j int) bool { return files[i].Name < files[j].Name })
	return files, nil
}

// Open opens a listed file.
func (n *Node) Open(_ context.Context, f datanode.File) (io.ReadCloser, error) {
	p, err := LocalPath(f.URL)
	if err != nil {
		return nil, datanode.Invalidf(n.name, "open: %v", err)
	}
	fh, err := os.Open(p)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, datanode.NotFoundf(n.name, "%s does not exist", f.URL)
	}
	if err != nil {
		return nil, datanode.Wrap(n.name, "open", err)
	}
	return fh, nil
}
