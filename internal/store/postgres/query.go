package postgres

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/datapipe/datapipe/internal/store"
)

// ObjectQuery returns up to Limit (all when Limit <= 0) objects of the
// pipeline and sphere (any sphere when empty) matching every filter, by
// scheduled start then id, after the cursor. A filter on an unknown
// field, with an unknown operator or the wrong number of values is an
// error (not a sentinel): callers validate filters first.
func (q *queries) ObjectQuery(ctx context.Context, p store.ObjectQueryParams) ([]store.Object, error) {
	sql, args, err := objectQuerySQL(objectCols, p)
	if err != nil {
		return nil, fmt.Errorf("query objects of %s: %w", p.PipelineID, err)
	}
	rows, err := q.db.Query(ctx, sql, args...)
	if err != nil {
		return nil, fmt.Errorf("query objects of %s: %w", p.PipelineID, err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (store.Object, error) { return scanObject(r) })
	if err != nil {
		return nil, fmt.Errorf("query objects of %s: %w", p.PipelineID, err)
	}
	return out, nil
}

// ObjectVersions is ObjectQuery reading only id, revision and status.
func (q *queries) ObjectVersions(ctx context.Context, p store.ObjectQueryParams) ([]store.ObjectVersion, error) {
	sql, args, err := objectQuerySQL("id, revision, status", p)
	if err != nil {
		return nil, fmt.Errorf("object versions of %s: %w", p.PipelineID, err)
	}
	rows, err := q.db.Query(ctx, sql, args...)
	if err != nil {
		return nil, fmt.Errorf("object versions of %s: %w", p.PipelineID, err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (v store.ObjectVersion, err error) {
		err = r.Scan(&v.ID, &v.Revision, &v.Status)
		return v, err
	})
	if err != nil {
		return nil, fmt.Errorf("object versions of %s: %w", p.PipelineID, err)
	}
	return out, nil
}

// where accumulates the conditions and arguments of a query.
type where struct {
	conds []string
	args  []any
}

// arg adds an argument and returns its placeholder.
func (w *where) arg(v any) string {
	w.args = append(w.args, v)
	return "$" + strconv.Itoa(len(w.args))
}

// objectQuerySQL builds the statement selecting cols for an object query.
func objectQuerySQL(cols string, p store.ObjectQueryParams) (string, []any, error) {
	var w where
	w.conds = append(w.conds, "pipeline_id = "+w.arg(p.PipelineID))
	if p.Sphere != "" {
		w.conds = append(w.conds, "sphere = "+w.arg(string(p.Sphere)))
	}
	for _, f := range p.Filters {
		cond, err := w.filter(f)
		if err != nil {
			return "", nil, err
		}
		w.conds = append(w.conds, cond)
	}
	if p.After != nil {
		w.conds = append(w.conds, fmt.Sprintf("(scheduled_start_at, id) > (%s, %s)",
			w.arg(stamp(p.After.ScheduledStart)), w.arg(p.After.ID)))
	}
	sql := `SELECT ` + cols + ` FROM objects WHERE ` + strings.Join(w.conds, " AND ") +
		` ORDER BY scheduled_start_at, id LIMIT ` + w.arg(limit(p.Limit))
	return sql, w.args, nil
}

// filter is the condition of one filter.
func (w *where) filter(f store.ObjectFilter) (string, error) {
	col, ok := filterColumn(f.Field)
	if !ok {
		return "", fmt.Errorf("filter on unknown field %q", f.Field)
	}
	want := map[store.FilterOp]int{store.OpLE: 1, store.OpGE: 1, store.OpBetween: 2}
	if n, fixed := want[f.Op]; fixed && len(f.Values) != n {
		return "", fmt.Errorf("filter %s %s takes %d value(s), got %d", f.Field, f.Op, n, len(f.Values))
	}
	switch f.Op {
	case store.OpEQ, store.OpRefEQ:
		return col + " = ANY(" + w.arg(f.Values) + "::text[])", nil
	case store.OpLE:
		return col + " <= " + w.arg(f.Values[0]), nil
	case store.OpGE:
		return col + " >= " + w.arg(f.Values[0]), nil
	case store.OpBetween:
		return col + " BETWEEN " + w.arg(f.Values[0]) + " AND " + w.arg(f.Values[1]), nil
	}
	return "", fmt.Errorf("filter %s: unknown operator %q", f.Field, f.Op)
}

// filterColumn is the column a filter field compares; time fields compare
// their 'YYYY-MM-DDTHH:MM:SS' text, NULL (never matching) when unset.
func filterColumn(field string) (string, bool) {
	switch field {
	case "@id", "name":
		return "id", true
	case "@sphere":
		return "sphere", true
	case "parent", "@componentParent":
		return "component_id", true
	case "@instanceParent":
		return "instance_id", true
	case "@status":
		return "status", true
	case "@scheduledStartTime":
		return "scheduled_start", true
	case "@scheduledEndTime":
		return "scheduled_end", true
	case "@actualStartTime":
		return "actual_start", true
	case "@actualEndTime":
		return "actual_end", true
	}
	return "", false
}
