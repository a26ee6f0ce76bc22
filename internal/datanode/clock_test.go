package datanode_test

import (
	"context"
	"testing"
	"time"

	"github.com/datapipe/datapipe/internal/datanode"
)

// fakeClock advances only when slept on.
type fakeClock struct {
	now   time.Time
	slept time.Duration
}

func (c *fakeClock) Now() time.Time { return c.now }

func (c *fakeClock) Sleep(_ context.Context, d time.Duration) error {
	c.now = c.now.Add(d)
	c.slept += d
	return nil
}

func TestLimiter_Wait(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		clock := &fakeClock{now: time.Unix(0, 0)}
		l := datanode.NewLimiter(clock, 10) // 10 units/s, burst 10
		ctx := context.Background()
		for range 6 {
			if err := l.Wait(ctx); err != nil {
				t.Fatal(err)
			}
			l.Spend(5)
		}
		// 30 units at 10/s with a 10-unit burst, the last 5 still owed: 1.5 s.
		if clock.slept < 1450*time.Millisecond || clock.slept > 1550*time.Millisecond {
			t.Errorf("slept %v, want about 1.5s", clock.slept)
		}
	})
	t.Run("OKNil", func(t *testing.T) {
		var l *datanode.Limiter = datanode.NewLimiter(&fakeClock{}, 0)
		if l != nil || l.Wait(context.Background()) != nil || l.Rate() != 0 {
			t.Error("a zero rate should not limit")
		}
		l.Spend(1)
	})
}
