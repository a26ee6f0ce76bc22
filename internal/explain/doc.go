// Package explain answers "why is this instance not running?". Explain is
// a pure function of Facts (the instance, its head attempt, the instances
// it waits on, the other active instances of its component, the runners
// of its account and the compiled definition); Load gathers those facts
// from a store.
//
// The reasons mirror the scheduler's dispatch rules (internal/scheduler:
// dispatchIfReady, preconditions, maxActiveInstances, readyAt) and read
// the fields the scheduler records as it plans: @waitingOn (the upstream
// or precondition instances an instance still waits for), @falseChecks
// and @checkStart (precondition checks), @headAttempt.
//
// The console serves an Explanation as HTML and as JSON at
// GET /console/api/explain; `datapipe explain` prints that JSON as text.
package explain
