package definition

import "github.com/datapipe/datapipe/internal/pipeline"

// Definition is a whole pipeline definition as the API carries it: the
// objects, the parameter declarations and the parameter values, each in the
// order given.
type Definition struct {
	Objects    []pipeline.Object
	Parameters []pipeline.ParameterObject
	Values     []pipeline.ParameterValue
}

// Format is the shape a definition file was written in.
type Format int

// The definition file formats.
const (
	// FormatCLI is the AWS CLI file format: objects with plain keys,
	// {"ref": …} references and arrays; parameters; values.
	FormatCLI Format = iota
	// FormatAPI is the web API's wire format: pipelineObjects (or objects)
	// with fields of key/stringValue/refValue, parameterObjects,
	// parameterValues.
	FormatAPI
)

// Position is a place in a source file. Line and Col are 1-based; Col
// counts bytes.
type Position struct {
	Line int
	Col  int
}

// FieldRef names one field of one object.
type FieldRef struct {
	Object string
	Key    string
}

// Relaxation records one place where lenient loading accepted input that
// strict JSON refuses.
type Relaxation struct {
	Pos  Position
	What string // "trailing comma", "raw newline in string", ...
}

// Document is one loaded file: what it held, and where each part was, so
// that reports can point at file lines.
type Document struct {
	Definition
	File   string
	Format Format
	// HasObjects, HasParameters, HasValues say which sections the file
	// held, so that separate parameter and values files can be merged.
	HasObjects, HasParameters, HasValues bool
	// Relaxed lists what lenient loading accepted; empty in strict mode.
	Relaxed []Relaxation
	// ObjectPos is where each object (by id) starts; FieldPos where each
	// field's first value starts.
	ObjectPos map[string]Position
	FieldPos  map[FieldRef]Position
}
