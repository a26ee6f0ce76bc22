// Package shell runs ShellCommandActivity and ShellCommandPrecondition
// attempts on the local machine.
//
// Invocation. A command runs as `SHELL -c COMMAND SHELLNAME ARG1 ARG2…`:
// the scriptArgument values are the positional parameters $1, $2…, as on
// AWS, where Task Runner hands the command to bash. SHELL is bash when it
// is on PATH, else /bin/sh (Config.Shell overrides). A scriptUri names a
// local script (file:// or a plain path; s3:// fails with NotSupported
// until the S3 support lands); it is copied into the attempt's work
// directory and run with the arguments, directly when it starts with
// "#!" (so its interpreter is honoured), else through SHELL.
//
// Each attempt runs in a fresh work directory under Config.TempDir,
// removed afterwards, with the runner's environment plus the staging
// variables. Standard output and standard error go to the attempt log
// (and Env.Stdout/Env.Stderr) and, when the stdout/stderr fields name a
// file:// or local path, are appended there as well.
//
// Staging (stage: true, ShellCommandActivity only): input n, an
// S3DataNode on S3 (s3://, with Config.Data's AWS clients) or the local
// file system (file:// or a plain path), is downloaded into a directory
// exported as INPUTn_STAGING_DIR (every visible file of a directoryPath
// under its relative name, a filePath as its base name, as stored);
// output n gets an empty directory exported as OUTPUTn_STAGING_DIR whose
// files are uploaded under the node's directoryPath (required), each
// atomically, after the command exits 0. Numbering follows the order of
// input/output values; other node types are not staged. Staging failures
// fail the attempt with StagingFailed.
//
// Processes. The command leads its own process group. When ctx ends
// (the service canceled the attempt, its attemptTimeout passed, or the
// runner stops) the whole group gets SIGTERM and, after Config.KillGrace,
// SIGKILL; the same happens to anything the command leaves running in
// its group when it exits, so no process outlives its attempt.
//
// Outcomes. Exit 0 is Finished. A non-zero exit fails a
// ShellCommandActivity with errorId ShellCommandFailed (the message has
// the exit code and the last lines of standard error) and makes a
// ShellCommandPrecondition False. A stopped command returns an error
// wrapping context.Cause(ctx) (AttemptTimeout for a timeout).
package shell
