package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/datapipe/datapipe/internal/store"
)

// pipelineCols are the columns scanPipeline reads, in order.
const pipelineCols = `id, account_id, name, unique_id, description, creator, state, tags,
	latest_version, active_version, created_at, first_activated_at, last_activated_at,
	last_deactivated_at, finished_at, health_status, health_updated_at, deleted_at, schedule_from,
	backfill_from, backfill_to`

// pipelineRow is a pipeline and whether it is deleted.
type pipelineRow struct {
	store.Pipeline
	Deleted bool
}

// scanPipeline reads one row of pipelineCols.
func scanPipeline(s scanner) (pipelineRow, error) {
	var r pipelineRow
	var tags string
	var created, firstAct, lastAct, lastDeact, finished, health, deleted, from, bfFrom, bfTo sql.NullInt64
	p := &r.Pipeline
	err := s.Scan(&p.ID, &p.AccountID, &p.Name, &p.UniqueID, &p.Description, &p.Creator, &p.State, &tags,
		&p.LatestVersion, &p.ActiveVersion, &created, &firstAct, &lastAct,
		&lastDeact, &finished, &p.HealthStatus, &health, &deleted, &from, &bfFrom, &bfTo)
	if err != nil {
		return r, err
	}
	p.CreatedAt, p.FirstActivatedAt, p.LastActivatedAt = fromMillis(created), fromMillis(firstAct), fromMillis(lastAct)
	p.LastDeactivatedAt, p.FinishedAt, p.HealthUpdatedAt = fromMillis(lastDeact), fromMillis(finished), fromMillis(health)
	p.ScheduleFrom, p.BackfillFrom, p.BackfillTo = fromMillis(from), fromMillis(bfFrom), fromMillis(bfTo)
	r.Deleted = deleted.Valid
	p.Tags, err = decodeTags(tags)
	return r, err
}

// scanLivePipeline reads a pipeline row, without the deleted flag.
func scanLivePipeline(s scanner) (store.Pipeline, error) {
	r, err := scanPipeline(s)
	return r.Pipeline, err
}

// PipelineCreate inserts p.Pipeline with LatestVersion 0, unless a live
// pipeline of the account has the same name and unique id: then it returns
// that one and created=false. An id already taken is store.ErrConflict.
func (q queries) PipelineCreate(ctx context.Context, p store.PipelineCreateParams) (store.Pipeline, bool, error) {
	in := p.Pipeline
	existing, err := scanLivePipeline(q.x.QueryRowContext(ctx, `SELECT `+pipelineCols+` FROM pipelines
		WHERE account_id = ? AND name = ? AND unique_id = ? AND deleted_at IS NULL`, in.AccountID, in.Name, in.UniqueID))
	if err == nil {
		return existing, false, nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return store.Pipeline{}, false, fmt.Errorf("pipeline create %s: %w", in.ID, err)
	}
	tags, err := encodeTags(in.Tags)
	if err != nil {
		return store.Pipeline{}, false, fmt.Errorf("pipeline create %s: %w", in.ID, err)
	}
	out, err := scanLivePipeline(q.x.QueryRowContext(ctx, `INSERT INTO pipelines (id, account_id, name, unique_id,
		description, creator, state, tags, latest_version, active_version, created_at, first_activated_at,
		last_activated_at, last_deactivated_at, finished_at, health_status, health_updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING `+pipelineCols,
		in.ID, in.AccountID, in.Name, in.UniqueID, in.Description, in.Creator, in.State, tags,
		in.ActiveVersion, millis(in.CreatedAt), nullMillis(in.FirstActivatedAt), nullMillis(in.LastActivatedAt),
		nullMillis(in.LastDeactivatedAt), nullMillis(in.FinishedAt), in.HealthStatus, nullMillis(in.HealthUpdatedAt)))
	if err != nil {
		return store.Pipeline{}, false, fmt.Errorf("pipeline create %s: %w", in.ID, classify(err))
	}
	return out, true, nil
}

// PipelineGet returns a pipeline of the account: store.ErrNotFound when
// unknown there, store.ErrDeleted when deleted. Hold needs nothing more:
// SQLite runs one writer at a time.
func (q queries) PipelineGet(ctx context.Context, p store.PipelineGetParams) (store.Pipeline, error) {
	r, err := scanPipeline(q.x.QueryRowContext(ctx, `SELECT `+pipelineCols+` FROM pipelines
		WHERE id = ? AND account_id = ?`, p.ID, p.AccountID))
	return livePipeline("pipeline get", p.ID, r, err)
}

// livePipeline turns a scanned row into a result: sql.ErrNoRows is
// store.ErrNotFound, a deleted row store.ErrDeleted.
func livePipeline(op, id string, r pipelineRow, err error) (store.Pipeline, error) {
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return store.Pipeline{}, fmt.Errorf("%s %s: %w", op, id, store.ErrNotFound)
	case err != nil:
		return store.Pipeline{}, fmt.Errorf("%s %s: %w", op, id, classify(err))
	case r.Deleted:
		return store.Pipeline{}, fmt.Errorf("%s %s: %w", op, id, store.ErrDeleted)
	}
	return r.Pipeline, nil
}

// PipelineList returns up to Limit (all when Limit <= 0) live pipelines of
// the account in creation order, then id, after AfterID. AfterID may be a
// deleted pipeline; an id unknown in the account gives an empty page.
func (q queries) PipelineList(ctx context.Context, p store.PipelineListParams) ([]store.Pipeline, error) {
	out, err := queryAll(ctx, q.x, scanLivePipeline, `SELECT `+pipelineCols+` FROM pipelines
		WHERE account_id = ?1 AND deleted_at IS NULL
		AND (?2 = '' OR (created_at, id) > (SELECT created_at, id FROM pipelines WHERE id = ?2 AND account_id = ?1))
		ORDER BY created_at, id LIMIT ?3`, p.AccountID, p.AfterID, sqlLimit(p.Limit))
	if err != nil {
		return nil, fmt.Errorf("pipeline list %s: %w", p.AccountID, err)
	}
	return out, nil
}

// PipelineListByState lists live pipelines of every account in the given
// states, in creation order.
func (q queries) PipelineListByState(ctx context.Context, p store.PipelineListByStateParams) ([]store.Pipeline, error) {
	states, err := json.Marshal(p.States)
	if err != nil {
		return nil, err
	}
	out, err := queryAll(ctx, q.x, scanLivePipeline, `SELECT `+pipelineCols+` FROM pipelines
		WHERE deleted_at IS NULL AND state IN (SELECT value FROM json_each(?1))
		ORDER BY created_at, id`, string(states))
	if err != nil {
		return nil, fmt.Errorf("pipeline list by state: %w", err)
	}
	return out, nil
}

// PipelineCount counts the account's live pipelines.
func (q queries) PipelineCount(ctx context.Context, p store.PipelineCountParams) (int, error) {
	var n int
	err := q.x.QueryRowContext(ctx, `SELECT count(*) FROM pipelines WHERE account_id = ? AND deleted_at IS NULL`,
		p.AccountID).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("pipeline count %s: %w", p.AccountID, err)
	}
	return n, nil
}

// PipelineUpdate writes the mutable attributes of the pipeline named by
// Pipeline.ID and AccountID: store.ErrNotFound, store.ErrDeleted, or
// store.ErrConflict when the new name collides with a live pipeline of the
// same unique id.
func (q queries) PipelineUpdate(ctx context.Context, p store.PipelineUpdateParams) (store.Pipeline, error) {
	in := p.Pipeline
	tags, err := encodeTags(in.Tags)
	if err != nil {
		return store.Pipeline{}, fmt.Errorf("pipeline update %s: %w", in.ID, err)
	}
	r, err := scanPipeline(q.x.QueryRowContext(ctx, `UPDATE pipelines SET name = ?, description = ?, state = ?,
		tags = ?, active_version = ?, first_activated_at = ?, last_activated_at = ?, last_deactivated_at = ?,
		finished_at = ?, health_status = ?, health_updated_at = ?, schedule_from = ?,
		backfill_from = ?, backfill_to = ?
		WHERE id = ? AND account_id = ? AND deleted_at IS NULL RETURNING `+pipelineCols,
		in.Name, in.Description, in.State, tags, in.ActiveVersion, nullMillis(in.FirstActivatedAt),
		nullMillis(in.LastActivatedAt), nullMillis(in.LastDeactivatedAt), nullMillis(in.FinishedAt),
		in.HealthStatus, nullMillis(in.HealthUpdatedAt), nullMillis(in.ScheduleFrom),
		nullMillis(in.BackfillFrom), nullMillis(in.BackfillTo), in.ID, in.AccountID))
	if errors.Is(err, sql.ErrNoRows) {
		return store.Pipeline{}, q.missingPipeline(ctx, "pipeline update", in.AccountID, in.ID)
	}
	return livePipeline("pipeline update", in.ID, r, err)
}

// missingPipeline explains why no live pipeline of the account matched id:
// it is deleted (store.ErrDeleted) or unknown there (store.ErrNotFound).
func (q queries) missingPipeline(ctx context.Context, op, account, id string) error {
	var deleted bool
	err := q.x.QueryRowContext(ctx, `SELECT deleted_at IS NOT NULL FROM pipelines WHERE id = ? AND account_id = ?`,
		id, account).Scan(&deleted)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return fmt.Errorf("%s %s: %w", op, id, store.ErrNotFound)
	case err != nil:
		return fmt.Errorf("%s %s: %w", op, id, err)
	case deleted:
		return fmt.Errorf("%s %s: %w", op, id, store.ErrDeleted)
	}
	return fmt.Errorf("%s %s: %w", op, id, store.ErrConflict)
}

// PipelineDelete marks a live pipeline of the account deleted at Now,
// removes its definitions and runtime objects and cancels its open tasks.
// store.ErrNotFound when it is unknown or already deleted.
func (q queries) PipelineDelete(ctx context.Context, p store.PipelineDeleteParams) error {
	n, err := execCount(ctx, q.x, `UPDATE pipelines SET deleted_at = ? WHERE id = ? AND account_id = ? AND deleted_at IS NULL`,
		millis(p.Now), p.ID, p.AccountID)
	if err != nil {
		return fmt.Errorf("pipeline delete %s: %w", p.ID, err)
	}
	if n == 0 {
		return fmt.Errorf("pipeline delete %s: %w", p.ID, store.ErrNotFound)
	}
	for _, stmt := range []string{`DELETE FROM definitions WHERE pipeline_id = ?`, `DELETE FROM objects WHERE pipeline_id = ?`} {
		if _, err := q.x.ExecContext(ctx, stmt, p.ID); err != nil {
			return fmt.Errorf("pipeline delete %s: %w", p.ID, err)
		}
	}
	if _, err := q.TaskCancel(ctx, store.TaskCancelParams{PipelineID: p.ID}); err != nil {
		return fmt.Errorf("pipeline delete %s: %w", p.ID, err)
	}
	return nil
}
