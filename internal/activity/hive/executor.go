package hive

import (
	"context"
	"fmt"

	"github.com/datapipe/datapipe/internal/activity"
	"github.com/datapipe/datapipe/internal/activity/copyact"
	"github.com/datapipe/datapipe/internal/activity/data"
	"github.com/datapipe/datapipe/internal/datanode"
	"github.com/datapipe/datapipe/internal/datanode/format"
	"github.com/datapipe/datapipe/internal/pipeline"
)

// Executor executes HiveCopyActivity attempts.
type Executor struct {
	open *data.Opener
}

var _ activity.Executor = (*Executor)(nil)

// New returns the HiveCopyActivity executor.
func New(open *data.Opener) *Executor { return &Executor{open: open} }

// Execute copies the filtered items of the input to the output.
func (e *Executor) Execute(ctx context.Context, t *activity.Task, env *activity.Env) (activity.Outcome, error) {
	name := "HiveCopyActivity " + t.ComponentID()
	in, out, err := endpoints(t, name)
	if err != nil {
		return 0, err
	}
	sql, _ := t.Field("filterSql")
	f, err := ParseFilter(sql)
	if err != nil {
		return 0, activity.Errorf(activity.IDInvalidTask, "%s: filterSql %q: %v", name, sql, err)
	}
	cols, err := projection(out, data.Lookup(t))
	if err != nil {
		return 0, data.Fail(err)
	}
	n, kept, err := e.copy(ctx, t, in, out, f, cols)
	if err != nil {
		return 0, data.Fail(fmt.Errorf("%s: copy %s to %s: %w", name, datanode.Name(in), datanode.Name(out), err))
	}
	env.Printf("copied %d of %d items from %s to %s", kept, n, datanode.Name(in), datanode.Name(out))
	return activity.Finished, nil
}

// endpoints returns the input and output, checking the pair.
func endpoints(t *activity.Task, name string) (in, out pipeline.Object, err error) {
	ins, err := t.Refs("input")
	if err != nil {
		return in, out, err
	}
	outs, err := t.Refs("output")
	if err != nil {
		return in, out, err
	}
	if len(ins) != 1 || len(outs) != 1 {
		return in, out, activity.Errorf(activity.IDInvalidTask, "%s needs exactly one input and one output, not %d and %d", name, len(ins), len(outs))
	}
	in, out = ins[0], outs[0]
	kin, _ := data.KindOf(in)
	kout, _ := data.KindOf(out)
	switch {
	case kin != data.KindFiles && kin != data.KindDynamoDB, kout != data.KindFiles && kout != data.KindDynamoDB:
		return in, out, activity.Errorf(activity.IDInvalidTask, "%s copies between S3DataNode and DynamoDBDataNode only, not %s to %s", name, in.Type(), out.Type())
	case kin == data.KindFiles && kout == data.KindFiles:
		return in, out, activity.Errorf(activity.IDInvalidTask, "%s: with an S3DataNode input the output must be a DynamoDBDataNode", name)
	}
	return in, out, nil
}

// projection is the output format's column names, nil for all.
func projection(out pipeline.Object, lookup datanode.Lookup) ([]string, error) {
	f, err := datanode.FormatOf(out, lookup, nil)
	if err != nil || f == nil {
		return nil, err
	}
	var cols []string
	for _, c := range f.Columns {
		cols = append(cols, c.Name)
	}
	return cols, nil
}

// copy streams the items through the filter.
func (e *Executor) copy(ctx context.Context, t *activity.Task, in, out pipeline.Object, f *Filter, cols []string) (read, kept int64, err error) {
	r, closeIn, err := copyact.OpenReader(ctx, e.open, t, in, exportSide(out))
	if err != nil {
		return 0, 0, err
	}
	defer closeIn()
	w, closeOut, err := copyact.OpenWriter(ctx, e.open, t, out, exportSide(in))
	if err != nil {
		return 0, 0, err
	}
	defer closeOut()
	fr := &filtered{r: r, f: f, cols: cols}
	kept, err = copyact.Pump(ctx, fr, w)
	return fr.read, kept, err
}

// exportSide is the node the other side sees: a DynamoDB node makes S3
// data default to the export format, which HiveCopyActivity always
// wants, so S3 ends see a DynamoDB node.
func exportSide(pipeline.Object) pipeline.Object {
	return pipeline.Object{Fields: []pipeline.Field{pipeline.String("type", "DynamoDBDataNode")}}
}

// filtered reads the records that pass the filter, projected.
type filtered struct {
	r    datanode.RecordReader
	f    *Filter
	cols []string
	read int64
}

// Read returns the next record that passes.
func (fr *filtered) Read() (format.Record, error) {
	for {
		rec, err := fr.r.Read()
		if err != nil {
			return nil, err
		}
		fr.read++
		if fr.f.Keep(rec) {
			return project(rec, fr.cols), nil
		}
	}
}

// Close closes the reader.
func (fr *filtered) Close() error { return fr.r.Close() }

// project keeps the attributes named in cols (all when nil).
func project(rec format.Record, cols []string) format.Record {
	if cols == nil {
		return rec
	}
	out := rec[:0:0]
	for _, c := range cols {
		if v, ok := rec.Get(c); ok {
			out = append(out, format.Field{Name: c, Value: v})
		}
	}
	return out
}
