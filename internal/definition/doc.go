// Package definition is the AWS Data Pipeline definition language: the
// object-type catalog, loading definitions from the AWS CLI file format
// and the API wire format, inheritance through parent and Default,
// parameters, validation in the service's shape, and compilation into a
// Graph whose fields can be evaluated in a run-time environment.
//
// The steps are plain functions over values:
//
//   - Load parses bytes (strict JSON, or lenient with every relaxation
//     reported) into a Document; errors are *SyntaxError with line and
//     column. EncodeCLI and ToWire/FromWire convert losslessly back.
//   - Validate returns a Result: Fatal problems (the definition cannot be
//     saved), Errors (saved but not activatable) and Warnings, each naming
//     the object, the field and, for expressions, the position.
//   - Compile validates and, when there are no errors, returns the Graph;
//     Graph.Eval, EvalString, Evaluate and Resolve evaluate #{…}
//     expressions for a component in an Env that supplies runtime fields.
//
// The package is pure: it does no I/O, no logging and never reads the
// clock (Options.Now is passed in). A Catalog is a value built by
// NewCatalog; nothing here is package-level mutable state.
package definition
