package postgres

import (
	"context"
	"fmt"

	"github.com/datapipe/datapipe/internal/store"
)

// LeaseAcquire takes the named lease for Holder until Now+TTL when it is
// free, expired (its expiry is before Now) or already Holder's, in
// one upsert: store.ErrConflict when another holder has it.
func (q *queries) LeaseAcquire(ctx context.Context, p store.LeaseAcquireParams) error {
	tag, err := q.db.Exec(ctx, `INSERT INTO leases (name, holder, expires_at) VALUES ($1, $2, $3)
		ON CONFLICT (name) DO UPDATE SET holder = EXCLUDED.holder, expires_at = EXCLUDED.expires_at
		WHERE leases.holder = EXCLUDED.holder OR leases.expires_at < $4`,
		p.Name, p.Holder, stamp(p.Now.Add(p.TTL)), stamp(p.Now))
	if err != nil {
		return fmt.Errorf("acquire lease %s for %s: %w", p.Name, p.Holder, err)
	}
	if tag.RowsAffected() == 0 {
		return fmt.Errorf("acquire lease %s for %s: %w", p.Name, p.Holder, store.ErrConflict)
	}
	return nil
}

// LeaseRelease frees the named lease if Holder holds it; otherwise it does
// nothing.
func (q *queries) LeaseRelease(ctx context.Context, p store.LeaseReleaseParams) error {
	_, err := q.db.Exec(ctx, `DELETE FROM leases WHERE name = $1 AND holder = $2`, p.Name, p.Holder)
	if err != nil {
		return fmt.Errorf("release lease %s for %s: %w", p.Name, p.Holder, err)
	}
	return nil
}
