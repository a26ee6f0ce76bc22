package definition

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/datapipe/datapipe/internal/pipeline"
)

// LoadOptions tunes Load.
type LoadOptions struct {
	// Lenient accepts what some published definition files hold although
	// strict JSON (and so the AWS CLI) refuses it: trailing commas in
	// arrays and objects, raw newlines, tabs and carriage returns inside
	// strings, and a leading UTF-8 byte order mark. Each place accepted is
	// recorded in Document.Relaxed, as is each duplicate member name.
	Lenient bool
}

// SyntaxError reports input that cannot be read as a definition: malformed
// JSON, or JSON of the wrong shape. Line and Col (1-based, Col in bytes)
// point at the offending place.
type SyntaxError struct {
	File      string
	Line, Col int
	Msg       string
}

// Error returns "file:line:col: msg", or "line:col: msg" when File is "".
func (e *SyntaxError) Error() string {
	if e.File == "" {
		return fmt.Sprintf("%d:%d: %s", e.Line, e.Col, e.Msg)
	}
	return fmt.Sprintf("%s:%d:%d: %s", e.File, e.Line, e.Col, e.Msg)
}

// Load reads one definition file. file names it in messages only; data is
// its content.
//
// The file may be in the AWS CLI format ("objects" with plain keys,
// "parameters", "values") or in the API wire format ("pipelineObjects" or
// "objects" whose elements hold a "fields" list, "parameterObjects" or
// "parameters" whose elements hold an "attributes" list,
// "parameterValues"); the format is told apart per section from its first
// element, and Format is FormatAPI when any section was in wire format. A file may hold any of the sections, so a parameters-only
// ({"parameters": [...]}) or values-only ({"values": {...}}) file loads too;
// the Has* flags say which were present. Other top-level keys (such as
// "metadata") are ignored.
//
// CLI objects are translated as the AWS CLI does (api.md §7.2): name
// defaults to the id; the other keys are taken in code-point order; an
// array gives one field per element; {"ref": "X"} is a reference; any other
// JSON object becomes a string field holding its compact JSON text (members
// in file order, no spaces); bare numbers and booleans become strings of
// their literal text. Parameter attributes are sorted the same way; values
// keep file order. Wire objects without "name" are named by their id.
//
// Duplicate member names keep the last value, as Python's json does (in
// lenient mode each is also recorded in Relaxed). ObjectPos records where
// the first object with each id starts, and FieldPos where the first value
// of each of that object's fields starts.
//
// Every error is a *SyntaxError carrying file, line and column: malformed or
// (unless lenient) non-strict JSON, a missing or non-string "id", a null
// value, an array inside an array, a malformed reference or wire field, a
// section of the wrong JSON type, both names of one section, or a file with
// none of the sections.
func Load(file string, data []byte, opt LoadOptions) (*Document, error) {
	root, relaxed, err := parseJSON(data, opt.Lenient)
	if err == nil {
		doc := &Document{
			File:      file,
			Relaxed:   relaxed,
			ObjectPos: make(map[string]Position),
			FieldPos:  make(map[FieldRef]Position),
		}
		if err = loadSections(doc, root); err == nil {
			return doc, nil
		}
	}
	var se *SyntaxError
	if !errors.As(err, &se) { // not expected: every error here is one
		se = &SyntaxError{Line: 1, Col: 1, Msg: err.Error()}
	}
	se.File = file
	return nil, se
}

// sectionLoader loads one top-level section into doc.
type sectionLoader func(doc *Document, m jsonMember) error

// sectionOf returns the section a top-level key gives and its loader, or
// nil for a key to ignore.
func sectionOf(key string) (string, sectionLoader) {
	switch key {
	case "objects", "pipelineObjects":
		return "objects", loadObjectsSection
	case "parameters", "parameterObjects":
		return "parameters", loadParametersSection
	case "values":
		return "values", loadValuesSection
	case "parameterValues":
		return "values", loadWireValuesSection
	}
	return "", nil
}

// loadSections loads every known top-level section of root.
func loadSections(doc *Document, root jsonValue) error {
	if root.Kind != jsonObject {
		return errorAt(root.Pos, "a definition must be a JSON object, found %s", root.Kind)
	}
	seen := make(map[string]string, 3) // section → key that gave it
	for _, m := range root.Members {
		section, load := sectionOf(m.Key)
		if load == nil {
			continue
		}
		if prev, dup := seen[section]; dup {
			return errorAt(m.KeyPos, "both %q and %q give the %s; keep one", prev, m.Key, section)
		}
		seen[section] = m.Key
		if err := load(doc, m); err != nil {
			return err
		}
	}
	if len(seen) == 0 {
		return errorAt(root.Pos, `no objects, parameters or values: expected a top-level "objects", "parameters" or "values" key`)
	}
	return nil
}

// loadObjectsSection loads "objects" or "pipelineObjects".
func loadObjectsSection(doc *Document, m jsonMember) error {
	v := m.Value
	if v.Kind != jsonArray {
		return errorAt(v.Pos, "%q must be an array of objects, found %s", m.Key, v.Kind)
	}
	doc.HasObjects = true
	sizePositions(doc, v.Elems)
	wire := m.Key == "pipelineObjects" || (len(v.Elems) > 0 && isWireObject(v.Elems[0]))
	if wire {
		doc.Format = FormatAPI
	}
	for _, e := range v.Elems {
		load := loadCLIObject
		if wire {
			load = loadWireObject
		}
		o, err := load(doc, e)
		if err != nil {
			return err
		}
		doc.Objects = append(doc.Objects, o)
	}
	return nil
}

// loadParametersSection loads "parameters" or "parameterObjects".
func loadParametersSection(doc *Document, m jsonMember) error {
	v := m.Value
	if v.Kind != jsonArray {
		return errorAt(v.Pos, "%q must be an array of parameter objects, found %s", m.Key, v.Kind)
	}
	doc.HasParameters = true
	wire := m.Key == "parameterObjects" || (len(v.Elems) > 0 && isWireParameter(v.Elems[0]))
	if wire {
		doc.Format = FormatAPI
	}
	for _, e := range v.Elems {
		load := loadCLIParameter
		if wire {
			load = loadWireParameter
		}
		p, err := load(e)
		if err != nil {
			return err
		}
		doc.Parameters = append(doc.Parameters, p)
	}
	return nil
}

// loadValuesSection loads the CLI "values" object: id → value or [values].
func loadValuesSection(doc *Document, m jsonMember) error {
	v := m.Value
	if v.Kind != jsonObject {
		return errorAt(v.Pos, `"values" must be an object mapping parameter ids to values, found %s`, v.Kind)
	}
	doc.HasValues = true
	for _, mm := range v.Members {
		vals, err := stringValues(mm.Value, fmt.Sprintf("value %q", mm.Key))
		if err != nil {
			return err
		}
		for _, s := range vals {
			doc.Values = append(doc.Values, pipeline.ParameterValue{ID: mm.Key, Value: s})
		}
	}
	return nil
}

// sizePositions makes room in doc's position maps for the objects elems.
func sizePositions(doc *Document, elems []jsonValue) {
	if len(doc.ObjectPos) > 0 || len(elems) < 64 {
		return
	}
	fields := 0
	for _, e := range elems {
		fields += len(e.Members)
	}
	doc.ObjectPos = make(map[string]Position, len(elems))
	doc.FieldPos = make(map[FieldRef]Position, fields)
}

// noteObject records where the first object with id starts. It reports
// whether this is that object, whose field positions are then recorded.
func noteObject(doc *Document, id string, pos Position) bool {
	if _, dup := doc.ObjectPos[id]; dup {
		return false
	}
	doc.ObjectPos[id] = pos
	return true
}

// noteCLIField records where the first value of member m of object id
// starts. Member names are unique within a CLI object.
func noteCLIField(doc *Document, id string, m *jsonMember) {
	v := &m.Value
	pos := v.Pos
	if v.Kind == jsonArray {
		if len(v.Elems) == 0 {
			return // no field
		}
		pos = v.Elems[0].Pos
	}
	doc.FieldPos[FieldRef{Object: id, Key: m.Key}] = pos
}

// noteField records where the first value of a field starts.
func noteField(doc *Document, id, key string, pos Position) {
	ref := FieldRef{Object: id, Key: key}
	if _, ok := doc.FieldPos[ref]; !ok {
		doc.FieldPos[ref] = pos
	}
}

// requiredID returns the string "id" member of object e; what names e in
// the message when it is missing ("element", "parameter").
func requiredID(e jsonValue, what string) (string, error) {
	m := e.member("id")
	if m == nil {
		return "", errorAt(e.Pos, "Missing \"id\" key of %s", what)
	}
	if m.Value.Kind != jsonString {
		return "", errorAt(m.Value.Pos, `"id" must be a string, found %s`, m.Value.Kind)
	}
	return m.Value.Text, nil
}

// objectName returns the "name" of object e with the given id, or the id
// when it has none.
func objectName(e jsonValue, id string) (string, error) {
	m := e.member("name")
	if m == nil {
		return id, nil
	}
	if m.Value.Kind != jsonString {
		return "", errorAt(m.Value.Pos, `object %q: "name" must be a string, found %s`, id, m.Value.Kind)
	}
	return m.Value.Text, nil
}

// sortedMembers returns e's members other than skip, sorted by name in
// code-point order (Python's sorted on str), and how many field values
// they hold.
func sortedMembers(e jsonValue, skip ...string) ([]*jsonMember, int) {
	out := make([]*jsonMember, 0, len(e.Members))
	n := 0
	for i := range e.Members {
		if m := &e.Members[i]; !slices.Contains(skip, m.Key) {
			out = append(out, m)
			n++
			if m.Value.Kind == jsonArray {
				n += len(m.Value.Elems) - 1
			}
		}
	}
	slices.SortFunc(out, func(a, b *jsonMember) int { return strings.Compare(a.Key, b.Key) })
	return out, n
}

// loadCLIObject translates one CLI-format element of "objects".
func loadCLIObject(doc *Document, e jsonValue) (pipeline.Object, error) {
	if e.Kind != jsonObject {
		return pipeline.Object{}, errorAt(e.Pos, `each element of "objects" must be a JSON object, found %s`, e.Kind)
	}
	id, err := requiredID(e, "element")
	if err != nil {
		return pipeline.Object{}, err
	}
	if isWireObject(e) {
		return pipeline.Object{}, errorAt(e.Pos, `object %q is in API wire format (a "fields" list) but the first object is not; use one format`, id)
	}
	o := pipeline.Object{ID: id}
	if o.Name, err = objectName(e, id); err != nil {
		return o, err
	}
	first := noteObject(doc, id, e.Pos)
	members, n := sortedMembers(e, "id", "name")
	if n > 0 {
		o.Fields = make([]pipeline.Field, 0, n)
	}
	for _, m := range members {
		if first {
			noteCLIField(doc, id, m)
		}
		if o.Fields, err = appendCLIField(o.Fields, id, m); err != nil {
			return o, err
		}
	}
	return o, nil
}

// appendCLIField appends the fields of member m of object id to fields.
func appendCLIField(fields []pipeline.Field, id string, m *jsonMember) ([]pipeline.Field, error) {
	v := &m.Value
	if v.Kind != jsonArray {
		f, err := cliField(id, m.Key, v)
		return append(fields, f), err
	}
	for i := range v.Elems {
		e := &v.Elems[i]
		if e.Kind == jsonArray {
			return fields, errorAt(e.Pos, "object %q field %q: an array inside an array is not allowed (a multi-valued field is one flat array)", id, m.Key)
		}
		f, err := cliField(id, m.Key, e)
		if err != nil {
			return fields, err
		}
		fields = append(fields, f)
	}
	return fields, nil
}

// cliField translates one CLI field value (not an array).
func cliField(id, key string, v *jsonValue) (pipeline.Field, error) {
	switch v.Kind {
	case jsonNull:
		return pipeline.Field{}, errorAt(v.Pos, "object %q field %q: null is not a value (write a string, or leave the field out)", id, key)
	case jsonObject:
		return objectField(id, key, v)
	}
	return pipeline.String(key, v.Text), nil
}

// objectField translates a JSON object value: {"ref": "X"} is a reference
// to X; any other object is a string holding its compact JSON text.
func objectField(id, key string, v *jsonValue) (pipeline.Field, error) {
	if len(v.Members) != 1 || v.Members[0].Key != "ref" {
		return pipeline.String(key, compactJSON(*v)), nil
	}
	ref := &v.Members[0].Value
	if ref.Kind != jsonString {
		return pipeline.Field{}, errorAt(ref.Pos, `object %q field %q: "ref" must be a string holding an object id, found %s`, id, key, ref.Kind)
	}
	return pipeline.Reference(key, ref.Text), nil
}

// loadCLIParameter translates one CLI-format element of "parameters".
func loadCLIParameter(e jsonValue) (pipeline.ParameterObject, error) {
	if e.Kind != jsonObject {
		return pipeline.ParameterObject{}, errorAt(e.Pos, `each element of "parameters" must be a JSON object, found %s`, e.Kind)
	}
	id, err := requiredID(e, "parameter")
	if err != nil {
		return pipeline.ParameterObject{}, err
	}
	if isWireParameter(e) {
		return pipeline.ParameterObject{}, errorAt(e.Pos, `parameter %q is in API wire format (an "attributes" list) but the first parameter is not; use one format`, id)
	}
	p := pipeline.ParameterObject{ID: id}
	members, _ := sortedMembers(e, "id")
	for _, m := range members {
		vals, err := stringValues(m.Value, fmt.Sprintf("parameter %q attribute %q", id, m.Key))
		if err != nil {
			return p, err
		}
		for _, s := range vals {
			p.Attributes = append(p.Attributes, pipeline.Attribute{Key: m.Key, Value: s})
		}
	}
	return p, nil
}

// stringValues reads a parameter attribute or value: a string, or an array
// of strings; numbers and booleans count as strings of their literal text.
// where names the value in messages.
func stringValues(v jsonValue, where string) ([]string, error) {
	if v.Kind != jsonArray {
		s, err := scalarString(v, where)
		return []string{s}, err
	}
	out := make([]string, 0, len(v.Elems))
	for _, e := range v.Elems {
		if e.Kind == jsonArray {
			return nil, errorAt(e.Pos, "%s: an array inside an array is not allowed", where)
		}
		s, err := scalarString(e, where)
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, nil
}

// scalarString reads a string, number or boolean as a string.
func scalarString(v jsonValue, where string) (string, error) {
	switch v.Kind {
	case jsonString, jsonNumber, jsonBool:
		return v.Text, nil
	case jsonNull:
		return "", errorAt(v.Pos, "%s: null is not a value (write a string, or leave it out)", where)
	}
	return "", errorAt(v.Pos, "%s: expected a string, found %s", where, v.Kind)
}
