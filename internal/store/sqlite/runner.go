package sqlite

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/datapipe/datapipe/internal/store"
)

// runnerCols are the columns scanRunner reads, in order.
const runnerCols = `id, account_id, worker_group, hostname, last_seen, terminate`

// scanRunner reads one row of runnerCols.
func scanRunner(s scanner) (store.Runner, error) {
	var r store.Runner
	var seen sql.NullInt64
	err := s.Scan(&r.ID, &r.AccountID, &r.WorkerGroup, &r.Hostname, &seen, &r.Terminate)
	r.LastSeen = fromMillis(seen)
	return r, err
}

// RunnerHeartbeat records that the account's runner ID was seen at Now with
// the given worker group and hostname, creating it on first sight (with
// Terminate false) and keeping Terminate otherwise.
func (q queries) RunnerHeartbeat(ctx context.Context, p store.RunnerHeartbeatParams) (store.Runner, error) {
	r, err := scanRunner(q.x.QueryRowContext(ctx, `INSERT INTO runners (account_id, id, worker_group, hostname, last_seen)
		VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (account_id, id) DO UPDATE SET worker_group = excluded.worker_group,
			hostname = excluded.hostname, last_seen = excluded.last_seen
		RETURNING `+runnerCols, p.AccountID, p.ID, p.WorkerGroup, p.Hostname, millis(p.Now)))
	if err != nil {
		return store.Runner{}, fmt.Errorf("runner heartbeat %s: %w", p.ID, err)
	}
	return r, nil
}

// RunnerList lists the account's runners, most recently seen first, then
// by id.
func (q queries) RunnerList(ctx context.Context, p store.RunnerListParams) ([]store.Runner, error) {
	out, err := queryAll(ctx, q.x, scanRunner, `SELECT `+runnerCols+` FROM runners WHERE account_id = ?
		ORDER BY last_seen DESC, id`, p.AccountID)
	if err != nil {
		return nil, fmt.Errorf("runner list %s: %w", p.AccountID, err)
	}
	return out, nil
}
