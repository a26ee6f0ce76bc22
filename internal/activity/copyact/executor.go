package copyact

import (
	"context"
	"fmt"
	"time"

	"github.com/datapipe/datapipe/internal/activity"
	"github.com/datapipe/datapipe/internal/activity/data"
	"github.com/datapipe/datapipe/internal/datanode"
	"github.com/datapipe/datapipe/internal/pipeline"
)

// Executor executes CopyActivity attempts.
type Executor struct {
	open *data.Opener
}

var _ activity.Executor = (*Executor)(nil)

// New returns the CopyActivity executor, opening nodes with open.
func New(open *data.Opener) *Executor { return &Executor{open: open} }

// Execute copies the input node into the output node: Finished when
// every record is committed, an error otherwise (the output then holds
// what it held before, see the package doc).
func (e *Executor) Execute(ctx context.Context, t *activity.Task, env *activity.Env) (activity.Outcome, error) {
	in, out, err := endpoints(t)
	if err != nil {
		return 0, err
	}
	start := time.Now()
	env.Printf("copying %s to %s", datanode.Name(in), datanode.Name(out))
	st, err := e.copy(ctx, t, in, out, env)
	if err != nil {
		return 0, data.Fail(fmt.Errorf("copy %s to %s: %w", datanode.Name(in), datanode.Name(out), err))
	}
	env.Printf("copied %s in %s", st, time.Since(start).Round(time.Millisecond))
	return activity.Finished, nil
}

// endpoints returns the single input and output node.
func endpoints(t *activity.Task) (in, out pipeline.Object, err error) {
	ins, err := t.Refs("input")
	if err != nil {
		return in, out, err
	}
	outs, err := t.Refs("output")
	if err != nil {
		return in, out, err
	}
	if len(ins) != 1 || len(outs) != 1 {
		return in, out, activity.Errorf(activity.IDInvalidTask, "CopyActivity %s needs exactly one input and one output, not %d and %d", t.ComponentID(), len(ins), len(outs))
	}
	for _, n := range []pipeline.Object{ins[0], outs[0]} {
		if _, ok := data.KindOf(n); !ok {
			return in, out, activity.Errorf(activity.IDNotSupported, "CopyActivity cannot copy %s: a %s is not a data node it supports (S3DataNode, SqlDataNode, MySqlDataNode, RedshiftDataNode, DynamoDBDataNode)", datanode.Name(n), n.Type())
		}
	}
	return ins[0], outs[0], nil
}

// stats counts what a copy moved.
type stats struct {
	files   int
	records int64
	bytes   int64
}

// String describes the copy ("3 files, 1200 bytes", "10 records").
func (s stats) String() string {
	switch {
	case s.records > 0 || s.files == 0:
		return fmt.Sprintf("%d records", s.records)
	}
	return fmt.Sprintf("%d files, %d bytes", s.files, s.bytes)
}

// copy dispatches on the kinds of the two nodes.
func (e *Executor) copy(ctx context.Context, t *activity.Task, in, out pipeline.Object, env *activity.Env) (stats, error) {
	kin, _ := data.KindOf(in)
	kout, _ := data.KindOf(out)
	if kin == data.KindFiles && kout == data.KindFiles {
		return e.filesToFiles(ctx, t, in, out, env)
	}
	if kin == data.KindFiles && kout == data.KindSQL {
		if st, done, err := e.bulkLoad(ctx, t, in, out, env); done || err != nil {
			return st, err
		}
	}
	return e.records(ctx, t, in, out)
}
