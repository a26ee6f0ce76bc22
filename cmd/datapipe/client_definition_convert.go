package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/datapipeline"
	"github.com/aws/aws-sdk-go-v2/service/datapipeline/types"

	"github.com/datapipe/datapipe/internal/definition"
	"github.com/datapipe/datapipe/internal/pipeline"
)

// objectsToSDK converts objects to the SDK's shape, keeping field order,
// repetition and the string-or-reference kind. Every Fields list is
// non-nil: the member is required.
func objectsToSDK(objs []pipeline.Object) []types.PipelineObject {
	out := make([]types.PipelineObject, len(objs))
	for i, o := range objs {
		fields := make([]types.Field, len(o.Fields))
		for j, f := range o.Fields {
			fields[j] = types.Field{Key: aws.String(f.Key)}
			if f.Ref {
				fields[j].RefValue = aws.String(f.Value)
			} else {
				fields[j].StringValue = aws.String(f.Value)
			}
		}
		out[i] = types.PipelineObject{Id: aws.String(o.ID), Name: aws.String(o.Name), Fields: fields}
	}
	return out
}

// parametersToSDK converts parameter objects; nil (nothing sent) unless
// given, so that an empty section given explicitly is sent as [].
func parametersToSDK(params []pipeline.ParameterObject, given bool) []types.ParameterObject {
	if !given && len(params) == 0 {
		return nil
	}
	out := make([]types.ParameterObject, len(params))
	for i, p := range params {
		attrs := make([]types.ParameterAttribute, len(p.Attributes))
		for j, a := range p.Attributes {
			attrs[j] = types.ParameterAttribute{Key: aws.String(a.Key), StringValue: aws.String(a.Value)}
		}
		out[i] = types.ParameterObject{Id: aws.String(p.ID), Attributes: attrs}
	}
	return out
}

// valuesOrNil converts values; nil (nothing sent) unless given.
func valuesOrNil(vals []pipeline.ParameterValue, given bool) []types.ParameterValue {
	if !given && len(vals) == 0 {
		return nil
	}
	return valuesToSDK(vals)
}

// valuesToSDK converts parameter values, keeping order; the result is
// non-nil.
func valuesToSDK(vals []pipeline.ParameterValue) []types.ParameterValue {
	out := make([]types.ParameterValue, len(vals))
	for i, v := range vals {
		out[i] = types.ParameterValue{Id: aws.String(v.ID), StringValue: aws.String(v.Value)}
	}
	return out
}

// definitionFromSDK converts a GetPipelineDefinition response. A field
// without stringValue is a reference, as the aws CLI reads it.
func definitionFromSDK(out *datapipeline.GetPipelineDefinitionOutput) definition.Definition {
	var d definition.Definition
	for _, o := range out.PipelineObjects {
		obj := pipeline.Object{ID: aws.ToString(o.Id), Name: aws.ToString(o.Name)}
		for _, f := range o.Fields {
			if f.StringValue != nil {
				obj.Fields = append(obj.Fields, pipeline.String(aws.ToString(f.Key), *f.StringValue))
			} else {
				obj.Fields = append(obj.Fields, pipeline.Reference(aws.ToString(f.Key), aws.ToString(f.RefValue)))
			}
		}
		d.Objects = append(d.Objects, obj)
	}
	for _, p := range out.ParameterObjects {
		po := pipeline.ParameterObject{ID: aws.ToString(p.Id)}
		for _, a := range p.Attributes {
			po.Attributes = append(po.Attributes, pipeline.Attribute{Key: aws.ToString(a.Key), Value: aws.ToString(a.StringValue)})
		}
		d.Parameters = append(d.Parameters, po)
	}
	for _, v := range out.ParameterValues {
		d.Values = append(d.Values, pipeline.ParameterValue{ID: aws.ToString(v.Id), Value: aws.ToString(v.StringValue)})
	}
	return d
}

// cliDefinitionNode returns d in the CLI file format as a value for the
// text and table formatters: the structure definition.EncodeCLI prints.
func cliDefinitionNode(d definition.Definition) *object {
	n := newObject()
	if len(d.Objects) > 0 {
		n.set("objects", cliObjects(d.Objects))
	}
	if len(d.Parameters) > 0 {
		n.set("parameters", cliParameters(d.Parameters))
	}
	if len(d.Values) > 0 {
		vals := newObject()
		for _, v := range d.Values {
			addValue(vals, v.ID, v.Value)
		}
		n.set("values", vals)
	}
	return n
}

// cliObjects returns objects in the CLI format: id, name, then fields.
func cliObjects(objs []pipeline.Object) []any {
	out := make([]any, len(objs))
	for i, o := range objs {
		m := newObject().set("id", o.ID)
		addValue(m, "name", o.Name)
		for _, f := range o.Fields {
			addValue(m, f.Key, cliFieldValue(f))
		}
		out[i] = m
	}
	return out
}

// cliParameters returns parameter objects in the CLI format.
func cliParameters(params []pipeline.ParameterObject) []any {
	out := make([]any, len(params))
	for i, p := range params {
		m := newObject().set("id", p.ID)
		for _, a := range p.Attributes {
			addValue(m, a.Key, a.Value)
		}
		out[i] = m
	}
	return out
}

// cliFieldValue is a field's value in the CLI format: a string or
// {"ref": id}.
func cliFieldValue(f pipeline.Field) any {
	if f.Ref {
		return newObject().set("ref", f.Value)
	}
	return f.Value
}

// addValue sets key to v, or appends v when key is set, as the aws CLI's
// translator does: a second value makes a list.
func addValue(o *object, key string, v any) {
	prev, ok := o.get(key)
	switch l, isList := prev.([]any); {
	case !ok:
		o.set(key, v)
	case isList:
		o.set(key, append(l, v))
	default:
		o.set(key, []any{prev, v})
	}
}

// apiDefinition reads validate-pipeline-definition's API-shaped options
// into params.
func (in *input) apiDefinition(params *datapipeline.ValidatePipelineDefinitionInput) {
	var def struct {
		PipelineObjects  []types.PipelineObject  `json:"pipelineObjects"`
		ParameterObjects []types.ParameterObject `json:"parameterObjects"`
		ParameterValues  []types.ParameterValue  `json:"parameterValues"`
	}
	if data, _, ok := in.raw("pipeline-objects"); ok {
		if strings.HasPrefix(strings.TrimSpace(string(data)), "{") {
			in.decodeJSON("pipeline-objects", data, &def)
		} else {
			in.decodeJSON("pipeline-objects", data, &def.PipelineObjects)
		}
	}
	if data, _, ok := in.raw("parameter-objects"); ok {
		in.decodeJSON("parameter-objects", data, &def.ParameterObjects)
	}
	if items := in.structList("parameter-values", "parameterValues", "id", "stringValue"); items != nil {
		def.ParameterValues = make([]types.ParameterValue, len(items))
		for i, item := range items {
			def.ParameterValues[i] = types.ParameterValue{Id: aws.String(item["id"]), StringValue: aws.String(item["stringValue"])}
		}
	}
	params.PipelineObjects, params.ParameterObjects, params.ParameterValues = def.PipelineObjects, def.ParameterObjects, def.ParameterValues
}

// decodeJSON decodes option name's JSON value into v, refusing unknown
// members.
func (in *input) decodeJSON(name string, data []byte, v any) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	err := dec.Decode(v)
	var syntax *json.SyntaxError
	switch {
	case errors.As(err, &syntax):
		in.fail(paramErrorf("Error parsing parameter '--%s': Invalid JSON: %v\nJSON received: %s", name, err, data))
	case err != nil:
		in.fail(paramErrorf("Error parsing parameter '--%s': %v", name, err))
	}
}
