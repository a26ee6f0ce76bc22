package emr

import (
	"fmt"
	"strconv"
	"strings"
)

// Tool is what a step runs, as far as this runner is concerned.
type Tool int

// The tools.
const (
	// Unknown is any step this runner cannot execute without a cluster.
	Unknown Tool = iota
	// Export is the emr-dynamodb-tools DynamoDbExport step.
	Export
	// Import is the emr-dynamodb-tools DynamoDbImport step.
	Import
)

// String returns the tool's class name, or "unknown step".
func (t Tool) String() string {
	switch t {
	case Export:
		return "DynamoDbExport"
	case Import:
		return "DynamoDbImport"
	}
	return "unknown step"
}

// toolClasses are the main classes recognised, in lower case: the
// emr-ddb-storage-handler 2.x spelling (DynamoDbExport) and the
// emr-dynamodb-connector one (DynamoDBExport) fold together.
var toolClasses = map[string]Tool{
	"org.apache.hadoop.dynamodb.tools.dynamodbexport": Export,
	"org.apache.hadoop.dynamodb.tools.dynamodbimport": Import,
}

// Step is one parsed `step` value: the jar, the main class when the
// first argument names one, and the tool's arguments.
type Step struct {
	// Index is the step's position among the activity's steps, from 1.
	Index int
	// Raw is the value as the task carried it.
	Raw string
	// Jar is the first element (the jar URI).
	Jar string
	// Args are the elements after the jar, unescaped.
	Args []string
	// Tool is the recognised tool (Unknown for any other step).
	Tool Tool
	// Generic are the Hadoop generic options (-D key=value) given before
	// the tool's arguments, by key. The native steps accept and ignore
	// them (the executor logs them).
	Generic map[string]string
	// Params are the tool's positional arguments (after the class and
	// the generic options).
	Params []string
}

// ParseStep splits a step value: `jarUri,arg1,arg2,…` where `\,` is a
// comma inside an argument and `\\` a backslash (objects.md §5.1.4). A
// step whose jar or first argument names DynamoDbExport or DynamoDbImport
// gets that Tool, its generic options and its parameters; any other step
// is Unknown. An empty step is an error.
func ParseStep(index int, raw string) (Step, error) {
	parts := splitStep(raw)
	if len(parts) == 0 || strings.TrimSpace(parts[0]) == "" {
		return Step{}, fmt.Errorf("step %d is empty: want jarUri,arg1,arg2,…", index)
	}
	s := Step{Index: index, Raw: raw, Jar: strings.TrimSpace(parts[0]), Args: parts[1:]}
	rest := s.Args
	if len(rest) > 0 {
		if t, ok := toolClasses[strings.ToLower(strings.TrimSpace(rest[0]))]; ok {
			s.Tool, rest = t, rest[1:]
		}
	}
	if s.Tool == Unknown {
		return s, nil
	}
	var err error
	s.Generic, s.Params, err = genericOptions(rest)
	if err != nil {
		return Step{}, fmt.Errorf("step %d (%s): %w", index, s.Tool, err)
	}
	return s, nil
}

// splitStep splits on unescaped commas, removing one level of backslash
// escaping.
func splitStep(raw string) []string {
	var parts []string
	var b strings.Builder
	for i := 0; i < len(raw); i++ {
		switch c := raw[i]; {
		case c == '\\' && i+1 < len(raw) && (raw[i+1] == ',' || raw[i+1] == '\\'):
			b.WriteByte(raw[i+1])
			i++
		case c == ',':
			parts = append(parts, b.String())
			b.Reset()
		default:
			b.WriteByte(c)
		}
	}
	return append(parts, b.String())
}

// genericOptions takes the Hadoop generic options (-D k=v or -Dk=v)
// off the front of args, as ToolRunner does.
func genericOptions(args []string) (map[string]string, []string, error) {
	opts := map[string]string{}
	for len(args) > 0 && strings.HasPrefix(strings.TrimSpace(args[0]), "-D") {
		kv := strings.TrimPrefix(strings.TrimSpace(args[0]), "-D")
		args = args[1:]
		if kv == "" {
			if len(args) == 0 {
				return nil, nil, fmt.Errorf("-D without a key=value")
			}
			kv, args = strings.TrimSpace(args[0]), args[1:]
		}
		k, v, ok := strings.Cut(kv, "=")
		if !ok || k == "" {
			return nil, nil, fmt.Errorf("generic option -D %q is not key=value", kv)
		}
		opts[k] = v
	}
	return opts, args, nil
}

// ExportArgs are DynamoDbExport's arguments:
// <path> <table-name> [<read-ratio>] [<total-segment-count>].
type ExportArgs struct {
	Path     string
	Table    string
	Ratio    float64 // 0 when not given
	Segments int     // 0 when not given
	Compress bool    // mapred.output.compress=true
}

// ImportArgs are DynamoDbImport's arguments:
// <path> <table-name> [<write-ratio>].
type ImportArgs struct {
	Path  string
	Table string
	Ratio float64 // 0 when not given
}

// Export returns the arguments of an Export step. Errors name the step
// and the argument, as the tool's usage message would.
func (s Step) Export() (ExportArgs, error) {
	if len(s.Params) < 2 || len(s.Params) > 4 {
		return ExportArgs{}, s.usage("Usage: Export <path> <table-name> [<read-ratio>] [<total-segment-count>]")
	}
	a := ExportArgs{Path: strings.TrimSpace(s.Params[0]), Table: strings.TrimSpace(s.Params[1])}
	var err error
	if len(s.Params) >= 3 {
		if a.Ratio, err = parseRatio(s.Params[2], "read"); err != nil {
			return ExportArgs{}, s.usage(err.Error())
		}
	}
	if len(s.Params) == 4 {
		n, err := strconv.Atoi(strings.TrimSpace(s.Params[3]))
		if err != nil || n < 1 {
			return ExportArgs{}, s.usage(fmt.Sprintf("could not parse segment count (value: %s)", s.Params[3]))
		}
		a.Segments = n
	}
	return a, s.checkPathTable(a.Path, a.Table)
}

// Import returns the arguments of an Import step.
func (s Step) Import() (ImportArgs, error) {
	if len(s.Params) < 2 || len(s.Params) > 3 {
		return ImportArgs{}, s.usage("Usage: Import <path> <table-name> [<write-ratio>]")
	}
	a := ImportArgs{Path: strings.TrimSpace(s.Params[0]), Table: strings.TrimSpace(s.Params[1])}
	if len(s.Params) == 3 {
		var err error
		if a.Ratio, err = parseRatio(s.Params[2], "write"); err != nil {
			return ImportArgs{}, s.usage(err.Error())
		}
	}
	return a, s.checkPathTable(a.Path, a.Table)
}

// checkPathTable rejects an empty path or table name.
func (s Step) checkPathTable(path, table string) error {
	switch {
	case path == "":
		return s.usage("the path (argument 1) is empty")
	case table == "":
		return s.usage("the table name (argument 2) is empty")
	}
	return nil
}

// usage is an argument error naming the step.
func (s Step) usage(msg string) error {
	return fmt.Errorf("step %d (%s): %s; step is %q", s.Index, s.Tool, msg, s.Raw)
}

// parseRatio parses a throughput ratio; an empty value means none.
func parseRatio(v, kind string) (float64, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, nil
	}
	r, err := strconv.ParseFloat(v, 64)
	if err != nil || r <= 0 || r > 1.5 {
		return 0, fmt.Errorf("could not parse %s ratio (value: %s): want a number between 0.1 and 1.5", kind, v)
	}
	return r, nil
}
