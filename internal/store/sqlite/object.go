package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/datapipe/datapipe/internal/store"
)

// objectCols are the columns scanObject reads, in order.
const objectCols = `pipeline_id, id, sphere, component_id, instance_id, status,
	scheduled_start, scheduled_end, actual_start, actual_end, fields, revision, updated_at`

// scanObject reads one row of objectCols.
func scanObject(s scanner) (store.Object, error) {
	var o store.Object
	var fields string
	var ss, se, as, ae sql.NullString
	var updated sql.NullInt64
	err := s.Scan(&o.PipelineID, &o.ID, &o.Sphere, &o.ComponentID, &o.InstanceID, &o.Status,
		&ss, &se, &as, &ae, &fields, &o.Revision, &updated)
	if err != nil {
		return o, err
	}
	o.UpdatedAt = fromMillis(updated)
	if err := scanObjectTimes(&o, ss, se, as, ae); err != nil {
		return o, err
	}
	o.Fields, err = decodeFields(fields)
	return o, err
}

// scanObjectTimes decodes an object's four time columns into o.
func scanObjectTimes(o *store.Object, ss, se, as, ae sql.NullString) error {
	var errs [4]error
	o.ScheduledStart, errs[0] = fromObjectTime(ss)
	o.ScheduledEnd, errs[1] = fromObjectTime(se)
	o.ActualStart, errs[2] = fromObjectTime(as)
	o.ActualEnd, errs[3] = fromObjectTime(ae)
	return errors.Join(errs[:]...)
}

// ObjectCreate inserts the objects with Revision 1, all or none: an id
// already present in its pipeline is store.ErrConflict, an unknown
// pipeline store.ErrNotFound.
func (q queries) ObjectCreate(ctx context.Context, p store.ObjectCreateParams) error {
	err := q.savepoint(ctx, "object_create", func() error {
		return insertRows(ctx, q.x, `INSERT INTO objects (pipeline_id, id, sphere, component_id, instance_id, status,
			scheduled_start, scheduled_end, actual_start, actual_end, fields, revision, updated_at)`,
			"(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?)", len(p.Objects),
			func(i int) ([]any, error) { return objectRow(p.Objects[i]) },
			func(i int, err error) error {
				return fmt.Errorf("%s/%s: %w", p.Objects[i].PipelineID, p.Objects[i].ID, err)
			})
	})
	if err != nil {
		return fmt.Errorf("object create: %w", err)
	}
	return nil
}

// objectRow is a new object's INSERT arguments.
func objectRow(o store.Object) ([]any, error) {
	fields, err := encodeFields(o.Fields)
	if err != nil {
		return nil, err
	}
	return []any{o.PipelineID, o.ID, o.Sphere, o.ComponentID, o.InstanceID, o.Status,
		objectTime(o.ScheduledStart), objectTime(o.ScheduledEnd), objectTime(o.ActualStart), objectTime(o.ActualEnd),
		fields, millis(o.UpdatedAt)}, nil
}

// ObjectGet returns the pipeline's objects with the given ids, in the
// order asked; unknown ids are omitted.
func (q queries) ObjectGet(ctx context.Context, p store.ObjectGetParams) ([]store.Object, error) {
	byID := make(map[string]store.Object, len(p.IDs))
	for _, ids := range chunks(p.IDs) {
		if len(ids) == 0 {
			continue
		}
		objs, err := queryAll(ctx, q.x, scanObject, `SELECT `+objectCols+` FROM objects
			WHERE pipeline_id = ? AND id IN (`+placeholders(len(ids))+`)`, append([]any{p.PipelineID}, anys(ids)...)...)
		if err != nil {
			return nil, fmt.Errorf("object get %s: %w", p.PipelineID, err)
		}
		for _, o := range objs {
			byID[o.ID] = o
		}
	}
	var out []store.Object
	for _, id := range p.IDs {
		if o, ok := byID[id]; ok {
			out = append(out, o)
		}
	}
	return out, nil
}

// ObjectUpdate replaces the status, times, fields and UpdatedAt of the
// object named by Object.PipelineID and ID, increments its Revision and
// returns it: store.ErrNotFound when it does not exist, store.ErrConflict
// when ExpectRevision is set and stale.
func (q queries) ObjectUpdate(ctx context.Context, p store.ObjectUpdateParams) (store.Object, error) {
	o := p.Object
	fields, err := encodeFields(o.Fields)
	if err != nil {
		return store.Object{}, fmt.Errorf("object update %s/%s: %w", o.PipelineID, o.ID, err)
	}
	out := o
	args := []any{o.Status, objectTime(o.ActualStart), objectTime(o.ActualEnd), fields, millis(o.UpdatedAt),
		o.PipelineID, o.ID, p.ExpectRevision, p.ExpectRevision, objectTime(o.ScheduledStart), objectTime(o.ScheduledEnd)}
	// Most updates keep the scheduled times, and SQLite rewrites the
	// entries of every index on a column the SET list names: leaving
	// them out when they are unchanged spares two indexes of three.
	err = q.x.QueryRowContext(ctx, `UPDATE objects SET status = ?, actual_start = ?, actual_end = ?, fields = ?,
		revision = revision + 1, updated_at = ?
		WHERE pipeline_id = ? AND id = ? AND (? = 0 OR revision = ?) AND scheduled_start IS ? AND scheduled_end IS ?
		RETURNING sphere, component_id, instance_id, revision`, args...).
		Scan(&out.Sphere, &out.ComponentID, &out.InstanceID, &out.Revision)
	if errors.Is(err, sql.ErrNoRows) {
		err = q.x.QueryRowContext(ctx, `UPDATE objects SET status = ?1, actual_start = ?2, actual_end = ?3, fields = ?4,
			revision = revision + 1, updated_at = ?5, scheduled_start = ?10, scheduled_end = ?11
			WHERE pipeline_id = ?6 AND id = ?7 AND (?8 = 0 OR revision = ?9) RETURNING sphere, component_id, instance_id, revision`,
			args...).Scan(&out.Sphere, &out.ComponentID, &out.InstanceID, &out.Revision)
	}
	if errors.Is(err, sql.ErrNoRows) {
		return store.Object{}, q.missingObject(ctx, o.PipelineID, o.ID)
	}
	if err != nil {
		return store.Object{}, fmt.Errorf("object update %s/%s: %w", o.PipelineID, o.ID, err)
	}
	return store.Stored(out), nil
}

// ObjectUpdateAll runs ObjectUpdate for each, in order: statements on the
// write connection cost no round trip to batch away.
func (q queries) ObjectUpdateAll(ctx context.Context, p store.ObjectUpdateAllParams) ([]store.Object, error) {
	out := make([]store.Object, 0, len(p.Updates))
	for _, u := range p.Updates {
		o, err := q.ObjectUpdate(ctx, u)
		if err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	return out, nil
}

// missingObject explains why an object update matched nothing: the object
// does not exist (store.ErrNotFound) or its revision moved on
// (store.ErrConflict).
func (q queries) missingObject(ctx context.Context, pipelineID, id string) error {
	found, err := exists(ctx, q.x, `SELECT 1 FROM objects WHERE pipeline_id = ? AND id = ?`, pipelineID, id)
	switch {
	case err != nil:
		return fmt.Errorf("object update %s/%s: %w", pipelineID, id, err)
	case found:
		return fmt.Errorf("object update %s/%s: stale revision: %w", pipelineID, id, store.ErrConflict)
	}
	return fmt.Errorf("object update %s/%s: %w", pipelineID, id, store.ErrNotFound)
}
