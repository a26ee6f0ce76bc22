package scheduler

import (
	"context"
	"errors"
	"fmt"

	"github.com/datapipe/datapipe/internal/pipeline"
	"github.com/datapipe/datapipe/internal/store"
)

// rescue ends the tasks whose lease expired (a runner that died, or never
// acknowledged) and fails their attempts, so the planner retries them.
func (l *Loop) rescue(ctx context.Context) error {
	expired, err := l.cfg.Store.TaskListExpired(ctx, store.TaskListExpiredParams{Now: l.now(), Limit: 500})
	if err != nil {
		return fmt.Errorf("list expired tasks: %w", err)
	}
	for _, t := range expired {
		if err := l.expire(ctx, t); err != nil && !errors.Is(err, store.ErrConflict) {
			return err
		}
		l.markDirty(t.PipelineID, []string{t.AttemptID})
	}
	return nil
}

// expire ends one lease and fails its attempt with the reason.
func (l *Loop) expire(ctx context.Context, t store.Task) error {
	return l.cfg.Store.WithTx(ctx, func(q store.Queries) error {
		if _, err := q.TaskExpire(ctx, store.TaskExpireParams{ID: t.ID, Now: l.now()}); err != nil {
			return err
		}
		atts, err := q.ObjectGet(ctx, store.ObjectGetParams{PipelineID: t.PipelineID, IDs: []string{t.AttemptID}})
		if err != nil || len(atts) == 0 || atts[0].Status.Terminal() {
			return err
		}
		a := atts[0]
		id, msg := "LeaseExpired", "the task runner stopped reporting progress (reportProgressTimeout passed)"
		if !t.Acked {
			id, msg = "AckTimeout", "the task runner did not acknowledge the task in time"
		}
		if a.ActualStart.IsZero() { // never acknowledged: started at the claim
			a.ActualStart = t.ClaimedAt
		}
		a.Status, a.ActualEnd, a.UpdatedAt = pipeline.StatusFailed, l.now(), l.now()
		a.Fields = setFields(a.Fields, map[string]string{"errorId": id, "errorMessage": msg})
		_, err = q.ObjectUpdate(ctx, store.ObjectUpdateParams{Object: a})
		return err
	})
}
