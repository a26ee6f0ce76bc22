package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/datapipe/datapipe/internal/store"
)

// taskCols are the columns scanTask reads, in order.
const taskCols = `id, account_id, pipeline_id, attempt_id, worker_group, state, available_at, owner,
	lease_expires_at, acked, canceled, created_at, claimed_at, version`

// scanTask reads one row of taskCols.
func scanTask(s scanner) (store.Task, error) {
	var t store.Task
	var avail, lease, created, claimed sql.NullInt64
	err := s.Scan(&t.ID, &t.AccountID, &t.PipelineID, &t.AttemptID, &t.WorkerGroup, &t.State, &avail, &t.Owner,
		&lease, &t.Acked, &t.Canceled, &created, &claimed, &t.Version)
	t.AvailableAt, t.LeaseExpiresAt = fromMillis(avail), fromMillis(lease)
	t.CreatedAt, t.ClaimedAt = fromMillis(created), fromMillis(claimed)
	return t, err
}

// TaskCreate queues p.Task: its State is QUEUED, and Owner, lease, Acked,
// Canceled and ClaimedAt start empty. A task id already used is
// store.ErrConflict, an unknown pipeline store.ErrNotFound.
func (q queries) TaskCreate(ctx context.Context, p store.TaskCreateParams) (store.Task, error) {
	in := p.Task
	t, err := scanTask(q.x.QueryRowContext(ctx, `INSERT INTO tasks (id, account_id, pipeline_id, attempt_id,
		worker_group, state, available_at, created_at, version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING `+taskCols,
		in.ID, in.AccountID, in.PipelineID, in.AttemptID, in.WorkerGroup, store.TaskQueued,
		millis(in.AvailableAt), millis(in.CreatedAt), in.Version))
	if err != nil {
		return store.Task{}, fmt.Errorf("task create %s: %w", in.ID, classify(err))
	}
	return t, nil
}

// TaskCreateAll queues every task as TaskCreate does, all or none (in a
// savepoint).
func (q queries) TaskCreateAll(ctx context.Context, p store.TaskCreateAllParams) error {
	return q.savepoint(ctx, "task_create_all", func() error {
		return insertRows(ctx, q.x, `INSERT INTO tasks (id, account_id, pipeline_id, attempt_id,
			worker_group, state, available_at, created_at, version)`, "(?, ?, ?, ?, ?, ?, ?, ?, ?)", len(p.Tasks),
			func(i int) ([]any, error) {
				t := p.Tasks[i]
				return []any{t.ID, t.AccountID, t.PipelineID, t.AttemptID, t.WorkerGroup, store.TaskQueued,
					millis(t.AvailableAt), millis(t.CreatedAt), t.Version}, nil
			},
			func(i int, err error) error { return fmt.Errorf("task create %s: %w", p.Tasks[i].ID, err) })
	})
}

// TaskGet reads a task: store.ErrNotFound when unknown.
func (q queries) TaskGet(ctx context.Context, id string) (store.Task, error) {
	t, err := scanTask(q.x.QueryRowContext(ctx, `SELECT `+taskCols+` FROM tasks WHERE id = ?`, id))
	return taskResult("task get", id, err, t)
}

// taskResult wraps a single-task statement's outcome: sql.ErrNoRows is
// store.ErrNotFound.
func taskResult(op, id string, err error, t store.Task) (store.Task, error) {
	if errors.Is(err, sql.ErrNoRows) {
		return store.Task{}, fmt.Errorf("%s %s: %w", op, id, store.ErrNotFound)
	}
	if err != nil {
		return store.Task{}, fmt.Errorf("%s %s: %w", op, id, err)
	}
	return t, nil
}

// TaskClaim leases the account's worker group's QUEUED task with the
// earliest CreatedAt (then id) among those available at Now to Owner until
// LeaseUntil, with ClaimedAt Now (and acknowledged when Acked):
// store.ErrNotFound when there is none. The select and the update are one
// statement in a write transaction, so no task is claimed twice.
func (q queries) TaskClaim(ctx context.Context, p store.TaskClaimParams) (store.Task, error) {
	t, err := scanTask(q.x.QueryRowContext(ctx, `UPDATE tasks SET state = 'LEASED', owner = ?,
		lease_expires_at = ?, claimed_at = ?, acked = ?
		WHERE id = (SELECT id FROM tasks WHERE account_id = ? AND worker_group = ? AND state = 'QUEUED'
			AND available_at <= ? ORDER BY created_at, id LIMIT 1)
		RETURNING `+taskCols,
		p.Owner, millis(p.LeaseUntil), millis(p.Now), p.Acked, p.AccountID, p.WorkerGroup, millis(p.Now)))
	if err == nil && p.WithAttempt && p.KnownAttempt != nil {
		if att, ok := p.KnownAttempt(t.ID); ok {
			t.Attempt = &att
			return t, nil
		}
	}
	return q.withAttempt(ctx, p.WithAttempt, "task claim", p.AccountID+"/"+p.WorkerGroup, err, t)
}

// TaskExtend moves a LEASED task's lease to LeaseUntil and marks it
// acknowledged: store.ErrNotFound when the task is unknown, not LEASED, or
// its lease expired before Now.
func (q queries) TaskExtend(ctx context.Context, p store.TaskExtendParams) (store.Task, error) {
	t, err := scanTask(q.x.QueryRowContext(ctx, `UPDATE tasks SET lease_expires_at = ?, acked = 1
		WHERE id = ? AND state = 'LEASED' AND lease_expires_at >= ? RETURNING `+taskCols,
		millis(p.LeaseUntil), p.ID, millis(p.Now)))
	return q.withAttempt(ctx, p.WithAttempt, "task extend", p.ID, err, t)
}

// TaskComplete moves a LEASED task to DONE: store.ErrNotFound when it is
// unknown or not LEASED.
func (q queries) TaskComplete(ctx context.Context, p store.TaskCompleteParams) (store.Task, error) {
	t, err := scanTask(q.x.QueryRowContext(ctx, `UPDATE tasks SET state = 'DONE'
		WHERE id = ? AND state = 'LEASED' RETURNING `+taskCols, p.ID))
	return q.withAttempt(ctx, p.WithAttempt, "task complete", p.ID, err, t)
}

// withAttempt is taskResult, then, when asked and the statement returned
// the task, the task's attempt read on the same connection (SQLite's
// RETURNING cannot join; the read costs a prepared lookup by key).
func (q queries) withAttempt(ctx context.Context, want bool, op, id string, err error, t store.Task) (store.Task, error) {
	t, err = taskResult(op, id, err, t)
	if err != nil || !want {
		return t, err
	}
	objs, err := q.ObjectGet(ctx, store.ObjectGetParams{PipelineID: t.PipelineID, IDs: []string{t.AttemptID}})
	if err != nil {
		return store.Task{}, fmt.Errorf("%s %s: %w", op, id, err)
	}
	if len(objs) == 1 {
		t.Attempt = &objs[0]
	}
	return t, nil
}

// TaskCancel marks the pipeline's open tasks (of AttemptIDs, when given)
// canceled: QUEUED ones become DONE, LEASED ones keep their lease with
// Canceled set. It returns how many tasks changed; a LEASED task already
// canceled does not count again.
func (q queries) TaskCancel(ctx context.Context, p store.TaskCancelParams) (int, error) {
	if len(p.AttemptIDs) == 0 {
		n, err := q.cancelTasks(ctx, "pipeline_id = ?", p.PipelineID)
		return n, wrapCancel(p.PipelineID, err)
	}
	total := 0
	for _, ids := range chunks(p.AttemptIDs) {
		cond := "pipeline_id = ? AND attempt_id IN (" + placeholders(len(ids)) + ")"
		n, err := q.cancelTasks(ctx, cond, append([]any{p.PipelineID}, anys(ids)...)...)
		if err != nil {
			return 0, wrapCancel(p.PipelineID, err)
		}
		total += n
	}
	return total, nil
}

// cancelTasks cancels the open tasks matching cond.
func (q queries) cancelTasks(ctx context.Context, cond string, args ...any) (int, error) {
	queued, err := execCount(ctx, q.x, `UPDATE tasks SET state = 'DONE', canceled = 1
		WHERE state = 'QUEUED' AND `+cond, args...)
	if err != nil {
		return 0, err
	}
	leased, err := execCount(ctx, q.x, `UPDATE tasks SET canceled = 1
		WHERE state = 'LEASED' AND canceled = 0 AND `+cond, args...)
	return queued + leased, err
}

// wrapCancel adds context to a non-nil TaskCancel error.
func wrapCancel(pipelineID string, err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("task cancel %s: %w", pipelineID, err)
}

// TaskListExpired lists LEASED tasks whose lease expired before Now, in
// expiry order (then id), at most Limit (all when Limit <= 0).
func (q queries) TaskListExpired(ctx context.Context, p store.TaskListExpiredParams) ([]store.Task, error) {
	out, err := queryAll(ctx, q.x, scanTask, `SELECT `+taskCols+` FROM tasks
		WHERE state = 'LEASED' AND lease_expires_at < ? ORDER BY lease_expires_at, id LIMIT ?`,
		millis(p.Now), sqlLimit(p.Limit))
	if err != nil {
		return nil, fmt.Errorf("task list expired: %w", err)
	}
	return out, nil
}

// TaskExpire moves a LEASED task whose lease expired before Now to DONE:
// store.ErrConflict when it is no longer LEASED or its lease was renewed,
// store.ErrNotFound when it is unknown.
func (q queries) TaskExpire(ctx context.Context, p store.TaskExpireParams) (store.Task, error) {
	t, err := scanTask(q.x.QueryRowContext(ctx, `UPDATE tasks SET state = 'DONE'
		WHERE id = ? AND state = 'LEASED' AND lease_expires_at < ? RETURNING `+taskCols, p.ID, millis(p.Now)))
	if !errors.Is(err, sql.ErrNoRows) {
		return taskResult("task expire", p.ID, err, t)
	}
	found, err := exists(ctx, q.x, `SELECT 1 FROM tasks WHERE id = ?`, p.ID)
	switch {
	case err != nil:
		return store.Task{}, fmt.Errorf("task expire %s: %w", p.ID, err)
	case found:
		return store.Task{}, fmt.Errorf("task expire %s: lease not expired: %w", p.ID, store.ErrConflict)
	}
	return store.Task{}, fmt.Errorf("task expire %s: %w", p.ID, store.ErrNotFound)
}
