package taskrunner

import (
	"context"
	"errors"
	"fmt"

	"github.com/datapipe/datapipe/internal/activity"
	"github.com/datapipe/datapipe/internal/schedule"
)

// armTimeout starts the attempt's attemptTimeout, which cancels the
// execution with an AttemptTimeout *activity.Error as the cause. It
// returns the function that disarms it; a malformed period fails the
// attempt with InvalidTask.
func (a *attempt) armTimeout(cancel context.CancelCauseFunc) (func(), error) {
	v, _ := a.task.Field("attemptTimeout")
	if v == "" {
		return func() {}, nil
	}
	p, err := schedule.ParsePeriod(v)
	if err != nil {
		return nil, activity.Errorf(activity.IDInvalidTask, "attemptTimeout: %v", err)
	}
	now := a.r.cfg.Clock.Now()
	cause := activity.Errorf(activity.IDAttemptTimeout, "the attempt did not finish within its attemptTimeout of %s", p)
	stop := a.r.cfg.Clock.AfterFunc(p.AddTo(now, 1).Sub(now), func() { cancel(cause) })
	return func() { stop() }, nil
}

// withTimeoutCause makes sure an execution that failed because its
// attemptTimeout passed reports AttemptTimeout, even when the executor
// returned the bare context error.
func withTimeoutCause(err, cause error) error {
	var timeout *activity.Error
	if err == nil || !errors.As(cause, &timeout) || timeout.ID != activity.IDAttemptTimeout {
		return err
	}
	if activity.AsError(err).ID == activity.IDAttemptTimeout {
		return err
	}
	return fmt.Errorf("%w (%v)", timeout, err)
}
