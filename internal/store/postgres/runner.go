package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/datapipe/datapipe/internal/store"
)

// runnerCols are the columns scanRunner reads, in order.
const runnerCols = `id, account_id, worker_group, hostname, last_seen, terminate`

// scanRunner reads one row of runnerCols.
func scanRunner(row pgx.Row) (store.Runner, error) {
	var r store.Runner
	if err := row.Scan(&r.ID, &r.AccountID, &r.WorkerGroup, &r.Hostname, &r.LastSeen, &r.Terminate); err != nil {
		return store.Runner{}, err
	}
	r.LastSeen = r.LastSeen.UTC()
	return r, nil
}

// RunnerHeartbeat records a heartbeat: it creates the runner on first
// sight, otherwise updates its worker group, hostname and LastSeen
// (keeping Terminate), and returns it as stored.
func (q *queries) RunnerHeartbeat(ctx context.Context, p store.RunnerHeartbeatParams) (store.Runner, error) {
	r, err := scanRunner(q.db.QueryRow(ctx, `INSERT INTO runners (account_id, id, worker_group, hostname, last_seen)
		VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (account_id, id) DO UPDATE SET worker_group = EXCLUDED.worker_group,
			hostname = EXCLUDED.hostname, last_seen = EXCLUDED.last_seen
		RETURNING `+runnerCols, p.AccountID, p.ID, p.WorkerGroup, p.Hostname, stamp(p.Now)))
	if err != nil {
		return store.Runner{}, wrap(err, "heartbeat of runner %s", p.ID)
	}
	return r, nil
}

// RunnerList lists the account's runners, most recently seen first, then
// by id.
func (q *queries) RunnerList(ctx context.Context, p store.RunnerListParams) ([]store.Runner, error) {
	rows, err := q.db.Query(ctx, `SELECT `+runnerCols+` FROM runners WHERE account_id = $1
		ORDER BY last_seen DESC, id`, p.AccountID)
	if err != nil {
		return nil, fmt.Errorf("list runners: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (store.Runner, error) { return scanRunner(r) })
	if err != nil {
		return nil, fmt.Errorf("list runners: %w", err)
	}
	return out, nil
}
