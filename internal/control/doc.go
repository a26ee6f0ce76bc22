// Package control holds datapipe's control-plane use cases: one method per
// AWS Data Pipeline operation (create, put, activate, set status, poll…),
// each run against the store in a transaction where it writes.
//
// The API layer decodes requests into the Go types here and encodes the
// results; the console and the CLI's local mode call the same methods.
// Errors are *pipeline.Error values whose Code is the AWS exception name
// (InvalidRequestException, PipelineNotFoundException,
// PipelineDeletedException, TaskNotFoundException), wrapped with context;
// anything else is an internal failure.
//
// Who moves which status: control moves pipeline states (PENDING →
// SCHEDULED on activate, → DEACTIVATING/INACTIVE on deactivate) and, for
// the task protocol, attempts (WAITING_FOR_RUNNER → RUNNING on the first
// progress report, → FINISHED/FAILED on SetTaskStatus). The scheduler
// moves instances.
package control
