package control

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/datapipe/datapipe/internal/pipeline"
	"github.com/datapipe/datapipe/internal/schedule"
	"github.com/datapipe/datapipe/internal/store"
)

// recheckEvery bounds how long an idle poll sleeps between claims when no
// in-process wake-up arrives: it covers tasks queued by another replica
// and tasks whose retry delay has just passed.
const recheckEvery = time.Second

// PollForTask claims the next task of a worker group and returns it with
// every object it needs. An idle poll sleeps until a task is queued for the
// group (NotifyTask wakes it at once), PollWait passes, or ctx ends; then
// it returns nil. An empty worker group is InvalidRequestException.
func (s *Service) PollForTask(ctx context.Context, c Caller, workerGroup, hostname string) (*TaskObject, error) {
	return s.poll(ctx, c, workerGroup, hostname, s.claimNext(false))
}

// claimFunc claims one task: nil, nil when none is available.
type claimFunc func(ctx context.Context, c Caller, group, hostname string) (*TaskObject, error)

// poll claims with claim until a task comes or the poll's wait ends.
func (s *Service) poll(ctx context.Context, c Caller, workerGroup, hostname string, claim claimFunc) (*TaskObject, error) {
	if workerGroup == "" {
		return nil, invalid("workerGroup must not be empty.")
	}
	deadline := time.NewTimer(s.cfg.PollWait)
	defer deadline.Stop()
	for {
		wake := s.tasks.wait(workerGroup)
		to, err := claim(ctx, c, workerGroup, hostname)
		if to != nil || err != nil {
			return to, err
		}
		select {
		case <-wake:
		case <-time.After(recheckEvery):
		case <-deadline.C:
			return nil, nil
		case <-ctx.Done():
			return nil, nil
		}
	}
}

// claimNext returns the claim of the next task: it claims tasks until one
// yields a task object; a task whose attempt can no longer be built
// (deleted objects, evaluation errors) is failed and skipped. The claim
// returns nil, nil when no task is available. An acked claim is
// PollForStartedTask's.
func (s *Service) claimNext(acked bool) claimFunc {
	return func(ctx context.Context, c Caller, group, hostname string) (*TaskObject, error) {
		for {
			t, err := s.store.TaskClaim(ctx, s.claimParams(c, group, hostname, acked))
			if errors.Is(err, store.ErrNotFound) {
				return nil, nil
			}
			if err != nil {
				return nil, fmt.Errorf("poll for task in %q: %w", group, err)
			}
			if acked {
				s.keepClaimed(t)
			}
			if to, ok := s.handOut(ctx, t, hostname); ok {
				return to, nil
			}
		}
	}
}

// keepClaimed records the attempt of a task queued or claimed in this
// process, for its claim and its report (see claimCache).
func (s *Service) keepClaimed(t store.Task) {
	if t.Attempt != nil {
		s.claimed.put(t.ID, *t.Attempt)
	}
}

// claimParams claim a task of group for hostname, with its attempt; the
// lease runs for AckTimeout, or for ProgressTimeout when the claim counts
// as the acknowledgement (acked).
func (s *Service) claimParams(c Caller, group, hostname string, acked bool) store.TaskClaimParams {
	now, lease := s.now(), s.cfg.AckTimeout
	if acked {
		lease = s.cfg.ProgressTimeout
	}
	return store.TaskClaimParams{AccountID: c.AccountID, WorkerGroup: group, Owner: hostname, Now: now,
		LeaseUntil: now.Add(lease), Acked: acked, WithAttempt: true, KnownAttempt: s.claimed.peek}
}

// Queued tells the service about tasks the scheduler in this process has
// just queued, each with its attempt as stored (Task.Attempt): their
// claims and reports need not read the attempts (see claimCache).
func (s *Service) Queued(tasks []store.Task) {
	for _, t := range tasks {
		s.keepClaimed(t)
	}
}

// handOut builds a claimed task's object; a task that cannot be built is
// failed, and ok is false.
func (s *Service) handOut(ctx context.Context, t store.Task, hostname string) (*TaskObject, bool) {
	to, err := s.startAttempt(ctx, t, hostname)
	if err == nil {
		return to, true
	}
	s.log.WarnContext(ctx, "task skipped", "pipeline_id", t.PipelineID, "attempt_id", t.AttemptID, "err", err)
	s.failTask(ctx, t, err)
	return nil, false
}

// startAttempt builds the task object of a claimed task. The claim is
// recorded on the attempt (its actual start and hostname) only with the
// acknowledgement (recordProgress), from the task row, which already
// holds both: a poll costs one write, the claim. The runner's copy shows
// them already.
func (s *Service) startAttempt(ctx context.Context, t store.Task, hostname string) (*TaskObject, error) {
	if t.Attempt == nil {
		return nil, fmt.Errorf("attempt %s no longer exists", t.AttemptID)
	}
	att := *t.Attempt
	claimed(&att, t)
	return s.taskObject(ctx, t, att)
}

// claimed sets an attempt's actual start and hostname from its task's
// claim, unless already set.
func claimed(att *store.Object, t store.Task) {
	if att.ActualStart.IsZero() {
		att.ActualStart = t.ClaimedAt
	}
	if t.Owner != "" {
		att.Fields = setField(att.Fields, "hostname", t.Owner)
	}
}

// attempt reads a task's attempt.
func (s *Service) attempt(ctx context.Context, t store.Task) (store.Object, error) {
	att, err := readAttempt(ctx, s.store, t)
	if err == nil && att == nil {
		err = fmt.Errorf("attempt %s no longer exists", t.AttemptID)
	}
	if err != nil {
		return store.Object{}, err
	}
	return *att, nil
}

// failTask ends a task that cannot be handed out and fails its attempt
// with the reason.
func (s *Service) failTask(ctx context.Context, t store.Task, cause error) {
	s.claimed.take(t.ID)
	_, _ = s.store.TaskComplete(ctx, store.TaskCompleteParams{ID: t.ID})
	att, err := s.attempt(ctx, t)
	if err != nil {
		return
	}
	att.Status, att.ActualEnd = pipeline.StatusFailed, s.now()
	att.Fields = setField(att.Fields, "errorId", "DatapipeTaskError")
	att.Fields = setField(att.Fields, "errorMessage", cause.Error())
	if out, err := s.store.ObjectUpdate(ctx, store.ObjectUpdateParams{Object: att}); err == nil {
		s.cfg.OnAttempt(out, true)
	}
}

// ReportTaskProgress acknowledges or renews a task's lease and records the
// fields on the attempt (the first report moves it to RUNNING). canceled
// tells the runner to stop: the attempt is then CANCELED and the task
// ends. TaskNotFoundException when the task is unknown, done, or its lease
// was lost.
func (s *Service) ReportTaskProgress(ctx context.Context, c Caller, taskID string, fields []pipeline.Field) (bool, error) {
	now := s.now()
	var t store.Task
	var att store.Object
	first := false
	// Every row the report reads it writes (the task, the attempt by
	// revision): snapshot isolation loses nothing here.
	err := s.store.WithSnapshotTx(ctx, func(q store.Queries) error {
		var err error
		t, err = q.TaskExtend(ctx, store.TaskExtendParams{ID: taskID, Now: now, LeaseUntil: now.Add(s.cfg.ProgressTimeout),
			WithAttempt: true})
		if err == nil && t.AccountID != c.AccountID {
			err = store.ErrNotFound
		}
		if err != nil {
			return taskErr("report progress", taskID, err)
		}
		if t.Canceled {
			return errCanceled // rolled back: endCanceled ends the task
		}
		att, first, err = s.recordProgress(ctx, q, t, fields)
		return err
	})
	if errors.Is(err, errCanceled) {
		return true, s.endCanceled(ctx, t)
	}
	if err == nil {
		s.claimed.update(taskID, att)
	}
	if err == nil && first {
		s.cfg.OnAttempt(att, false)
	}
	return false, err
}

// errCanceled rolls back a progress report on a canceled task.
var errCanceled = errors.New("task canceled")

// recordProgress stores reported fields and the progress time on the
// attempt, in the transaction that renewed the lease; the first report
// (the acknowledgement) also moves the attempt to RUNNING, and first says
// so. The lease is checked and renewed in the same statement, so a task
// costs no separate read.
func (s *Service) recordProgress(ctx context.Context, q store.Queries, t store.Task, fields []pipeline.Field) (att store.Object, first bool, err error) {
	if t.Attempt == nil {
		return att, false, fmt.Errorf("attempt %s no longer exists", t.AttemptID)
	}
	att = *t.Attempt
	if first = att.Status == pipeline.StatusWaitingForRunner; first {
		att.Status = pipeline.StatusRunning
		claimed(&att, t)
	}
	for _, f := range fields {
		att.Fields = setField(att.Fields, f.Key, f.Value)
	}
	att.Fields = setField(att.Fields, "reportProgressTime", schedule.FormatDateTime(s.now()))
	att, err = q.ObjectUpdate(ctx, store.ObjectUpdateParams{Object: att})
	return att, first, err
}

// endCanceled finishes a canceled task: the runner will not report again.
func (s *Service) endCanceled(ctx context.Context, t store.Task) error {
	s.claimed.take(t.ID)
	if _, err := s.store.TaskComplete(ctx, store.TaskCompleteParams{ID: t.ID}); err != nil && !errors.Is(err, store.ErrNotFound) {
		return err
	}
	att, err := s.attempt(ctx, t)
	if err != nil || att.Status.Terminal() {
		return nil // the pipeline was deleted, or the scheduler ended the attempt (attemptTimeout, its resource)
	}
	att.Status, att.ActualEnd = pipeline.StatusCanceled, s.now()
	out, err := s.store.ObjectUpdate(ctx, store.ObjectUpdateParams{Object: att})
	if err != nil {
		return err
	}
	s.cfg.OnAttempt(out, true)
	return nil
}

// SetTaskStatus records a task's outcome on its attempt: FINISHED, FAILED
// (with the error fields), or FALSE (a precondition that did not hold:
// the attempt FINISHED with preconditionResult false).
// TaskNotFoundException for an unknown or already reported task;
// InvalidRequestException for an errorId starting with "Service_" or an
// unknown status.
func (s *Service) SetTaskStatus(ctx context.Context, c Caller, in SetTaskStatusInput) error {
	if err := checkTaskStatus(in); err != nil {
		return err
	}
	var att store.Object
	// As in ReportTaskProgress, the report writes what it reads; an
	// attempt already ended, left as it is, cannot start again.
	err := s.store.WithSnapshotTx(ctx, func(q store.Queries) (err error) {
		att, err = s.completeTask(ctx, q, c, in)
		return err
	})
	if err == nil && att.ID != "" {
		s.cfg.OnAttempt(att, true)
	}
	return err
}

// checkTaskStatus validates a SetTaskStatus request.
func checkTaskStatus(in SetTaskStatusInput) error {
	if strings.HasPrefix(in.ErrorID, "Service_") {
		return invalid("errorId %q is reserved: ids starting with Service_ belong to the service.", in.ErrorID)
	}
	switch in.Status {
	case pipeline.TaskFinished, pipeline.TaskFailed, pipeline.TaskFalse:
		return nil
	}
	return invalid("taskStatus %q is not valid: use FINISHED, FAILED or FALSE.", in.Status)
}

// completeTask ends the caller's task and records the outcome on its
// attempt, which it returns as stored (zero when the pipeline is gone).
// The attempt kept from the claim, if any, spares reading it; its update
// names the revision seen, and the attempt is read after all when it
// changed meanwhile.
func (s *Service) completeTask(ctx context.Context, q store.Queries, c Caller, in SetTaskStatusInput) (store.Object, error) {
	kept, ok := s.claimed.take(in.TaskID)
	t, err := q.TaskComplete(ctx, store.TaskCompleteParams{ID: in.TaskID, WithAttempt: !ok})
	if err == nil && t.AccountID != c.AccountID {
		err = store.ErrNotFound // rolled back: another account's task
	}
	if err != nil {
		return store.Object{}, taskErr("set task status", in.TaskID, err)
	}
	if !ok {
		return s.finishAttempt(ctx, q, t, in)
	}
	t.Attempt = &kept
	att, err := s.finishAttempt(ctx, q, t, in)
	if errors.Is(err, store.ErrConflict) || errors.Is(err, store.ErrNotFound) {
		if t.Attempt, err = readAttempt(ctx, q, t); err == nil {
			att, err = s.finishAttempt(ctx, q, t, in)
		}
	}
	return att, err
}

// readAttempt reads a task's attempt: nil when it no longer exists.
func readAttempt(ctx context.Context, q store.Queries, t store.Task) (*store.Object, error) {
	objs, err := q.ObjectGet(ctx, store.ObjectGetParams{PipelineID: t.PipelineID, IDs: []string{t.AttemptID}})
	if err != nil {
		return nil, fmt.Errorf("read attempt %s: %w", t.AttemptID, err)
	}
	if len(objs) == 0 {
		return nil, nil
	}
	return &objs[0], nil
}

// finishAttempt writes the outcome on the attempt and returns it as
// stored (zero when the pipeline is gone).
func (s *Service) finishAttempt(ctx context.Context, q store.Queries, t store.Task, in SetTaskStatusInput) (store.Object, error) {
	if t.Attempt == nil {
		return store.Object{}, nil
	}
	att := *t.Attempt
	if att.Status.Terminal() {
		return att, nil // the scheduler ended it first (attemptTimeout, its resource): a late report changes nothing
	}
	if att.Status == pipeline.StatusWaitingForRunner { // never acknowledged: it started at the claim
		claimed(&att, t)
	}
	for _, f := range in.Fields {
		att.Fields = setField(att.Fields, f.Key, f.Value)
	}
	att.Status, att.ActualEnd = pipeline.StatusFinished, s.now()
	switch in.Status {
	case pipeline.TaskFailed:
		att.Status = pipeline.StatusFailed
	case pipeline.TaskFalse:
		att.Fields = setField(att.Fields, "preconditionResult", "false")
	}
	for key, v := range map[string]string{"errorId": in.ErrorID, "errorMessage": in.ErrorMessage, "errorStackTrace": in.ErrorStackTrace} {
		if v != "" {
			att.Fields = setField(att.Fields, key, v)
		}
	}
	return q.ObjectUpdate(ctx, store.ObjectUpdateParams{Object: att, ExpectRevision: att.Revision})
}

// ReportTaskRunnerHeartbeat records a runner; terminate asks it to stop.
func (s *Service) ReportTaskRunnerHeartbeat(ctx context.Context, c Caller, in HeartbeatInput) (bool, error) {
	r, err := s.store.RunnerHeartbeat(ctx, store.RunnerHeartbeatParams{AccountID: c.AccountID, ID: in.TaskRunnerID,
		WorkerGroup: in.WorkerGroup, Hostname: in.Hostname, Now: s.now()})
	if err != nil {
		return false, fmt.Errorf("heartbeat of %s: %w", in.TaskRunnerID, err)
	}
	return r.Terminate, nil
}

// setField replaces the first field with the key (dropping any others) or
// appends it.
func setField(fs []pipeline.Field, key, value string) []pipeline.Field {
	out := make([]pipeline.Field, 0, len(fs)+1)
	done := false
	for _, f := range fs {
		if f.Key != key {
			out = append(out, f)
		} else if !done {
			out, done = append(out, pipeline.String(key, value)), true
		}
	}
	if !done {
		out = append(out, pipeline.String(key, value))
	}
	return out
}
