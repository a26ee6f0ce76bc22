package datanode

import (
	"context"
	"time"
)

// Clock is the time source of rate limits and retry back-offs, so tests
// can run them on a fake clock instead of sleeping.
type Clock interface {
	Now() time.Time
	// Sleep waits d or until ctx is done (then it returns ctx's error).
	Sleep(ctx context.Context, d time.Duration) error
}

// SystemClock is the real Clock.
type SystemClock struct{}

// Now returns time.Now().
func (SystemClock) Now() time.Time { return time.Now() }

// Sleep waits d or until ctx is done.
func (SystemClock) Sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Limiter is a token bucket of capacity units per second, which a
// caller spends after each request (DynamoDB reports what a request
// consumed only afterwards). Wait blocks until the balance is positive.
// A nil *Limiter does not limit. It is safe for concurrent use.
type Limiter struct {
	clock  Clock
	rate   float64
	tokens float64
	last   time.Time
	mu     chanMutex
}

// chanMutex is a mutex that does not block a goroutine's sleep on it.
type chanMutex chan struct{}

// NewLimiter returns a limiter of rate units per second (burst: one
// second's worth); nil when rate <= 0.
func NewLimiter(clock Clock, rate float64) *Limiter {
	if rate <= 0 {
		return nil
	}
	return &Limiter{clock: clock, rate: rate, tokens: rate, last: clock.Now(), mu: make(chanMutex, 1)}
}

// Rate returns the units per second (0 for nil).
func (l *Limiter) Rate() float64 {
	if l == nil {
		return 0
	}
	return l.rate
}

// Wait blocks until the balance is positive.
func (l *Limiter) Wait(ctx context.Context) error { return l.Take(ctx, 0) }

// Take blocks until the balance is positive, then spends units at once:
// concurrent callers reserve their estimated cost before their requests
// and settle the difference with Spend afterwards.
func (l *Limiter) Take(ctx context.Context, units float64) error {
	if l == nil {
		return nil
	}
	for {
		l.mu <- struct{}{}
		l.refill()
		deficit := -l.tokens
		if deficit < 0 {
			l.tokens -= units
		}
		<-l.mu
		if deficit < 0 {
			return nil
		}
		d := time.Duration((deficit + 1e-9) / l.rate * float64(time.Second))
		if err := l.clock.Sleep(ctx, max(d, time.Millisecond)); err != nil {
			return err
		}
	}
}

// Spend takes units from the balance (it may go negative; negative
// units give back).
func (l *Limiter) Spend(units float64) {
	if l == nil {
		return
	}
	l.mu <- struct{}{}
	l.refill()
	l.tokens -= units
	<-l.mu
}

// refill adds what accrued since the last refill, up to one second's.
func (l *Limiter) refill() {
	now := l.clock.Now()
	l.tokens = min(l.rate, l.tokens+now.Sub(l.last).Seconds()*l.rate)
	l.last = now
}
