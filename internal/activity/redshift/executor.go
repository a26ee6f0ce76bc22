package redshift

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/datapipe/datapipe/internal/activity"
	"github.com/datapipe/datapipe/internal/activity/copyact"
	"github.com/datapipe/datapipe/internal/activity/data"
	"github.com/datapipe/datapipe/internal/datanode"
	dsql "github.com/datapipe/datapipe/internal/datanode/sql"
	"github.com/datapipe/datapipe/internal/pipeline"
)

// The insert modes.
const (
	KeepExisting      = "KEEP_EXISTING"
	OverwriteExisting = "OVERWRITE_EXISTING"
	Truncate          = "TRUNCATE"
	Append            = "APPEND"
)

// Executor executes RedshiftCopyActivity attempts.
type Executor struct {
	open *data.Opener
}

var _ activity.Executor = (*Executor)(nil)

// New returns the RedshiftCopyActivity executor.
func New(open *data.Opener) *Executor { return &Executor{open: open} }

// job is one load.
type job struct {
	t      *activity.Task
	name   string
	in     pipeline.Object
	out    pipeline.Object
	mode   string
	spec   loadSpec
	hasFmt bool
	env    *activity.Env
}

// Execute loads the input into the output table in one transaction.
func (e *Executor) Execute(ctx context.Context, t *activity.Task, env *activity.Env) (activity.Outcome, error) {
	j, err := newJob(t, env)
	if err != nil {
		return 0, err
	}
	if k, _ := data.KindOf(j.out); k == data.KindFiles {
		env.Printf("the output is an S3DataNode: unloading as CopyActivity")
		return copyact.New(e.open).Execute(ctx, t, env)
	}
	if q, ok := t.Field("queue"); ok && q != "" {
		env.Printf("queue %q is not applied: query_group is Redshift's", q)
	}
	if err := e.load(ctx, j); err != nil {
		return 0, data.Fail(fmt.Errorf("%s: load %s into %s: %w", j.name, datanode.Name(j.in), datanode.Name(j.out), err))
	}
	return activity.Finished, nil
}

// newJob reads the attempt's fields.
func newJob(t *activity.Task, env *activity.Env) (*job, error) {
	j := &job{t: t, env: env, name: "RedshiftCopyActivity " + t.ComponentID()}
	ins, err := t.Refs("input")
	if err != nil {
		return nil, err
	}
	outs, err := t.Refs("output")
	if err != nil {
		return nil, err
	}
	if len(ins) != 1 || len(outs) != 1 {
		return nil, activity.Errorf(activity.IDInvalidTask, "%s needs exactly one input and one output, not %d and %d", j.name, len(ins), len(outs))
	}
	j.in, j.out = ins[0], outs[0]
	for _, n := range []pipeline.Object{j.in, j.out} {
		if _, ok := data.KindOf(n); !ok {
			return nil, activity.Errorf(activity.IDNotSupported, "%s cannot load %s: a %s is not a data node it supports", j.name, datanode.Name(n), n.Type())
		}
	}
	mode, _ := t.Field("insertMode")
	j.mode = strings.ToUpper(strings.TrimSpace(mode))
	switch j.mode {
	case KeepExisting, OverwriteExisting, Truncate, Append:
	default:
		return nil, activity.Errorf(activity.IDInvalidTask, "%s: insertMode %q is not KEEP_EXISTING, OVERWRITE_EXISTING, TRUNCATE or APPEND", j.name, mode)
	}
	_, j.hasFmt = j.in.Get("dataFormat")
	if j.spec, err = parseOptions(t.Fields("commandOptions")); err != nil {
		return nil, activity.Errorf(activity.IDInvalidTask, "%s: %v", j.name, err)
	}
	if j.hasFmt && len(t.Fields("commandOptions")) > 0 {
		env.Printf("commandOptions are ignored: %s names a dataFormat", datanode.Name(j.in))
	}
	return j, nil
}

// load runs the transaction.
func (e *Executor) load(ctx context.Context, j *job) error {
	dst, err := e.open.SQL(ctx, j.t, j.out)
	if err != nil {
		return err
	}
	defer dst.Close()
	s, err := dst.Begin(ctx)
	if err != nil {
		return err
	}
	if err := e.steps(ctx, j, s); err != nil {
		return errors.Join(err, s.Rollback(ctx))
	}
	return s.Commit(ctx)
}

// steps prepares the target and staging, loads, and merges.
func (e *Executor) steps(ctx context.Context, j *job, s *dsql.Session) error {
	if err := copyact.Prepare(ctx, s, j.out, datanode.Append); err != nil {
		return err
	}
	if err := createStaging(ctx, s); err != nil {
		return err
	}
	n, err := e.fill(ctx, j, s)
	if err != nil {
		return err
	}
	j.env.Printf("loaded %d rows into staging", n)
	return merge(ctx, j, s)
}
