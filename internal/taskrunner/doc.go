// Package taskrunner is datapipe's task runner: it speaks the task-runner
// protocol (api.md §6) to a Data Pipeline endpoint through the official
// SDK client and runs the attempts it is handed with the executors of an
// activity.Registry.
//
// A Runner has Config.Concurrency workers. Each polls its worker group
// (PollForTask), acknowledges a task at once (ReportTaskProgress, which
// moves the attempt to RUNNING and carries the local log's path as the
// logLocation field), runs the executor while reporting progress every
// ProgressEvery, and reports the outcome with SetTaskStatus: FINISHED,
// FALSE (a precondition that did not hold) or FAILED with errorId,
// errorMessage and, for a panic, errorStackTrace. A separate loop sends
// ReportTaskRunnerHeartbeat every HeartbeatEvery.
//
// Who moves which status: the service moves the attempt to RUNNING on
// the acknowledgement and to FINISHED/FAILED on SetTaskStatus; the runner
// never reports for an attempt the service canceled (ReportTaskProgress
// answered canceled:true, or the task is no longer known): it kills the
// execution and moves on, and the service records CANCELED.
//
// Stopping. A heartbeat answered terminate:true stops polling; tasks in
// flight finish and are reported, then Run returns. When Run's context
// ends, polling stops, running executions are canceled (their process
// trees are killed) and reported FAILED with errorId TaskRunnerStopped,
// then Run returns.
//
// Timeouts. An attempt's attemptTimeout (a period such as "1 hour"),
// measured from when the runner starts it, cancels the execution; the
// attempt fails with errorId AttemptTimeout.
//
// Logs. Each attempt writes LogDir/<pipelineId>/<attemptId>.log (the
// combined output and the runner's messages) and, beside it, .stdout and
// .stderr files. When the attempt ends and it has a pipelineLogUri, the
// files are copied under
// <pipelineLogUri>/<pipelineId>/<componentId>/<instanceId>/<attemptId>/
// as Activity.log, StdOutput and StdError (the last two when not empty),
// the layout AWS uses (objects.md §15.5), uncompressed: on S3 for an
// s3:// URI (with the client of Config.S3, in the default region), else
// on the local file system (file:// URIs and plain paths). A failure only
// adds a logUploadWarning field to the attempt: a log upload never fails
// it.
//
// A malformed task (no attempt object, no type, a dangling reference, an
// unknown type, an executor panic) is reported FAILED with a message
// naming the problem; the runner itself never panics on one.
package taskrunner
