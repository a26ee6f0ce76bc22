package storetest

import (
	"testing"
	"time"

	"github.com/datapipe/datapipe/internal/store"
)

// The lease the suite contends for, and its time to live.
const (
	leaseName = "scheduler"
	leaseTTL  = time.Minute
)

// acquire tries to take leaseName for holder at now.
func acquire(t *testing.T, s store.Queries, holder string, now time.Time) error {
	t.Helper()
	return s.LeaseAcquire(t.Context(), store.LeaseAcquireParams{Name: leaseName, Holder: holder, Now: now, TTL: leaseTTL})
}

// release gives leaseName up for holder.
func release(t *testing.T, s store.Queries, holder string) {
	t.Helper()
	noErr(t, s.LeaseRelease(t.Context(), store.LeaseReleaseParams{Name: leaseName, Holder: holder}))
}

// testLeaseAcquire: a lease is held by one holder until it expires; the
// holder may renew it.
func testLeaseAcquire(t *testing.T, open Opener) {
	t.Run("OK", func(t *testing.T) {
		s := open(t)
		noErr(t, acquire(t, s, "a", at(0)))
	})
	t.Run("Renew", func(t *testing.T) {
		s := open(t)
		noErr(t, acquire(t, s, "a", at(0)))
		noErr(t, acquire(t, s, "a", at(30*time.Second)))
		wantErr(t, acquire(t, s, "b", at(80*time.Second)), store.ErrConflict)
		noErr(t, acquire(t, s, "b", at(91*time.Second)))
	})
	t.Run("RenewAfterExpiry", func(t *testing.T) {
		s := open(t)
		noErr(t, acquire(t, s, "a", at(0)))
		noErr(t, acquire(t, s, "a", at(5*time.Minute)))
		wantErr(t, acquire(t, s, "b", at(5*time.Minute+time.Second)), store.ErrConflict)
	})
	t.Run("ErrConflict", func(t *testing.T) {
		s := open(t)
		noErr(t, acquire(t, s, "a", at(0)))
		wantErr(t, acquire(t, s, "b", at(59*time.Second)), store.ErrConflict)
	})
	t.Run("Takeover", func(t *testing.T) {
		s := open(t)
		noErr(t, acquire(t, s, "a", at(0)))
		noErr(t, acquire(t, s, "b", at(leaseTTL+time.Second)))
		wantErr(t, acquire(t, s, "a", at(leaseTTL+2*time.Second)), store.ErrConflict)
	})
	t.Run("IndependentNames", func(t *testing.T) {
		s := open(t)
		noErr(t, acquire(t, s, "a", at(0)))
		noErr(t, s.LeaseAcquire(t.Context(), store.LeaseAcquireParams{Name: "other", Holder: "b", Now: at(0), TTL: leaseTTL}))
	})
}

// testLeaseRelease: releasing frees a lease held by the releaser and is a
// no-op otherwise.
func testLeaseRelease(t *testing.T, open Opener) {
	t.Run("OK", func(t *testing.T) {
		s := open(t)
		noErr(t, acquire(t, s, "a", at(0)))
		release(t, s, "a")
		noErr(t, acquire(t, s, "b", at(time.Second)))
	})
	t.Run("NotHolder", func(t *testing.T) {
		s := open(t)
		noErr(t, acquire(t, s, "a", at(0)))
		release(t, s, "b")
		wantErr(t, acquire(t, s, "b", at(time.Second)), store.ErrConflict)
		noErr(t, acquire(t, s, "a", at(time.Second)))
	})
	t.Run("NotHeld", func(t *testing.T) {
		s := open(t)
		release(t, s, "a")
		noErr(t, acquire(t, s, "a", at(0)))
	})
}
