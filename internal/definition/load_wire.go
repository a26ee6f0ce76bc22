package definition

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/datapipe/datapipe/internal/pipeline"
)

// This file reads the sections of a file written in the API wire format:
// objects with "fields" lists of {key, stringValue|refValue}, parameter
// objects with "attributes" lists of {key, stringValue}, and
// "parameterValues" lists of {id, stringValue}. Like botocore, it refuses
// unknown members and non-string values there.

// hasOnlyKeys reports whether every member name of object e is in keys.
func hasOnlyKeys(e jsonValue, keys ...string) bool {
	for _, m := range e.Members {
		if !slices.Contains(keys, m.Key) {
			return false
		}
	}
	return true
}

// isWireShaped reports whether e is an object holding an array member
// list and nothing but keys.
func isWireShaped(e jsonValue, list string, keys ...string) bool {
	if e.Kind != jsonObject {
		return false
	}
	m := e.member(list)
	return m != nil && m.Value.Kind == jsonArray && hasOnlyKeys(e, keys...)
}

// isWireObject reports whether e looks like a wire PipelineObject.
func isWireObject(e jsonValue) bool { return isWireShaped(e, "fields", "id", "name", "fields") }

// isWireParameter reports whether e looks like a wire ParameterObject.
func isWireParameter(e jsonValue) bool { return isWireShaped(e, "attributes", "id", "attributes") }

// checkWireKeys refuses members of e whose names are not in keys.
func checkWireKeys(e jsonValue, where string, keys ...string) error {
	for _, m := range e.Members {
		if !slices.Contains(keys, m.Key) {
			return errorAt(m.KeyPos, "%s: unexpected key %q in API wire format (allowed: %s)", where, m.Key, quoteList(keys))
		}
	}
	return nil
}

// quoteList renders keys as "a", "b", "c".
func quoteList(keys []string) string {
	q := make([]string, len(keys))
	for i, k := range keys {
		q[i] = strconv.Quote(k)
	}
	return strings.Join(q, ", ")
}

// wireString returns the string member key of e; ok is false when absent.
func wireString(e jsonValue, key, where string) (s string, pos Position, ok bool, err error) {
	m := e.member(key)
	if m == nil {
		return "", e.Pos, false, nil
	}
	if m.Value.Kind != jsonString {
		return "", m.Value.Pos, true, errorAt(m.Value.Pos, "%s: %q must be a string, found %s", where, key, m.Value.Kind)
	}
	return m.Value.Text, m.Value.Pos, true, nil
}

// wireList returns the array member key of e, which must be present.
func wireList(e jsonValue, key, where string) ([]jsonValue, error) {
	m := e.member(key)
	if m == nil {
		return nil, errorAt(e.Pos, "%s: missing %q list", where, key)
	}
	if m.Value.Kind != jsonArray {
		return nil, errorAt(m.Value.Pos, "%s: %q must be an array, found %s", where, key, m.Value.Kind)
	}
	return m.Value.Elems, nil
}

// wireElement checks that e is an object with only the given keys.
func wireElement(e jsonValue, where string, keys ...string) error {
	if e.Kind != jsonObject {
		return errorAt(e.Pos, "%s: expected a JSON object, found %s", where, e.Kind)
	}
	return checkWireKeys(e, where, keys...)
}

// loadWireObject reads one wire PipelineObject: {id, name?, fields}.
func loadWireObject(doc *Document, e jsonValue) (pipeline.Object, error) {
	if e.Kind != jsonObject {
		return pipeline.Object{}, errorAt(e.Pos, `each element of "objects" must be a JSON object, found %s`, e.Kind)
	}
	id, err := requiredID(e, "element")
	if err != nil {
		return pipeline.Object{}, err
	}
	where := fmt.Sprintf("object %q", id)
	if err := checkWireKeys(e, where, "id", "name", "fields"); err != nil {
		return pipeline.Object{}, err
	}
	o := pipeline.Object{ID: id}
	if o.Name, err = objectName(e, id); err != nil {
		return o, err
	}
	elems, err := wireList(e, "fields", where)
	if err != nil {
		return o, err
	}
	first := noteObject(doc, id, e.Pos)
	for _, fe := range elems {
		f, pos, err := wireField(id, fe)
		if err != nil {
			return o, err
		}
		if first {
			noteField(doc, id, f.Key, pos)
		}
		o.Fields = append(o.Fields, f)
	}
	return o, nil
}

// wireField reads one wire Field: {key, stringValue | refValue}. It
// returns where its value starts.
func wireField(id string, fe jsonValue) (pipeline.Field, Position, error) {
	where := fmt.Sprintf("object %q field", id)
	if err := wireElement(fe, where, "key", "stringValue", "refValue"); err != nil {
		return pipeline.Field{}, fe.Pos, err
	}
	key, _, ok, err := wireString(fe, "key", where)
	if err == nil && !ok {
		err = errorAt(fe.Pos, `%s: missing "key"`, where)
	}
	if err != nil {
		return pipeline.Field{}, fe.Pos, err
	}
	where = fmt.Sprintf("object %q field %q", id, key)
	s, spos, isString, err := wireString(fe, "stringValue", where)
	if err != nil {
		return pipeline.Field{}, spos, err
	}
	r, rpos, isRef, err := wireString(fe, "refValue", where)
	switch {
	case err != nil:
		return pipeline.Field{}, rpos, err
	case isString && isRef:
		return pipeline.Field{}, fe.Pos, errorAt(fe.Pos, `%s: has both "stringValue" and "refValue"; give exactly one`, where)
	case isRef:
		return pipeline.Reference(key, r), rpos, nil
	case isString:
		return pipeline.String(key, s), spos, nil
	}
	return pipeline.Field{}, fe.Pos, errorAt(fe.Pos, `%s: has neither "stringValue" nor "refValue"; give exactly one`, where)
}

// loadWireParameter reads one wire ParameterObject: {id, attributes}.
func loadWireParameter(e jsonValue) (pipeline.ParameterObject, error) {
	if e.Kind != jsonObject {
		return pipeline.ParameterObject{}, errorAt(e.Pos, `each element of "parameters" must be a JSON object, found %s`, e.Kind)
	}
	id, err := requiredID(e, "parameter")
	if err != nil {
		return pipeline.ParameterObject{}, err
	}
	where := fmt.Sprintf("parameter %q", id)
	if err := checkWireKeys(e, where, "id", "attributes"); err != nil {
		return pipeline.ParameterObject{}, err
	}
	elems, err := wireList(e, "attributes", where)
	if err != nil {
		return pipeline.ParameterObject{}, err
	}
	p := pipeline.ParameterObject{ID: id}
	for _, ae := range elems {
		a, err := wireAttribute(ae, where+" attribute")
		if err != nil {
			return p, err
		}
		p.Attributes = append(p.Attributes, a)
	}
	return p, nil
}

// wireAttribute reads one wire attribute: {key, stringValue}.
func wireAttribute(ae jsonValue, where string) (pipeline.Attribute, error) {
	if err := wireElement(ae, where, "key", "stringValue"); err != nil {
		return pipeline.Attribute{}, err
	}
	key, err := requiredString(ae, "key", where)
	if err != nil {
		return pipeline.Attribute{}, err
	}
	val, err := requiredString(ae, "stringValue", fmt.Sprintf("%s %q", where, key))
	return pipeline.Attribute{Key: key, Value: val}, err
}

// requiredString returns the string member key of e, which must be present.
func requiredString(e jsonValue, key, where string) (string, error) {
	s, _, ok, err := wireString(e, key, where)
	if err == nil && !ok {
		err = errorAt(e.Pos, "%s: missing %q", where, key)
	}
	return s, err
}

// loadWireValuesSection loads "parameterValues": [{id, stringValue}, ...].
func loadWireValuesSection(doc *Document, m jsonMember) error {
	v := m.Value
	if v.Kind != jsonArray {
		return errorAt(v.Pos, `"parameterValues" must be an array, found %s`, v.Kind)
	}
	doc.HasValues = true
	doc.Format = FormatAPI
	for _, e := range v.Elems {
		if e.Kind != jsonObject {
			return errorAt(e.Pos, `each element of "parameterValues" must be a JSON object, found %s`, e.Kind)
		}
		id, err := requiredID(e, "parameter value")
		if err != nil {
			return err
		}
		where := fmt.Sprintf("parameter value %q", id)
		if err := checkWireKeys(e, where, "id", "stringValue"); err != nil {
			return err
		}
		s, err := requiredString(e, "stringValue", where)
		if err != nil {
			return err
		}
		doc.Values = append(doc.Values, pipeline.ParameterValue{ID: id, Value: s})
	}
	return nil
}
