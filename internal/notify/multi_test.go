package notify

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
)

func TestMulti_Notify(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		var calls atomic.Int32
		count := notifierFunc(func(context.Context, Message) error { calls.Add(1); return nil })
		if err := (Multi{count, count, count}).Notify(t.Context(), testMessage("x")); err != nil {
			t.Fatalf("Notify: %v", err)
		}
		if calls.Load() != 3 {
			t.Errorf("delivered to %d notifiers, want 3", calls.Load())
		}
	})
	t.Run("OKEmpty", func(t *testing.T) {
		if err := (Multi{}).Notify(t.Context(), testMessage("x")); err != nil {
			t.Errorf("Notify: %v", err)
		}
	})
	t.Run("ErrJoined", func(t *testing.T) {
		errA, errB := errors.New("a failed"), errors.New("b failed")
		var delivered atomic.Bool
		m := Multi{
			notifierFunc(func(context.Context, Message) error { return errA }),
			notifierFunc(func(context.Context, Message) error { delivered.Store(true); return nil }),
			notifierFunc(func(context.Context, Message) error { return errB }),
		}
		err := m.Notify(t.Context(), testMessage("x"))
		if !errors.Is(err, errA) || !errors.Is(err, errB) {
			t.Errorf("Notify = %v, want both errors", err)
		}
		if err != nil && err.Error() != "a failed\nb failed" {
			t.Errorf("Notify = %q, want the errors in order", err)
		}
		if !delivered.Load() {
			t.Error("a failing notifier stopped delivery to the others")
		}
	})
}
