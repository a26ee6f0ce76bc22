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
// "#!" (so its interpreter is honoured), else through SHELL. A simple
// command runs without SHELL, to the same effect (see [I] below).
//
// Each attempt runs in an empty work directory of its own under
// Config.TempDir (datapipe-attempt-*), with the runner's environment
// plus the staging variables. A directory the attempt leaves empty and
// unchanged is kept for a later attempt; any other is removed (see [I]
// below). Standard output and standard error go to the attempt log
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
//
// [I] Simple commands run without a shell. Why: starting bash costs
// about 1 ms of CPU, more than the rest of an attempt's orchestration,
// and most commands (`true`, `/opt/etl/load --day 2024-01-01`) use none
// of its features. A command is simple when it comes from command with
// no scriptArgument, holds only letters, digits, plain spaces and
// -_./:,+@%= (nothing bash quotes, expands, redirects or treats as an
// operator or comment), and its first word is not an assignment, a %job,
// or a bash builtin or keyword (true and false excepted: their binaries
// behave the same). Its words are split on spaces and the first is
// looked up as bash does, in the PATH of the command's environment; the
// file is executed in the work directory, in its own process group, with
// the same pipes and the same stopping, and with the environment bash
// would give it: PWD the physical work directory, SHLVL as inherited
// ("0" when unset), OLDPWD only when it names a directory, and _ the
// executed path. bash -c executes a lone simple command in place of
// itself, so the observable result (exit status, output, working
// directory, environment, process tree, signals) is the same as through
// bash. Everything else still goes through bash: a first word that is
// not found or not executable (for bash's own "command not found", 127,
// or "Permission denied", 126), a file the kernel will not execute (bash
// runs it as a script), a Shell other than bash, and an environment that
// changes what bash does at start (BASH_ENV, SHELLOPTS, BASHOPTS,
// EXECIGNORE, exported functions, a SHLVL bash would reset, a PWD that
// already names the work directory). Config.AlwaysShell turns the fast
// path off.
//
// [I] A direct command's PATH search is remembered for 100 ms by each
// executor (checked again to be an executable file before use; a word
// not found is not remembered). Why: the search costs an access(2) per
// PATH entry before the right one, about a quarter of what starting
// `true` costs the runner. Only an executable of the same name appearing
// in an earlier PATH directory within those 100 ms goes unseen.
//
// [I] Empty work directories are reused. Why: on a disk file system
// (ext4) creating and removing a directory between two process starts
// costs 40-100 µs of CPU and 100-200 µs of wall time, up to a fifth of
// a `true` attempt (BenchmarkActivity_ExecuteTrue), and most commands
// leave their directory as they got it. When an attempt ends, its directory is opened
// (without following a symbolic link) and kept only if it has no entry
// at all and is unchanged since it was created: same device and inode
// number, a directory with the same mode (0700) and owner, and the same
// extended attribute names (so no ACL or user.* data was added); any
// other is removed as before. The copy of a scriptUri script is deleted
// first, so script attempts qualify; staged attempts leave their
// staging directory and do not. The same check runs again when a kept
// directory is handed out, so an attempt starts in an empty directory
// even if a process that escaped an earlier attempt's group wrote there
// meanwhile (such a process runs as the runner's user and could reach
// any of its directories anyway). A directory is held by one attempt at
// a time. An executor keeps at most 64 idle directories, each for at
// most 30 seconds (the most recently used is reused first, so the
// extras of a burst age out); Config.ShareWorkDirs lets the Activity
// and Precondition executors of one Config share them, and Close removes
// them. The runner does not call Close yet: a process that exits within
// 30 seconds of an attempt leaves its idle directories behind. They are
// empty private (0700) directories named datapipe-attempt-*, like any
// work directory, harmless, and safe to remove once the process is
// gone. Config.FreshWorkDirs turns reuse off.
package shell
