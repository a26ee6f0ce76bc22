package control

import (
	"context"
	"errors"
	"fmt"

	"github.com/datapipe/datapipe/internal/store"
)

// PollForStartedTask is PollForTask for a runner in this process, whose
// acknowledgement would follow the claim at once: the claim counts as the
// acknowledgement, so the task's lease runs for ProgressTimeout from the
// start. Its attempt stays WAITING_FOR_RUNNER in the store until the
// runner's first ReportTaskProgress, or until its SetTaskStatus, which
// then records the start (the claim's time and hostname) with the
// outcome. [I] A task of a few milliseconds thus costs no write for a
// RUNNING that nobody would see; the runner in this process decides how
// long it defers that report (taskrunner.LocalClient).
func (s *Service) PollForStartedTask(ctx context.Context, c Caller, workerGroup, hostname string) (*TaskObject, error) {
	return s.poll(ctx, c, workerGroup, hostname, s.claimNext(true))
}

// errClaim marks a failed claim inside SetTaskStatusAndPoll's
// transaction.
var errClaim = errors.New("claim the next task")

// SetTaskStatusAndPoll is SetTaskStatus followed, in the same
// transaction, by a claim like PollForStartedTask's, for a worker in this
// process that polls again as soon as it has reported: the outcome and
// the worker's next task share one commit. It returns the next task, or
// nil when none is queued; it never waits (the worker then polls). Its
// errors are SetTaskStatus'; when only the claim fails, the outcome is
// still recorded and the next task is nil.
func (s *Service) SetTaskStatusAndPoll(ctx context.Context, c Caller, in SetTaskStatusInput, workerGroup, hostname string) (*TaskObject, error) {
	if err := checkTaskStatus(in); err != nil {
		return nil, err
	}
	if workerGroup == "" {
		return nil, invalid("workerGroup must not be empty.")
	}
	var att store.Object
	var next store.Task
	err := s.store.WithSnapshotTx(ctx, func(q store.Queries) (err error) {
		if att, err = s.completeTask(ctx, q, c, in); err != nil {
			return err
		}
		next, err = q.TaskClaim(ctx, s.claimParams(c, workerGroup, hostname, true))
		if errors.Is(err, store.ErrNotFound) {
			next, err = store.Task{}, nil
		}
		if err != nil {
			return fmt.Errorf("%w: %w", errClaim, err) // rolled back, outcome and all
		}
		return nil
	})
	if errors.Is(err, errClaim) {
		s.log.WarnContext(ctx, "claiming with a task status failed; recording the status alone", "task_id", in.TaskID, "err", err)
		return nil, s.SetTaskStatus(ctx, c, in)
	}
	if err != nil {
		return nil, err
	}
	if att.ID != "" {
		s.cfg.OnAttempt(att, true)
	}
	if next.ID != "" {
		s.keepClaimed(next)
	}
	return s.handOutNext(ctx, next, hostname), nil
}

// handOutNext builds the task object of a task claimed with a status
// report; nil when there is none or it cannot be built (handOut failed
// it).
func (s *Service) handOutNext(ctx context.Context, t store.Task, hostname string) *TaskObject {
	if t.ID == "" {
		return nil
	}
	to, _ := s.handOut(ctx, t, hostname)
	return to
}
