package main

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/service/datapipeline"
)

// pipelineCommands returns the commands acting on whole pipelines.
func pipelineCommands() []*clientCommand {
	return []*clientCommand{
		{name: "create-pipeline", operation: "CreatePipeline", run: runCreatePipeline,
			required: []string{"name", "unique-id"}, optional: []string{"description", "tags"}, multi: []string{"tags"}},
		{name: "delete-pipeline", operation: "DeletePipeline", run: runDeletePipeline,
			required: []string{"pipeline-id"}},
		{name: "activate-pipeline", operation: "ActivatePipeline", run: runActivatePipeline,
			required: []string{"pipeline-id"}, optional: []string{"parameter-values", "parameter-values-uri", "start-timestamp", "backfill-from", "backfill-to"},
			multi: []string{"parameter-values"}},
		{name: "deactivate-pipeline", operation: "DeactivatePipeline", run: runDeactivatePipeline,
			required: []string{"pipeline-id"}, flags: []string{"cancel-active", "no-cancel-active"}},
		{name: "list-pipelines", operation: "ListPipelines", run: runListPipelines, paginated: true},
		{name: "describe-pipelines", operation: "DescribePipelines", run: runDescribePipelines,
			required: []string{"pipeline-ids"}, multi: []string{"pipeline-ids"}},
	}
}

// runCreatePipeline implements create-pipeline: it prints {"pipelineId"}.
func runCreatePipeline(ctx context.Context, c *clientCall) (*result, error) {
	in := c.input()
	params := &datapipeline.CreatePipelineInput{
		Name:        in.str("name"),
		UniqueId:    in.str("unique-id"),
		Description: in.str("description"),
		Tags:        in.tags("tags"),
	}
	if in.err != nil {
		return nil, in.err
	}
	out, err := c.api.CreatePipeline(ctx, params)
	if err != nil {
		return nil, err
	}
	return &result{value: newObject().setString("pipelineId", out.PipelineId)}, nil
}

// runDeletePipeline implements delete-pipeline; it prints nothing.
func runDeletePipeline(ctx context.Context, c *clientCall) (*result, error) {
	in := c.input()
	params := &datapipeline.DeletePipelineInput{PipelineId: in.str("pipeline-id")}
	if in.err != nil {
		return nil, in.err
	}
	_, err := c.api.DeletePipeline(ctx, params)
	return nil, err
}

// runActivatePipeline implements activate-pipeline: parameter values as
// put-pipeline-definition takes them, and --start-timestamp in ISO 8601
// (sent as epoch seconds). --backfill-from and --backfill-to, datapipe's
// extension, send the backfillFrom and backfillTo members (see
// control.Backfill). It prints nothing.
func runActivatePipeline(ctx context.Context, c *clientCall) (*result, error) {
	in := c.input()
	params := &datapipeline.ActivatePipelineInput{
		PipelineId:     in.str("pipeline-id"),
		StartTimestamp: in.timestamp("start-timestamp"),
	}
	if vals, ok := in.parameterValues(); ok {
		params.ParameterValues = valuesToSDK(vals)
	}
	var opts []func(*datapipeline.Options)
	if from, to := in.timestamp("backfill-from"), in.timestamp("backfill-to"); from != nil || to != nil {
		members := map[string]any{}
		if from != nil {
			members["backfillFrom"] = epochSeconds(*from)
		}
		if to != nil {
			members["backfillTo"] = epochSeconds(*to)
		}
		opts = append(opts, withMembers(members))
	}
	if in.err != nil {
		return nil, in.err
	}
	_, err := c.api.ActivatePipeline(ctx, params, opts...)
	return nil, err
}

// runDeactivatePipeline implements deactivate-pipeline: --cancel-active
// or --no-cancel-active sets cancelActive, neither leaves it to the
// service (which cancels). It prints nothing.
func runDeactivatePipeline(ctx context.Context, c *clientCall) (*result, error) {
	in := c.input()
	params := &datapipeline.DeactivatePipelineInput{PipelineId: in.str("pipeline-id"), CancelActive: in.bool("cancel-active")}
	if in.err != nil {
		return nil, in.err
	}
	_, err := c.api.DeactivatePipeline(ctx, params)
	return nil, err
}

// runListPipelines implements list-pipelines, following every page.
func runListPipelines(ctx context.Context, c *clientCall) (*result, error) {
	return c.paginate(ctx, "pipelineIdList", func(ctx context.Context, marker *string) (page, error) {
		out, err := c.api.ListPipelines(ctx, &datapipeline.ListPipelinesInput{Marker: marker})
		if err != nil {
			return page{}, err
		}
		items := listNode(out.PipelineIdList, pipelineIDNameNode)
		raw := setList(newObject(), "pipelineIdList", items).setString("marker", out.Marker).set("hasMoreResults", out.HasMoreResults)
		return page{raw: raw, items: asList(items), next: out.Marker, more: out.HasMoreResults}, nil
	})
}

// asList returns a converted list as []any (nil stays nil).
func asList(v any) []any {
	l, _ := v.([]any)
	return l
}

// runDescribePipelines implements describe-pipelines.
func runDescribePipelines(ctx context.Context, c *clientCall) (*result, error) {
	in := c.input()
	params := &datapipeline.DescribePipelinesInput{PipelineIds: in.list("pipeline-ids")}
	if in.err != nil {
		return nil, in.err
	}
	out, err := c.api.DescribePipelines(ctx, params)
	if err != nil {
		return nil, err
	}
	v := setList(newObject(), "pipelineDescriptionList", listNode(out.PipelineDescriptionList, pipelineDescriptionNode))
	return &result{value: v}, nil
}
