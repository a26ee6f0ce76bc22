package sqlite

import (
	"context"
	"fmt"

	"github.com/datapipe/datapipe/internal/store"
)

// LeaseAcquire gives the named lease to Holder until Now+TTL when it is
// free, expired (its end is before Now) or already Holder's:
// store.ErrConflict otherwise.
func (q queries) LeaseAcquire(ctx context.Context, p store.LeaseAcquireParams) error {
	n, err := execCount(ctx, q.x, `INSERT INTO leases (name, holder, expires_at) VALUES (?, ?, ?)
		ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
		WHERE leases.holder = excluded.holder OR leases.expires_at < ?`,
		p.Name, p.Holder, millis(p.Now.Add(p.TTL)), millis(p.Now))
	if err != nil {
		return fmt.Errorf("lease acquire %s: %w", p.Name, err)
	}
	if n == 0 {
		return fmt.Errorf("lease acquire %s for %s: held by another: %w", p.Name, p.Holder, store.ErrConflict)
	}
	return nil
}

// LeaseRelease frees the named lease if Holder holds it; otherwise it does
// nothing.
func (q queries) LeaseRelease(ctx context.Context, p store.LeaseReleaseParams) error {
	if _, err := q.x.ExecContext(ctx, `DELETE FROM leases WHERE name = ? AND holder = ?`, p.Name, p.Holder); err != nil {
		return fmt.Errorf("lease release %s: %w", p.Name, err)
	}
	return nil
}
