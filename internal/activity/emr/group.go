package emr

import (
	"context"
	"errors"
	"sync"
)

// group runs goroutines that share a context; the first failure cancels
// it, and Wait returns that failure.
type group struct {
	ctx    context.Context
	cancel context.CancelCauseFunc
	wg     sync.WaitGroup
	once   sync.Once
	err    error
}

// newGroup returns a group whose context derives from ctx.
func newGroup(ctx context.Context) *group {
	ctx, cancel := context.WithCancelCause(ctx)
	return &group{ctx: ctx, cancel: cancel}
}

// Go runs f in a goroutine with the group's context.
func (g *group) Go(f func(ctx context.Context) error) {
	g.wg.Go(func() {
		if err := f(g.ctx); err != nil {
			g.once.Do(func() {
				g.err = err
				g.cancel(err)
			})
		}
	})
}

// Wait waits for every goroutine and returns the first failure. A
// failure that only echoes the group's cancellation is replaced by its
// cause.
func (g *group) Wait() error {
	g.wg.Wait()
	g.cancel(nil)
	if errors.Is(g.err, context.Canceled) {
		if cause := context.Cause(g.ctx); cause != nil && !errors.Is(cause, context.Canceled) {
			return cause
		}
	}
	return g.err
}
