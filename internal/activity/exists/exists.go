// Package exists runs Exists preconditions: "true when the data node it
// is attached to exists" (objects.md §5.4), for data nodes on the local
// file system.
//
// The node is the attempt's node reference or, when the attempt has none
// (or it names an object the task does not include), the single data
// node among the task's objects. Only S3DataNode nodes whose filePath or
// directoryPath is a file:// or local path are checked: a filePath holds
// when the file exists; a directoryPath when the directory exists and is
// not empty, as an S3 prefix exists only when objects lie under it.
// s3:// paths and other node types fail with NotSupported until the data
// issue brings them.
package exists

import (
	"context"
	"errors"
	"io"
	"io/fs"
	"os"
	"strings"

	"github.com/datapipe/datapipe/internal/activity"
	"github.com/datapipe/datapipe/internal/pipeline"
)

// Executor executes Exists attempts.
type Executor struct{}

var _ activity.Executor = (*Executor)(nil)

// New returns the Exists executor.
func New() *Executor { return &Executor{} }

// Execute checks the node: Finished when its data exists, False when
// not; an error when there is no node to check or it cannot be checked.
func (*Executor) Execute(_ context.Context, t *activity.Task, env *activity.Env) (activity.Outcome, error) {
	node, err := target(t)
	if err != nil {
		return 0, err
	}
	path, dir, err := localPath(node)
	if err != nil {
		return 0, err
	}
	ok, err := present(path, dir)
	if err != nil {
		return 0, activity.Errorf(activity.IDRunnerError, "check %s of %s: %v", path, node.ID, err)
	}
	if !ok {
		env.Printf("data node %s does not exist yet: %s", node.ID, path)
		return activity.False, nil
	}
	env.Printf("data node %s exists: %s", node.ID, path)
	return activity.Finished, nil
}

// target is the data node the precondition checks.
func target(t *activity.Task) (pipeline.Object, error) {
	if id, ok := t.Attempt.Get("node"); ok {
		if node, found := t.Objects[id.Value]; found {
			return node, nil
		}
	}
	var nodes []pipeline.Object
	for id, o := range t.Objects {
		if id != t.AttemptID && strings.HasSuffix(o.Type(), "DataNode") {
			nodes = append(nodes, o)
		}
	}
	if len(nodes) != 1 {
		return pipeline.Object{}, activity.Errorf(activity.IDInvalidTask,
			"Exists needs the data node it checks: attempt %s has no node the task includes, and the task holds %d data nodes", t.AttemptID, len(nodes))
	}
	return nodes[0], nil
}

// localPath is the node's path and whether it names a directory.
func localPath(node pipeline.Object) (string, bool, error) {
	if typ := node.Type(); typ != "S3DataNode" {
		return "", false, activity.Errorf(activity.IDNotSupported, "Exists on %s, a %s, is not supported by this task runner yet (S3DataNode with file:// paths only)", node.ID, typ)
	}
	if file, ok := node.StringValue("filePath"); ok && file != "" {
		p, err := activity.LocalPath(node.ID+".filePath", file)
		return p, false, err
	}
	if dir, ok := node.StringValue("directoryPath"); ok && dir != "" {
		p, err := activity.LocalPath(node.ID+".directoryPath", dir)
		return p, true, err
	}
	return "", false, activity.Errorf(activity.IDInvalidTask, "data node %s has neither filePath nor directoryPath", node.ID)
}

// present reports whether a file exists, or a directory exists and is
// not empty.
func present(path string, dir bool) (bool, error) {
	info, err := os.Stat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return false, nil
	case err != nil:
		return false, err
	case !dir:
		return true, nil
	case !info.IsDir():
		return false, nil
	}
	return notEmpty(path)
}

// notEmpty reports whether directory path holds at least one entry.
func notEmpty(path string) (bool, error) {
	f, err := os.Open(path)
	if err != nil {
		return false, err
	}
	defer f.Close()
	_, err = f.Readdirnames(1)
	if errors.Is(err, io.EOF) {
		return false, nil
	}
	return err == nil, err
}
