package main

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/datapipeline"
	"github.com/aws/aws-sdk-go-v2/service/datapipeline/types"
)

// listRunsStatuses are the statuses list-runs --status accepts, in the
// aws CLI's order.
func listRunsStatuses() []string {
	return []string{"waiting", "pending", "cancelled", "running", "finished", "failed",
		"waiting_for_runner", "waiting_on_dependencies", "shutting_down"}
}

// describeChunk is how many ids list-runs describes per DescribeObjects
// call.
const describeChunk = 100

// listRunsCommand returns list-runs, the aws CLI's client-side composite
// command (api.md §7.8).
func listRunsCommand() *clientCommand {
	return &clientCommand{name: "list-runs", operation: "list-runs", run: runListRuns,
		required: []string{"pipeline-id"}, optional: []string{"status", "start-interval", "schedule-interval"}}
}

// runListRuns implements list-runs exactly as the aws CLI does: it queries
// the INSTANCE sphere with the selectors buildRunsQuery makes (following
// every page), describes the ids in chunks of 100 (one call each, no
// marker), flattens each object (flattenRun), sorts by
// (@scheduledStartTime, name), and prints the runs table — or, with an
// explicit --output, the flattened list through the usual formatter.
func runListRuns(ctx context.Context, c *clientCall) (*result, error) {
	q, err := runsQueryArgs(c.args)
	if err != nil {
		return nil, err
	}
	id := c.args.one("pipeline-id", "")
	ids, err := queryAllIDs(ctx, c.api, id, buildRunsQuery(q, c.now().UTC()))
	if err != nil {
		return nil, err
	}
	runs, err := describeRuns(ctx, c.api, id, ids)
	if err != nil {
		return nil, err
	}
	sortRuns(runs)
	list := make([]any, len(runs))
	for i, r := range runs {
		list[i] = r
	}
	if c.explicitOutput {
		return &result{value: list}, nil
	}
	return &result{custom: func(w io.Writer) error { return writeRuns(w, runs) }}, nil
}

// runsQuery holds list-runs' parsed filters; nil slices are absent.
type runsQuery struct {
	statuses, startInterval, scheduleInterval []string
}

// runsQueryArgs parses --status, --start-interval and --schedule-interval:
// comma-separated lists, each item trimmed. Statuses must be among
// listRunsStatuses (case-sensitive, as in the CLI); an interval is two
// times.
func runsQueryArgs(a *args) (runsQuery, error) {
	var q runsQuery
	split := func(name string) []string {
		v, ok := a.options[name]
		if !ok {
			return nil
		}
		parts := strings.Split(v[len(v)-1], ",")
		for i := range parts {
			parts[i] = strings.TrimSpace(parts[i])
		}
		return parts
	}
	q.statuses, q.startInterval, q.scheduleInterval = split("status"), split("start-interval"), split("schedule-interval")
	for _, s := range q.statuses {
		if !slices.Contains(listRunsStatuses(), s) {
			return q, paramErrorf("Invalid status: %s, must be one of: %s", s, strings.Join(listRunsStatuses(), ", "))
		}
	}
	if err := checkInterval("start-interval", q.startInterval); err != nil {
		return q, err
	}
	return q, checkInterval("schedule-interval", q.scheduleInterval)
}

// checkInterval reports an interval option that is not two times. (The
// aws CLI crashes on one time and ignores a third.)
func checkInterval(name string, iv []string) error {
	if iv != nil && len(iv) != 2 {
		return paramErrorf("Error parsing parameter '--%s': expected two comma-separated times, start,end", name)
	}
	return nil
}

// buildRunsQuery returns the QueryObjects query list-runs sends: with no
// interval, @actualStartTime BETWEEN [now-4 days, now]; else the given
// intervals (@actualStartTime for --start-interval, then
// @scheduledStartTime for --schedule-interval); then, with --status,
// @status EQ the upper-cased statuses.
func buildRunsQuery(q runsQuery, now time.Time) *types.Query {
	const layout = "2006-01-02T15:04:05"
	var sel []types.Selector
	if q.startInterval == nil && q.scheduleInterval == nil {
		sel = append(sel, selector("@actualStartTime", types.OperatorTypeBetween, now.AddDate(0, 0, -4).Format(layout), now.Format(layout)))
	}
	if q.startInterval != nil {
		sel = append(sel, selector("@actualStartTime", types.OperatorTypeBetween, q.startInterval...))
	}
	if q.scheduleInterval != nil {
		sel = append(sel, selector("@scheduledStartTime", types.OperatorTypeBetween, q.scheduleInterval...))
	}
	if q.statuses != nil {
		upper := make([]string, len(q.statuses))
		for i, s := range q.statuses {
			upper[i] = strings.ToUpper(s)
		}
		sel = append(sel, selector("@status", types.OperatorTypeEqual, upper...))
	}
	return &types.Query{Selectors: sel}
}

// selector returns one query selector.
func selector(field string, op types.OperatorType, values ...string) types.Selector {
	return types.Selector{FieldName: aws.String(field), Operator: &types.Operator{Type: op, Values: values}}
}

// queryAllIDs returns the ids of every INSTANCE matching query, following
// the marker while hasMoreResults is true.
func queryAllIDs(ctx context.Context, api *datapipeline.Client, id string, query *types.Query) ([]string, error) {
	var ids []string
	var marker *string
	for {
		out, err := api.QueryObjects(ctx, &datapipeline.QueryObjectsInput{
			PipelineId: aws.String(id), Sphere: aws.String("INSTANCE"), Query: query, Marker: marker})
		if err != nil {
			return nil, err
		}
		ids = append(ids, out.Ids...)
		if !out.HasMoreResults || aws.ToString(out.Marker) == "" {
			return ids, nil
		}
		if marker != nil && *marker == *out.Marker {
			return nil, fmt.Errorf("The same next token was received twice: {'marker': %s}", pyReprString(*out.Marker))
		}
		marker = out.Marker
	}
}

// describeRuns describes ids in chunks of describeChunk, one call per
// chunk, and flattens the objects.
func describeRuns(ctx context.Context, api *datapipeline.Client, id string, ids []string) ([]*object, error) {
	var runs []*object
	for chunk := range slices.Chunk(ids, describeChunk) {
		out, err := api.DescribeObjects(ctx, &datapipeline.DescribeObjectsInput{PipelineId: aws.String(id), ObjectIds: chunk})
		if err != nil {
			return nil, err
		}
		for _, o := range out.PipelineObjects {
			runs = append(runs, flattenRun(o))
		}
	}
	return runs, nil
}

// flattenRun returns {"@id": id, "name": name, key: value…}: each field's
// stringValue, else its refValue (None when neither); a repeated key
// keeps its last value, in its first place.
func flattenRun(o types.PipelineObject) *object {
	n := newObject().set("@id", aws.ToString(o.Id)).set("name", aws.ToString(o.Name))
	for _, f := range o.Fields {
		var v any
		switch {
		case f.StringValue != nil:
			v = *f.StringValue
		case f.RefValue != nil:
			v = *f.RefValue
		}
		n.set(aws.ToString(f.Key), v)
	}
	return n
}

// sortRuns sorts runs stably by (@scheduledStartTime, name), a missing
// value sorting first.
func sortRuns(runs []*object) {
	key := func(o *object, k string) string {
		v, _ := o.get(k)
		s, _ := v.(string)
		return s
	}
	slices.SortStableFunc(runs, func(a, b *object) int {
		return cmp.Or(strings.Compare(key(a, "@scheduledStartTime"), key(b, "@scheduledStartTime")),
			strings.Compare(key(a, "name"), key(b, "name")))
	})
}
