package definition

import (
	"fmt"
	"sort"
)

// Severity ranks a validation problem.
type Severity int

// Severities. A Fatal problem means the definition cannot be saved at all
// (PutPipelineDefinition fails with InvalidRequestException); an Error
// means it is saved but errored and cannot be activated; a Warning never
// blocks anything.
const (
	Warning Severity = iota
	Error
	Fatal
)

// The validation codes that prefix every message ("CODE: 'field' text").
// INVALID_FIELD_VALUE is the service's own; the others follow its style.
const (
	CodeInvalidFieldValue   = "INVALID_FIELD_VALUE"
	CodeMissingField        = "MISSING_REQUIRED_FIELD"
	CodeUnknownType         = "INVALID_OBJECT_TYPE"
	CodeUnknownField        = "UNKNOWN_FIELD"
	CodeFieldNotAllowed     = "FIELD_NOT_ALLOWED"
	CodeMultipleValues      = "MULTIPLE_VALUES"
	CodeFieldGroup          = "INVALID_FIELD_GROUP"
	CodeInvalidReference    = "INVALID_REFERENCE"
	CodeWrongReferenceType  = "INVALID_REFERENCE_TYPE"
	CodeCycle               = "CYCLE"
	CodeInvalidExpression   = "INVALID_EXPRESSION"
	CodeUnknownName         = "UNKNOWN_NAME"
	CodeInvalidParameter    = "INVALID_PARAMETER"
	CodeMissingParameter    = "MISSING_PARAMETER_VALUE"
	CodeInvalidObject       = "INVALID_OBJECT"
	CodeLimit               = "LIMIT_EXCEEDED"
	CodeSchedule            = "INVALID_SCHEDULE"
	CodeDefaultApplied      = "DEFAULT_APPLIED"
	CodeBackfill            = "BACKFILL"
	CodeBelowServiceMinimum = "BELOW_AWS_MINIMUM"
)

// Problem is one validation finding about one object (or parameter).
type Problem struct {
	Severity Severity
	// Object is the id of the object or parameter at fault.
	Object string
	// Field is the field key at fault, or "" for the whole object.
	Field string
	Code  string
	// Message is the text after the field, for a person.
	Message string
	// Pos is the byte offset within the field value of an expression
	// problem, or -1.
	Pos int
}

// Text renders the problem as the service does: "CODE: 'field' message",
// or "CODE: message" when no field is at fault.
func (p Problem) Text() string {
	if p.Field == "" {
		return p.Code + ": " + p.Message
	}
	return fmt.Sprintf("%s: '%s' %s", p.Code, p.Field, p.Message)
}

// ValidationError is the API's ValidationError shape: the messages of one object.
type ValidationError struct {
	ID     string   `json:"id"`
	Errors []string `json:"errors"`
}

// ValidationWarning is the API's ValidationWarning shape.
type ValidationWarning struct {
	ID       string   `json:"id"`
	Warnings []string `json:"warnings"`
}

// Result is the outcome of validating a definition.
type Result struct {
	Problems []Problem
}

func (r *Result) add(sev Severity, obj, field, code, format string, args ...any) {
	r.Problems = append(r.Problems, Problem{Severity: sev, Object: obj, Field: field, Code: code,
		Message: fmt.Sprintf(format, args...), Pos: -1})
}

func (r *Result) errorf(obj, field, code, format string, args ...any) {
	r.add(Error, obj, field, code, format, args...)
}

func (r *Result) warnf(obj, field, code, format string, args ...any) {
	r.add(Warning, obj, field, code, format, args...)
}

// Errored reports whether there is any Error or Fatal problem.
func (r *Result) Errored() bool { return r.count(Error) > 0 }

// IsFatal reports whether any problem prevents saving the definition.
func (r *Result) IsFatal() bool { return r.count(Fatal) > 0 }

func (r *Result) count(min Severity) int {
	n := 0
	for _, p := range r.Problems {
		if p.Severity >= min {
			n++
		}
	}
	return n
}

// Errors returns the Error and Fatal problems, in order.
func (r *Result) Errors() []Problem { return r.filter(func(s Severity) bool { return s >= Error }) }

// Warnings returns the Warning problems, in order.
func (r *Result) Warnings() []Problem { return r.filter(func(s Severity) bool { return s == Warning }) }

func (r *Result) filter(keep func(Severity) bool) []Problem {
	var out []Problem
	for _, p := range r.Problems {
		if keep(p.Severity) {
			out = append(out, p)
		}
	}
	return out
}

// ValidationErrors groups the errors by object id, in order of first
// appearance, in the API's shape.
func (r *Result) ValidationErrors() []ValidationError {
	var out []ValidationError
	for _, g := range group(r.Errors()) {
		out = append(out, ValidationError{ID: g.id, Errors: g.texts})
	}
	return out
}

// ValidationWarnings groups the warnings by object id in the API's shape.
func (r *Result) ValidationWarnings() []ValidationWarning {
	var out []ValidationWarning
	for _, g := range group(r.Warnings()) {
		out = append(out, ValidationWarning{ID: g.id, Warnings: g.texts})
	}
	return out
}

type textGroup struct {
	id    string
	texts []string
}

func group(ps []Problem) []textGroup {
	var out []textGroup
	at := map[string]int{}
	for _, p := range ps {
		i, ok := at[p.Object]
		if !ok {
			i = len(out)
			at[p.Object] = i
			out = append(out, textGroup{id: p.Object})
		}
		out[i].texts = append(out[i].texts, p.Text())
	}
	return out
}

// sortStable orders problems by object order in the definition, keeping
// the order in which they were found within an object.
func (r *Result) sortStable(order map[string]int) {
	sort.SliceStable(r.Problems, func(i, j int) bool {
		return rank(order, r.Problems[i].Object) < rank(order, r.Problems[j].Object)
	})
}

func rank(order map[string]int, id string) int {
	if i, ok := order[id]; ok {
		return i
	}
	return len(order)
}
