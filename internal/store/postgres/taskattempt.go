package postgres

import (
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/datapipe/datapipe/internal/store"
)

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
