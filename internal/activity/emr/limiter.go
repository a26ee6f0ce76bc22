package emr

import (
	"context"
	"math"
	"sync"
	"time"
)

// limiter paces requests to a capacity-unit rate shared by the workers
// of one step: a worker waits until the budget is out of debt, sends its
// request, then spends what the request consumed. The budget refills
// at rate units a second up to one second's worth, so a burst never
// exceeds the rate by more than one request per worker.
type limiter struct {
	rate  float64
	now   func() time.Time
	sleep func(context.Context, time.Duration) error

	mu    sync.Mutex
	avail float64
	last  time.Time
}

// newLimiter returns a limiter of rate units per second (at least 1).
func newLimiter(rate float64, now func() time.Time, sleep func(context.Context, time.Duration) error) *limiter {
	rate = math.Max(rate, 1)
	return &limiter{rate: rate, now: now, sleep: sleep, avail: rate, last: now()}
}

// wait blocks until the budget is not in debt, or ctx ends.
func (l *limiter) wait(ctx context.Context) error {
	for {
		debt := l.debt()
		if debt <= 0 {
			return ctx.Err()
		}
		if err := l.sleep(ctx, time.Duration(debt/l.rate*float64(time.Second))); err != nil {
			return err
		}
	}
}

// debt refills the budget and returns how far it is below zero.
func (l *limiter) debt() float64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.refill()
	return -l.avail
}

// spend refills the budget, then takes units off it.
func (l *limiter) spend(units float64) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.refill()
	l.avail -= units
}

// refill adds what the time since the last refill earned, up to one
// second's worth. l.mu is held.
func (l *limiter) refill() {
	now := l.now()
	if el := now.Sub(l.last).Seconds(); el > 0 {
		l.avail = math.Min(l.rate, l.avail+el*l.rate)
	}
	l.last = now
}
