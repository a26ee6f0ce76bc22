package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/datapipe/datapipe/internal/store"
)

// taskCols are the columns scanTask reads, in order.
const taskCols = `id, account_id, pipeline_id, attempt_id, worker_group, state, available_at, owner,
	lease_expires_at, acked, canceled, created_at, claimed_at, version`

// taskScan receives one row of taskCols.
type taskScan struct {
	t              store.Task
	state          string
	lease, claimed *time.Time
}

// dest are the scan destinations, in taskCols order.
func (s *taskScan) dest() []any {
	t := &s.t
	return []any{&t.ID, &t.AccountID, &t.PipelineID, &t.AttemptID, &t.WorkerGroup, &s.state, &t.AvailableAt,
		&t.Owner, &s.lease, &t.Acked, &t.Canceled, &t.CreatedAt, &s.claimed, &t.Version}
}

// task is the scanned task.
func (s *taskScan) task() store.Task {
	t := s.t
	t.State = store.TaskState(s.state)
	t.AvailableAt, t.CreatedAt = t.AvailableAt.UTC(), t.CreatedAt.UTC()
	t.LeaseExpiresAt, t.ClaimedAt = fromNull(s.lease), fromNull(s.claimed)
	return t
}

// scanTask reads one row of taskCols.
func scanTask(row pgx.Row) (store.Task, error) {
	var ts taskScan
	if err := row.Scan(ts.dest()...); err != nil {
		return store.Task{}, err
	}
	return ts.task(), nil
}

// queryTask runs stmt, which RETURNs taskCols, and scans its row; with
// the task's attempt when withAttempt (taskAttemptSQL).
func (q *queries) queryTask(ctx context.Context, withAttempt bool, stmt string, args ...any) (store.Task, error) {
	if withAttempt {
		return scanTaskAttempt(q.db.QueryRow(ctx, taskAttemptSQL(stmt), args...))
	}
	return scanTask(q.db.QueryRow(ctx, stmt, args...))
}

// collectTasks reads every row of taskCols.
func collectTasks(rows pgx.Rows) ([]store.Task, error) {
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (store.Task, error) { return scanTask(r) })
}

// TaskCreate queues a task (State QUEUED, no owner or lease) and returns
// it as stored: store.ErrConflict when the id exists, store.ErrNotFound
// when the pipeline is unknown. It is one statement that cannot fail on
// either, so inside a transaction it needs no savepoint (a scheduling
// pass queues thousands of tasks); only a task that was not inserted costs
// a second statement, to say why.
func (q *queries) TaskCreate(ctx context.Context, p store.TaskCreateParams) (store.Task, error) {
	t := p.Task
	out, err := scanTask(q.db.QueryRow(ctx, `INSERT INTO tasks (id, account_id, pipeline_id, attempt_id,
			worker_group, state, available_at, created_at, version)
		SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9 WHERE EXISTS (SELECT 1 FROM pipelines WHERE id = $3)
		ON CONFLICT (id) DO NOTHING RETURNING `+taskCols,
		t.ID, t.AccountID, t.PipelineID, t.AttemptID, t.WorkerGroup, string(store.TaskQueued),
		stamp(t.AvailableAt), stamp(t.CreatedAt), t.Version))
	if errors.Is(err, pgx.ErrNoRows) {
		err = q.taskNotCreated(ctx, t)
	}
	if err != nil {
		return store.Task{}, wrap(err, "create task %s", t.ID)
	}
	return out, nil
}

// taskInsertCols are the columns TaskCreateAll copies, in order.
var taskInsertCols = []string{"id", "account_id", "pipeline_id", "attempt_id", "worker_group", "state",
	"available_at", "created_at", "version"}

// TaskCreateAll queues the tasks with one COPY, all or none: a task id in
// use (or repeated) is store.ErrConflict, an unknown pipeline
// store.ErrNotFound. A plan queues hundreds of tasks at once; one
// statement instead of one each keeps its transaction short.
func (q *queries) TaskCreateAll(ctx context.Context, p store.TaskCreateAllParams) error {
	if len(p.Tasks) == 0 {
		return nil
	}
	rows := make([][]any, len(p.Tasks))
	for i, t := range p.Tasks {
		rows[i] = []any{t.ID, t.AccountID, t.PipelineID, t.AttemptID, t.WorkerGroup, string(store.TaskQueued),
			stamp(t.AvailableAt), stamp(t.CreatedAt), t.Version}
	}
	if err := q.copyIn(ctx, "tasks", taskInsertCols, rows); err != nil {
		return wrap(err, "create %d tasks in %s", len(p.Tasks), p.Tasks[0].PipelineID)
	}
	return nil
}

// taskNotCreated explains an insert that added no row: an unknown
// pipeline (store.ErrNotFound) or a task id in use (store.ErrConflict).
func (q *queries) taskNotCreated(ctx context.Context, t store.Task) error {
	var known bool
	if err := q.db.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM pipelines WHERE id = $1)`, t.PipelineID).Scan(&known); err != nil {
		return err
	}
	if !known {
		return fmt.Errorf("pipeline %s: %w", t.PipelineID, store.ErrNotFound)
	}
	return fmt.Errorf("task id in use: %w", store.ErrConflict)
}

// TaskGet reads a task: store.ErrNotFound.
func (q *queries) TaskGet(ctx context.Context, id string) (store.Task, error) {
	t, err := scanTask(q.db.QueryRow(ctx, `SELECT `+taskCols+` FROM tasks WHERE id = $1`, id))
	if err != nil {
		return store.Task{}, wrap(err, "get task %s", id)
	}
	return t, nil
}

// TaskClaim leases the oldest (by creation, then id) QUEUED task of the
// worker group in the account that is available at Now. The candidate is
// locked with FOR UPDATE SKIP LOCKED, so concurrent claimers, on this or
// any other replica, each get a different task without waiting on one
// another. Acked claims it acknowledged. store.ErrNotFound when no task
// is available.
func (q *queries) TaskClaim(ctx context.Context, p store.TaskClaimParams) (store.Task, error) {
	t, err := q.queryTask(ctx, p.WithAttempt, `UPDATE tasks
		SET state = 'LEASED', owner = $3, claimed_at = $4, lease_expires_at = $5, acked = $6
		WHERE id = (
			SELECT id FROM tasks
			WHERE state = 'QUEUED' AND account_id = $1 AND worker_group = $2 AND available_at <= $4
			ORDER BY created_at, id
			FOR UPDATE SKIP LOCKED
			LIMIT 1)
		RETURNING `+taskCols, p.AccountID, p.WorkerGroup, p.Owner, stamp(p.Now), stamp(p.LeaseUntil), p.Acked)
	if err != nil {
		return store.Task{}, wrap(err, "claim task for %s/%s", p.AccountID, p.WorkerGroup)
	}
	return t, nil
}

// TaskExtend renews a LEASED task's lease until LeaseUntil and marks it
// acknowledged: store.ErrNotFound when the task is unknown, not LEASED,
// or its lease expired before Now.
func (q *queries) TaskExtend(ctx context.Context, p store.TaskExtendParams) (store.Task, error) {
	t, err := q.queryTask(ctx, p.WithAttempt, `UPDATE tasks SET lease_expires_at = $3, acked = true
		WHERE id = $1 AND state = 'LEASED' AND lease_expires_at >= $2
		RETURNING `+taskCols, p.ID, stamp(p.Now), stamp(p.LeaseUntil))
	if err != nil {
		return store.Task{}, wrap(err, "extend task %s", p.ID)
	}
	return t, nil
}

// TaskComplete moves a LEASED task to DONE: store.ErrNotFound when it is
// unknown or not LEASED.
func (q *queries) TaskComplete(ctx context.Context, p store.TaskCompleteParams) (store.Task, error) {
	t, err := q.queryTask(ctx, p.WithAttempt, `UPDATE tasks SET state = 'DONE'
		WHERE id = $1 AND state = 'LEASED' RETURNING `+taskCols, p.ID)
	if err != nil {
		return store.Task{}, wrap(err, "complete task %s", p.ID)
	}
	return t, nil
}

// TaskCancel marks the pipeline's open tasks (of AttemptIDs, or all when
// empty) that are not canceled yet canceled; QUEUED ones become DONE. It
// returns how many tasks it changed.
func (q *queries) TaskCancel(ctx context.Context, p store.TaskCancelParams) (int, error) {
	tag, err := q.db.Exec(ctx, `UPDATE tasks
		SET canceled = true, state = CASE WHEN state = 'QUEUED' THEN 'DONE' ELSE state END
		WHERE pipeline_id = $1 AND state <> 'DONE' AND NOT canceled
		  AND (cardinality($2::text[]) = 0 OR attempt_id = ANY($2::text[]))`,
		p.PipelineID, nonNil(p.AttemptIDs))
	if err != nil {
		return 0, fmt.Errorf("cancel tasks of %s: %w", p.PipelineID, err)
	}
	return int(tag.RowsAffected()), nil
}

// TaskListExpired lists up to Limit (all when Limit <= 0) LEASED tasks
// whose lease expired before Now, oldest lease first.
func (q *queries) TaskListExpired(ctx context.Context, p store.TaskListExpiredParams) ([]store.Task, error) {
	rows, err := q.db.Query(ctx, `SELECT `+taskCols+` FROM tasks
		WHERE state = 'LEASED' AND lease_expires_at < $1
		ORDER BY lease_expires_at, id LIMIT $2`, stamp(p.Now), limit(p.Limit))
	if err != nil {
		return nil, fmt.Errorf("list expired tasks: %w", err)
	}
	out, err := collectTasks(rows)
	if err != nil {
		return nil, fmt.Errorf("list expired tasks: %w", err)
	}
	return out, nil
}

// TaskExpire moves a LEASED task whose lease expired before Now to DONE:
// store.ErrNotFound when the task is unknown, store.ErrConflict when it is
// not LEASED or its lease was extended past Now.
func (q *queries) TaskExpire(ctx context.Context, p store.TaskExpireParams) (store.Task, error) {
	t, err := scanTask(q.db.QueryRow(ctx, `UPDATE tasks SET state = 'DONE'
		WHERE id = $1 AND state = 'LEASED' AND lease_expires_at < $2
		RETURNING `+taskCols, p.ID, stamp(p.Now)))
	if errors.Is(err, pgx.ErrNoRows) {
		return store.Task{}, fmt.Errorf("expire task %s: %w", p.ID, q.taskMissing(ctx, p.ID))
	}
	if err != nil {
		return store.Task{}, wrap(err, "expire task %s", p.ID)
	}
	return t, nil
}

// taskMissing explains a failed conditional task update: ErrConflict when
// the task exists, ErrNotFound otherwise.
func (q *queries) taskMissing(ctx context.Context, id string) error {
	var exists bool
	if err := q.db.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM tasks WHERE id = $1)`, id).Scan(&exists); err != nil {
		return err
	}
	if exists {
		return store.ErrConflict
	}
	return store.ErrNotFound
}

// nonNil is ids, or an empty slice for nil (which pgx would send as NULL).
func nonNil(ids []string) []string {
	if ids == nil {
		return []string{}
	}
	return ids
}
