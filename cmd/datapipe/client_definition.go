package main

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/service/datapipeline"

	"github.com/datapipe/datapipe/internal/definition"
	"github.com/datapipe/datapipe/internal/pipeline"
)

// definitionCommands returns the commands that put, get and validate
// pipeline definitions.
func definitionCommands() []*clientCommand {
	return []*clientCommand{
		{name: "put-pipeline-definition", operation: "PutPipelineDefinition", run: runPutPipelineDefinition,
			required: []string{"pipeline-id", "pipeline-definition"},
			optional: []string{"parameter-objects", "parameter-values", "parameter-values-uri"},
			multi:    []string{"parameter-values"}},
		{name: "get-pipeline-definition", operation: "GetPipelineDefinition", run: runGetPipelineDefinition,
			required: []string{"pipeline-id"}, optional: []string{"pipeline-version"}},
		{name: "validate-pipeline-definition", operation: "ValidatePipelineDefinition", run: runValidatePipelineDefinition,
			required: []string{"pipeline-id", "pipeline-objects"},
			optional: []string{"parameter-objects", "parameter-values"},
			multi:    []string{"parameter-values"}},
	}
}

// runPutPipelineDefinition implements put-pipeline-definition as the aws
// CLI does (api.md §7.5): the --pipeline-definition file (CLI or wire
// format) is translated; --parameter-objects replaces its parameters and
// --parameter-values or --parameter-values-uri its values. It prints the
// validation result; errored:true still exits 0, as in the CLI.
func runPutPipelineDefinition(ctx context.Context, c *clientCall) (*result, error) {
	in := c.input()
	id := in.str("pipeline-id")
	def := in.document("pipeline-definition")
	params := in.document("parameter-objects")
	vals, haveVals := in.parameterValues()
	if in.err != nil {
		return nil, in.err
	}
	if !def.HasObjects {
		return nil, paramError(`Error in pipeline definition: Missing "objects" key`)
	}
	d := definition.Merge(def, params, vals, haveVals)
	paramsGiven := def.HasParameters
	if params != nil {
		paramsGiven = params.HasParameters
	}
	out, err := c.api.PutPipelineDefinition(ctx, &datapipeline.PutPipelineDefinitionInput{
		PipelineId:       id,
		PipelineObjects:  objectsToSDK(d.Objects),
		ParameterObjects: parametersToSDK(d.Parameters, paramsGiven),
		ParameterValues:  valuesOrNil(d.Values, haveVals || def.HasValues),
	})
	if err != nil {
		return nil, err
	}
	return &result{value: validationNode(out.ValidationErrors, out.ValidationWarnings, out.Errored)}, nil
}

// document loads option name's definition file (CLI or wire format), or
// returns nil when the option is absent.
func (in *input) document(name string) *definition.Document {
	data, source, ok := in.raw(name)
	if !ok {
		return nil
	}
	doc, err := definition.Load(source, data, definition.LoadOptions{})
	if err != nil {
		in.fail(paramErrorf("Error parsing parameter '--%s': %v", name, err))
		return nil
	}
	return doc
}

// parameterValues returns the values of --parameter-values (inline
// id=value words) or --parameter-values-uri (a file holding "values"),
// and whether either was given. Both together are an error, as in the
// aws CLI.
func (in *input) parameterValues() ([]pipeline.ParameterValue, bool) {
	inline := in.c.args.options["parameter-values"]
	switch {
	case len(inline) > 0 && in.has("parameter-values-uri"):
		in.fail(paramError("Only parameter-values or parameter-values-uri is allowed"))
		return nil, false
	case len(inline) > 0:
		vals, err := definition.ParseParameterValues(inline)
		if err != nil {
			in.fail(paramErrorf("Error in parameter: %v", err))
		}
		return vals, true
	}
	doc := in.document("parameter-values-uri")
	if doc == nil {
		return nil, false
	}
	return doc.Values, true
}

// runGetPipelineDefinition implements get-pipeline-definition: it prints
// the definition in the CLI file format (definition.EncodeCLI) for --output
// json, and the same structure through the text and table formatters.
func runGetPipelineDefinition(ctx context.Context, c *clientCall) (*result, error) {
	in := c.input()
	params := &datapipeline.GetPipelineDefinitionInput{PipelineId: in.str("pipeline-id"), Version: in.str("pipeline-version")}
	if in.err != nil {
		return nil, in.err
	}
	out, err := c.api.GetPipelineDefinition(ctx, params)
	if err != nil {
		return nil, err
	}
	d := definitionFromSDK(out)
	text, err := definition.EncodeCLI(d)
	if err != nil {
		return nil, fmt.Errorf("encode definition: %w", err)
	}
	return &result{value: cliDefinitionNode(d), jsonText: text}, nil
}

// runValidatePipelineDefinition implements validate-pipeline-definition:
// unlike put-pipeline-definition it takes the API shapes untranslated
// (api.md §7.5): --pipeline-objects a JSON list of PipelineObject (or,
// as a datapipe extension, a JSON object holding "pipelineObjects" and
// optionally "parameterObjects" and "parameterValues"),
// --parameter-objects a JSON list of ParameterObject, --parameter-values
// "id=…,stringValue=…" words or a JSON list of ParameterValue.
func runValidatePipelineDefinition(ctx context.Context, c *clientCall) (*result, error) {
	in := c.input()
	params := &datapipeline.ValidatePipelineDefinitionInput{PipelineId: in.str("pipeline-id")}
	in.apiDefinition(params)
	if in.err != nil {
		return nil, in.err
	}
	out, err := c.api.ValidatePipelineDefinition(ctx, params)
	if err != nil {
		return nil, err
	}
	return &result{value: validationNode(out.ValidationErrors, out.ValidationWarnings, out.Errored)}, nil
}
