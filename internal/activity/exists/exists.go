// Package exists runs Exists preconditions: "true when the data node it
// is attached to exists" (objects.md §5.4), for every data node type
// this runner moves data of.
//
// The node is the attempt's node reference or, when the attempt has none
// (or it names an object the task does not include), the single data
// node among the task's objects. What exists means per node:
//   - S3DataNode (s3://, file:// or a local path): a filePath exists; a
//     directoryPath holds at least one visible object or file (an S3
//     prefix exists only when objects lie under it). A missing bucket is
//     False.
//   - SqlDataNode, MySqlDataNode, RedshiftDataNode: the table exists (a
//     node with only a selectQuery: the query runs).
//   - DynamoDBDataNode: the table exists. (AWS refuses Exists on DynamoDB
//     nodes; this runner answers it.)
//
// Outcomes are Finished or False; an error means the node could not be
// checked (refused credentials, an unreachable server, a bad node).
package exists

import (
	"context"
	"strings"

	"github.com/datapipe/datapipe/internal/activity"
	"github.com/datapipe/datapipe/internal/activity/data"
	"github.com/datapipe/datapipe/internal/pipeline"
)

// Executor executes Exists attempts.
type Executor struct {
	open *data.Opener
}

var _ activity.Executor = (*Executor)(nil)

// New returns the Exists executor, opening nodes with open (nil: local
// files and SQL databases only).
func New(open *data.Opener) *Executor {
	if open == nil {
		open = data.New(data.Config{})
	}
	return &Executor{open: open}
}

// Execute checks the node: Finished when its data exists, False when
// not; an error when there is no node to check or it cannot be checked.
func (e *Executor) Execute(ctx context.Context, t *activity.Task, env *activity.Env) (activity.Outcome, error) {
	node, err := target(t)
	if err != nil {
		return 0, err
	}
	n, closeFn, err := e.open.Node(ctx, t, node)
	if err != nil {
		return 0, data.Fail(err)
	}
	defer closeFn()
	ok, err := n.Exists(ctx)
	if err != nil {
		return 0, data.Fail(err)
	}
	if !ok {
		env.Printf("%s does not exist yet", n.Name())
		return activity.False, nil
	}
	env.Printf("%s exists", n.Name())
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
