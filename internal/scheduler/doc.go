// Package scheduler turns activated pipelines into instances, attempts and
// tasks, and moves instances through their statuses (objects.md §9–§12).
//
// It is split in two. Plan is a pure function: given a Snapshot of one
// pipeline (its compiled definition, its runtime objects and the time) it
// returns a Plan of objects to create and update, tasks to queue and
// actions to fire. It reads no clock and does no I/O, so a year of hourly
// schedules can be tested in milliseconds. Loop is the leader-only process
// that loads snapshots from the store, applies plans in transactions and
// rescues expired task leases; only the replica holding the "scheduler"
// lease runs it.
//
// Who moves which status: the scheduler creates instances
// (WAITING_ON_DEPENDENCIES) and moves them to WAITING_FOR_RUNNER, RUNNING,
// FINISHED, FAILED, CASCADE_FAILED and CANCELED as their attempts and
// dependencies change; it creates attempts (WAITING_FOR_RUNNER) and fails
// attempts whose lease expired. The control plane moves attempts on runner
// reports (RUNNING, FINISHED, FAILED, CANCELED) and instances on SetStatus.
package scheduler
