package definition

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/datapipe/datapipe/internal/pipeline"
)

// loadFixture reads testdata/load/name.
func loadFixture(t testing.TB, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "load", name))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// loadStr, loadRef and loadAttr shorten expected definitions.
func loadStr(k, v string) pipeline.Field           { return pipeline.String(k, v) }
func loadRef(k, id string) pipeline.Field          { return pipeline.Reference(k, id) }
func loadAttr(k, v string) pipeline.Attribute      { return pipeline.Attribute{Key: k, Value: v} }
func loadVal(id, v string) pipeline.ParameterValue { return pipeline.ParameterValue{ID: id, Value: v} }

func TestLoad(t *testing.T) {
	t.Run("OK", testLoadOK)
	t.Run("ErrSyntax", testLoadErr)
}

func testLoadOK(t *testing.T) {
	tests := []struct {
		file    string
		lenient bool
		format  Format
		has     [3]bool // objects, parameters, values
		want    Definition
		relaxed []string // Relaxation.What, in order
	}{
		{file: "cli.json", has: [3]bool{true, true, true}, want: Definition{
			Objects: []pipeline.Object{
				{ID: "Default", Name: "Default", Fields: []pipeline.Field{
					loadStr("@sys", "x"), loadStr("Upper", "y"), loadStr("maximumRetries", "3"),
					loadStr("scheduleType", "ondemand"), loadStr("stage", "true")}},
				{ID: "Hello", Name: "Say hello", Fields: []pipeline.Field{
					loadStr("myJson", `{"a":[1,"b"],"ref":"X"}`), loadRef("runsOn", "Default"),
					loadStr("step", "a"), loadRef("step", "Default"), loadStr("step", "2.5e1"),
					loadStr("type", "ShellCommandActivity")}},
			},
			Parameters: []pipeline.ParameterObject{{ID: "myGreeting", Attributes: []pipeline.Attribute{
				loadAttr("allowedValues", "hi"), loadAttr("allowedValues", "hello"), loadAttr("default", "hi"),
				loadAttr("optional", "false"), loadAttr("type", "String")}}},
			Values: []pipeline.ParameterValue{loadVal("myGreeting", "hello"), loadVal("myList", "a"),
				loadVal("myList", "b"), loadVal("myNum", "7")},
		}},
		{file: "wire.json", format: FormatAPI, has: [3]bool{true, true, true}, want: Definition{
			Objects: []pipeline.Object{
				{ID: "Default", Name: "Default", Fields: []pipeline.Field{
					loadStr("scheduleType", "ondemand"), loadStr("step", "b"), loadRef("step", "Other"), loadStr("step", "a")}},
				{ID: "Other", Name: "Other name"},
			},
			Parameters: []pipeline.ParameterObject{{ID: "myP", Attributes: []pipeline.Attribute{
				loadAttr("type", "String"), loadAttr("allowedValues", "x"), loadAttr("allowedValues", "y")}}},
			Values: []pipeline.ParameterValue{loadVal("myP", "x"), loadVal("myP", "y")},
		}},
		{file: "wire_objects_key.json", format: FormatAPI, has: [3]bool{true, true, false}, want: Definition{
			Objects:    []pipeline.Object{{ID: "S", Name: "RunOnce", Fields: []pipeline.Field{loadStr("type", "Schedule")}}},
			Parameters: []pipeline.ParameterObject{{ID: "myP", Attributes: []pipeline.Attribute{loadAttr("type", "String")}}},
		}},
		{file: "params_only.json", has: [3]bool{false, true, false}, want: Definition{
			Parameters: []pipeline.ParameterObject{{ID: "myA", Attributes: []pipeline.Attribute{
				loadAttr("description", "an int"), loadAttr("type", "Integer")}}},
		}},
		{file: "values_only.json", has: [3]bool{false, false, true}, want: Definition{
			Values: []pipeline.ParameterValue{loadVal("myB", "2"), loadVal("myA", "x"), loadVal("myA", "y")},
		}},
		{file: "duplicate_key.json", has: [3]bool{true, false, true}, want: loadDupWant},
		{file: "duplicate_key.json", lenient: true, has: [3]bool{true, false, true}, want: loadDupWant,
			relaxed: []string{`duplicate key "type" (the last value is kept)`, `duplicate key "myX" (the last value is kept)`}},
		{file: "trailing_comma.json", lenient: true, has: [3]bool{true, false, false}, want: Definition{
			Objects: []pipeline.Object{{ID: "A", Name: "A", Fields: []pipeline.Field{loadStr("type", "X")}}},
		}, relaxed: []string{"trailing comma", "trailing comma"}},
		{file: "raw_newline.json", lenient: true, has: [3]bool{true, false, false}, want: Definition{
			Objects: []pipeline.Object{{ID: "A", Name: "A", Fields: []pipeline.Field{
				loadStr("myComment", "line one\n  line two\tand\r tab")}}},
		}, relaxed: []string{"raw newline in string", "raw tab in string", "raw carriage return in string"}},
		{file: "bom.json", lenient: true, has: [3]bool{true, false, false}, relaxed: []string{"byte order mark"}},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s/lenient=%v", tt.file, tt.lenient), func(t *testing.T) {
			doc, err := Load(tt.file, loadFixture(t, tt.file), LoadOptions{Lenient: tt.lenient})
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(doc.Definition, tt.want) {
				t.Errorf("definition:\n got %+v\nwant %+v", doc.Definition, tt.want)
			}
			if has := [3]bool{doc.HasObjects, doc.HasParameters, doc.HasValues}; has != tt.has || doc.Format != tt.format {
				t.Errorf("has %v format %v, want %v %v", has, doc.Format, tt.has, tt.format)
			}
			var whats []string
			for _, r := range doc.Relaxed {
				whats = append(whats, r.What)
			}
			if !slices.Equal(whats, tt.relaxed) {
				t.Errorf("relaxed %q, want %q", whats, tt.relaxed)
			}
		})
	}
}

// loadDupWant is what duplicate_key.json loads to: last value, first place.
var loadDupWant = Definition{
	Objects: []pipeline.Object{{ID: "A", Name: "N", Fields: []pipeline.Field{loadStr("type", "second")}}},
	Values:  []pipeline.ParameterValue{loadVal("myX", "3"), loadVal("myY", "2")},
}

func testLoadErr(t *testing.T) {
	tests := []struct {
		file    string
		lenient bool
		want    string
	}{
		{"trailing_comma.json", false, `trailing_comma.json:3:15: trailing comma is not allowed in JSON (remove the comma, or load with --lenient)`},
		{"raw_newline.json", false, `raw_newline.json:3:26: raw newline in string is not allowed in JSON (write it as "\n", or load with --lenient)`},
		{"bom.json", false, `bom.json:1:1: byte order mark is not allowed in JSON (save the file as UTF-8 without BOM, or load with --lenient)`},
		{"control_char.json", true, `control_char.json:2:34: invalid control character U+0001 in string (write it as \u0001)`},
		{"invalid_utf8.json", true, `invalid_utf8.json:2:33: invalid UTF-8 byte 0xff in string`},
		{"lone_surrogate.json", false, `lone_surrogate.json:2:34: lone surrogate \ud800 in string`},
		{"bad_escape.json", false, `bad_escape.json:2:33: invalid escape sequence in string: backslash followed by 'q'`},
		{"bad_number.json", false, `bad_number.json:2:21: expected a digit in number, found '}'`},
		{"nan.json", false, `nan.json:2:20: expected a JSON value, found 'N'`},
		{"missing_comma.json", false, `missing_comma.json:2:14: expected ',' or '}' after object member, found '"'`},
		{"unterminated.json", true, `unterminated.json:2:10: unterminated string`},
		{"extra_data.json", false, `extra_data.json:1:17: unexpected '{' after the end of the JSON value`},
		{"empty.json", false, `empty.json:1:1: expected a JSON value, found end of input`},
		{"top_array.json", false, `top_array.json:1:1: a definition must be a JSON object, found an array`},
		{"no_sections.json", false, `no_sections.json:1:1: no objects, parameters or values: expected a top-level "objects", "parameters" or "values" key`},
		{"both_sections.json", false, `both_sections.json:2:2: both "objects" and "pipelineObjects" give the objects; keep one`},
		{"objects_not_array.json", false, `objects_not_array.json:1:13: "objects" must be an array of objects, found an object`},
		{"object_not_object.json", false, `object_not_object.json:1:14: each element of "objects" must be a JSON object, found a string`},
		{"missing_id.json", false, `missing_id.json:3:5: Missing "id" key of element`},
		{"id_number.json", false, `id_number.json:2:10: "id" must be a string, found a number`},
		{"name_number.json", false, `name_number.json:2:23: object "A": "name" must be a string, found a boolean`},
		{"bad_ref.json", false, `bad_ref.json:2:33: object "A" field "runsOn": "ref" must be a string holding an object id, found a number`},
		{"null_value.json", false, `null_value.json:2:23: object "A" field "type": null is not a value (write a string, or leave the field out)`},
		{"null_in_array.json", false, `null_in_array.json:2:29: object "A" field "step": null is not a value (write a string, or leave the field out)`},
		{"nested_array.json", false, `nested_array.json:2:29: object "A" field "step": an array inside an array is not allowed (a multi-valued field is one flat array)`},
		{"mixed_formats.json", false, `mixed_formats.json:3:15: object "B": unexpected key "type" in API wire format (allowed: "id", "name", "fields")`},
		{"mixed_formats_cli_first.json", false, `mixed_formats_cli_first.json:3:3: object "B" is in API wire format (a "fields" list) but the first object is not; use one format`},
		{"param_missing_id.json", false, `param_missing_id.json:2:3: Missing "id" key of parameter`},
		{"param_object_value.json", false, `param_object_value.json:2:28: parameter "myA" attribute "default": expected a string, found an object`},
		{"values_not_object.json", false, `values_not_object.json:1:12: "values" must be an object mapping parameter ids to values, found an array`},
		{"value_null.json", false, `value_null.json:1:26: value "myA": null is not a value (write a string, or leave it out)`},
		{"wire_both.json", false, `wire_both.json:4:5: object "A" field "runsOn": has both "stringValue" and "refValue"; give exactly one`},
		{"wire_neither.json", false, `wire_neither.json:3:5: object "A" field "runsOn": has neither "stringValue" nor "refValue"; give exactly one`},
		{"wire_unknown_key.json", false, `wire_unknown_key.json:2:29: object "A": unexpected key "type" in API wire format (allowed: "id", "name", "fields")`},
		{"wire_value_number.json", false, `wire_value_number.json:2:54: object "A" field "n": "stringValue" must be a string, found a number`},
		{"wire_missing_fields.json", false, `wire_missing_fields.json:2:3: object "A": missing "fields" list`},
		{"wire_values_missing.json", false, `wire_values_missing.json:2:3: parameter value "myA": missing "stringValue"`},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s/lenient=%v", tt.file, tt.lenient), func(t *testing.T) {
			doc, err := Load(tt.file, loadFixture(t, tt.file), LoadOptions{Lenient: tt.lenient})
			var se *SyntaxError
			if !errors.As(err, &se) {
				t.Fatalf("Load = %v, %v; want *SyntaxError", doc, err)
			}
			if err.Error() != tt.want {
				t.Errorf("error\n got %s\nwant %s", err, tt.want)
			}
		})
	}
}

func TestSyntaxError_Error(t *testing.T) {
	e := &SyntaxError{Line: 2, Col: 3, Msg: "bad"}
	if got := e.Error(); got != "2:3: bad" {
		t.Errorf("no file: %q", got)
	}
	e.File = "x.json"
	if got := e.Error(); got != "x.json:2:3: bad" {
		t.Errorf("file: %q", got)
	}
}

func TestLoad_Positions(t *testing.T) {
	tests := []struct {
		file    string
		objects map[string]Position
		fields  map[FieldRef]Position
	}{
		{"cli.json", map[string]Position{"Default": {4, 5}, "Hello": {12, 5}}, map[FieldRef]Position{
			{"Default", "maximumRetries"}: {7, 25}, {"Hello", "step"}: {16, 16}, {"Hello", "runsOn"}: {17, 17},
		}},
		{"wire.json", map[string]Position{"Default": {3, 5}, "Other": {9, 5}}, map[FieldRef]Position{
			{"Default", "scheduleType"}: {4, 46}, {"Default", "step"}: {5, 38},
		}},
	}
	for _, tt := range tests {
		doc, err := Load(tt.file, loadFixture(t, tt.file), LoadOptions{})
		if err != nil {
			t.Fatal(err)
		}
		for id, want := range tt.objects {
			if got := doc.ObjectPos[id]; got != want {
				t.Errorf("%s: ObjectPos[%s] = %v, want %v", tt.file, id, got, want)
			}
		}
		for ref, want := range tt.fields {
			if got := doc.FieldPos[ref]; got != want {
				t.Errorf("%s: FieldPos[%v] = %v, want %v", tt.file, ref, got, want)
			}
		}
	}
}

// loadLenientSamples are the samples that are not strict JSON.
var loadLenientSamples = map[string]bool{
	"OnDemandWithLamdaFunctions__ondemand.json": true,
	"ShellCommandWithFTP__pipeline.json":        true,
}

// loadSamplesDir returns the aws-samples folder (env DATAPIPE_SAMPLES, or
// the repository's testdata/samples); a missing folder fails the test.
func loadSamplesDir(t testing.TB) string {
	t.Helper()
	dir := cmp.Or(os.Getenv("DATAPIPE_SAMPLES"), filepath.Join("..", "..", "testdata", "samples", "aws-samples"))
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		t.Fatalf("sample definitions not found at %s (%v): set DATAPIPE_SAMPLES to the aws-samples folder", dir, err)
	}
	return dir
}

// loadSample is one sample file, loaded as it must be.
type loadSample struct {
	name string
	data []byte
	doc  *Document
}

// loadSamples loads every sample, leniently only where it must.
func loadSamples(t testing.TB) []loadSample {
	t.Helper()
	dir := loadSamplesDir(t)
	paths, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("no *.json samples in %s (%v)", dir, err)
	}
	var out []loadSample
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		name := filepath.Base(p)
		doc, err := Load(name, data, LoadOptions{Lenient: loadLenientSamples[name]})
		if err != nil {
			t.Fatalf("load sample: %v", err)
		}
		out = append(out, loadSample{name: name, data: data, doc: doc})
	}
	return out
}

// loadSampleKind says what a sample file holds, from its name.
func loadSampleKind(name string) string {
	switch {
	case strings.HasSuffix(name, "__setup__setup.json"):
		return "wire"
	case name == "oracle-backup__parameters.json":
		return "parameters"
	case strings.HasSuffix(name, "values.json") || name == "dynamo-db-export__example-parameters.json":
		return "values"
	}
	return "cli"
}

func TestLoad_Samples(t *testing.T) {
	samples := loadSamples(t)
	if len(samples) < 43 {
		t.Errorf("found %d samples, want 43", len(samples))
	}
	for _, s := range samples {
		t.Run(s.name, func(t *testing.T) {
			loadCheckSampleShape(t, s)
			loadCheckStrictness(t, s)
			loadCheckPositions(t, s.doc)
		})
	}
}

// loadCheckSampleShape checks the sections and format a sample loaded as.
func loadCheckSampleShape(t *testing.T, s loadSample) {
	d := s.doc
	has := [3]bool{d.HasObjects, d.HasParameters, d.HasValues}
	switch kind := loadSampleKind(s.name); kind {
	case "wire":
		if d.Format != FormatAPI || !d.HasObjects || len(d.Values) == 0 {
			t.Errorf("wire sample: format %v has %v values %d", d.Format, has, len(d.Values))
		}
	case "parameters", "values":
		want := [3]bool{false, kind == "parameters", kind == "values"}
		if has != want || d.Format != FormatCLI {
			t.Errorf("%s-only sample: has %v format %v", kind, has, d.Format)
		}
	default:
		if d.Format != FormatCLI || len(d.Objects) == 0 {
			t.Errorf("CLI sample: format %v, %d objects", d.Format, len(d.Objects))
		}
	}
}

// loadCheckStrictness checks that the lenient samples fail strict loading
// with a position and load leniently with relaxations, and that the others
// load strictly and agree with encoding/json.
func loadCheckStrictness(t *testing.T, s loadSample) {
	if !loadLenientSamples[s.name] {
		if len(s.doc.Relaxed) != 0 {
			t.Errorf("strict load recorded %v", s.doc.Relaxed)
		}
		if loadSampleKind(s.name) == "cli" {
			loadCompareReference(t, s)
		}
		return
	}
	_, err := Load(s.name, s.data, LoadOptions{})
	var se *SyntaxError
	if !errors.As(err, &se) || se.Line < 1 || se.Col < 1 || !strings.Contains(se.Msg, "--lenient") {
		t.Errorf("strict load of a lenient sample: %v", err)
	}
	if len(s.doc.Relaxed) == 0 {
		t.Errorf("lenient load recorded no relaxation")
	}
	t.Logf("strict: %v; lenient: %d relaxations", err, len(s.doc.Relaxed))
}

// loadCheckPositions checks that every object and field has a position.
func loadCheckPositions(t *testing.T, d *Document) {
	for _, o := range d.Objects {
		if p, ok := d.ObjectPos[o.ID]; !ok || p.Line < 1 || p.Col < 1 {
			t.Errorf("object %s: no position", o.ID)
		}
		for _, f := range o.Fields {
			if p, ok := d.FieldPos[FieldRef{o.ID, f.Key}]; !ok || p.Line < 1 || p.Col < 1 {
				t.Errorf("object %s field %s: no position", o.ID, f.Key)
			}
		}
	}
}

// loadCompareReference checks a strict CLI sample against an independent
// translation done with encoding/json (api.md §7.2-7.4).
func loadCompareReference(t *testing.T, s loadSample) {
	var file struct {
		Objects    []map[string]any `json:"objects"`
		Parameters []map[string]any `json:"parameters"`
	}
	dec := json.NewDecoder(strings.NewReader(string(s.data)))
	dec.UseNumber()
	if err := dec.Decode(&file); err != nil {
		t.Fatal(err)
	}
	var want []pipeline.Object
	for _, m := range file.Objects {
		want = append(want, loadRefObject(t, m))
	}
	if !reflect.DeepEqual(s.doc.Objects, want) {
		t.Errorf("objects differ from the encoding/json translation:\n got %+v\nwant %+v", s.doc.Objects, want)
	}
	var params []pipeline.ParameterObject
	for _, m := range file.Parameters {
		p := pipeline.ParameterObject{ID: m["id"].(string)}
		for _, f := range loadRefFields(t, m, "id") {
			p.Attributes = append(p.Attributes, pipeline.Attribute{Key: f.Key, Value: f.Value})
		}
		params = append(params, p)
	}
	if !reflect.DeepEqual(s.doc.Parameters, params) {
		t.Errorf("parameters differ:\n got %+v\nwant %+v", s.doc.Parameters, params)
	}
}

// loadRefObject translates one decoded CLI object as the AWS CLI does.
func loadRefObject(t *testing.T, m map[string]any) pipeline.Object {
	o := pipeline.Object{ID: m["id"].(string), Name: m["id"].(string)}
	if n, ok := m["name"].(string); ok {
		o.Name = n
	}
	o.Fields = loadRefFields(t, m, "id", "name")
	return o
}

// loadRefFields translates the members of m other than skip.
func loadRefFields(t *testing.T, m map[string]any, skip ...string) []pipeline.Field {
	var keys []string
	for k := range m {
		if !slices.Contains(skip, k) {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	var fields []pipeline.Field
	for _, k := range keys {
		vals, ok := m[k].([]any)
		if !ok {
			vals = []any{m[k]}
		}
		for _, v := range vals {
			switch v := v.(type) {
			case string:
				fields = append(fields, loadStr(k, v))
			case map[string]any:
				fields = append(fields, loadRef(k, v["ref"].(string)))
			default:
				t.Fatalf("unexpected %T in sample field %s", v, k)
			}
		}
	}
	return fields
}

func TestLoad_ErrPosition(t *testing.T) {
	// Every error, for every prefix of a sample, is a *SyntaxError with a
	// position inside the input.
	data := loadFixture(t, "cli.json")
	for n := range len(data) {
		_, err := Load("p.json", data[:n], LoadOptions{})
		if err == nil && n == len(data)-1 { // all but the final newline
			continue
		}
		var se *SyntaxError
		if !errors.As(err, &se) {
			t.Fatalf("prefix %d: %v", n, err)
		}
		if se.Line < 1 || se.Col < 1 || se.Line > strings.Count(string(data[:n]), "\n")+1 {
			t.Fatalf("prefix %d: bad position %v", n, se)
		}
	}
}

// loadBenchDefinition generates a CLI definition of n objects with ten
// fields each, references and a multi-valued field among them.
func loadBenchDefinition(n int) []byte {
	var b strings.Builder
	b.WriteString(`{"objects": [` + "\n")
	b.WriteString(`  {"id": "Default", "scheduleType": "cron", "role": "R", "resourceRole": "RR"}`)
	for i := range n - 1 {
		fmt.Fprintf(&b, ",\n  {\"id\": \"Activity%d\", \"name\": \"Activity number %d\", \"type\": \"ShellCommandActivity\",\n"+
			"   \"command\": \"echo #{myGreeting} %d > out.txt\", \"runsOn\": {\"ref\": \"Resource%d\"},\n"+
			"   \"dependsOn\": [{\"ref\": \"Activity%d\"}, {\"ref\": \"Default\"}], \"stage\": \"true\", \"maximumRetries\": 3,\n"+
			"   \"scriptArgument\": [\"--a\", \"b\", \"#{format(@scheduledStartTime, 'YYYY-MM-dd')}\"],\n"+
			"   \"workerGroup\": \"wg-1\", \"myComment\": \"generated object\\nfor the benchmark\"}", i, i, i, i%50, max(i-1, 0))
	}
	b.WriteString("\n],\n\"parameters\": [{\"id\": \"myGreeting\", \"type\": \"String\", \"default\": \"hi\"}],\n")
	b.WriteString("\"values\": {\"myGreeting\": \"hello\"}}\n")
	return []byte(b.String())
}

func BenchmarkLoad(b *testing.B) {
	data := loadBenchDefinition(10000)
	if doc, err := Load("bench.json", data, LoadOptions{}); err != nil || len(doc.Objects) != 10000 {
		b.Fatalf("generated definition: %v", err)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Load("bench.json", data, LoadOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}
