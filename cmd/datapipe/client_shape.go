package main

import (
	"github.com/aws/aws-sdk-go-v2/service/datapipeline/types"
)

// The functions here turn SDK output shapes into the dicts botocore would
// parse from the same response: members in the service model's order,
// absent members (nil pointers and slices) left out, present empty lists
// kept.

// listNode converts a list with f, or returns nil when the list is nil
// (absent from the response).
func listNode[T any](l []T, f func(T) any) any {
	if l == nil {
		return nil
	}
	out := make([]any, len(l))
	for i, e := range l {
		out[i] = f(e)
	}
	return out
}

// setList sets key to list unless list is nil.
func setList(o *object, key string, list any) *object {
	if list != nil {
		o.set(key, list)
	}
	return o
}

// stringsNode converts a list of strings.
func stringsNode(l []string) any {
	return listNode(l, func(s string) any { return s })
}

// fieldNode converts a Field: key, stringValue, refValue.
func fieldNode(f types.Field) any {
	return newObject().setString("key", f.Key).setString("stringValue", f.StringValue).setString("refValue", f.RefValue)
}

// pipelineObjectNode converts a PipelineObject: id, name, fields.
func pipelineObjectNode(o types.PipelineObject) any {
	n := newObject().setString("id", o.Id).setString("name", o.Name)
	return setList(n, "fields", listNode(o.Fields, fieldNode))
}

// pipelineIDNameNode converts a PipelineIdName: id, name.
func pipelineIDNameNode(p types.PipelineIdName) any {
	return newObject().setString("id", p.Id).setString("name", p.Name)
}

// tagNode converts a Tag: key, value.
func tagNode(t types.Tag) any {
	return newObject().setString("key", t.Key).setString("value", t.Value)
}

// pipelineDescriptionNode converts a PipelineDescription: pipelineId,
// name, fields, description, tags.
func pipelineDescriptionNode(d types.PipelineDescription) any {
	n := newObject().setString("pipelineId", d.PipelineId).setString("name", d.Name)
	setList(n, "fields", listNode(d.Fields, fieldNode))
	n.setString("description", d.Description)
	return setList(n, "tags", listNode(d.Tags, tagNode))
}

// validationNode converts a Put/ValidatePipelineDefinition output:
// validationErrors, validationWarnings, errored.
func validationNode(errs []types.ValidationError, warns []types.ValidationWarning, errored bool) *object {
	n := newObject()
	setList(n, "validationErrors", listNode(errs, func(e types.ValidationError) any {
		return setList(newObject().setString("id", e.Id), "errors", stringsNode(e.Errors))
	}))
	setList(n, "validationWarnings", listNode(warns, func(w types.ValidationWarning) any {
		return setList(newObject().setString("id", w.Id), "warnings", stringsNode(w.Warnings))
	}))
	return n.set("errored", errored)
}
