package storetest

import (
	"testing"

	"github.com/datapipe/datapipe/internal/store"
)

// Opener returns a fresh, empty store isolated from every other store it
// returned, and arranges for it to be closed when t ends.
type Opener = func(t *testing.T) store.Store

// group is one method's (or one concern's) subtests.
type group struct {
	name string
	run  func(t *testing.T, open Opener)
}

// groups lists the suite's groups in the order they run.
func groups() []group {
	return []group{
		{"Pipeline_Create", testPipelineCreate},
		{"Pipeline_Get", testPipelineGet},
		{"Pipeline_List", testPipelineList},
		{"Pipeline_Count", testPipelineCount},
		{"Pipeline_ListByState", testPipelineListByState},
		{"Pipeline_ScheduleFrom", testPipelineScheduleFrom},
		{"Pipeline_Update", testPipelineUpdate},
		{"Pipeline_Delete", testPipelineDelete},
		{"Definition_Put", testDefinitionPut},
		{"Definition_Get", testDefinitionGet},
		{"Object_Create", testObjectCreate},
		{"Object_Get", testObjectGet},
		{"Object_Update", testObjectUpdate},
		{"Object_UpdateAll", testObjectUpdateAll},
		{"Object_Query", testObjectQuery},
		{"Task_Create", testTaskCreate},
		{"Task_CreateAll", testTaskCreateAll},
		{"Task_Get", testTaskGet},
		{"Task_Claim", testTaskClaim},
		{"Task_ClaimConcurrent", testTaskClaimConcurrent},
		{"Task_Extend", testTaskExtend},
		{"Task_Complete", testTaskComplete},
		{"Task_WithAttempt", testTaskWithAttempt},
		{"Task_Cancel", testTaskCancel},
		{"Task_ListExpired", testTaskListExpired},
		{"Task_Expire", testTaskExpire},
		{"Runner_Heartbeat", testRunnerHeartbeat},
		{"Runner_List", testRunnerList},
		{"Lease_Acquire", testLeaseAcquire},
		{"Lease_Release", testLeaseRelease},
		{"Store_WithTx", testWithTx},
		{"Store_WithSnapshotTx", testWithSnapshotTx},
		{"Time_RoundTrip", testTimeRoundTrip},
	}
}

// Run runs the conformance suite against the stores open returns. open is
// called once per leaf subtest and must return a fresh, empty, isolated
// store (see Opener); Run never closes it.
func Run(t *testing.T, open func(t *testing.T) store.Store) {
	for _, g := range groups() {
		t.Run(g.name, func(t *testing.T) { g.run(t, open) })
	}
}
