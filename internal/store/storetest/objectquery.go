package storetest

import (
	"fmt"
	"testing"
	"time"

	"github.com/datapipe/datapipe/internal/pipeline"
	"github.com/datapipe/datapipe/internal/store"
)

// queryFixture creates pipeline df-1 with three instances and two attempts
// (and df-2 with a decoy) for the filter table:
//
//	@i1 Shell  FINISHED                 start 01-01  actual 00:05:00.250–00:06:00
//	@i2 Copy   RUNNING                  start 01-02  actual start 00:01:00, no end
//	@i3 Shell  WAITING_ON_DEPENDENCIES  start 01-03  no actual times
//	@a1 attempt of @i1, FINISHED; @a2 attempt of @i2, RUNNING
func queryFixture(t *testing.T, s store.Queries) {
	t.Helper()
	seed(t, s, "df-1")
	seed(t, s, "df-2")
	i1 := newInstance("df-1", "@i1", "Shell", day(1, 0, 0, 0))
	i1.Status, i1.ActualStart, i1.ActualEnd = pipeline.StatusFinished, day(1, 0, 5, 0).Add(250*time.Millisecond), day(1, 0, 6, 0)
	i2 := newInstance("df-1", "@i2", "Copy", day(2, 0, 0, 0))
	i2.Status, i2.ActualStart = pipeline.StatusRunning, day(2, 0, 1, 0)
	i3 := newInstance("df-1", "@i3", "Shell", day(3, 0, 0, 0))
	a1 := newAttempt(i1, "@a1")
	a1.Status = pipeline.StatusFinished
	a2 := newAttempt(i2, "@a2")
	createObjects(t, s, i3, a2, i1, a1, i2, newInstance("df-2", "@x1", "Shell", day(1, 0, 0, 0)))
}

// filter builds an ObjectFilter.
func filter(field string, op store.FilterOp, values ...string) store.ObjectFilter {
	return store.ObjectFilter{Field: field, Op: op, Values: values}
}

// queryIDs runs a query in df-1 and returns the ids found.
func queryIDs(t *testing.T, s store.Queries, p store.ObjectQueryParams) []string {
	t.Helper()
	if p.PipelineID == "" {
		p.PipelineID = "df-1"
	}
	return objectIDs(try(s.ObjectQuery(t.Context(), p)).must(t))
}

// testObjectQuery: ObjectQuery filters one sphere on every indexed field
// and operator, and pages in scheduled-start, id order.
func testObjectQuery(t *testing.T, open Opener) {
	t.Run("Filter", func(t *testing.T) { testObjectQueryFilter(t, open) })
	t.Run("Order", func(t *testing.T) { testObjectQueryOrder(t, open) })
	t.Run("Paging", func(t *testing.T) { testObjectQueryPaging(t, open) })
	t.Run("ErrInvalidFilter", func(t *testing.T) { testObjectQueryInvalid(t, open) })
	t.Run("Versions", func(t *testing.T) { testObjectVersions(t, open) })
}

// queryCase is one row of the filter table.
type queryCase struct {
	name    string
	sphere  pipeline.Sphere
	filters []store.ObjectFilter
	want    []string
}

// filterCases is the filter table over queryFixture.
func filterCases() []queryCase {
	inst, att := pipeline.SphereInstance, pipeline.SphereAttempt
	const (
		eq, ref, le, ge, between = store.OpEQ, store.OpRefEQ, store.OpLE, store.OpGE, store.OpBetween
	)
	return []queryCase{
		{"NoFilter/Instance", inst, nil, []string{"@i1", "@i2", "@i3"}},
		{"NoFilter/Attempt", att, nil, []string{"@a1", "@a2"}},
		{"NoFilter/Component", pipeline.SphereComponent, nil, []string{}},
		{"@id/EQ", inst, []store.ObjectFilter{filter("@id", eq, "@i3", "@a1", "@i2")}, []string{"@i2", "@i3"}},
		{"name/EQ", inst, []store.ObjectFilter{filter("name", eq, "@i1")}, []string{"@i1"}},
		{"@id/BETWEEN", inst, []store.ObjectFilter{filter("@id", between, "@i2", "@i9")}, []string{"@i2", "@i3"}},
		{"@sphere/EQ", inst, []store.ObjectFilter{filter("@sphere", eq, "INSTANCE")}, []string{"@i1", "@i2", "@i3"}},
		{"@sphere/EQ/Other", inst, []store.ObjectFilter{filter("@sphere", eq, "ATTEMPT")}, []string{}},
		{"@componentParent/REF_EQ", inst, []store.ObjectFilter{filter("@componentParent", ref, "Shell")}, []string{"@i1", "@i3"}},
		{"parent/EQ", inst, []store.ObjectFilter{filter("parent", eq, "Copy")}, []string{"@i2"}},
		{"@instanceParent/REF_EQ", att, []store.ObjectFilter{filter("@instanceParent", ref, "@i2")}, []string{"@a2"}},
		{"@status/EQ", inst, []store.ObjectFilter{filter("@status", eq, "FINISHED", "RUNNING")}, []string{"@i1", "@i2"}},
		{"@status/EQ/CaseSensitive", inst, []store.ObjectFilter{filter("@status", eq, "finished")}, []string{}},
		{"@status/EQ/Attempt", att, []store.ObjectFilter{filter("@status", eq, "FINISHED")}, []string{"@a1"}},
		{"@scheduledStartTime/GE", inst, []store.ObjectFilter{filter("@scheduledStartTime", ge, "2024-01-02T00:00:00")}, []string{"@i2", "@i3"}},
		{"@scheduledStartTime/LE", inst, []store.ObjectFilter{filter("@scheduledStartTime", le, "2024-01-02T00:00:00")}, []string{"@i1", "@i2"}},
		{"@scheduledStartTime/BETWEEN", inst, []store.ObjectFilter{filter("@scheduledStartTime", between, "2024-01-01T00:00:01", "2024-01-03T00:00:00")}, []string{"@i2", "@i3"}},
		{"@scheduledStartTime/EQ", inst, []store.ObjectFilter{filter("@scheduledStartTime", eq, "2024-01-03T00:00:00")}, []string{"@i3"}},
		{"@scheduledEndTime/LE", inst, []store.ObjectFilter{filter("@scheduledEndTime", le, "2024-01-03T00:00:00")}, []string{"@i1", "@i2"}},
		{"@scheduledEndTime/GE", inst, []store.ObjectFilter{filter("@scheduledEndTime", ge, "2024-01-03T00:00:01")}, []string{"@i3"}},
		{"@actualStartTime/GE", inst, []store.ObjectFilter{filter("@actualStartTime", ge, "0000-01-01T00:00:00")}, []string{"@i1", "@i2"}},
		{"@actualStartTime/LE/UnsetNeverMatches", inst, []store.ObjectFilter{filter("@actualStartTime", le, "9999-12-31T23:59:59")}, []string{"@i1", "@i2"}},
		{"@actualStartTime/EQ/Seconds", inst, []store.ObjectFilter{filter("@actualStartTime", eq, "2024-01-01T00:05:00")}, []string{"@i1"}},
		{"@actualStartTime/LE/Seconds", inst, []store.ObjectFilter{filter("@actualStartTime", le, "2024-01-01T00:05:00")}, []string{"@i1"}},
		{"@actualStartTime/GE/Seconds", inst, []store.ObjectFilter{filter("@actualStartTime", ge, "2024-01-01T00:05:01")}, []string{"@i2"}},
		{"@actualEndTime/BETWEEN", inst, []store.ObjectFilter{filter("@actualEndTime", between, "0000-01-01T00:00:00", "9999-12-31T23:59:59")}, []string{"@i1"}},
		{"@actualEndTime/EQ", inst, []store.ObjectFilter{filter("@actualEndTime", eq, "2024-01-01T00:06:00")}, []string{"@i1"}},
		{"AllFiltersMatch", inst, []store.ObjectFilter{
			filter("@status", eq, "FINISHED", "WAITING_ON_DEPENDENCIES"),
			filter("@componentParent", ref, "Shell"),
			filter("@scheduledStartTime", ge, "2024-01-02T00:00:00"),
		}, []string{"@i3"}},
	}
}

// testObjectQueryFilter runs the filter table.
func testObjectQueryFilter(t *testing.T, open Opener) {
	s := open(t)
	queryFixture(t, s)
	for _, tt := range filterCases() {
		t.Run(tt.name, func(t *testing.T) {
			got := queryIDs(t, s, store.ObjectQueryParams{Sphere: tt.sphere, Filters: tt.filters, Limit: 100})
			equal(t, "ids", got, tt.want)
		})
	}
}

// testObjectVersions: ObjectVersions matches what ObjectQuery matches, in
// the same order, with each object's revision and status; an update
// shows as a higher revision.
func testObjectVersions(t *testing.T, open Opener) {
	s := open(t)
	queryFixture(t, s)
	for _, tt := range filterCases() {
		p := store.ObjectQueryParams{PipelineID: "df-1", Sphere: tt.sphere, Filters: tt.filters, Limit: 100}
		objs := try(s.ObjectQuery(t.Context(), p)).must(t)
		vs := try(s.ObjectVersions(t.Context(), p)).must(t)
		var want, got []string
		for _, o := range objs {
			want = append(want, fmt.Sprintf("%s/%d/%s", o.ID, o.Revision, o.Status))
		}
		for _, v := range vs {
			got = append(got, fmt.Sprintf("%s/%d/%s", v.ID, v.Revision, v.Status))
		}
		equal(t, tt.name, got, want)
	}
	p := store.ObjectQueryParams{PipelineID: "df-1", Sphere: pipeline.SphereInstance, Filters: []store.ObjectFilter{filter("@id", store.OpEQ, "@i3")}}
	before := try(s.ObjectVersions(t.Context(), p)).must(t)
	o := try(s.ObjectGet(t.Context(), store.ObjectGetParams{PipelineID: "df-1", IDs: []string{"@i3"}})).must(t)[0]
	o.Status = pipeline.StatusRunning
	try(s.ObjectUpdate(t.Context(), store.ObjectUpdateParams{Object: o})).must(t)
	after := try(s.ObjectVersions(t.Context(), p)).must(t)
	if len(before) != 1 || len(after) != 1 || after[0].Revision <= before[0].Revision || after[0].Status != pipeline.StatusRunning {
		t.Errorf("versions before %v, after update %v", before, after)
	}
	if _, err := s.ObjectVersions(t.Context(), store.ObjectQueryParams{PipelineID: "df-1", Sphere: pipeline.SphereInstance,
		Filters: []store.ObjectFilter{filter("@nope", store.OpEQ, "x")}}); err == nil {
		t.Error("ObjectVersions with an unknown filter field: want an error")
	}
}

// testObjectQueryOrder: results are ordered by scheduled start, then id;
// an unset scheduled start is the zero time and sorts first, also when
// paging with a cursor.
func testObjectQueryOrder(t *testing.T, open Opener) {
	s := open(t)
	seed(t, s, "df-1")
	createObjects(t, s,
		newInstance("df-1", "@b", "Shell", day(2, 0, 0, 0)),
		unscheduled("df-1", "@z-unset"),
		newInstance("df-1", "@c", "Shell", day(1, 0, 0, 0)),
		newInstance("df-1", "@a", "Shell", day(2, 0, 0, 0)),
		newInstance("df-1", "@d", "Shell", day(1, 0, 0, 0).Add(500*time.Millisecond)),
		unscheduled("df-1", "@y-unset"))
	want := []string{"@y-unset", "@z-unset", "@c", "@d", "@a", "@b"}
	equal(t, "ids", queryIDs(t, s, store.ObjectQueryParams{Sphere: pipeline.SphereInstance, Limit: 100}), want)
	equal(t, "paged", pageIDs(t, s, 1), want)
}

// unscheduled returns an instance without scheduled times.
func unscheduled(pipelineID, id string) store.Object {
	o := newInstance(pipelineID, id, "Shell", time.Time{})
	o.ScheduledEnd = time.Time{}
	return o
}

// pageIDs pages through df-1's instances limit at a time, following the
// cursor, and returns every id seen.
func pageIDs(t *testing.T, s store.Queries, limit int) []string {
	t.Helper()
	var got []string
	var after *store.ObjectCursor
	for page := 0; page < 100; page++ {
		objs := try(s.ObjectQuery(t.Context(), store.ObjectQueryParams{
			PipelineID: "df-1", Sphere: pipeline.SphereInstance, After: after, Limit: limit,
		})).must(t)
		if len(objs) == 0 {
			return got
		}
		got = append(got, objectIDs(objs)...)
		last := objs[len(objs)-1]
		after = &store.ObjectCursor{ScheduledStart: last.ScheduledStart, ID: last.ID}
	}
	t.Fatalf("paging did not end: %v", got)
	return nil
}

// testObjectQueryPaging pages through ties in scheduled start.
func testObjectQueryPaging(t *testing.T, open Opener) {
	s := open(t)
	seed(t, s, "df-1")
	var want []string
	for i, id := range ids("@i", 7) {
		createObjects(t, s, newInstance("df-1", id, "Shell", day(1+i/3, 0, 0, 0)))
		want = append(want, id)
	}
	got := pageIDs(t, s, 2)
	equal(t, "ids", got, want)
	filtered := queryIDs(t, s, store.ObjectQueryParams{Sphere: pipeline.SphereInstance, Limit: 2,
		Filters: []store.ObjectFilter{filter("@scheduledStartTime", store.OpGE, "2024-01-02T00:00:00")},
		After:   &store.ObjectCursor{ScheduledStart: day(2, 0, 0, 0), ID: want[3]}})
	equal(t, "filtered page", filtered, want[4:6])
}

// testObjectQueryInvalid: a filter on an unknown field, with an unknown
// operator or with the wrong number of values is an error.
func testObjectQueryInvalid(t *testing.T, open Opener) {
	s := open(t)
	queryFixture(t, s)
	tests := []struct {
		name   string
		filter store.ObjectFilter
	}{
		{"UnknownField", filter("@nonsense", store.OpEQ, "x")},
		{"UnknownOp", filter("@status", "LIKE", "x")},
		{"LE/TwoValues", filter("@scheduledStartTime", store.OpLE, "a", "b")},
		{"GE/NoValue", filter("@scheduledStartTime", store.OpGE)},
		{"BETWEEN/OneValue", filter("@scheduledStartTime", store.OpBetween, "a")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := s.ObjectQuery(t.Context(), store.ObjectQueryParams{
				PipelineID: "df-1", Sphere: pipeline.SphereInstance, Filters: []store.ObjectFilter{tt.filter}, Limit: 10,
			})
			if err == nil {
				t.Fatal("error = nil, want an error")
			}
		})
	}
}
