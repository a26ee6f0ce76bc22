package resource

import "time"

// Ref names one resource instance.
type Ref struct {
	AccountID  string
	PipelineID string
	// Instance is the resource instance id, e.g. "@MyEC2_2024-01-01T00:00:00".
	Instance string
}

// Request asks for a runner serving one resource instance.
type Request struct {
	Ref
	// Component is the resource component id; Type its type (Ec2Resource,
	// EmrCluster).
	Component string
	Type      string
	// Group is the worker group the runner must poll.
	Group string
	// TerminateAfter, when positive, is the resource's hard lifetime from
	// Ensure: the provider stops the runner once it passes, even if the
	// scheduler never calls Release (the scheduler also marks the instance
	// TIMEDOUT by its own clock).
	TerminateAfter time.Duration
	// Fields are the resource's statically evaluated fields (instanceType,
	// region, imageId, …), for providers that provision real machines.
	Fields map[string]string
}

// State is what a provider knows of a resource instance it serves.
type State string

// The provider states.
const (
	// StateCreating: provisioning started; no runner polls yet.
	StateCreating State = "CREATING"
	// StateRunning: a runner polls the group.
	StateRunning State = "RUNNING"
	// StateTimedOut: terminateAfter passed and the runner was stopped.
	StateTimedOut State = "TIMEDOUT"
	// StateFailed: provisioning or the runner failed; Reason says why.
	StateFailed State = "FAILED"
)

// Status is a provider's report on one resource instance it serves (from
// Ensure until, after Release, its runner has stopped).
type Status struct {
	Ref
	State State
	// ResourceID identifies what was provisioned (a process, a pod, an
	// EC2 instance id); it is shown as @resourceId.
	ResourceID string
	// Reason explains StateFailed; shown as @failureReason.
	Reason string
	// Started is when provisioning started.
	Started time.Time
}

// Provider provisions runners for resource instances.
//
// Contract: every method is safe for concurrent use and must not block on
// provisioning (do it in the background). Ensure and Release are
// idempotent: the scheduler calls Ensure again for a CREATING or RUNNING
// instance the provider does not list (after a restart), and Release again
// for a listed instance that is no longer CREATING or RUNNING. A provider
// tells the scheduler that a state changed by calling the notify function
// it was built with (scheduler.Loop.Wake), so the change is seen at once
// rather than on the next tick.
type Provider interface {
	// Ensure starts serving the instance unless it is already served.
	// Failures are reported through Statuses (StateFailed), not returned.
	Ensure(r Request)
	// Release stops serving the instance: its runner stops (tasks still
	// running on it are the scheduler's to cancel first). Unknown refs are
	// ignored.
	Release(r Ref)
	// Statuses lists the instances served now, in any order.
	Statuses() []Status
}
