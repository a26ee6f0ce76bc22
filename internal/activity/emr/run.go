package emr

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/datapipe/datapipe/internal/activity"
	"github.com/datapipe/datapipe/internal/activity/data"
	"github.com/datapipe/datapipe/internal/datanode"
	ddb "github.com/datapipe/datapipe/internal/datanode/dynamodb"
	"github.com/datapipe/datapipe/internal/pipeline"
)

// Error ids of the native steps, besides the data ids of data.Fail.
const (
	// IDTableNotFound: the step's table does not exist in its region.
	IDTableNotFound = "DynamoDBTableNotFound"
	// IDOutputExists: an export's output directory already holds files
	// (DynamoDbExport never writes into an existing output directory).
	IDOutputExists = "OutputDirectoryExists"
)

// export runs a DynamoDbExport step: the table's parallel scan into
// data files, a manifest and _SUCCESS (ddb.Export). On failure the files
// it committed are deleted, so the directory holds a whole export or
// nothing.
func (a *Activity) export(ctx context.Context, t *activity.Task, env *activity.Env, args ExportArgs) error {
	segments := args.Segments
	if segments == 0 {
		segments = a.cfg.Segments
	}
	src, err := a.openTable(ctx, t, args.Table, "readThroughputPercent", args.Ratio, segments)
	if err != nil {
		return err
	}
	out, err := a.openDir(ctx, t, args.Path)
	if err != nil {
		return err
	}
	if err := checkEmpty(ctx, out); err != nil {
		return err
	}
	env.Printf("DynamoDbExport: %s (region %s) to %s in %d segments", src.TableName(), src.Region(), args.Path, segments)
	start := a.cfg.Clock.Now()
	res, err := ddb.Export(ctx, src, out, ddb.ExportOptions{FileItems: a.cfg.ItemsPerFile})
	if err != nil {
		written := append(res.Files, datanode.File{URL: strings.TrimSuffix(args.Path, "/") + "/manifest"})
		return errors.Join(data.Fail(err), out.remove(context.WithoutCancel(ctx), written))
	}
	env.Printf("DynamoDbExport: %d items in %d files in %s", res.Items, len(res.Files), a.cfg.Clock.Now().Sub(start).Round(time.Millisecond))
	return nil
}

// importDir runs a DynamoDbImport step: the files the directory's
// manifest lists (every visible file without one) into the table
// (ddb.Import). DynamoDB has no transaction over a load: items land as
// they go.
func (a *Activity) importDir(ctx context.Context, t *activity.Task, env *activity.Env, args ImportArgs) error {
	dst, err := a.openTable(ctx, t, args.Table, "writeThroughputPercent", args.Ratio, a.cfg.Segments)
	if err != nil {
		return err
	}
	in, err := a.openDir(ctx, t, args.Path)
	if err != nil {
		return err
	}
	env.Printf("DynamoDbImport: %s into %s (region %s)", args.Path, dst.TableName(), dst.Region())
	start := a.cfg.Clock.Now()
	n, err := ddb.Import(ctx, in, dst)
	if err != nil {
		return data.Fail(err)
	}
	env.Printf("DynamoDbImport: %d items in %s", n, a.cfg.Clock.Now().Sub(start).Round(time.Millisecond))
	return nil
}

// openTable opens the step's table: its DynamoDBDataNode among the
// activity's inputs and outputs when one names it (else a node of that
// table name), with the step's ratio, when it gives one, as the node's
// throughput percent key. The region is the node's, else the resource's,
// else the default; a table missing there fails with IDTableNotFound.
func (a *Activity) openTable(ctx context.Context, t *activity.Task, name, key string, ratio float64, segments int) (*ddb.Node, error) {
	node := findNode(t, "DynamoDBDataNode", func(o pipeline.Object) bool { return datanode.Str(o, "tableName") == name })
	if node.ID == "" {
		node = pipeline.Object{ID: "StepTable", Fields: []pipeline.Field{pipeline.String("type", "DynamoDBDataNode"), pipeline.String("tableName", name)}}
	}
	if ratio > 0 {
		node = withField(node, key, strconv.FormatFloat(ratio, 'g', -1, 64))
	}
	region := a.cfg.Clients.Region(datanode.Str(node, "region"), resourceRegion(t))
	node = withField(node, "region", region)
	c, err := a.cfg.Clients.DynamoDB(ctx, region)
	if err != nil {
		return nil, err
	}
	n, err := ddb.New(node, nil, c, ddb.Config{Segments: segments, WriteConcurrency: a.cfg.WriteConcurrency, Clock: a.cfg.Clock, Logger: a.cfg.Logger})
	if err != nil {
		return nil, data.Fail(err)
	}
	switch ok, err := n.Exists(ctx); {
	case err != nil:
		return nil, data.Fail(err)
	case !ok:
		return nil, activity.Errorf(IDTableNotFound, "%s: DynamoDB table %s does not exist in region %s", n.Name(), name, region)
	}
	return n, nil
}

// withField returns o with key set to value, replacing earlier values.
func withField(o pipeline.Object, key, value string) pipeline.Object {
	fields := make([]pipeline.Field, 0, len(o.Fields)+1)
	for _, f := range o.Fields {
		if f.Key != key {
			fields = append(fields, f)
		}
	}
	o.Fields = append(fields, pipeline.String(key, value))
	return o
}

// checkEmpty fails when the output directory already holds files.
func checkEmpty(ctx context.Context, out *dir) error {
	files, err := out.List(ctx)
	if errors.Is(err, datanode.ErrNotFound) {
		return nil
	}
	if err != nil {
		return data.Fail(err)
	}
	if len(files) > 0 {
		return activity.Errorf(IDOutputExists, "%s: the output directory already holds %d files (%s…); DynamoDbExport writes only into a new directory",
			out.Name(), len(files), files[0].URL)
	}
	return nil
}

// findNode returns the first input or output of type typ that match
// accepts, or the zero Object.
func findNode(t *activity.Task, typ string, match func(pipeline.Object) bool) pipeline.Object {
	for _, key := range []string{"input", "output"} {
		nodes, _ := t.Refs(key)
		for _, n := range nodes {
			if n.Type() == typ && match(n) {
				return n
			}
		}
	}
	return pipeline.Object{}
}

// resourceRegion is the region field of the resource the activity runs
// on, or "".
func resourceRegion(t *activity.Task) string {
	res, ok, err := t.Ref("runsOn")
	if !ok || err != nil {
		return ""
	}
	return datanode.Str(res, "region")
}
