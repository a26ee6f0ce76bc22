package control

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/datapipe/datapipe/internal/pipeline"
	"github.com/datapipe/datapipe/internal/store"
)

// Query limits (api.md §4.13).
const (
	maxSelectors  = 10
	defaultLimit  = 100
	maxQueryLimit = 1000
)

// queryMarker is the QueryObjects cursor: the sort key of the last id.
type queryMarker struct {
	Start time.Time `json:"s,omitzero"`
	ID    string    `json:"i"`
}

// QueryObjects returns one page of the ids of a sphere's objects matching
// every selector (api.md §4.13): EQ (any of the values; @status compared
// case-insensitively, CANCELLED read as CANCELED), REF_EQ, LE, GE and
// BETWEEN (inclusive) on the documented fields. Components come in
// definition order, instances and attempts by scheduled start then id.
// Bad spheres, operators, value counts or limits are
// InvalidRequestException.
func (s *Service) QueryObjects(ctx context.Context, c Caller, id, sphere string, selectors []Selector, marker string, limit int) ([]string, Page, error) {
	filters, err := checkQuery(sphere, selectors, limit)
	if err != nil {
		return nil, Page{}, err
	}
	limit = min(max(limit, 0), maxQueryLimit)
	if limit == 0 {
		limit = defaultLimit
	}
	var m queryMarker
	if err := decodeMarker(marker, &m); err != nil {
		return nil, Page{}, err
	}
	if pipeline.Sphere(sphere) == pipeline.SphereComponent {
		return s.queryComponents(ctx, c, id, filters, m, limit)
	}
	return s.queryRuntime(ctx, c, id, pipeline.Sphere(sphere), filters, m, limit)
}

// checkQuery validates a query and turns its selectors into filters.
func checkQuery(sphere string, selectors []Selector, limit int) ([]store.ObjectFilter, error) {
	switch pipeline.Sphere(sphere) {
	case pipeline.SphereComponent, pipeline.SphereInstance, pipeline.SphereAttempt:
	default:
		return nil, invalid("Sphere %q is not valid: use COMPONENT, INSTANCE or ATTEMPT.", sphere)
	}
	if len(selectors) > maxSelectors {
		return nil, invalid("A query may have at most %d selectors; it has %d.", maxSelectors, len(selectors))
	}
	if limit < 0 {
		return nil, invalid("limit must be at least 1.")
	}
	filters := make([]store.ObjectFilter, 0, len(selectors))
	for _, sel := range selectors {
		f, err := toFilter(sel)
		if err != nil {
			return nil, err
		}
		filters = append(filters, f)
	}
	return filters, nil
}

func toFilter(sel Selector) (store.ObjectFilter, error) {
	op := store.FilterOp(strings.ToUpper(sel.Operator))
	want := map[store.FilterOp][2]int{store.OpEQ: {1, 1 << 20}, store.OpRefEQ: {1, 1 << 20}, store.OpLE: {1, 1}, store.OpGE: {1, 1}, store.OpBetween: {2, 2}}
	n, ok := want[op]
	switch {
	case !ok:
		return store.ObjectFilter{}, invalid("Operator %q is not valid: use EQ, REF_EQ, LE, GE or BETWEEN.", sel.Operator)
	case len(sel.Values) < n[0] || len(sel.Values) > n[1]:
		return store.ObjectFilter{}, invalid("Operator %s on %q takes %s.", op, sel.FieldName, valueCount(n))
	}
	f := store.ObjectFilter{Field: sel.FieldName, Op: op, Values: sel.Values}
	if f.Field == "@status" {
		f.Values = normaliseStatuses(f.Values)
	}
	return f, nil
}

func valueCount(n [2]int) string {
	if n[0] == n[1] {
		return fmt.Sprintf("exactly %d value(s)", n[0])
	}
	return "at least one value"
}

func normaliseStatuses(vs []string) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = string(pipeline.ParseStatus(v))
	}
	return out
}

// queryRuntime pages through instances or attempts in the store.
func (s *Service) queryRuntime(ctx context.Context, c Caller, id string, sphere pipeline.Sphere, filters []store.ObjectFilter, m queryMarker, limit int) ([]string, Page, error) {
	if _, err := s.getPipeline(ctx, s.store, c, id); err != nil {
		return nil, Page{}, err
	}
	if !indexedFields(filters) {
		return []string{}, Page{}, nil // a selector on a field objects lack matches nothing
	}
	p := store.ObjectQueryParams{PipelineID: id, Sphere: sphere, Filters: filters, Limit: limit + 1}
	if m.ID != "" {
		p.After = &store.ObjectCursor{ScheduledStart: m.Start, ID: m.ID}
	}
	objs, err := s.store.ObjectQuery(ctx, p)
	if err != nil {
		return nil, Page{}, fmt.Errorf("query objects of %s: %w", id, err)
	}
	var page Page
	if len(objs) > limit {
		objs = objs[:limit]
		last := objs[len(objs)-1]
		page = Page{HasMore: true, Marker: encodeMarker(queryMarker{Start: last.ScheduledStart, ID: last.ID})}
	}
	ids := make([]string, len(objs))
	for i, o := range objs {
		ids[i] = o.ID
	}
	return ids, page, nil
}

// indexedFields reports whether every filter is on a field the store
// indexes (store.ObjectFilter lists them).
func indexedFields(filters []store.ObjectFilter) bool {
	for _, f := range filters {
		switch f.Field {
		case "@id", "name", "@sphere", "parent", "@componentParent", "@instanceParent", "@status",
			"@scheduledStartTime", "@scheduledEndTime", "@actualStartTime", "@actualEndTime":
		default:
			return false
		}
	}
	return true
}

// queryComponents filters the definition's components in memory: they are
// few, and their fields live in the definition, not in indexed rows.
func (s *Service) queryComponents(ctx context.Context, c Caller, id string, filters []store.ObjectFilter, m queryMarker, limit int) ([]string, Page, error) {
	v, err := s.loadView(ctx, c, id)
	if err != nil {
		return nil, Page{}, err
	}
	var ids []string
	started := m.ID == ""
	for _, o := range v.def.Objects {
		if !started {
			started = o.ID == m.ID
			continue
		}
		if matchesAll(v.componentObject(o.ID, store.Object{}, false), filters) {
			ids = append(ids, o.ID)
		}
	}
	if len(ids) > limit {
		return ids[:limit], Page{HasMore: true, Marker: encodeMarker(queryMarker{ID: ids[limit-1]})}, nil
	}
	return ids, Page{}, nil
}

// matchesAll applies filters to an object's top-level fields.
func matchesAll(o pipeline.Object, filters []store.ObjectFilter) bool {
	for _, f := range filters {
		if !matches(o, f) {
			return false
		}
	}
	return true
}

func matches(o pipeline.Object, f store.ObjectFilter) bool {
	field, ok := o.Get(f.Field)
	if f.Field == "name" || f.Field == "@id" {
		field, ok = pipeline.String(f.Field, o.Name), true
		if f.Field == "@id" {
			field.Value = o.ID
		}
	}
	if !ok || (f.Op == store.OpRefEQ && !field.Ref) {
		return false
	}
	val := field.Value
	if f.Field == "@status" {
		val = string(pipeline.ParseStatus(val))
	}
	switch f.Op {
	case store.OpLE:
		return val <= f.Values[0]
	case store.OpGE:
		return val >= f.Values[0]
	case store.OpBetween:
		return f.Values[0] <= val && val <= f.Values[1]
	}
	return contains(f.Values, val)
}

func contains(vs []string, v string) bool {
	for _, x := range vs {
		if x == v {
			return true
		}
	}
	return false
}
