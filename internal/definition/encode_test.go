package definition

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/datapipe/datapipe/internal/pipeline"
)

// encodeUpdate rewrites golden files instead of comparing with them.
var encodeUpdate = flag.Bool("update", false, "rewrite testdata/golden files")

func TestEncodeCLI(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		d := Definition{
			Objects: []pipeline.Object{
				{ID: "Default", Name: "Default", Fields: []pipeline.Field{loadStr("scheduleType", "ondemand")}},
				{ID: "Hello", Name: "Say \"hello\"", Fields: []pipeline.Field{
					loadStr("step", "a"), loadRef("runsOn", "R"), loadRef("step", "Default"), loadStr("step", "é\x01\n\t<&>"),
				}},
				{ID: "Empty", Name: "Empty"},
			},
			Parameters: []pipeline.ParameterObject{{ID: "myA", Attributes: []pipeline.Attribute{
				loadAttr("type", "String"), loadAttr("allowedValues", "x"), loadAttr("allowedValues", "y")}}},
			Values: []pipeline.ParameterValue{loadVal("myA", "x"), loadVal("myB", "1"), loadVal("myA", "y")},
		}
		got, err := EncodeCLI(d)
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != encodeWantCLI {
			t.Errorf("EncodeCLI:\n%s\nwant:\n%s", got, encodeWantCLI)
		}
	})
	t.Run("OKEmpty", func(t *testing.T) {
		got, err := EncodeCLI(Definition{})
		if err != nil || string(got) != "{}\n" {
			t.Errorf("EncodeCLI(empty) = %q, %v", got, err)
		}
		got, _ = EncodeCLI(Definition{Values: []pipeline.ParameterValue{loadVal("myA", "1")}})
		if want := "{\n    \"values\": {\n        \"myA\": \"1\"\n    }\n}\n"; string(got) != want {
			t.Errorf("values only: %q, want %q", got, want)
		}
	})
}

// encodeWantCLI is what `aws datapipeline get-pipeline-definition` prints
// for the definition of TestEncodeCLI (Python json.dumps, indent=4,
// ensure_ascii=False).
const encodeWantCLI = `{
    "objects": [
        {
            "id": "Default",
            "name": "Default",
            "scheduleType": "ondemand"
        },
        {
            "id": "Hello",
            "name": "Say \"hello\"",
            "step": [
                "a",
                {
                    "ref": "Default"
                },
                "é\u0001\n\t<&>"
            ],
            "runsOn": {
                "ref": "R"
            }
        },
        {
            "id": "Empty",
            "name": "Empty"
        }
    ],
    "parameters": [
        {
            "id": "myA",
            "type": "String",
            "allowedValues": [
                "x",
                "y"
            ]
        }
    ],
    "values": {
        "myA": [
            "x",
            "y"
        ],
        "myB": "1"
    }
}
`

// encodeExampleFile and encodeExampleBody are api.md §7.7: a definition
// file and the request body the AWS CLI sends for it (minus pipelineId).
const encodeExampleFile = `{
  "objects": [
    {"id": "Default", "scheduleType": "ondemand", "failureAndRerunMode": "CASCADE",
     "role": "DataPipelineDefaultRole", "resourceRole": "DataPipelineDefaultResourceRole"},
    {"id": "Hello", "name": "Say hello", "type": "ShellCommandActivity",
     "command": "echo #{myGreeting}", "workerGroup": "wg-1",
     "step": ["a", {"ref": "Default"}]}
  ],
  "parameters": [{"id": "myGreeting", "type": "String", "default": "hi"}],
  "values": {"myGreeting": "hello"}
}`

const encodeExampleBody = `{
  "pipelineObjects": [
    {"id": "Default", "name": "Default", "fields": [
      {"key": "failureAndRerunMode", "stringValue": "CASCADE"},
      {"key": "resourceRole", "stringValue": "DataPipelineDefaultResourceRole"},
      {"key": "role", "stringValue": "DataPipelineDefaultRole"},
      {"key": "scheduleType", "stringValue": "ondemand"}]},
    {"id": "Hello", "name": "Say hello", "fields": [
      {"key": "command", "stringValue": "echo #{myGreeting}"},
      {"key": "step", "stringValue": "a"},
      {"key": "step", "refValue": "Default"},
      {"key": "type", "stringValue": "ShellCommandActivity"},
      {"key": "workerGroup", "stringValue": "wg-1"}]}
  ],
  "parameterObjects": [
    {"id": "myGreeting", "attributes": [
      {"key": "default", "stringValue": "hi"},
      {"key": "type", "stringValue": "String"}]}
  ],
  "parameterValues": [{"id": "myGreeting", "stringValue": "hello"}]
}`

func TestToWire_WorkedExample(t *testing.T) {
	doc, err := Load("def.json", []byte(encodeExampleFile), LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	got, err := json.Marshal(ToWire(doc.Definition))
	if err != nil {
		t.Fatal(err)
	}
	var gotAny, wantAny any
	if err := json.Unmarshal(got, &gotAny); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal([]byte(encodeExampleBody), &wantAny); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(gotAny, wantAny) {
		t.Errorf("wire body:\n got %s\nwant %s", got, encodeExampleBody)
	}
	// And back: the body loads as a wire file to the same definition.
	back, err := Load("body.json", []byte(encodeExampleBody), LoadOptions{})
	if err != nil || back.Format != FormatAPI || !reflect.DeepEqual(back.Definition, doc.Definition) {
		t.Errorf("wire body loads to %+v, %v; want %+v", back, err, doc.Definition)
	}
}

// encodeNormalize puts d in the order a CLI file load produces: fields and
// attributes stably sorted by key, values grouped by id in order of first
// appearance. Loading EncodeCLI output re-sorts keys, as the AWS CLI does.
func encodeNormalize(d Definition) Definition {
	byKey := func(a, b pipeline.Field) int { return strings.Compare(a.Key, b.Key) }
	out := Definition{}
	for _, o := range d.Objects {
		o.Fields = slices.Clone(o.Fields)
		slices.SortStableFunc(o.Fields, byKey)
		out.Objects = append(out.Objects, o)
	}
	for _, p := range d.Parameters {
		p.Attributes = slices.Clone(p.Attributes)
		slices.SortStableFunc(p.Attributes, func(a, b pipeline.Attribute) int { return strings.Compare(a.Key, b.Key) })
		out.Parameters = append(out.Parameters, p)
	}
	var ids []string
	for _, v := range d.Values {
		if !slices.Contains(ids, v.ID) {
			ids = append(ids, v.ID)
		}
	}
	for _, id := range ids {
		for _, v := range d.Values {
			if v.ID == id {
				out.Values = append(out.Values, v)
			}
		}
	}
	return out
}

func TestEncodeCLI_RoundTrip(t *testing.T) {
	for _, s := range loadSamples(t) {
		t.Run(s.name, func(t *testing.T) {
			out, err := EncodeCLI(s.doc.Definition)
			if err != nil {
				t.Fatal(err)
			}
			back, err := Load("encoded.json", out, LoadOptions{})
			if err != nil {
				t.Fatalf("EncodeCLI output does not load: %v\n%s", err, out)
			}
			want := s.doc.Definition
			if s.doc.Format == FormatAPI {
				want = encodeNormalize(want)
			}
			if !reflect.DeepEqual(back.Definition, want) {
				t.Errorf("round trip differs:\n got %+v\nwant %+v", back.Definition, want)
			}
			again, _ := EncodeCLI(back.Definition)
			if wantOut, _ := EncodeCLI(want); !bytes.Equal(again, wantOut) {
				t.Errorf("EncodeCLI is not stable across a load")
			}
		})
	}
}

func TestObjectsToWire(t *testing.T) {
	t.Run("OKRoundTrip", func(t *testing.T) {
		for _, s := range loadSamples(t) {
			w := ToWire(s.doc.Definition)
			data, err := json.Marshal(w)
			if err != nil {
				t.Fatal(err)
			}
			var decoded WireDefinition
			if err := json.Unmarshal(data, &decoded); err != nil {
				t.Fatal(err)
			}
			back, err := FromWire(decoded)
			if err != nil {
				t.Fatalf("%s: %v", s.name, err)
			}
			if !reflect.DeepEqual(back, s.doc.Definition) {
				t.Errorf("%s: wire round trip differs:\n got %+v\nwant %+v", s.name, back, s.doc.Definition)
			}
		}
	})
	t.Run("OKEmpty", func(t *testing.T) {
		data, _ := json.Marshal(ToWire(Definition{Objects: []pipeline.Object{{ID: "A", Name: "A"}}}))
		if want := `{"pipelineObjects":[{"id":"A","name":"A","fields":[]}]}`; string(data) != want {
			t.Errorf("got %s, want %s", data, want)
		}
	})
	t.Run("ErrFieldValue", func(t *testing.T) {
		s := "x"
		for _, tt := range []struct {
			field WireField
			want  string
		}{
			{WireField{Key: "runsOn", StringValue: &s, RefValue: &s}, `object "A" field "runsOn" has both stringValue and refValue; exactly one is required`},
			{WireField{Key: "runsOn"}, `object "A" field "runsOn" has neither stringValue nor refValue; exactly one is required`},
		} {
			_, err := ObjectsFromWire([]WireObject{{ID: "A", Name: "A", Fields: []WireField{tt.field}}})
			if pipeline.ErrorCode(err) != pipeline.CodeInvalidRequest || pipeline.ErrorMessage(err) != tt.want {
				t.Errorf("ObjectsFromWire = %v, want InvalidRequestException: %s", err, tt.want)
			}
		}
	})
}

// encodeGoldenSamples are the samples whose wire JSON is kept in
// testdata/golden: a CLI file, a lenient CLI file and a wire file.
var encodeGoldenSamples = []string{
	"helloworld__helloworld.json",
	"OnDemandWithLamdaFunctions__ondemand.json",
	"RDStoRedshiftSqoop__setup__setup.json",
}

func TestToWire_Golden(t *testing.T) {
	dir := loadSamplesDir(t)
	for _, name := range encodeGoldenSamples {
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		doc, err := Load(name, data, LoadOptions{Lenient: loadLenientSamples[name]})
		if err != nil {
			t.Fatal(err)
		}
		got, err := json.MarshalIndent(ToWire(doc.Definition), "", "  ")
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, '\n')
		golden := filepath.Join("testdata", "golden", strings.TrimSuffix(name, ".json")+".wire.json")
		if *encodeUpdate {
			if err := os.WriteFile(golden, got, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(golden)
		if err != nil {
			t.Fatalf("%v (run go test -update to create it)", err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s: wire JSON differs from %s (run go test -update if the change is intended):\n%s", name, golden, got)
		}
	}
}
