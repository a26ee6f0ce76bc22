package postgres

import (
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/datapipe/datapipe/internal/pipeline"
	"github.com/datapipe/datapipe/internal/store"
)

// taskScan receives one row of taskCols.
type taskScan struct {
	t              store.Task
	state          string
	lease, claimed *time.Time
}

func (s *taskScan) dest() []any {
	t := &s.t
	return []any{&t.ID, &t.AccountID, &t.PipelineID, &t.AttemptID, &t.WorkerGroup, &s.state, &t.AvailableAt,
		&t.Owner, &s.lease, &t.Acked, &t.Canceled, &t.CreatedAt, &s.claimed, &t.Version}
}

func (s *taskScan) task() store.Task {
	t := s.t
	t.State = store.TaskState(s.state)
	t.AvailableAt, t.CreatedAt = t.AvailableAt.UTC(), t.CreatedAt.UTC()
	t.LeaseExpiresAt, t.ClaimedAt = fromNull(s.lease), fromNull(s.claimed)
	return t
}

// objectScan receives one row of objectCols, which may be all NULL (the
// outer side of a join that found no object).
type objectScan struct {
	pipelineID, id, sphere, component, instance, status *string
	start, end, actStart, actEnd, updated               *time.Time
	fields                                              []byte
	revision                                            *int64
}

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

// taskAttemptSQL wraps stmt, a task statement that RETURNs taskCols, so
// that its one row also carries the task's attempt (objectCols, NULL when
// the attempt is gone): the claim or report that needs the attempt next
// costs one statement and one round trip instead of two. The join reads
// objects as they were before stmt, which does not write them.
func taskAttemptSQL(stmt string) string {
	cols := strings.Split(objectCols, ",")
	for i, c := range cols {
		cols[i] = "o." + strings.TrimSpace(c)
	}
	return `WITH t AS (` + stmt + `) SELECT t.*, ` + strings.Join(cols, ", ") + ` FROM t
		LEFT JOIN objects o ON o.pipeline_id = t.pipeline_id AND o.id = t.attempt_id`
}

// scanTaskAttempt reads one row of taskAttemptSQL.
func scanTaskAttempt(row pgx.Row) (store.Task, error) {
	var ts taskScan
	var os objectScan
	if err := row.Scan(append(ts.dest(), os.dest()...)...); err != nil {
		return store.Task{}, err
	}
	t := ts.task()
	var err error
	t.Attempt, err = os.object()
	return t, err
}
