package postgres

import (
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/datapipe/datapipe/internal/store"
)

// PostgreSQL error codes the adapter reacts to.
const (
	codeUniqueViolation      = "23505"
	codeForeignKeyViolation  = "23503"
	codeSerializationFailure = "40001"
	codeDeadlockDetected     = "40P01"
)

// pgCode returns the SQLSTATE of err, "" when it is not a server error.
func pgCode(err error) string {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		return pgErr.Code
	}
	return ""
}

// wrap adds context to err, mapping a unique violation to
// store.ErrConflict, and no rows or a reference to an unknown pipeline (a
// foreign key violation) to store.ErrNotFound; other errors keep their
// cause.
func wrap(err error, format string, args ...any) error {
	msg := fmt.Sprintf(format, args...)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		return fmt.Errorf("%s: %w", msg, store.ErrNotFound)
	case pgCode(err) == codeForeignKeyViolation:
		return fmt.Errorf("%s: %w: %w", msg, store.ErrNotFound, err)
	case pgCode(err) == codeUniqueViolation:
		return fmt.Errorf("%s: %w: %w", msg, store.ErrConflict, err)
	}
	return fmt.Errorf("%s: %w", msg, err)
}

// retryable reports whether a transaction failed only because it raced
// another one, so that running it again may succeed.
func retryable(err error) bool {
	switch pgCode(err) {
	case codeSerializationFailure, codeDeadlockDetected:
		return true
	}
	return false
}
