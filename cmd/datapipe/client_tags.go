package main

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/datapipeline"
	"github.com/aws/aws-sdk-go-v2/service/datapipeline/types"
)

// tagCommands returns the tagging commands.
func tagCommands() []*clientCommand {
	return []*clientCommand{
		{name: "add-tags", operation: "AddTags", run: runAddTags,
			required: []string{"pipeline-id", "tags"}, multi: []string{"tags"}},
		{name: "remove-tags", operation: "RemoveTags", run: runRemoveTags,
			required: []string{"pipeline-id", "tag-keys"}, multi: []string{"tag-keys"}},
	}
}

// tags returns option name's tags: "key=k,value=v" words, JSON objects,
// or one JSON list ([{"key": "k", "value": "v"}]). It is nil when the
// option is absent.
func (in *input) tags(name string) []types.Tag {
	items := in.structList(name, "tags", "key", "value")
	if items == nil {
		return nil
	}
	tags := make([]types.Tag, len(items))
	for i, item := range items {
		tags[i] = types.Tag{Key: aws.String(item["key"]), Value: aws.String(item["value"])}
	}
	return tags
}

// runAddTags implements add-tags; it prints nothing.
func runAddTags(ctx context.Context, c *clientCall) (*result, error) {
	in := c.input()
	params := &datapipeline.AddTagsInput{PipelineId: in.str("pipeline-id"), Tags: in.tags("tags")}
	if in.err != nil {
		return nil, in.err
	}
	_, err := c.api.AddTags(ctx, params)
	return nil, err
}

// runRemoveTags implements remove-tags; it prints nothing.
func runRemoveTags(ctx context.Context, c *clientCall) (*result, error) {
	in := c.input()
	params := &datapipeline.RemoveTagsInput{PipelineId: in.str("pipeline-id"), TagKeys: in.list("tag-keys")}
	if in.err != nil {
		return nil, in.err
	}
	_, err := c.api.RemoveTags(ctx, params)
	return nil, err
}
