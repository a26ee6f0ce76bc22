package api

import (
	"strconv"

	"github.com/datapipe/datapipe/internal/control"
	"github.com/datapipe/datapipe/internal/definition"
	"github.com/datapipe/datapipe/internal/pipeline"
	"github.com/datapipe/datapipe/internal/store"
)

// This file reads the model's list and structure members (api.md §2.2,
// §2.3) and defines the shapes shared by several outputs.

// The model's list shapes.
var (
	listOptional = listShape{}
	listRequired = listShape{required: true}
	listTags     = listShape{max: 10}
)

// list reads member name of o as a list; ok is false when it is absent
// (a violation when required) or not a list. More than sh.max items is a
// violation.
func (d *decoder) list(o object, name string, sh listShape) (items []any, path string, ok bool) {
	v, path := o.members[name], o.at(name)
	switch l := v.(type) {
	case nil:
		if sh.required {
			d.violate(path, nil, "Member must not be null")
		}
		return nil, path, false
	case []any:
		if sh.max > 0 && len(l) > sh.max {
			d.violate(path, l, "Member must have length less than or equal to "+strconv.Itoa(sh.max))
		}
		return l, path, true
	}
	d.mismatch(path, "a list", v)
	return nil, path, false
}

// decodeList reads member name of o as a list whose elements elem reads.
// An absent list is nil, a present one non-nil.
func decodeList[T any](d *decoder, o object, name string, sh listShape, elem func(*decoder, any, string) T) []T {
	items, path, ok := d.list(o, name, sh)
	if !ok {
		return nil
	}
	out := make([]T, 0, len(items))
	for i, v := range items {
		out = append(out, elem(d, v, elemPath(path, i)))
	}
	return out
}

// stringElem returns an element reader for strings of shape sh; list
// members must not be null.
func stringElem(sh shape) func(*decoder, any, string) string {
	return func(d *decoder, v any, path string) string {
		if p := d.strValue(v, path, sh.req()); p != nil {
			return *p
		}
		return ""
	}
}

// tagElem reads a Tag.
func tagElem(d *decoder, v any, path string) store.Tag {
	o, ok := d.structure(v, path, true)
	if !ok {
		return store.Tag{}
	}
	return store.Tag{Key: d.str(o, "key", shapeTagKey.req()), Value: d.str(o, "value", shapeTagValue.req())}
}

// fieldElem reads a Field.
func fieldElem(d *decoder, v any, path string) definition.WireField {
	o, ok := d.structure(v, path, true)
	if !ok {
		return definition.WireField{}
	}
	return definition.WireField{
		Key:         d.str(o, "key", shapeFieldName.req()),
		StringValue: d.strPtr(o, "stringValue", shapeFieldValue),
		RefValue:    d.strPtr(o, "refValue", shapeFieldName),
	}
}

// objectElem reads a PipelineObject.
func objectElem(d *decoder, v any, path string) definition.WireObject {
	o, ok := d.structure(v, path, true)
	if !ok {
		return definition.WireObject{}
	}
	return definition.WireObject{
		ID:     d.str(o, "id", shapeID.req()),
		Name:   d.str(o, "name", shapeID.req()),
		Fields: decodeList(d, o, "fields", listRequired, fieldElem),
	}
}

// parameterObjectElem reads a ParameterObject.
func parameterObjectElem(d *decoder, v any, path string) definition.WireParameterObject {
	o, ok := d.structure(v, path, true)
	if !ok {
		return definition.WireParameterObject{}
	}
	return definition.WireParameterObject{
		ID:         d.str(o, "id", shapeFieldName.req()),
		Attributes: decodeList(d, o, "attributes", listRequired, attributeElem),
	}
}

// attributeElem reads a ParameterAttribute.
func attributeElem(d *decoder, v any, path string) definition.WireAttribute {
	o, ok := d.structure(v, path, true)
	if !ok {
		return definition.WireAttribute{}
	}
	return definition.WireAttribute{Key: d.str(o, "key", shapeAttrName.req()), StringValue: d.str(o, "stringValue", shapeAttrValue.req())}
}

// parameterValueElem reads a ParameterValue.
func parameterValueElem(d *decoder, v any, path string) definition.WireParameterValue {
	o, ok := d.structure(v, path, true)
	if !ok {
		return definition.WireParameterValue{}
	}
	return definition.WireParameterValue{ID: d.str(o, "id", shapeFieldName.req()), StringValue: d.str(o, "stringValue", shapeFieldValue.req())}
}

// selectorElem reads a Selector and its Operator (all members optional).
func selectorElem(d *decoder, v any, path string) control.Selector {
	o, ok := d.structure(v, path, true)
	if !ok {
		return control.Selector{}
	}
	sel := control.Selector{FieldName: d.str(o, "fieldName", shapeString)}
	if op, ok := d.member(o, "operator", false); ok {
		sel.Operator = d.str(op, "type", shapeOperatorType)
		sel.Values = decodeList(d, op, "values", listOptional, stringElem(shapeString))
	}
	return sel
}

// parameterValues reads member name of o as a ParameterValue list.
func parameterValues(d *decoder, o object, name string) []pipeline.ParameterValue {
	vals, _ := definition.ValuesFromWire(decodeList(d, o, name, listOptional, parameterValueElem))
	return vals
}

// decodeDefinition reads the definition members of a Put or Validate
// request. It returns the wire form; see toDefinition.
func decodeDefinition(d *decoder, o object) definition.WireDefinition {
	return definition.WireDefinition{
		PipelineObjects:  decodeList(d, o, "pipelineObjects", listRequired, objectElem),
		ParameterObjects: decodeList(d, o, "parameterObjects", listOptional, parameterObjectElem),
		ParameterValues:  decodeList(d, o, "parameterValues", listOptional, parameterValueElem),
	}
}

// fieldsFromWire converts the fields of a progress report; a field with
// both or neither of stringValue and refValue is InvalidRequestException.
func fieldsFromWire(fields []definition.WireField) ([]pipeline.Field, error) {
	var out []pipeline.Field
	for i, f := range fields {
		switch {
		case f.StringValue != nil && f.RefValue == nil:
			out = append(out, pipeline.String(f.Key, *f.StringValue))
		case f.RefValue != nil && f.StringValue == nil:
			out = append(out, pipeline.Reference(f.Key, *f.RefValue))
		default:
			return nil, invalidRequest("field %d (%q) must have exactly one of stringValue and refValue", i+1, f.Key)
		}
	}
	return out, nil
}

// wireTag is the Tag output shape.
type wireTag struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

// tagsToWire converts tags; the result is never nil.
func tagsToWire(tags []store.Tag) []wireTag {
	out := make([]wireTag, len(tags))
	for i, t := range tags {
		out[i] = wireTag(t)
	}
	return out
}

// stringFields converts fields to wire Fields that are all stringValue
// (DescribePipelines, api.md §5.3); the result is never nil.
func stringFields(fields []pipeline.Field) []definition.WireField {
	out := make([]definition.WireField, len(fields))
	for i, f := range fields {
		v := f.Value
		out[i] = definition.WireField{Key: f.Key, StringValue: &v}
	}
	return out
}

// page is the pagination part of ListPipelines, DescribeObjects and
// QueryObjects outputs (api.md §3): hasMoreResults always, marker only
// when there is a next page.
type page struct {
	Marker         string `json:"marker,omitempty"`
	HasMoreResults bool   `json:"hasMoreResults"`
}

// pageToWire converts a control page, keeping the rules even if p breaks
// them: no marker without more results, no more results without a marker.
func pageToWire(p control.Page) page {
	if !p.HasMore || p.Marker == "" {
		return page{}
	}
	return page{Marker: p.Marker, HasMoreResults: true}
}
