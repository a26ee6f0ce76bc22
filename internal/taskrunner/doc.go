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
// In-process runners. With a LocalClient (`datapipe run`, the local
// resource provider) the claim counts as the acknowledgement, which the
// client sends on only if the attempt is still running 100 ms later: a
// shorter attempt goes from WAITING_FOR_RUNNER to its outcome in one
// write, which records its start too. Its status report also claims the
// worker's next task, in the same transaction (SetTaskStatusAndPoll).
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
// .stderr files; an attempt that finishes quietly keeps its lines in the
// pipeline's quiet.log instead (see [I] below), and ReadAttemptLog reads
// either. When the attempt ends and it has a pipelineLogUri, the
// files are copied under
// <pipelineLogUri>/<pipelineId>/<componentId>/<instanceId>/<attemptId>/
// as Activity.log, StdOutput and StdError (the last two when not empty),
// the layout AWS uses (objects.md §15.5), uncompressed: on S3 for an
// s3:// URI (with the client of Config.S3, in the default region), else
// on the local file system (file:// URIs and plain paths). A failure only
// adds a logUploadWarning field to the attempt: a log upload never fails
// it.
//
// [I] Quiet attempts share one log file. Why: creating a file costs
// 200-400 µs of CPU on an ext4 disk, a third of the orchestration of a
// tiny task, and most attempts (a `true`, a precondition that holds)
// print nothing and are never read. So no file is created for an
// attempt that does not need one:
//
//   - .stdout and .stderr are created by their first write;
//   - the .log starts as a buffer in memory, and becomes the file
//     <attemptId>.log (buffer first, then appended to as before) as soon
//     as the command writes to stdout or stderr, the buffer passes 64
//     KiB, the attempt has run for Config.LogFileAfter (1 s, on the
//     runner's Clock), the attempt ends other than FINISHED (FAILED,
//     FALSE, dropped, timed out, a panic: logs someone will read), or the
//     log is to be uploaded to pipelineLogUri (the upload copies files);
//   - otherwise, when the attempt has finished, its lines go, each as
//     <attemptId>\t<line>, to LogDir/<pipelineId>/quiet.log, in one
//     Write per attempt on a file opened with O_APPEND, once per Runner
//     and pipeline and kept open until Run returns, so records of
//     concurrent runners never interleave. A .log file that already
//     exists (the same attempt run before) is appended to instead.
//
// The logLocation reported at acknowledgement stays <attemptId>.log:
// readers (ReadAttemptLog, used by `datapipe logs` and the console) read
// that file and, when it does not exist, the attempt's lines of
// quiet.log. What it costs: the lines of an attempt's first second are
// only in memory, so a runner crash loses them, and readers see nothing
// for that second (LogMayBeInMemory tells that from a log on another
// host); reading a quiet attempt scans quiet.log.
//
// A malformed task (no attempt object, no type, a dangling reference, an
// unknown type, an executor panic) is reported FAILED with a message
// naming the problem; the runner itself never panics on one.
package taskrunner
