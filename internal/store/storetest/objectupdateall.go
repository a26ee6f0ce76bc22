package storetest

import (
	"testing"

	"github.com/datapipe/datapipe/internal/pipeline"
	"github.com/datapipe/datapipe/internal/store"
)

// testObjectUpdateAll: ObjectUpdateAll updates each object as
// ObjectUpdate does and returns them in order; the first stale or
// unknown one is its error, and a transaction around it rolls back
// every update.
func testObjectUpdateAll(t *testing.T, open Opener) {
	setup := func(t *testing.T) (store.Store, []store.Object) {
		s := open(t)
		seed(t, s, "df-1")
		a := newInstance("df-1", "@a", "Shell", day(1, 0, 0, 0))
		b := newInstance("df-1", "@b", "Shell", day(2, 0, 0, 0))
		createObjects(t, s, a, b)
		return s, []store.Object{a, b}
	}
	t.Run("OK", func(t *testing.T) {
		s, objs := setup(t)
		a, b := updatedInstance(objs[0]), updatedInstance(objs[1])
		got := try(s.ObjectUpdateAll(t.Context(), store.ObjectUpdateAllParams{Updates: []store.ObjectUpdateParams{
			{Object: a, ExpectRevision: 1}, {Object: b}}})).must(t)
		a.Revision, b.Revision = 2, 2
		equal(t, "updated", canonObjects(got), []store.Object{a, b})
		equal(t, "read back", canonObjects(getObjects(t, s, "df-1", "@a", "@b")), []store.Object{a, b})
	})
	t.Run("OKNone", func(t *testing.T) {
		s, _ := setup(t)
		got := try(s.ObjectUpdateAll(t.Context(), store.ObjectUpdateAllParams{})).must(t)
		equal(t, "updated", len(got), 0)
	})
	for name, tc := range map[string]struct {
		second store.ObjectUpdateParams
		want   error
	}{
		"ErrConflict": {store.ObjectUpdateParams{ExpectRevision: 7}, store.ErrConflict},
		"ErrNotFound": {store.ObjectUpdateParams{}, store.ErrNotFound},
	} {
		t.Run(name, func(t *testing.T) {
			s, objs := setup(t)
			second := tc.second
			second.Object = updatedInstance(objs[1])
			if tc.want == store.ErrNotFound {
				second.Object.ID = "@unknown"
			}
			err := s.WithTx(t.Context(), func(q store.Queries) error {
				_, err := q.ObjectUpdateAll(t.Context(), store.ObjectUpdateAllParams{Updates: []store.ObjectUpdateParams{
					{Object: updatedInstance(objs[0])}, second}})
				return err
			})
			wantErr(t, err, tc.want)
			got := getObjects(t, s, "df-1", "@a")
			equal(t, "first update rolled back", []any{got[0].Revision, got[0].Status}, []any{int64(1), pipeline.StatusWaitingOnDependencies})
		})
	}
}
