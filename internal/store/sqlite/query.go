package sqlite

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/datapipe/datapipe/internal/store"
)

// whereBuilder accumulates AND-ed conditions and their arguments.
type whereBuilder struct {
	conds []string
	args  []any
}

// add appends one condition and its arguments.
func (w *whereBuilder) add(cond string, args ...any) {
	w.conds = append(w.conds, cond)
	w.args = append(w.args, args...)
}

// sql returns the conditions joined with AND.
func (w *whereBuilder) sql() string { return strings.Join(w.conds, " AND ") }

// ObjectQuery returns one page of the pipeline's objects of p.Sphere that
// match every filter, ordered by scheduled start (unset first), then id,
// after p.After; at most p.Limit (all when p.Limit <= 0). An unknown filter
// field or operator, or a wrong number of values, is an error.
func (q queries) ObjectQuery(ctx context.Context, p store.ObjectQueryParams) ([]store.Object, error) {
	query, args, err := objectQuerySQL(objectCols, p)
	if err != nil {
		return nil, fmt.Errorf("object query %s: %w", p.PipelineID, err)
	}
	objs, err := queryAll(ctx, q.x, scanObject, query, args...)
	if err != nil {
		return nil, fmt.Errorf("object query %s: %w", p.PipelineID, err)
	}
	return objs, nil
}

// ObjectVersions is ObjectQuery reading only id, revision and status.
func (q queries) ObjectVersions(ctx context.Context, p store.ObjectQueryParams) ([]store.ObjectVersion, error) {
	query, args, err := objectQuerySQL("id, revision, status", p)
	if err != nil {
		return nil, fmt.Errorf("object versions %s: %w", p.PipelineID, err)
	}
	vs, err := queryAll(ctx, q.x, func(s scanner) (v store.ObjectVersion, err error) {
		err = s.Scan(&v.ID, &v.Revision, &v.Status)
		return v, err
	}, query, args...)
	if err != nil {
		return nil, fmt.Errorf("object versions %s: %w", p.PipelineID, err)
	}
	return vs, nil
}

// objectQuerySQL builds the statement selecting cols for an object query.
func objectQuerySQL(cols string, p store.ObjectQueryParams) (string, []any, error) {
	var w whereBuilder
	w.add("pipeline_id = ?", p.PipelineID)
	w.add("sphere = ?", p.Sphere)
	for _, f := range p.Filters {
		if err := addFilter(&w, f); err != nil {
			return "", nil, err
		}
	}
	if p.After != nil {
		addCursor(&w, *p.After)
	}
	return `SELECT ` + cols + ` FROM objects` + indexHint(p.Filters) + ` WHERE ` + w.sql() + ` ORDER BY scheduled_start, id LIMIT ?`,
		append(w.args, sqlLimit(p.Limit)), nil
}

// indexHint makes a query filtered on status read objects_status_order:
// left to itself SQLite walks the whole pipeline in objects_order (to
// save a sort), which costs the full history for a handful of open
// instances.
func indexHint(filters []store.ObjectFilter) string {
	for _, f := range filters {
		if f.Field == "@status" && (f.Op == store.OpEQ || f.Op == store.OpRefEQ) {
			return ` INDEXED BY objects_status_order`
		}
	}
	return ""
}

// addCursor restricts w to objects sorting after c. Unset scheduled starts
// (NULL) sort first, as the zero time does; a row-value comparison with a
// NULL start is never true, so a non-zero cursor skips them, and lets the
// objects_order index seek to the cursor.
func addCursor(w *whereBuilder, c store.ObjectCursor) {
	if c.ScheduledStart.IsZero() {
		w.add("(scheduled_start IS NOT NULL OR id > ?)", c.ID)
		return
	}
	w.add("(scheduled_start, id) > (?, ?)", objectTime(c.ScheduledStart), c.ID)
}

// addFilter adds one filter's condition to w.
func addFilter(w *whereBuilder, f store.ObjectFilter) error {
	col, ok := filterColumn(f.Field)
	if !ok {
		return fmt.Errorf("filter on unknown field %q", f.Field)
	}
	switch f.Op {
	case store.OpEQ, store.OpRefEQ:
		if len(f.Values) == 0 {
			w.add("0")
			return nil
		}
		w.add(col+" IN ("+placeholders(len(f.Values))+")", anys(f.Values)...)
		return nil
	case store.OpLE, store.OpGE, store.OpBetween:
		if raw, ok := rawTimeColumn(f.Field); ok && canonicalTimes(f.Values) {
			return addTimeRange(w, raw, f)
		}
		return addRange(w, col, f)
	}
	return fmt.Errorf("filter on %q: unknown operator %q", f.Field, f.Op)
}

// addTimeRange adds a range on a time column compared raw, so that an
// index on the column serves it. For a canonical value v (19 characters)
// the prefix comparison substr(x, 1, 19) >= v is x >= v, and
// substr(x, 1, 19) <= v is x < v || '~' (stored times continue with
// '.', which sorts before '~').
func addTimeRange(w *whereBuilder, col string, f store.ObjectFilter) error {
	switch {
	case f.Op == store.OpGE && len(f.Values) == 1:
		w.add(col+" >= ?", f.Values[0])
	case f.Op == store.OpLE && len(f.Values) == 1:
		w.add(col+" < ?", f.Values[0]+"~")
	case f.Op == store.OpBetween && len(f.Values) == 2:
		w.add(col+" >= ? AND "+col+" < ?", f.Values[0], f.Values[1]+"~")
	default:
		return addRange(w, timePrefix(col), f) // reports the wrong count
	}
	return nil
}

// timeColumns are the columns of the time filter fields.
var timeColumns = map[string]string{"@scheduledStartTime": "scheduled_start", "@scheduledEndTime": "scheduled_end",
	"@actualStartTime": "actual_start", "@actualEndTime": "actual_end"}

// rawTimeColumn returns the column of a time filter field.
func rawTimeColumn(field string) (string, bool) {
	col, ok := timeColumns[field]
	return col, ok
}

// canonicalTimes reports whether every value is a YYYY-MM-DDTHH:MM:SS
// time, the form for which raw comparisons equal prefix comparisons.
func canonicalTimes(values []string) bool {
	for _, v := range values {
		if _, err := time.Parse("2006-01-02T15:04:05", v); err != nil || len(v) != filterTimeLen {
			return false
		}
	}
	return true
}

// addRange adds an LE, GE or BETWEEN condition, checking its value count.
func addRange(w *whereBuilder, col string, f store.ObjectFilter) error {
	want, cond := 1, col+" <= ?"
	switch f.Op {
	case store.OpGE:
		cond = col + " >= ?"
	case store.OpBetween:
		want, cond = 2, col+" BETWEEN ? AND ?"
	}
	if len(f.Values) != want {
		return fmt.Errorf("filter %s on %q takes %d value(s), got %d", f.Op, f.Field, want, len(f.Values))
	}
	w.add(cond, anys(f.Values)...)
	return nil
}

// filterColumn returns the SQL expression a filter field compares. Time
// fields compare their YYYY-MM-DDTHH:MM:SS prefix, NULL (never matching)
// when unset.
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
	}
	if col, ok := timeColumns[field]; ok {
		return timePrefix(col), true
	}
	return "", false
}

// timePrefix is the expression for the YYYY-MM-DDTHH:MM:SS form of a time
// column.
func timePrefix(col string) string { return fmt.Sprintf("substr(%s, 1, %d)", col, filterTimeLen) }
