package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/datapipe/datapipe/internal/pipeline"
	"github.com/datapipe/datapipe/internal/store"
)

// pipelineCols are the columns scanPipeline reads, in order.
const pipelineCols = `id, account_id, name, unique_id, description, creator, state, tags,
	latest_version, active_version, created_at, first_activated_at, last_activated_at,
	last_deactivated_at, finished_at, health_status, health_updated_at, schedule_from,
	backfill_from, backfill_to`

// scanPipeline reads one row of pipelineCols.
func scanPipeline(row pgx.Row) (store.Pipeline, error) {
	var (
		p                               store.Pipeline
		state                           string
		tags                            []byte
		first, last, deact, fin, health *time.Time
		from, bfFrom, bfTo              *time.Time
	)
	err := row.Scan(&p.ID, &p.AccountID, &p.Name, &p.UniqueID, &p.Description, &p.Creator, &state, &tags,
		&p.LatestVersion, &p.ActiveVersion, &p.CreatedAt, &first, &last, &deact, &fin, &p.HealthStatus, &health, &from, &bfFrom, &bfTo)
	if err != nil {
		return store.Pipeline{}, err
	}
	p.State = pipeline.PipelineState(state)
	p.CreatedAt = p.CreatedAt.UTC()
	p.FirstActivatedAt, p.LastActivatedAt = fromNull(first), fromNull(last)
	p.LastDeactivatedAt, p.FinishedAt, p.HealthUpdatedAt = fromNull(deact), fromNull(fin), fromNull(health)
	p.ScheduleFrom, p.BackfillFrom, p.BackfillTo = fromNull(from), fromNull(bfFrom), fromNull(bfTo)
	p.Tags, err = decodeTags(tags)
	return p, err
}

// PipelineCreate inserts a pipeline, or returns the live pipeline with the
// same account, name and unique id and created=false. An id already used
// by another pipeline (live or deleted) is store.ErrConflict.
func (q *queries) PipelineCreate(ctx context.Context, p store.PipelineCreateParams) (store.Pipeline, bool, error) {
	pl := p.Pipeline
	tags, err := encodeTags(pl.Tags)
	if err != nil {
		return store.Pipeline{}, false, fmt.Errorf("create pipeline %s: %w", pl.ID, err)
	}
	var out store.Pipeline
	err = q.guarded(ctx, func(q *queries) error {
		var err error
		out, err = scanPipeline(q.db.QueryRow(ctx, `INSERT INTO pipelines (id, account_id, name, unique_id,
			description, creator, state, tags, active_version, created_at, first_activated_at,
			last_activated_at, last_deactivated_at, finished_at, health_status, health_updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)
		ON CONFLICT (account_id, name, unique_id) WHERE deleted_at IS NULL DO NOTHING
		RETURNING `+pipelineCols,
			pl.ID, pl.AccountID, pl.Name, pl.UniqueID, pl.Description, pl.Creator, string(pl.State), tags,
			pl.ActiveVersion, stamp(pl.CreatedAt), nullStamp(pl.FirstActivatedAt), nullStamp(pl.LastActivatedAt),
			nullStamp(pl.LastDeactivatedAt), nullStamp(pl.FinishedAt), pl.HealthStatus, nullStamp(pl.HealthUpdatedAt)))
		return err
	})
	if errors.Is(err, pgx.ErrNoRows) {
		out, err = q.pipelineByUniqueID(ctx, pl.AccountID, pl.Name, pl.UniqueID)
		return out, false, err
	}
	if err != nil {
		return store.Pipeline{}, false, wrap(err, "create pipeline %s", pl.ID)
	}
	return out, true, nil
}

// pipelineByUniqueID reads the live pipeline with this account, name and
// unique id.
func (q *queries) pipelineByUniqueID(ctx context.Context, accountID, name, uniqueID string) (store.Pipeline, error) {
	p, err := scanPipeline(q.db.QueryRow(ctx, `SELECT `+pipelineCols+` FROM pipelines
		WHERE account_id = $1 AND name = $2 AND unique_id = $3 AND deleted_at IS NULL`,
		accountID, name, uniqueID))
	if err != nil {
		return store.Pipeline{}, wrap(err, "create pipeline %q (unique id %q)", name, uniqueID)
	}
	return p, nil
}

// PipelineGet reads a pipeline of the account: store.ErrNotFound when it
// is unknown there, store.ErrDeleted when it was deleted.
func (q *queries) PipelineGet(ctx context.Context, p store.PipelineGetParams) (store.Pipeline, error) {
	stmt := `SELECT ` + pipelineCols + ` FROM pipelines WHERE account_id = $1 AND id = $2 AND deleted_at IS NULL`
	if p.Hold && q.inTx {
		// An update that changes nothing still writes a new row version:
		// a concurrent writer of the pipeline fails one of the two
		// transactions, at any isolation. No indexed column changes, so
		// it is a HOT update and compatible with the key-share locks of
		// foreign-key checks.
		stmt = `UPDATE pipelines SET state = state WHERE account_id = $1 AND id = $2 AND deleted_at IS NULL
			RETURNING ` + pipelineCols
	}
	out, err := scanPipeline(q.db.QueryRow(ctx, stmt, p.AccountID, p.ID))
	if errors.Is(err, pgx.ErrNoRows) {
		return store.Pipeline{}, fmt.Errorf("get pipeline %s: %w", p.ID, q.pipelineMissing(ctx, p.AccountID, p.ID))
	}
	if err != nil {
		return store.Pipeline{}, wrap(err, "get pipeline %s", p.ID)
	}
	return out, nil
}

// PipelineList returns up to Limit (all when Limit <= 0) live pipelines of
// the account in creation order, then id, after the pipeline AfterID,
// which may have been deleted since. An AfterID unknown in the account
// gives an empty page.
func (q *queries) PipelineList(ctx context.Context, p store.PipelineListParams) ([]store.Pipeline, error) {
	rows, err := q.db.Query(ctx, `SELECT `+pipelineCols+` FROM pipelines
		WHERE account_id = $1 AND deleted_at IS NULL
		  AND ($2 = '' OR (created_at, id) > (SELECT created_at, id FROM pipelines WHERE account_id = $1 AND id = $2))
		ORDER BY created_at, id LIMIT $3`, p.AccountID, p.AfterID, limit(p.Limit))
	if err != nil {
		return nil, fmt.Errorf("list pipelines: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (store.Pipeline, error) { return scanPipeline(r) })
	if err != nil {
		return nil, fmt.Errorf("list pipelines: %w", err)
	}
	return out, nil
}

// PipelineListByState lists live pipelines of every account in the given
// states, in creation order.
func (q *queries) PipelineListByState(ctx context.Context, p store.PipelineListByStateParams) ([]store.Pipeline, error) {
	states := make([]string, len(p.States))
	for i, st := range p.States {
		states[i] = string(st)
	}
	rows, err := q.db.Query(ctx, `SELECT `+pipelineCols+` FROM pipelines
		WHERE deleted_at IS NULL AND state = ANY($1) ORDER BY created_at, id`, states)
	if err != nil {
		return nil, fmt.Errorf("list pipelines by state: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (store.Pipeline, error) { return scanPipeline(r) })
	if err != nil {
		return nil, fmt.Errorf("list pipelines by state: %w", err)
	}
	return out, nil
}

// PipelineCount counts the account's live pipelines.
func (q *queries) PipelineCount(ctx context.Context, p store.PipelineCountParams) (int, error) {
	var n int
	err := q.db.QueryRow(ctx, `SELECT count(*) FROM pipelines WHERE account_id = $1 AND deleted_at IS NULL`,
		p.AccountID).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("count pipelines: %w", err)
	}
	return n, nil
}

// PipelineUpdate writes the mutable attributes (see
// store.PipelineUpdateParams) and returns the pipeline as stored:
// store.ErrNotFound / store.ErrDeleted, or store.ErrConflict when the new
// name collides with a live pipeline of the same unique id.
func (q *queries) PipelineUpdate(ctx context.Context, p store.PipelineUpdateParams) (store.Pipeline, error) {
	pl := p.Pipeline
	tags, err := encodeTags(pl.Tags)
	if err != nil {
		return store.Pipeline{}, fmt.Errorf("update pipeline %s: %w", pl.ID, err)
	}
	var out store.Pipeline
	err = q.guarded(ctx, func(q *queries) error {
		var err error
		out, err = q.updatePipeline(ctx, pl, tags)
		return err
	})
	if errors.Is(err, pgx.ErrNoRows) {
		return store.Pipeline{}, fmt.Errorf("update pipeline %s: %w", pl.ID, q.pipelineMissing(ctx, pl.AccountID, pl.ID))
	}
	if err != nil {
		return store.Pipeline{}, wrap(err, "update pipeline %s", pl.ID)
	}
	return out, nil
}

// updatePipeline runs PipelineUpdate's statement.
func (q *queries) updatePipeline(ctx context.Context, pl store.Pipeline, tags []byte) (store.Pipeline, error) {
	return scanPipeline(q.db.QueryRow(ctx, `UPDATE pipelines SET name = $3, description = $4, state = $5,
			tags = $6, active_version = $7, first_activated_at = $8, last_activated_at = $9,
			last_deactivated_at = $10, finished_at = $11, health_status = $12, health_updated_at = $13,
			schedule_from = $14, backfill_from = $15, backfill_to = $16
		WHERE account_id = $1 AND id = $2 AND deleted_at IS NULL
		RETURNING `+pipelineCols,
		pl.AccountID, pl.ID, pl.Name, pl.Description, string(pl.State), tags, pl.ActiveVersion,
		nullStamp(pl.FirstActivatedAt), nullStamp(pl.LastActivatedAt), nullStamp(pl.LastDeactivatedAt),
		nullStamp(pl.FinishedAt), pl.HealthStatus, nullStamp(pl.HealthUpdatedAt), nullStamp(pl.ScheduleFrom),
		nullStamp(pl.BackfillFrom), nullStamp(pl.BackfillTo)))
}

// PipelineDelete marks the pipeline deleted at Now, removes its
// definitions and runtime objects and cancels its open tasks, atomically:
// store.ErrNotFound when it is unknown in the account or already deleted.
func (q *queries) PipelineDelete(ctx context.Context, p store.PipelineDeleteParams) error {
	err := q.atomic(ctx, func(q *queries) error {
		tag, err := q.db.Exec(ctx, `UPDATE pipelines SET deleted_at = $3
			WHERE account_id = $1 AND id = $2 AND deleted_at IS NULL`, p.AccountID, p.ID, stamp(p.Now))
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return store.ErrNotFound
		}
		return q.purgePipeline(ctx, p.ID)
	})
	if err != nil {
		return wrap(err, "delete pipeline %s", p.ID)
	}
	return nil
}

// purgePipeline removes a deleted pipeline's definitions and objects and
// cancels its open tasks.
func (q *queries) purgePipeline(ctx context.Context, id string) error {
	if _, err := q.db.Exec(ctx, `DELETE FROM definitions WHERE pipeline_id = $1`, id); err != nil {
		return err
	}
	if _, err := q.db.Exec(ctx, `DELETE FROM objects WHERE pipeline_id = $1`, id); err != nil {
		return err
	}
	_, err := q.TaskCancel(ctx, store.TaskCancelParams{PipelineID: id})
	return err
}

// pipelineMissing explains why a live pipeline was not found: ErrDeleted
// when it was deleted, ErrNotFound otherwise. accountID "" matches any
// account.
func (q *queries) pipelineMissing(ctx context.Context, accountID, id string) error {
	var deleted bool
	err := q.db.QueryRow(ctx, `SELECT deleted_at IS NOT NULL FROM pipelines
		WHERE id = $2 AND ($1 = '' OR account_id = $1)`, accountID, id).Scan(&deleted)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		return store.ErrNotFound
	case err != nil:
		return err
	case deleted:
		return store.ErrDeleted
	}
	return store.ErrNotFound
}

// limit is a LIMIT argument: nil (no limit) when n <= 0.
func limit(n int) *int {
	if n <= 0 {
		return nil
	}
	return &n
}
