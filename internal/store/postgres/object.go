package postgres

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/datapipe/datapipe/internal/pipeline"
	"github.com/datapipe/datapipe/internal/store"
)

// objectCols are the columns scanObject reads, in order.
const objectCols = `pipeline_id, id, sphere, component_id, instance_id, status, scheduled_start_at,
	scheduled_end_at, actual_start_at, actual_end_at, fields, revision, updated_at`

// objectInsertCols are the columns objectRow writes, in order.
var objectInsertCols = []string{"pipeline_id", "id", "sphere", "component_id", "instance_id", "status",
	"scheduled_start", "scheduled_end", "actual_start", "actual_end", "scheduled_start_at",
	"scheduled_end_at", "actual_start_at", "actual_end_at", "fields", "revision", "updated_at"}

// objectScan receives one row of objectCols, which may be all NULL (the
// outer side of a join that found no object).
type objectScan struct {
	pipelineID, id, sphere, component, instance, status *string
	start, end, actStart, actEnd, updated               *time.Time
	fields                                              []byte
	revision                                            *int64
}

// dest are the scan destinations, in objectCols order.
func (s *objectScan) dest() []any {
	return []any{&s.pipelineID, &s.id, &s.sphere, &s.component, &s.instance, &s.status, &s.start,
		&s.end, &s.actStart, &s.actEnd, &s.fields, &s.revision, &s.updated}
}

// object is the scanned object; nil when the row held none.
func (s *objectScan) object() (*store.Object, error) {
	if s.id == nil {
		return nil, nil
	}
	o := &store.Object{PipelineID: *s.pipelineID, ID: *s.id, Sphere: pipeline.Sphere(*s.sphere),
		ComponentID: *s.component, InstanceID: *s.instance, Status: pipeline.Status(*s.status),
		ScheduledStart: fromNull(s.start), ScheduledEnd: fromNull(s.end), ActualStart: fromNull(s.actStart),
		ActualEnd: fromNull(s.actEnd), UpdatedAt: fromNull(s.updated), Revision: *s.revision}
	var err error
	o.Fields, err = decodeFields(s.fields)
	return o, err
}

// scanObject reads one row of objectCols.
func scanObject(row pgx.Row) (store.Object, error) {
	var os objectScan
	if err := row.Scan(os.dest()...); err != nil {
		return store.Object{}, err
	}
	o, err := os.object()
	if err != nil || o == nil {
		return store.Object{}, cmp.Or(err, errors.New("scan object: no object in the row"))
	}
	return *o, nil
}

// objectRow is o as the values of objectInsertCols, at revision 1.
func objectRow(o store.Object) ([]any, error) {
	fields, err := encodeFields(o.Fields)
	if err != nil {
		return nil, fmt.Errorf("object %s: %w", o.ID, err)
	}
	return []any{o.PipelineID, o.ID, string(o.Sphere), o.ComponentID, o.InstanceID, string(o.Status),
		filterKey(o.ScheduledStart), filterKey(o.ScheduledEnd), filterKey(o.ActualStart), filterKey(o.ActualEnd),
		stamp(o.ScheduledStart), nullStamp(o.ScheduledEnd), nullStamp(o.ActualStart), nullStamp(o.ActualEnd),
		fields, int64(1), nullStamp(o.UpdatedAt)}, nil
}

// ObjectCreate inserts the objects at revision 1 with one COPY, all or
// none: an id already in its pipeline (or repeated in Objects) is
// store.ErrConflict, an unknown pipeline store.ErrNotFound.
func (q *queries) ObjectCreate(ctx context.Context, p store.ObjectCreateParams) error {
	if len(p.Objects) == 0 {
		return nil
	}
	rows := make([][]any, len(p.Objects))
	for i, o := range p.Objects {
		r, err := objectRow(o)
		if err != nil {
			return fmt.Errorf("create objects: %w", err)
		}
		rows[i] = r
	}
	if err := q.copyIn(ctx, "objects", objectInsertCols, rows); err != nil {
		return wrap(err, "create %d objects in %s", len(p.Objects), p.Objects[0].PipelineID)
	}
	return nil
}

// ObjectGet reads the pipeline's objects with these ids, in the order
// asked; unknown ids are omitted.
func (q *queries) ObjectGet(ctx context.Context, p store.ObjectGetParams) ([]store.Object, error) {
	if len(p.IDs) == 0 {
		return nil, nil
	}
	rows, err := q.db.Query(ctx, `SELECT `+objectCols+` FROM objects WHERE pipeline_id = $1 AND id = ANY($2)`,
		p.PipelineID, p.IDs)
	if err != nil {
		return nil, fmt.Errorf("get objects of %s: %w", p.PipelineID, err)
	}
	found, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (store.Object, error) { return scanObject(r) })
	if err != nil {
		return nil, fmt.Errorf("get objects of %s: %w", p.PipelineID, err)
	}
	return inOrder(found, p.IDs), nil
}

// inOrder returns found in the order of ids.
func inOrder(found []store.Object, ids []string) []store.Object {
	byID := make(map[string]store.Object, len(found))
	for _, o := range found {
		byID[o.ID] = o
	}
	var out []store.Object
	for _, id := range ids {
		if o, ok := byID[id]; ok {
			out = append(out, o)
		}
	}
	return out
}

// ObjectUpdate replaces the object's status, times and fields, increments
// its revision and returns it as stored: store.ErrNotFound when it does
// not exist, store.ErrConflict when ExpectRevision is set and stale.
func (q *queries) ObjectUpdate(ctx context.Context, p store.ObjectUpdateParams) (store.Object, error) {
	args, err := objectUpdateArgs(p)
	if err != nil {
		return store.Object{}, err
	}
	out, err := updatedObject(p.Object, q.db.QueryRow(ctx, objectUpdateSQL, args...))
	if errors.Is(err, errNoRow) {
		return store.Object{}, q.explainMissing(ctx, p.Object)
	}
	return out, err
}

// ObjectUpdateAll sends every update in one pipelined batch: a plan that
// finishes hundreds of instances used to pay a round trip for each, which
// under load (the database busy with runners' reports) took seconds.
func (q *queries) ObjectUpdateAll(ctx context.Context, p store.ObjectUpdateAllParams) ([]store.Object, error) {
	if len(p.Updates) == 0 {
		return nil, nil
	}
	b := &pgx.Batch{}
	for _, u := range p.Updates {
		args, err := objectUpdateArgs(u)
		if err != nil {
			return nil, err
		}
		b.Queue(objectUpdateSQL, args...)
	}
	br, err := sendBatch(ctx, q.db, b)
	if err != nil {
		return nil, wrap(err, "update %d objects", len(p.Updates))
	}
	out, failed, err := readUpdates(br, p.Updates)
	if cerr := br.Close(); err == nil && cerr != nil {
		err = wrap(cerr, "update %d objects", len(p.Updates))
	}
	if errors.Is(err, errNoRow) { // explained once the batch is closed
		return nil, q.explainMissing(ctx, p.Updates[failed].Object)
	}
	return out, err
}

// readUpdates reads a batch's update results in order; it stops at the
// first failure, whose index it returns.
func readUpdates(br pgx.BatchResults, updates []store.ObjectUpdateParams) ([]store.Object, int, error) {
	out := make([]store.Object, 0, len(updates))
	for i, u := range updates {
		o, err := updatedObject(u.Object, br.QueryRow())
		if err != nil {
			return nil, i, err
		}
		out = append(out, o)
	}
	return out, 0, nil
}

// objectUpdateSQL replaces an object's mutable columns, conditional on
// its revision when $3 is not 0.
const objectUpdateSQL = `UPDATE objects SET status = $4,
			scheduled_start = $5, scheduled_end = $6, actual_start = $7, actual_end = $8,
			scheduled_start_at = $9, scheduled_end_at = $10, actual_start_at = $11, actual_end_at = $12,
			fields = $13, updated_at = $14, revision = revision + 1
		WHERE pipeline_id = $1 AND id = $2 AND ($3::bigint = 0 OR revision = $3::bigint)
		RETURNING sphere, component_id, instance_id, revision`

// objectUpdateArgs are objectUpdateSQL's arguments.
func objectUpdateArgs(p store.ObjectUpdateParams) ([]any, error) {
	o := p.Object
	fields, err := encodeFields(o.Fields)
	if err != nil {
		return nil, fmt.Errorf("update object %s: %w", o.ID, err)
	}
	return []any{o.PipelineID, o.ID, p.ExpectRevision, string(o.Status),
		filterKey(o.ScheduledStart), filterKey(o.ScheduledEnd), filterKey(o.ActualStart), filterKey(o.ActualEnd),
		stamp(o.ScheduledStart), nullStamp(o.ScheduledEnd), nullStamp(o.ActualStart), nullStamp(o.ActualEnd),
		fields, nullStamp(o.UpdatedAt)}, nil
}

// errNoRow is an update that matched no row, to be explained by
// explainMissing.
var errNoRow = errors.New("no row updated")

// updatedObject scans an update's RETURNING row into o as stored.
func updatedObject(o store.Object, row pgx.Row) (store.Object, error) {
	out := o
	var sphere string
	err := row.Scan(&sphere, &out.ComponentID, &out.InstanceID, &out.Revision)
	if errors.Is(err, pgx.ErrNoRows) {
		return store.Object{}, errNoRow
	}
	if err != nil {
		return store.Object{}, wrap(err, "update object %s", o.ID)
	}
	out.Sphere = pipeline.Sphere(sphere)
	return store.Stored(out), nil
}

// explainMissing is the error of an update of o that matched no row.
func (q *queries) explainMissing(ctx context.Context, o store.Object) error {
	return fmt.Errorf("update object %s: %w", o.ID, q.objectMissing(ctx, o.PipelineID, o.ID))
}

// objectMissing explains a failed conditional update: ErrConflict when
// the object exists (its revision moved), ErrNotFound otherwise.
func (q *queries) objectMissing(ctx context.Context, pipelineID, id string) error {
	var exists bool
	err := q.db.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM objects WHERE pipeline_id = $1 AND id = $2)`,
		pipelineID, id).Scan(&exists)
	switch {
	case err != nil:
		return err
	case exists:
		return store.ErrConflict
	}
	return store.ErrNotFound
}
