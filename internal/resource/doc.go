// Package resource is the port through which datapipe provisions the
// runners behind runsOn resources (Ec2Resource, EmrCluster).
//
// The scheduler queues the tasks of an activity that runs on resource R in
// the internal worker group scheduler.ResourceGroup(R) ("resource:R"). A
// Provider makes sure something polls that group: the local provider
// (resource/local) starts an in-process task runner; providers that start
// containers or EC2 instances can implement the same interface.
package resource

// Provider provisions runners for resource worker groups.
type Provider interface {
	// Ensure makes sure a runner serves group for the account from now on.
	// The scheduler calls it whenever it queues tasks in a resource group,
	// so it must be cheap when the group is already served, and it must
	// not block. Provisioning failures are the provider's to log: the
	// tasks stay queued and their leases rules apply.
	Ensure(accountID, group string)
}
