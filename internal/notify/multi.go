package notify

import (
	"context"
	"errors"
	"sync"
)

// Multi is a Notifier that delivers each message to every Notifier in it.
//
// Notify calls every notifier concurrently with the same ctx and message,
// waits for all of them, and returns their errors joined with errors.Join
// in the order of the slice (nil when all succeeded). An empty Multi
// delivers nowhere and returns nil. A Multi is safe for concurrent use
// when its notifiers are; do not modify it while Notify runs.
type Multi []Notifier

var _ Notifier = Multi(nil)

// Notify delivers m to every notifier; see Multi.
func (ms Multi) Notify(ctx context.Context, m Message) error {
	errs := make([]error, len(ms))
	var wg sync.WaitGroup
	for i, n := range ms {
		wg.Go(func() { errs[i] = n.Notify(ctx, m) })
	}
	wg.Wait()
	return errors.Join(errs...)
}
