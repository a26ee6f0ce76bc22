package definition

import (
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/datapipe/datapipe/internal/pipeline"
)

// samplesDir is the repository's copy of the shared AWS samples.
func samplesDir(t testing.TB) string {
	t.Helper()
	dir := os.Getenv("DATAPIPE_SAMPLES")
	if dir == "" {
		dir = filepath.Join("..", "..", "testdata", "samples", "aws-samples")
	}
	if _, err := os.Stat(dir); err != nil {
		t.Fatalf("sample definitions not found at %s: %v", dir, err)
	}
	return dir
}

// invalidSamples are the shared samples that are genuinely invalid, with
// the problem each must report.
var invalidSamples = map[string]want{
	"kinesis__kinesis-to-s3.json":        {Error, "DefaultSchedule", "period", CodeInvalidFieldValue},
	"ShellCommandWithFTP__pipeline.json": {Error, "user", "", CodeInvalidParameter},
	// An on-demand pipeline whose Default still names a Schedule that
	// the file does not contain.
	"json-to-dynamodb__definition.json": {Error, "Default", "schedule", CodeInvalidReference},
}

// lenientSamples are not strict JSON.
var lenientSamples = map[string]bool{
	"OnDemandWithLamdaFunctions__ondemand.json": true,
	"ShellCommandWithFTP__pipeline.json":        true,
}

// companionFiles hold only parameters or only values for another sample.
var companionFiles = map[string]string{
	"oracle-backup__parameters.json":            "oracle-backup__definition.json",
	"oracle-backup__values.json":                "oracle-backup__definition.json",
	"dynamo-db-export__example-parameters.json": "dynamo-db-export__DynamoDB-export.json",
}

func TestValidate_Samples(t *testing.T) {
	dir := samplesDir(t)
	files, _ := filepath.Glob(filepath.Join(dir, "*.json"))
	if len(files) < 40 {
		t.Fatalf("found %d sample files in %s; want the 43 shared samples", len(files), dir)
	}
	cat := NewCatalog()
	for _, path := range files {
		name := filepath.Base(path)
		if _, ok := companionFiles[name]; ok {
			continue
		}
		t.Run(strings.TrimSuffix(name, ".json"), func(t *testing.T) {
			def := sampleDefinition(t, dir, name)
			res := Validate(def, cat, Options{})
			if w, bad := invalidSamples[name]; bad {
				if !hasProblem(res, w) {
					t.Errorf("want %s.%s %s, got:\n%s", w.object, w.field, w.code, report(res))
				}
				return
			}
			if res.Errored() {
				t.Errorf("sample has errors:\n%s", report(res))
			}
		})
	}
}

// loadSample loads a sample with its companion files and parameter values
// for every parameter that has none.
func sampleDefinition(t testing.TB, dir, name string) *Definition {
	t.Helper()
	doc := sampleDocument(t, dir, name)
	def := doc.Definition
	for comp, owner := range companionFiles {
		if owner != name {
			continue
		}
		c := sampleDocument(t, dir, comp)
		if c.HasParameters {
			def.Parameters = c.Parameters
		}
		if c.HasValues {
			def.Values = c.Values
		}
	}
	def.Values = append(def.Values, sampleValues(t, dir, name, &def)...)
	return &def
}

func sampleDocument(t testing.TB, dir, name string) *Document {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, name))
	if err != nil {
		t.Fatal(err)
	}
	doc, err := Load(name, data, LoadOptions{Lenient: lenientSamples[name]})
	if err != nil {
		t.Fatalf("load %s: %v", name, err)
	}
	return doc
}

var paramRef = regexp.MustCompile(`#\{\*?(my[A-Z_][A-Za-z0-9_]*)\}`)

// sampleValues supplies a plausible value for every parameter the sample
// uses or declares that has neither a value nor a default, as a user would
// with --parameter-values.
func sampleValues(t testing.TB, dir, name string, def *Definition) []pipeline.ParameterValue {
	data, _ := os.ReadFile(filepath.Join(dir, name))
	need := map[string]string{}
	for _, m := range paramRef.FindAllStringSubmatch(string(data), -1) {
		need[m[1]] = "String"
	}
	for _, p := range def.Parameters {
		if _, ok := p.Get("default"); !ok {
			need[pipeline.ParameterName(p.ID)] = firstOr(&p, "type", "String")
		}
		if _, declared := need[pipeline.ParameterName(p.ID)]; declared {
			if _, ok := p.Get("default"); ok {
				delete(need, pipeline.ParameterName(p.ID))
			}
		}
	}
	for _, v := range def.Values {
		if v.Value != "" { // empty values are template placeholders: no value
			delete(need, pipeline.ParameterName(v.ID))
		}
	}
	var names []string
	for n := range need {
		names = append(names, n)
	}
	sort.Strings(names)
	var out []pipeline.ParameterValue
	for _, n := range names {
		out = append(out, pipeline.ParameterValue{ID: n, Value: plausible(n, need[n])})
	}
	return out
}

// plausible returns a value of the right shape for a parameter.
func plausible(name, typ string) string {
	lower := strings.ToLower(name)
	switch {
	case strings.Contains(lower, "ratio") || strings.Contains(lower, "throughput") || strings.EqualFold(typ, "Double"):
		return "0.5"
	case strings.Contains(lower, "count") || strings.Contains(lower, "port") || strings.EqualFold(typ, "Integer"):
		return "1"
	case strings.Contains(lower, "terminateafter"):
		return "2 Hours"
	case strings.Contains(lower, "insertmode"):
		return "KEEP_EXISTING"
	case strings.EqualFold(typ, "AWS::S3::ObjectKey") || strings.Contains(lower, "s3") || strings.Contains(lower, "uri"):
		return "s3://bucket/path"
	}
	return "value"
}
