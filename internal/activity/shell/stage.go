package shell

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/datapipe/datapipe/internal/activity"
	"github.com/datapipe/datapipe/internal/activity/data"
	"github.com/datapipe/datapipe/internal/datanode"
	"github.com/datapipe/datapipe/internal/pipeline"
)

// stagedType is the only data node type staging handles (objects.md
// §15.4).
const stagedType = "S3DataNode"

// staging is the data staged around one command.
type staging struct {
	open    *data.Opener
	t       *activity.Task
	env     []string
	outputs []stagedOutput
}

// stagedOutput is an output staging directory and the node it goes to.
type stagedOutput struct {
	name string
	dir  string
	node datanode.Files
}

// environ returns the staging variables; nil staging has none.
func (s *staging) environ() []string {
	if s == nil {
		return nil
	}
	return s.env
}

// prepareStaging downloads the inputs into work and creates the output
// directories, before the command runs. Every output is opened first, so
// that an unusable one fails the attempt before any work is done.
func prepareStaging(ctx context.Context, open *data.Opener, t *activity.Task, work string, env *activity.Env) (*staging, error) {
	inputs, err := t.Refs("input")
	if err != nil {
		return nil, err
	}
	outputs, err := t.Refs("output")
	if err != nil {
		return nil, err
	}
	s := &staging{open: open, t: t}
	if err := s.planOutputs(ctx, outputs, work, env); err != nil {
		return nil, err
	}
	for i, n := range inputs {
		if err := s.stageInput(ctx, i+1, n, work, env); err != nil {
			return nil, err
		}
	}
	return s, nil
}

// stageInput downloads input node n into INPUTn_STAGING_DIR: every file
// of a directoryPath under its relative name, a filePath as its base
// name, as stored (compressed files stay compressed).
func (s *staging) stageInput(ctx context.Context, num int, node pipeline.Object, work string, env *activity.Env) error {
	if !staged(num, "input", node, env) {
		return nil
	}
	src, err := s.open.Files(ctx, s.t, node)
	if err != nil {
		return stagingErr("input", num, node, err)
	}
	dir := filepath.Join(work, "staging", fmt.Sprintf("input%d", num))
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return stagingErr("input", num, node, err)
	}
	files, err := src.List(ctx)
	if err != nil {
		return stagingErr("input", num, node, err)
	}
	env.Printf("staging input%d (%s): %d files", num, node.ID, len(files))
	for _, f := range files {
		if err := download(ctx, src, f, filepath.Join(dir, filepath.FromSlash(f.Name))); err != nil {
			return stagingErr("input", num, node, err)
		}
	}
	s.env = append(s.env, fmt.Sprintf("INPUT%d_STAGING_DIR=%s", num, dir))
	return nil
}

// download copies one file of src to the local path to.
func download(ctx context.Context, src datanode.Files, f datanode.File, to string) error {
	in, err := src.Open(ctx, f)
	if err != nil {
		return err
	}
	defer in.Close()
	if err := os.MkdirAll(filepath.Dir(to), 0o755); err != nil {
		return err
	}
	out, err := os.Create(to)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		_ = out.Close()
		return fmt.Errorf("download %s: %w", f.URL, err)
	}
	return out.Close()
}

// planOutputs opens every staged output node and creates its
// OUTPUTn_STAGING_DIR.
func (s *staging) planOutputs(ctx context.Context, nodes []pipeline.Object, work string, env *activity.Env) error {
	for i, node := range nodes {
		num := i + 1
		if !staged(num, "output", node, env) {
			continue
		}
		if dir, ok := node.StringValue("directoryPath"); !ok || dir == "" {
			return activity.Errorf(IDStagingFailed, "output staging needs a directoryPath on data node %s", node.ID)
		}
		dst, err := s.open.Files(ctx, s.t, node)
		if err != nil {
			return stagingErr("output", num, node, err)
		}
		dir := filepath.Join(work, "staging", fmt.Sprintf("output%d", num))
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return stagingErr("output", num, node, err)
		}
		s.env = append(s.env, fmt.Sprintf("OUTPUT%d_STAGING_DIR=%s", num, dir))
		s.outputs = append(s.outputs, stagedOutput{name: fmt.Sprintf("output%d (%s)", num, node.ID), dir: dir, node: dst})
	}
	return nil
}

// publish uploads every file of every output staging directory to its
// node's directoryPath under its relative name, after the command
// succeeded. Each file is written atomically; files already in the
// directory and not produced stay.
func (s *staging) publish(ctx context.Context, env *activity.Env) error {
	for _, o := range s.outputs {
		n := 0
		err := filepath.WalkDir(o.dir, func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			if !d.Type().IsRegular() {
				return fmt.Errorf("%s is not a regular file", path)
			}
			rel, err := filepath.Rel(o.dir, path)
			if err != nil {
				return err
			}
			n++
			return upload(ctx, path, o.node, filepath.ToSlash(rel))
		})
		if err != nil {
			return activity.Errorf(IDStagingFailed, "publish %s to %s: %v", o.name, o.node.Name(), err)
		}
		env.Printf("published %s: %d files", o.name, n)
	}
	return nil
}

// upload writes the local file path as the file name of dst.
func upload(ctx context.Context, path string, dst datanode.Files, name string) error {
	in, err := os.Open(path)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := dst.Create(ctx, name)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		return errors.Join(fmt.Errorf("upload %s: %w", name, err), out.Abort(ctx))
	}
	if _, err := out.Commit(ctx); err != nil {
		return errors.Join(err, out.Abort(ctx))
	}
	return nil
}

// staged reports whether a node is staged, noting in the log when not.
func staged(num int, role string, node pipeline.Object, env *activity.Env) bool {
	if node.Type() == stagedType {
		return true
	}
	env.Printf("%s%d (%s) is a %s: only %s nodes are staged", role, num, node.ID, node.Type(), stagedType)
	return false
}

// stagingErr is a StagingFailed error for one node, unless err already
// carries an errorId (NotSupported for s3:// without AWS clients), which
// it keeps.
func stagingErr(role string, num int, node pipeline.Object, err error) error {
	var ae *activity.Error
	if errors.As(err, &ae) {
		return fmt.Errorf("stage %s%d (%s): %w", role, num, node.ID, err)
	}
	return activity.Errorf(IDStagingFailed, "stage %s%d (%s): %v", role, num, node.ID, err)
}
