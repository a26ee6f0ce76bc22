package definition

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/datapipe/datapipe/internal/pipeline"
)

// want is one expected problem: its severity, object, field and code.
type want struct {
	sev    Severity
	object string
	field  string
	code   string
}

func TestValidate(t *testing.T) {
	cat := NewCatalog()
	for _, tt := range []struct {
		name string
		want []want
	}{
		{"ok_minimal", nil},
		{"ok_parameters", nil},
		{"unknown_type", []want{{Error, "Act", "type", CodeUnknownType}}},
		{"missing_required", []want{{Error, "Sql", "database", CodeMissingField}}},
		{"exactly_one_none", []want{{Error, "Act", "command", CodeFieldGroup}}},
		{"exactly_one_both", []want{{Error, "Act", "scriptUri", CodeFieldGroup}}},
		{"exclusive_group", []want{{Error, "Daily", "occurrences", CodeFieldGroup}}},
		{"at_least_one", []want{{Error, "Act", "runsOn", CodeFieldGroup}}},
		{"dangling_reference", []want{{Error, "Act", "input", CodeInvalidReference}}},
		{"wrong_reference_type", []want{{Error, "Act", "schedule", CodeWrongReferenceType}}},
		{"string_not_reference", []want{{Error, "Act", "schedule", CodeInvalidFieldValue}}},
		{"parent_cycle", []want{{Error, "A", "parent", CodeCycle}}},
		{"depends_on_cycle", []want{{Error, "A", "", CodeCycle}}},
		{"dataflow_cycle", []want{{Error, "In", "", CodeCycle}}},
		{"bad_period", []want{{Error, "Daily", "period", CodeInvalidFieldValue}}},
		{"bad_datetime", []want{{Error, "Daily", "startDateTime", CodeInvalidFieldValue}}},
		{"literal_datetime", []want{{Error, "Daily", "startDateTime", CodeInvalidFieldValue}}},
		{"end_before_start", []want{{Error, "Daily", "endDateTime", CodeSchedule}}},
		{"period_too_short", []want{{Error, "Daily", "period", CodeSchedule}}},
		{"period_below_aws", []want{{Warning, "Daily", "period", CodeBelowServiceMinimum}}},
		{"ondemand_not_on_default", []want{{Error, "Act", "scheduleType", CodeSchedule}}},
		{"ondemand_with_schedule", []want{{Error, "Daily", "period", CodeSchedule}}},
		{"ondemand_conflict", []want{{Error, "Act", "scheduleType", CodeSchedule}}},
		{"missing_schedule", []want{{Error, "Act", "schedule", CodeMissingField}}},
		{"undeclared_parameter", []want{{Error, "Act", "command", CodeUnknownName}}},
		{"unknown_function", []want{{Error, "Act", "command", CodeInvalidExpression}}},
		{"unparseable_expression", []want{{Error, "Act", "command", CodeInvalidExpression}}},
		{"unknown_field_in_expression", []want{{Error, "Act", "command", CodeUnknownName}}},
		{"unknown_field_name", []want{{Error, "Act", "command", CodeUnknownName}}},
		{"not_allowed", []want{{Error, "Box", "workerGroup", CodeFieldNotAllowed}}},
		{"multiple_values", []want{{Error, "Act", "command", CodeMultipleValues}}},
		{"bad_enum", []want{{Error, "Act", "failureAndRerunMode", CodeInvalidFieldValue}}},
		{"bad_integer", []want{{Error, "Act", "maximumRetries", CodeInvalidFieldValue}}},
		{"bad_boolean", []want{{Error, "Act", "stage", CodeInvalidFieldValue}}},
		{"runtime_field_set", []want{{Error, "Act", "@status", CodeFieldNotAllowed}}},
		{"typeless_object", []want{{Error, "Orphan", "type", CodeMissingField}}},
		{"throughput_range", []want{{Error, "T", "readThroughputPercent", CodeInvalidFieldValue}}},
		{"service_floors", []want{{Warning, "Act", "maximumRetries", CodeBelowServiceMinimum}, {Warning, "Act", "retryDelay", CodeBelowServiceMinimum}}},
		{"unknown_field", []want{{Warning, "Act", "installHive2", CodeUnknownField}}},
		{"missing_schedule_type", []want{{Warning, "Default", "scheduleType", CodeDefaultApplied}}},
		{"late_without_timeout", []want{{Warning, "Act", "onLateAction", CodeFieldGroup}}},
		{"mistyped_parameter", []want{{Error, "mySeconds", "", CodeInvalidParameter}}},
		{"missing_parameter_value", []want{{Error, "mySeconds", "", CodeMissingParameter}}},
		{"allowed_values", []want{{Error, "myColor", "", CodeInvalidParameter}}},
		{"array_not_declared", []want{{Error, "myColor", "", CodeInvalidParameter}}},
		{"array_in_single_field", []want{{Error, "Act", "command", CodeMultipleValues}}},
		{"parameter_id_prefix", []want{{Error, "user", "", CodeInvalidParameter}}},
		{"bad_parameter_type", []want{{Error, "myX", "type", CodeInvalidParameter}}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			res := validateFixture(t, cat, tt.name)
			for _, w := range tt.want {
				if !hasProblem(res, w) {
					t.Errorf("missing %v %s.%s %s in:\n%s", w.sev, w.object, w.field, w.code, report(res))
				}
			}
			if len(tt.want) == 0 && res.Errored() {
				t.Errorf("want no errors, got:\n%s", report(res))
			}
			golden(t, filepath.Join("testdata", "validate", tt.name+".golden"), report(res))
		})
	}
}

func TestValidate_ErrFatal(t *testing.T) {
	cat := NewCatalog()
	t.Run("EmptyValue", func(t *testing.T) {
		def := &Definition{Objects: []pipeline.Object{obj("A", "type", "Schedule", "period", "")}}
		if res := Validate(def, cat, Options{}); !res.IsFatal() {
			t.Errorf("want fatal, got:\n%s", report(res))
		}
	})
	t.Run("DuplicateID", func(t *testing.T) {
		def := &Definition{Objects: []pipeline.Object{obj("A", "type", "Terminate"), obj("A", "type", "Terminate")}}
		if res := Validate(def, cat, Options{}); !res.IsFatal() {
			t.Errorf("want fatal, got:\n%s", report(res))
		}
	})
	t.Run("TooManyObjects", func(t *testing.T) {
		def := &Definition{Objects: []pipeline.Object{obj("A", "type", "Terminate"), obj("B", "type", "Terminate")}}
		res := Validate(def, cat, Options{Limits: Limits{MaxObjects: 1}})
		if !res.IsFatal() || !strings.Contains(report(res), "limit is 1") {
			t.Errorf("want fatal limit, got:\n%s", report(res))
		}
	})
	t.Run("Nil", func(t *testing.T) {
		if res := Validate(nil, cat, Options{}); !res.IsFatal() {
			t.Error("want fatal for nil definition")
		}
	})
}

func TestValidate_Backfill(t *testing.T) {
	res := validateFixtureOpts(t, NewCatalog(), "ok_minimal", Options{Now: time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)})
	if !hasProblem(res, want{Warning, "Daily", "startDateTime", CodeBackfill}) ||
		!hasProblem(res, want{Warning, "Act", "failureAndRerunMode", CodeBackfill}) {
		t.Errorf("want backfill warnings, got:\n%s", report(res))
	}
}

func TestResult_ValidationErrors(t *testing.T) {
	res := validateFixture(t, NewCatalog(), "bad_period")
	errs := res.ValidationErrors()
	if len(errs) != 1 || errs[0].ID != "Daily" ||
		!strings.HasPrefix(errs[0].Errors[0], "INVALID_FIELD_VALUE: 'period' value \"15 Period\"") {
		t.Errorf("ValidationErrors = %+v", errs)
	}
	lit := validateFixture(t, NewCatalog(), "literal_datetime").ValidationErrors()
	if len(lit) != 1 || lit[0].Errors[0] != "INVALID_FIELD_VALUE: 'startDateTime' value must be a literal datetime value." {
		t.Errorf("literal message = %+v", lit)
	}
}

func validateFixture(t *testing.T, cat *Catalog, name string) *Result {
	return validateFixtureOpts(t, cat, name, Options{})
}

func validateFixtureOpts(t *testing.T, cat *Catalog, name string, opt Options) *Result {
	t.Helper()
	path := filepath.Join("testdata", "validate", name+".json")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := Load(path, data, LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return Validate(&doc.Definition, cat, opt)
}

func hasProblem(res *Result, w want) bool {
	for _, p := range res.Problems {
		if p.Severity == w.sev && p.Object == w.object && p.Field == w.field && p.Code == w.code {
			return true
		}
	}
	return false
}

func report(res *Result) string {
	var b strings.Builder
	for _, p := range res.Problems {
		sev := map[Severity]string{Warning: "warning", Error: "error", Fatal: "fatal"}[p.Severity]
		b.WriteString(sev + " " + p.Object + ": " + p.Text() + "\n")
	}
	return b.String()
}

// golden compares got with the golden file, rewriting it under -update.
func golden(t *testing.T, path, got string) {
	t.Helper()
	if *encodeUpdate {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	wantB, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if string(wantB) != got {
		t.Errorf("%s differs:\n--- want\n%s--- got\n%s", path, wantB, got)
	}
}

// obj builds an object from alternating keys and string values.
func obj(id string, kv ...string) pipeline.Object {
	o := pipeline.Object{ID: id, Name: id}
	for i := 0; i+1 < len(kv); i += 2 {
		o.Fields = append(o.Fields, pipeline.String(kv[i], kv[i+1]))
	}
	return o
}
