package emr

import (
	"context"
	"math"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/datapipe/datapipe/internal/activity"
	"github.com/datapipe/datapipe/internal/datanode"
	"github.com/datapipe/datapipe/internal/pipeline"
)

// export runs a DynamoDbExport step.
func (a *Activity) export(ctx context.Context, t *activity.Task, env *activity.Env, args ExportArgs) error {
	tbl, node, err := a.openTable(ctx, t, args.Table)
	if err != nil {
		return err
	}
	ratio, err := stepRatio(args.Ratio, node, "readThroughputPercent")
	if err != nil {
		return err
	}
	out, err := a.openDir(ctx, dirNodeID(t, args.Path), args.Path, a.dirRegion(t, args.Path), args.Compress)
	if err != nil {
		return err
	}
	e := &exporter{cfg: a.cfg, tbl: tbl, out: out, gzip: args.Compress,
		lim:      newLimiter(ratio*tbl.read, a.cfg.Now, a.cfg.Sleep),
		segments: max(args.Segments, 0)}
	if e.segments == 0 {
		e.segments = a.cfg.Segments
	}
	e.limit = pageLimit(tbl, ratio*tbl.read/float64(e.segments))
	env.Printf("DynamoDbExport: %s to %s, %d segments, read ratio %g of %g units/s", tbl, args.Path, e.segments, ratio, tbl.read)
	start := a.cfg.Now()
	res, err := e.run(ctx)
	if err != nil {
		return err
	}
	env.Printf("DynamoDbExport: %d items in %d files in %s", res.items, len(res.files), a.cfg.Now().Sub(start).Round(1e6))
	return nil
}

// importDir runs a DynamoDbImport step.
func (a *Activity) importDir(ctx context.Context, t *activity.Task, env *activity.Env, args ImportArgs) error {
	tbl, node, err := a.openTable(ctx, t, args.Table)
	if err != nil {
		return err
	}
	ratio, err := stepRatio(args.Ratio, node, "writeThroughputPercent")
	if err != nil {
		return err
	}
	in, err := a.openDir(ctx, dirNodeID(t, args.Path), args.Path, a.dirRegion(t, args.Path), false)
	if err != nil {
		return err
	}
	im := &importer{cfg: a.cfg, tbl: tbl, in: in, lim: newLimiter(ratio*tbl.write, a.cfg.Now, a.cfg.Sleep)}
	env.Printf("DynamoDbImport: %s into %s, write ratio %g of %g units/s", args.Path, tbl, ratio, tbl.write)
	start := a.cfg.Now()
	res, err := im.run(ctx)
	if err != nil {
		return err
	}
	env.Printf("DynamoDbImport: %d items from %d files in %s", res.items, res.files, a.cfg.Now().Sub(start).Round(1e6))
	return nil
}

// openTable finds the step's table: its DynamoDBDataNode among the
// activity's inputs and outputs (node is zero when none names it), in
// the node's region, else the region of the resource the activity runs
// on, else the default region.
func (a *Activity) openTable(ctx context.Context, t *activity.Task, name string) (*table, pipeline.Object, error) {
	node := findNode(t, "DynamoDBDataNode", func(o pipeline.Object) bool { return datanode.Str(o, "tableName") == name })
	region := a.cfg.Clients.Region(datanode.Str(node, "region"), resourceRegion(t))
	c, err := a.cfg.Clients.DynamoDB(ctx, region)
	if err != nil {
		return nil, node, err
	}
	tbl, err := describeTable(ctx, c, name, region)
	return tbl, node, err
}

// dirRegion is the region of the step's directory: its S3DataNode's
// region field when it has one, else the resource's.
func (a *Activity) dirRegion(t *activity.Task, path string) string {
	node := findNode(t, "S3DataNode", func(o pipeline.Object) bool { return samePath(datanode.Str(o, "directoryPath"), path) })
	return a.cfg.Clients.Region(datanode.Str(node, "region"), resourceRegion(t))
}

// dirNodeID names the step's directory in messages: its S3DataNode's id,
// else "step directory".
func dirNodeID(t *activity.Task, path string) string {
	node := findNode(t, "S3DataNode", func(o pipeline.Object) bool { return samePath(datanode.Str(o, "directoryPath"), path) })
	if node.ID != "" {
		return node.ID
	}
	return "StepDirectory"
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

// samePath compares directory paths, ignoring a trailing slash.
func samePath(a, b string) bool {
	return a != "" && strings.TrimSuffix(a, "/") == strings.TrimSuffix(b, "/")
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

// stepRatio is the step's ratio, else the node's key, else the tools'
// default.
func stepRatio(step float64, node pipeline.Object, key string) (float64, error) {
	if step > 0 {
		return step, nil
	}
	if node.ID == "" {
		return defaultRatio, nil
	}
	return datanode.Percent(node, key, defaultRatio)
}

// assumedItemSize is the average item size when the table reports none
// (DescribeTable's counts are refreshed only every few hours).
const assumedItemSize = 1024

// pageLimit bounds a scan page so that one page costs about one second
// of a segment's budget, from the table's average item size; nil (no
// limit) when that is 10,000 items or more.
func pageLimit(t *table, perSegment float64) *int32 {
	avg := float64(assumedItemSize)
	if t.items > 0 && t.bytes > 0 {
		avg = float64(t.bytes) / float64(t.items)
	}
	perItem := math.Max(avg/4096, 1.0/4096) / 2 // eventually consistent units
	n := perSegment / perItem
	if n >= 10_000 {
		return nil
	}
	return aws.Int32(int32(math.Max(n, 1)))
}
