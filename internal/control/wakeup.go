package control

import "sync"

// wakeup lets idle PollForTask calls sleep until a task may be ready for
// their worker group. Notify wakes every waiter of a group at once; the
// waiters then race to claim in the store, which hands each task to one.
type wakeup struct {
	mu      sync.Mutex
	waiters map[string]chan struct{}
}

func newWakeup() *wakeup { return &wakeup{waiters: map[string]chan struct{}{}} }

// wait returns a channel closed at the next Notify for the group.
func (w *wakeup) wait(group string) <-chan struct{} {
	w.mu.Lock()
	defer w.mu.Unlock()
	ch, ok := w.waiters[group]
	if !ok {
		ch = make(chan struct{})
		w.waiters[group] = ch
	}
	return ch
}

// notify wakes the waiters of a group.
func (w *wakeup) notify(group string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if ch, ok := w.waiters[group]; ok {
		close(ch)
		delete(w.waiters, group)
	}
}

// NotifyTask wakes idle polls of a worker group: call it after queueing a
// task (the scheduler does, and so do tests).
func (s *Service) NotifyTask(workerGroup string) { s.tasks.notify(workerGroup) }
