package emr

import (
	"context"
	"testing"
	"time"
)

// fakeClock is a clock whose sleeps advance it.
type fakeClock struct {
	now   time.Time
	slept []time.Duration
}

func (c *fakeClock) Now() time.Time { return c.now }

func (c *fakeClock) Sleep(_ context.Context, d time.Duration) error {
	c.slept = append(c.slept, d)
	c.now = c.now.Add(d)
	return nil
}

func TestLimiter_Wait(t *testing.T) {
	ctx := context.Background()
	t.Run("OK", func(t *testing.T) {
		clk := &fakeClock{now: time.Unix(0, 0)}
		l := newLimiter(10, clk.Now, clk.Sleep)
		if err := l.wait(ctx); err != nil || len(clk.slept) != 0 {
			t.Fatalf("first wait slept %v, %v; want no sleep", clk.slept, err)
		}
		l.spend(30) // 10 available: 20 in debt, 2 s at 10 units/s
		if err := l.wait(ctx); err != nil {
			t.Fatal(err)
		}
		if len(clk.slept) != 1 || clk.slept[0] != 2*time.Second {
			t.Fatalf("slept %v; want [2s]", clk.slept)
		}
	})
	t.Run("OKRefillCapped", func(t *testing.T) {
		clk := &fakeClock{now: time.Unix(0, 0)}
		l := newLimiter(5, clk.Now, clk.Sleep)
		clk.now = clk.now.Add(time.Hour) // an idle hour saves one second's worth
		l.spend(10)
		if err := l.wait(ctx); err != nil || len(clk.slept) != 1 || clk.slept[0] != time.Second {
			t.Fatalf("slept %v, %v; want [1s]", clk.slept, err)
		}
	})
	t.Run("ErrCanceled", func(t *testing.T) {
		clk := &fakeClock{now: time.Unix(0, 0)}
		l := newLimiter(1, clk.Now, sleep)
		l.spend(100)
		ctx, cancel := context.WithCancel(ctx)
		cancel()
		if err := l.wait(ctx); err == nil {
			t.Fatal("want the context's error")
		}
	})
}
