package main

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/datapipeline"
	"github.com/aws/aws-sdk-go-v2/service/datapipeline/types"
)

// objectCommands returns the commands acting on pipeline objects.
func objectCommands() []*clientCommand {
	return []*clientCommand{
		{name: "describe-objects", operation: "DescribeObjects", run: runDescribeObjects, paginated: true,
			required: []string{"pipeline-id", "object-ids"}, multi: []string{"object-ids"},
			flags: []string{"evaluate-expressions", "no-evaluate-expressions"}},
		{name: "query-objects", operation: "QueryObjects", run: runQueryObjects, paginated: true, pageSize: true,
			required: []string{"pipeline-id", "sphere"}, optional: []string{"objects-query"}},
		{name: "evaluate-expression", operation: "EvaluateExpression", run: runEvaluateExpression,
			required: []string{"pipeline-id", "object-id", "expression"}},
		{name: "set-status", operation: "SetStatus", run: runSetStatus,
			required: []string{"pipeline-id", "object-ids", "status"}, multi: []string{"object-ids"}},
	}
}

// runDescribeObjects implements describe-objects, following every page.
func runDescribeObjects(ctx context.Context, c *clientCall) (*result, error) {
	in := c.input()
	params := datapipeline.DescribeObjectsInput{
		PipelineId:          in.str("pipeline-id"),
		ObjectIds:           in.list("object-ids"),
		EvaluateExpressions: aws.ToBool(in.bool("evaluate-expressions")),
	}
	if in.err != nil {
		return nil, in.err
	}
	return c.paginate(ctx, "pipelineObjects", func(ctx context.Context, marker *string) (page, error) {
		p := params
		p.Marker = marker
		out, err := c.api.DescribeObjects(ctx, &p)
		if err != nil {
			return page{}, err
		}
		items := listNode(out.PipelineObjects, pipelineObjectNode)
		raw := setList(newObject(), "pipelineObjects", items).setString("marker", out.Marker).set("hasMoreResults", out.HasMoreResults)
		return page{raw: raw, items: asList(items), next: out.Marker, more: out.HasMoreResults}, nil
	})
}

// runQueryObjects implements query-objects, following every page;
// --objects-query is the API's Query as JSON, --page-size its limit.
func runQueryObjects(ctx context.Context, c *clientCall) (*result, error) {
	in := c.input()
	params := datapipeline.QueryObjectsInput{PipelineId: in.str("pipeline-id"), Sphere: in.str("sphere")}
	if data, _, ok := in.raw("objects-query"); ok {
		params.Query = &types.Query{}
		in.decodeJSON("objects-query", data, params.Query)
	}
	if n := in.int("page-size"); n > 0 {
		params.Limit = aws.Int32(int32(min(n, 1<<31-1)))
	}
	if in.err != nil {
		return nil, in.err
	}
	return c.paginate(ctx, "ids", func(ctx context.Context, marker *string) (page, error) {
		p := params
		p.Marker = marker
		out, err := c.api.QueryObjects(ctx, &p)
		if err != nil {
			return page{}, err
		}
		items := stringsNode(out.Ids)
		raw := setList(newObject(), "ids", items).setString("marker", out.Marker).set("hasMoreResults", out.HasMoreResults)
		return page{raw: raw, items: asList(items), next: out.Marker, more: out.HasMoreResults}, nil
	})
}

// runEvaluateExpression implements evaluate-expression: it prints
// {"evaluatedExpression"}.
func runEvaluateExpression(ctx context.Context, c *clientCall) (*result, error) {
	in := c.input()
	params := &datapipeline.EvaluateExpressionInput{
		PipelineId: in.str("pipeline-id"),
		ObjectId:   in.str("object-id"),
		Expression: in.str("expression"),
	}
	if in.err != nil {
		return nil, in.err
	}
	out, err := c.api.EvaluateExpression(ctx, params)
	if err != nil {
		return nil, err
	}
	return &result{value: newObject().setString("evaluatedExpression", out.EvaluatedExpression)}, nil
}

// runSetStatus implements set-status; it prints nothing.
func runSetStatus(ctx context.Context, c *clientCall) (*result, error) {
	in := c.input()
	params := &datapipeline.SetStatusInput{
		PipelineId: in.str("pipeline-id"),
		ObjectIds:  in.list("object-ids"),
		Status:     in.str("status"),
	}
	if in.err != nil {
		return nil, in.err
	}
	_, err := c.api.SetStatus(ctx, params)
	return nil, err
}
