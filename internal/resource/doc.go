// Package resource is the port through which datapipe provisions the
// runners behind runsOn resources (Ec2Resource, EmrCluster).
//
// Every resource instance (one per interval of the resource's schedule,
// objects.md §9.4) gets its own internal worker group, named by
// scheduler.ResourceGroup(pipeline, instance). The scheduler queues there
// the tasks of every activity instance (and precondition check) that runs
// on that resource instance, and drives the instance's lifecycle:
//
//	WAITING_ON_DEPENDENCIES → CREATING   a dependent became ready: Ensure
//	CREATING → RUNNING                   Statuses reports StateRunning
//	RUNNING → SHUTTING_DOWN              every dependent is terminal: Release
//	SHUTTING_DOWN → FINISHED             Statuses no longer lists it
//	CREATING/RUNNING → TIMEDOUT          terminateAfter passed: Release
//	CREATING/RUNNING → FAILED            Statuses reports StateFailed: Release
//
// A Provider makes sure something polls the group between Ensure and
// Release: the local provider (resource/local) starts an in-process task
// runner; providers that start containers (Kubernetes) or EC2 instances
// implement the same interface, running `datapipe taskrunner
// --worker-group GROUP` on what they start.
package resource
