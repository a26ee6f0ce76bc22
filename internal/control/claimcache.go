package control

import (
	"sync"

	"github.com/datapipe/datapipe/internal/store"
)

// maxClaimed bounds the attempts a claimCache keeps. Entries of tasks
// that are never reported (their runner died; the scheduler rescues the
// task) are only dropped when the cache is emptied at the bound.
const maxClaimed = 10_000

// claimCache keeps the attempt of each task queued by the scheduler in
// this process (Queued) or claimed by a runner in it (PollForStartedTask,
// SetTaskStatusAndPoll), as stored then, until the task's report. The
// claim then takes the attempt from here instead of reading it (where
// the store would read it in a statement of its own), and the report
// writes the outcome without reading it again: its update names the
// revision it saw, and an attempt changed meanwhile (a cancellation, a
// timeout) is read after all. [I] Up to two statements less per task.
type claimCache struct {
	mu       sync.Mutex
	attempts map[string]store.Object // by task id
}

// put records a claimed task's attempt.
func (c *claimCache) put(taskID string, att store.Object) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.attempts == nil || len(c.attempts) >= maxClaimed {
		c.attempts = map[string]store.Object{}
	}
	c.attempts[taskID] = att
}

// update replaces a task's attempt, if it is kept, after a report
// changed it.
func (c *claimCache) update(taskID string, att store.Object) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.attempts[taskID]; ok {
		c.attempts[taskID] = att
	}
}

// peek returns a task's attempt, kept.
func (c *claimCache) peek(taskID string) (store.Object, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	att, ok := c.attempts[taskID]
	return att, ok
}

// take removes and returns a task's attempt.
func (c *claimCache) take(taskID string) (store.Object, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	att, ok := c.attempts[taskID]
	delete(c.attempts, taskID)
	return att, ok
}
