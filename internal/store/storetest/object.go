package storetest

import (
	"testing"
	"time"

	"github.com/datapipe/datapipe/internal/pipeline"
	"github.com/datapipe/datapipe/internal/store"
)

// newAttempt returns an ATTEMPT of instance inst with every attribute set.
func newAttempt(inst store.Object, id string) store.Object {
	return store.Object{
		PipelineID: inst.PipelineID, ID: id, Sphere: pipeline.SphereAttempt, ComponentID: inst.ComponentID,
		InstanceID: inst.ID, Status: pipeline.StatusRunning,
		ScheduledStart: inst.ScheduledStart, ScheduledEnd: inst.ScheduledEnd,
		ActualStart: inst.ScheduledStart.Add(90 * time.Second), ActualEnd: inst.ScheduledStart.Add(5*time.Minute + 250*time.Millisecond),
		Fields: []pipeline.Field{
			pipeline.String("@status", "RUNNING"),
			pipeline.Reference("@instanceParent", inst.ID),
			pipeline.String("hostname", "host-1"),
			pipeline.String("@note", ""),
			pipeline.String("hostname", "host-2 ✓ \"q\""),
		},
		UpdatedAt: at(time.Minute),
	}
}

// testObjectCreate: ObjectCreate inserts objects with Revision 1, all or
// none.
func testObjectCreate(t *testing.T, open Opener) {
	t.Run("OK", func(t *testing.T) {
		s := open(t)
		seed(t, s, "df-1")
		inst := newInstance("df-1", "@Shell_2024-01-01T00:00:00", "Shell", day(1, 0, 0, 0))
		att := newAttempt(inst, "@Shell_2024-01-01T00:00:00_Attempt=1")
		inst.Revision, att.Revision = 42, 0
		createObjects(t, s, inst, att)
		inst.Revision, att.Revision = 1, 1
		equal(t, "objects", canonObjects(getObjects(t, s, "df-1", inst.ID, att.ID)), []store.Object{inst, att})
	})
	t.Run("NoFields", func(t *testing.T) {
		s := open(t)
		seed(t, s, "df-1")
		o := store.Object{PipelineID: "df-1", ID: "@bare", Sphere: pipeline.SphereInstance, UpdatedAt: at(0)}
		createObjects(t, s, o)
		o.Revision = 1
		equal(t, "object", canonObjects(getObjects(t, s, "df-1", "@bare")), []store.Object{o})
	})
	t.Run("SameIDOtherPipeline", func(t *testing.T) {
		s := open(t)
		seed(t, s, "df-1")
		seed(t, s, "df-2")
		createObjects(t, s, newInstance("df-1", "@i", "Shell", day(1, 0, 0, 0)))
		createObjects(t, s, newInstance("df-2", "@i", "Copy", day(2, 0, 0, 0)))
		equal(t, "df-1", getObjects(t, s, "df-1", "@i")[0].ComponentID, "Shell")
		equal(t, "df-2", getObjects(t, s, "df-2", "@i")[0].ComponentID, "Copy")
	})
	t.Run("ErrConflict", func(t *testing.T) { testObjectCreateConflict(t, open) })
}

// testObjectCreateConflict: a batch holding an id already stored, or twice,
// inserts nothing.
func testObjectCreateConflict(t *testing.T, open Opener) {
	tests := []struct {
		name  string
		batch []string
	}{
		{"Existing", []string{"@new", "@old"}},
		{"WithinBatch", []string{"@new", "@new"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := open(t)
			seed(t, s, "df-1")
			createObjects(t, s, newInstance("df-1", "@old", "Shell", day(1, 0, 0, 0)))
			var batch []store.Object
			for _, id := range tt.batch {
				batch = append(batch, newInstance("df-1", id, "Copy", day(2, 0, 0, 0)))
			}
			wantErr(t, s.ObjectCreate(t.Context(), store.ObjectCreateParams{Objects: batch}), store.ErrConflict)
			equal(t, "inserted", objectIDs(getObjects(t, s, "df-1", "@new", "@old")), []string{"@old"})
			equal(t, "old kept", getObjects(t, s, "df-1", "@old")[0].ComponentID, "Shell")
		})
	}
}

// testObjectGet: ObjectGet returns the pipeline's objects in the order
// asked, omitting unknown ids.
func testObjectGet(t *testing.T, open Opener) {
	tests := []struct {
		name     string
		pipeline string
		ask      []string
		want     []string
	}{
		{"OK", "df-1", []string{"@c", "@a", "@b"}, []string{"@c", "@a", "@b"}},
		{"OmitsMissing", "df-1", []string{"@missing", "@b", "@gone", "@a"}, []string{"@b", "@a"}},
		{"OtherPipeline", "df-2", []string{"@a", "@b"}, []string{"@b"}},
		{"None", "df-1", nil, []string{}},
		{"UnknownPipeline", "df-unknown", []string{"@a"}, []string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := open(t)
			seed(t, s, "df-1")
			seed(t, s, "df-2")
			createObjects(t, s,
				newInstance("df-1", "@a", "Shell", day(1, 0, 0, 0)),
				newInstance("df-1", "@b", "Shell", day(2, 0, 0, 0)),
				newInstance("df-1", "@c", "Shell", day(3, 0, 0, 0)),
				newInstance("df-2", "@b", "Copy", day(1, 0, 0, 0)))
			got := getObjects(t, s, tt.pipeline, tt.ask...)
			equal(t, "ids", objectIDs(got), tt.want)
			for _, o := range got {
				equal(t, "pipeline", o.PipelineID, tt.pipeline)
			}
		})
	}
}

// testObjectUpdate: ObjectUpdate replaces status, times and fields, bumps
// Revision, and refuses stale revisions.
func testObjectUpdate(t *testing.T, open Opener) {
	tests := []struct {
		name   string
		expect int64
	}{
		{"OK", 0},
		{"OK/ExpectRevision", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := open(t)
			seed(t, s, "df-1")
			inst := newInstance("df-1", "@i", "Shell", day(1, 0, 0, 0))
			createObjects(t, s, inst)
			upd := updatedInstance(inst)
			got := try(s.ObjectUpdate(t.Context(), store.ObjectUpdateParams{Object: upd, ExpectRevision: tt.expect})).must(t)
			upd.Revision = 2
			equal(t, "updated", canonObject(got), upd)
			equal(t, "read back", canonObjects(getObjects(t, s, "df-1", "@i")), []store.Object{upd})
		})
	}
	t.Run("ClearsTimes", func(t *testing.T) {
		s := open(t)
		seed(t, s, "df-1")
		att := newAttempt(newInstance("df-1", "@i", "Shell", day(1, 0, 0, 0)), "@a")
		createObjects(t, s, att)
		att.ActualStart, att.ActualEnd, att.Fields = time.Time{}, time.Time{}, nil
		got := try(s.ObjectUpdate(t.Context(), store.ObjectUpdateParams{Object: att})).must(t)
		equal(t, "times", []bool{got.ActualStart.IsZero(), got.ActualEnd.IsZero(), len(got.Fields) == 0}, []bool{true, true, true})
	})
	testObjectUpdateErrors(t, open)
}

// testObjectUpdateErrors: stale revisions conflict; unknown objects are
// not found.
func testObjectUpdateErrors(t *testing.T, open Opener) {
	t.Run("ErrConflict", func(t *testing.T) {
		s := open(t)
		seed(t, s, "df-1")
		inst := newInstance("df-1", "@i", "Shell", day(1, 0, 0, 0))
		createObjects(t, s, inst)
		first := try(s.ObjectUpdate(t.Context(), store.ObjectUpdateParams{Object: updatedInstance(inst), ExpectRevision: 1})).must(t)
		_, err := s.ObjectUpdate(t.Context(), store.ObjectUpdateParams{Object: inst, ExpectRevision: 1})
		wantErr(t, err, store.ErrConflict)
		equal(t, "unchanged", canonObjects(getObjects(t, s, "df-1", "@i")), []store.Object{canonObject(first)})
	})
	for name, pl := range map[string]string{"ErrNotFound/UnknownID": "df-1", "ErrNotFound/OtherPipeline": "df-2"} {
		t.Run(name, func(t *testing.T) {
			s := open(t)
			seed(t, s, "df-1")
			seed(t, s, "df-2")
			createObjects(t, s, newInstance("df-1", "@i", "Shell", day(1, 0, 0, 0)))
			o := newInstance(pl, "@i", "Shell", day(1, 0, 0, 0))
			if pl == "df-1" {
				o.ID = "@unknown"
			}
			_, err := s.ObjectUpdate(t.Context(), store.ObjectUpdateParams{Object: o})
			wantErr(t, err, store.ErrNotFound)
		})
	}
}

// updatedInstance is inst after it ran: every mutable attribute changed.
func updatedInstance(inst store.Object) store.Object {
	upd := inst
	upd.Status = pipeline.StatusFinished
	upd.ActualStart = inst.ScheduledStart.Add(time.Minute + 123*time.Millisecond)
	upd.ActualEnd = inst.ScheduledStart.Add(2 * time.Minute)
	upd.ScheduledEnd = inst.ScheduledEnd.Add(time.Hour)
	upd.Fields = []pipeline.Field{
		pipeline.String("@status", "FINISHED"),
		pipeline.Reference("@componentParent", inst.ComponentID),
		pipeline.Reference("@headAttempt", "@a1"),
		pipeline.String("@headAttempt", "not a ref"),
	}
	upd.UpdatedAt = at(time.Hour)
	return upd
}
