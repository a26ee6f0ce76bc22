package precondition

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/datapipe/datapipe/internal/activity"
	"github.com/datapipe/datapipe/internal/activity/data"
)

// RdsSqlPrecondition executes RdsSqlPrecondition attempts.
type RdsSqlPrecondition struct{ open *data.Opener }

var _ activity.Executor = (*RdsSqlPrecondition)(nil)

// NewRdsSqlPrecondition returns the RdsSqlPrecondition executor.
func NewRdsSqlPrecondition(open *data.Opener) *RdsSqlPrecondition {
	return &RdsSqlPrecondition{open: open}
}

// Execute runs the query: Finished when its first value is true.
func (p *RdsSqlPrecondition) Execute(ctx context.Context, t *activity.Task, env *activity.Env) (activity.Outcome, error) {
	query, err := required(t, "query")
	if err != nil {
		return 0, err
	}
	owner := t.Attempt
	owner.ID = self(t).ID
	db, err := p.open.Database(ctx, t, owner)
	if err != nil {
		return 0, data.Fail(err)
	}
	defer db.Close()
	var v sql.NullString
	err = db.DB().QueryRowContext(ctx, query).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return outcome(env, false, nil, "query")
	}
	if err != nil {
		return 0, data.Fail(fmt.Errorf("%s: query: %w", name(t), err))
	}
	return outcome(env, truthy(v), nil, fmt.Sprintf("query (first value %q)", v.String))
}

// truthy reports whether a value is true: not NULL, false, 0 or empty.
func truthy(v sql.NullString) bool {
	s := strings.TrimSpace(v.String)
	if !v.Valid || s == "" {
		return false
	}
	if b, err := strconv.ParseBool(s); err == nil {
		return b
	}
	if f, err := strconv.ParseFloat(s, 64); err == nil {
		return f != 0
	}
	return true
}
