// Package pipeline is datapipe's domain vocabulary: the objects, fields and
// parameters of a pipeline definition, and the one error type every layer
// speaks.
//
// The types here mirror the AWS Data Pipeline API shapes (PipelineObject,
// Field, ParameterObject, ParameterValue) so that a definition can travel from
// a file, through the web API, into a store and back without loss: field
// order, repeated keys and the string-versus-reference kind of every value
// are preserved exactly.
//
// Errors carry an AWS exception name as their Code. The API layer maps codes
// to HTTP statuses once, at the edge; nothing below it knows about HTTP.
//
// This package imports only the standard library. It performs no I/O, does
// no logging and never reads the clock.
package pipeline
