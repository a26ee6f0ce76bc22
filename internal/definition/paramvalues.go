package definition

import (
	"fmt"
	"strings"

	"github.com/datapipe/datapipe/internal/pipeline"
)

// ParseParameterValues parses the CLI's inline --parameter-values
// arguments, each "id=value", as the AWS CLI does: each is split at its
// first '=' (the value may hold more, or be empty); the values of a
// repeated id form an array value. As in the CLI, which collects them in a
// dict, the result is grouped by id in order of each id's first appearance,
// each id's values in argument order: "a=1 b=2 a=3" gives a=1, a=3, b=2.
//
// An argument without '=' is an error "Invalid inline parameter format:
// <arg>". No other check is made here (empty ids and undeclared ids are for
// validation).
func ParseParameterValues(args []string) ([]pipeline.ParameterValue, error) {
	var ids []string
	byID := make(map[string][]string)
	for _, arg := range args {
		id, value, ok := strings.Cut(arg, "=")
		if !ok {
			return nil, fmt.Errorf("Invalid inline parameter format: %s", arg)
		}
		if _, seen := byID[id]; !seen {
			ids = append(ids, id)
		}
		byID[id] = append(byID[id], value)
	}
	var out []pipeline.ParameterValue
	for _, id := range ids {
		for _, v := range byID[id] {
			out = append(out, pipeline.ParameterValue{ID: id, Value: v})
		}
	}
	return out, nil
}

// Merge assembles the definition that put-pipeline-definition sends, the
// way the AWS CLI does (api.md §7.5):
//
//   - Objects come from def (the --pipeline-definition file).
//   - Parameters come from params (the --parameter-objects file) when it is
//     non-nil, whatever it holds; otherwise from def.
//   - Values are values when haveValues is true (they came from
//     --parameter-values-uri or inline --parameter-values, even if empty);
//     otherwise def's values.
//
// def may be nil (no objects). The result shares its slices with the
// inputs; Merge does not check anything.
func Merge(def *Document, params *Document, values []pipeline.ParameterValue, haveValues bool) Definition {
	var d Definition
	if def != nil {
		d = def.Definition
	}
	if params != nil {
		d.Parameters = params.Parameters
	}
	if haveValues {
		d.Values = values
	}
	return d
}
