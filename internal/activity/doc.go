// Package activity is the port between the task runner and the code that
// does the work of an attempt: an Executor per object type (ShellCommand-
// Activity, ShellCommandPrecondition, Exists, …), chosen through a
// Registry value that cmd/datapipe builds.
//
// The runner turns what PollForTask hands out into a Task: the attempt
// object with every effective field resolved and every #{…} expression
// already evaluated by the service, plus the objects it refers to (input
// and output data nodes, the precondition's node…), keyed by id. An
// executor reads its fields through the Task helpers, writes what a
// person needs to see into Env.Log, and returns:
//
//   - Finished: the work succeeded (a precondition held); the runner
//     reports SetTaskStatus FINISHED;
//   - False: a precondition did not hold; the runner reports FALSE;
//   - an error: the runner reports FAILED with the errorId of the first
//     *Error in the chain (TaskRunnerError for any other error) and the
//     error's text as errorMessage.
//
// Executors never talk to the service and never move statuses
// themselves; they obey ctx, which the runner cancels when the service
// cancels the attempt, when its attemptTimeout passes (the cause is then
// an *Error with ID AttemptTimeout), or when the runner stops.
package activity
