package store

import "errors"

// Sentinel errors. Adapters wrap them; callers test with errors.Is.
var (
	// ErrNotFound: no such pipeline, object, task or runner (or it belongs
	// to another account).
	ErrNotFound = errors.New("not found")
	// ErrDeleted: the pipeline existed and has been deleted.
	ErrDeleted = errors.New("deleted")
	// ErrConflict: the write conflicts with the current state (a task
	// already claimed or completed, a lease held by another holder).
	ErrConflict = errors.New("conflict")
)
