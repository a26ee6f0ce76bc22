package file

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/datapipe/datapipe/internal/datanode"
	"github.com/datapipe/datapipe/internal/datanode/format"
)

// Create writes the file name under the directory (or the node's file
// when name is ""), through a hidden temporary file in the same
// directory that Commit renames into place.
func (n *Node) Create(_ context.Context, name string) (datanode.Output, error) {
	target, err := n.target(name)
	if err != nil {
		return nil, err
	}
	return n.createAt(target, n.relName(name, target))
}

// target is the absolute path of output file name.
func (n *Node) target(name string) (string, error) {
	if !n.dir {
		if name != "" && name != filepath.Base(n.path) {
			return "", datanode.Invalidf(n.name, "a filePath node holds one file; cannot create %q in it", name)
		}
		return n.path, nil
	}
	clean := filepath.Clean(filepath.FromSlash(name))
	if name == "" || filepath.IsAbs(clean) || clean == ".." || strings.HasPrefix(clean, ".."+string(filepath.Separator)) {
		return "", datanode.Invalidf(n.name, "output file name %q is not a path inside the directory", name)
	}
	return filepath.Join(n.path, clean), nil
}

// relName is the File.Name of a created file.
func (n *Node) relName(name, target string) string {
	if n.dir {
		return filepath.ToSlash(filepath.Clean(filepath.FromSlash(name)))
	}
	return filepath.Base(target)
}

// createAt opens the temporary file for target.
func (n *Node) createAt(target, rel string) (*output, error) {
	dir := filepath.Dir(target)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, datanode.Wrap(n.name, "create "+URL(target), err)
	}
	tmp, err := os.CreateTemp(dir, datanode.TempPrefix+filepath.Base(target)+"-*")
	if err != nil {
		return nil, datanode.Wrap(n.name, "create "+URL(target), err)
	}
	return &output{node: n.name, tmp: tmp, target: target, rel: rel}, nil
}

// output is a file being written to a temporary name.
type output struct {
	node   string
	tmp    *os.File
	target string
	rel    string
	size   int64
	done   bool
}

// Write writes to the temporary file.
func (o *output) Write(p []byte) (int, error) {
	n, err := o.tmp.Write(p)
	o.size += int64(n)
	if err != nil {
		return n, datanode.Wrap(o.node, "write "+URL(o.target), err)
	}
	return n, nil
}

// Commit syncs the temporary file and renames it over the target.
func (o *output) Commit(context.Context) (datanode.File, error) {
	if o.done {
		return datanode.File{}, fmt.Errorf("%s: %s is already committed or aborted", o.node, URL(o.target))
	}
	err := errors.Join(o.tmp.Sync(), o.tmp.Close())
	if err == nil {
		err = os.Rename(o.tmp.Name(), o.target)
	}
	if err != nil {
		return datanode.File{}, datanode.Wrap(o.node, "commit "+URL(o.target), err)
	}
	o.done = true
	return datanode.File{Name: o.rel, URL: URL(o.target), Size: o.size}, nil
}

// Abort removes the temporary file.
func (o *output) Abort(context.Context) error {
	if o.done {
		return nil
	}
	o.done = true
	o.tmp.Close()
	if err := os.Remove(o.tmp.Name()); err != nil && !errors.Is(err, os.ErrNotExist) {
		return datanode.Wrap(o.node, "abort "+URL(o.target), err)
	}
	return nil
}

// WriteManifest writes the manifest at manifestFilePath atomically.
func (n *Node) WriteManifest(ctx context.Context, files []datanode.File) error {
	if n.manifest == "" {
		return datanode.Invalidf(n.name, "the node has no manifestFilePath")
	}
	out, err := n.createAt(n.manifest, filepath.Base(n.manifest))
	if err != nil {
		return err
	}
	urls := make([]string, len(files))
	for i, f := range files {
		urls[i] = f.URL
	}
	if err := format.WriteManifest(out, urls); err != nil {
		return errors.Join(datanode.Wrap(n.name, "write manifest", err), out.Abort(ctx))
	}
	_, err = out.Commit(ctx)
	return err
}

// listManifest returns the entries of the manifest file.
func (n *Node) listManifest() ([]datanode.File, error) {
	fh, err := os.Open(n.manifest)
	if err != nil {
		return nil, err
	}
	defer fh.Close()
	m, err := format.ReadManifest(fh)
	if err != nil {
		return nil, datanode.Invalidf(n.name, "manifestFilePath %s: %v", URL(n.manifest), err)
	}
	files := make([]datanode.File, 0, len(m.Entries))
	for _, e := range m.Entries {
		p, err := LocalPath(e.URL)
		if err != nil {
			return nil, datanode.Invalidf(n.name, "manifest %s: %v", URL(n.manifest), err)
		}
		f, err := n.stat(p, filepath.Base(p))
		if err != nil && (e.Mandatory || !errors.Is(err, datanode.ErrNotFound)) {
			return nil, err
		}
		if err == nil {
			files = append(files, f)
		}
	}
	return files, nil
}
