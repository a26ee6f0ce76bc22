package definition

import (
	"github.com/datapipe/datapipe/internal/pipeline"
)

// WireObject is the API's PipelineObject as it travels in JSON.
type WireObject struct {
	ID     string      `json:"id"`
	Name   string      `json:"name"`
	Fields []WireField `json:"fields"`
}

// WireField is the API's Field: exactly one of StringValue and RefValue is
// set.
type WireField struct {
	Key         string  `json:"key"`
	StringValue *string `json:"stringValue,omitempty"`
	RefValue    *string `json:"refValue,omitempty"`
}

// WireParameterObject is the API's ParameterObject.
type WireParameterObject struct {
	ID         string          `json:"id"`
	Attributes []WireAttribute `json:"attributes"`
}

// WireAttribute is the API's ParameterAttribute.
type WireAttribute struct {
	Key         string `json:"key"`
	StringValue string `json:"stringValue"`
}

// WireParameterValue is the API's ParameterValue.
type WireParameterValue struct {
	ID          string `json:"id"`
	StringValue string `json:"stringValue"`
}

// WireDefinition is the definition part of a PutPipelineDefinition or
// ValidatePipelineDefinition request, and of a GetPipelineDefinition
// response. Empty parameter lists are left out of its JSON.
type WireDefinition struct {
	PipelineObjects  []WireObject          `json:"pipelineObjects"`
	ParameterObjects []WireParameterObject `json:"parameterObjects,omitempty"`
	ParameterValues  []WireParameterValue  `json:"parameterValues,omitempty"`
}

// ToWire converts d to its wire shapes; see ObjectsToWire.
func ToWire(d Definition) WireDefinition {
	return WireDefinition{
		PipelineObjects:  ObjectsToWire(d.Objects),
		ParameterObjects: ParametersToWire(d.Parameters),
		ParameterValues:  ValuesToWire(d.Values),
	}
}

// FromWire converts wire shapes to a Definition. It fails as
// ObjectsFromWire does.
func FromWire(w WireDefinition) (Definition, error) {
	objs, err := ObjectsFromWire(w.PipelineObjects)
	if err != nil {
		return Definition{}, err
	}
	params, _ := ParametersFromWire(w.ParameterObjects)
	vals, _ := ValuesFromWire(w.ParameterValues)
	return Definition{Objects: objs, Parameters: params, Values: vals}, nil
}

// ObjectsToWire converts objects to wire PipelineObjects, keeping order,
// repeated keys and the string-or-reference kind of every field. The
// result and every Fields list are non-nil, so they encode as [] when
// empty.
func ObjectsToWire(objs []pipeline.Object) []WireObject {
	out := make([]WireObject, len(objs))
	for i, o := range objs {
		fields := make([]WireField, len(o.Fields))
		for j, f := range o.Fields {
			v := f.Value
			fields[j].Key = f.Key
			if f.Ref {
				fields[j].RefValue = &v
			} else {
				fields[j].StringValue = &v
			}
		}
		out[i] = WireObject{ID: o.ID, Name: o.Name, Fields: fields}
	}
	return out
}

// ObjectsFromWire converts wire PipelineObjects to objects. It returns a
// *pipeline.Error with CodeInvalidRequest, naming the object id and the
// field key, when a field has both or neither of stringValue and refValue.
// An empty input gives nil, as does an object without fields.
func ObjectsFromWire(objs []WireObject) ([]pipeline.Object, error) {
	var out []pipeline.Object
	for _, wo := range objs {
		o := pipeline.Object{ID: wo.ID, Name: wo.Name}
		for _, wf := range wo.Fields {
			f, err := fieldFromWire(wo.ID, wf)
			if err != nil {
				return nil, err
			}
			o.Fields = append(o.Fields, f)
		}
		out = append(out, o)
	}
	return out, nil
}

// fieldFromWire converts one wire field of object id.
func fieldFromWire(id string, wf WireField) (pipeline.Field, error) {
	switch {
	case wf.StringValue != nil && wf.RefValue != nil:
		return pipeline.Field{}, wireFieldError(id, wf.Key, true)
	case wf.StringValue != nil:
		return pipeline.String(wf.Key, *wf.StringValue), nil
	case wf.RefValue != nil:
		return pipeline.Reference(wf.Key, *wf.RefValue), nil
	}
	return pipeline.Field{}, wireFieldError(id, wf.Key, false)
}

// wireFieldError reports a wire field with both or neither value.
func wireFieldError(id, key string, both bool) error {
	what := "neither stringValue nor refValue"
	if both {
		what = "both stringValue and refValue"
	}
	return pipeline.Errorf(pipeline.CodeInvalidRequest, "object %q field %q has %s; exactly one is required", id, key, what)
}

// ParametersToWire converts parameter objects to their wire shape, keeping
// order. The result and every Attributes list are non-nil.
func ParametersToWire(params []pipeline.ParameterObject) []WireParameterObject {
	out := make([]WireParameterObject, len(params))
	for i, p := range params {
		attrs := make([]WireAttribute, len(p.Attributes))
		for j, a := range p.Attributes {
			attrs[j] = WireAttribute{Key: a.Key, StringValue: a.Value}
		}
		out[i] = WireParameterObject{ID: p.ID, Attributes: attrs}
	}
	return out
}

// ParametersFromWire converts wire parameter objects, keeping order. Every
// wire parameter object is representable, so the error is always nil; it is
// there for symmetry with ObjectsFromWire. Empty lists give nil.
func ParametersFromWire(params []WireParameterObject) ([]pipeline.ParameterObject, error) {
	var out []pipeline.ParameterObject
	for _, wp := range params {
		p := pipeline.ParameterObject{ID: wp.ID}
		for _, wa := range wp.Attributes {
			p.Attributes = append(p.Attributes, pipeline.Attribute{Key: wa.Key, Value: wa.StringValue})
		}
		out = append(out, p)
	}
	return out, nil
}

// ValuesToWire converts parameter values to their wire shape, keeping
// order. The result is non-nil.
func ValuesToWire(vals []pipeline.ParameterValue) []WireParameterValue {
	out := make([]WireParameterValue, len(vals))
	for i, v := range vals {
		out[i] = WireParameterValue{ID: v.ID, StringValue: v.Value}
	}
	return out
}

// ValuesFromWire converts wire parameter values, keeping order. The error
// is always nil, as for ParametersFromWire. An empty list gives nil.
func ValuesFromWire(vals []WireParameterValue) ([]pipeline.ParameterValue, error) {
	var out []pipeline.ParameterValue
	for _, v := range vals {
		out = append(out, pipeline.ParameterValue{ID: v.ID, Value: v.StringValue})
	}
	return out, nil
}
