package sqlact

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/datapipe/datapipe/internal/activity"
	"github.com/datapipe/datapipe/internal/activity/data"
	"github.com/datapipe/datapipe/internal/datanode"
	dsql "github.com/datapipe/datapipe/internal/datanode/sql"
)

// maxScript is the largest scriptUri read.
const maxScript = 16 << 20

// Executor executes SqlActivity attempts.
type Executor struct {
	open *data.Opener
}

var _ activity.Executor = (*Executor)(nil)

// New returns the SqlActivity executor.
func New(open *data.Opener) *Executor { return &Executor{open: open} }

// Execute runs the script in one transaction: Finished when every
// statement ran and the transaction committed.
func (e *Executor) Execute(ctx context.Context, t *activity.Task, env *activity.Env) (activity.Outcome, error) {
	name := "SqlActivity " + t.ComponentID()
	script, err := e.script(ctx, t)
	if err != nil {
		return 0, data.Fail(err)
	}
	owner := t.Attempt
	owner.ID = cmp.Or(t.ComponentID(), owner.ID)
	db, err := e.open.Database(ctx, t, owner)
	if err != nil {
		return 0, data.Fail(err)
	}
	defer db.Close()
	stmts := Split(script, db.Dialect() == dsql.MySQL)
	args := t.Fields("scriptArgument")
	if err := checkParams(stmts, args); err != nil {
		return 0, activity.Errorf(activity.IDInvalidTask, "%s: %v", name, err)
	}
	if q, ok := t.Field("queue"); ok && q != "" {
		env.Printf("queue %q is not applied: query_group is Redshift's", q)
	}
	if err := e.run(ctx, t, db, stmts, args, env); err != nil {
		return 0, data.Fail(err) // names the activity already
	}
	return activity.Finished, nil
}

// script returns the script field, or the content of scriptUri.
func (e *Executor) script(ctx context.Context, t *activity.Task) (string, error) {
	script, hasScript := t.Field("script")
	uri, hasURI := t.Field("scriptUri")
	switch {
	case hasScript && hasURI && uri != "":
		return "", activity.Errorf(activity.IDInvalidTask, "SqlActivity %s sets both script and scriptUri", t.ComponentID())
	case hasURI && uri != "":
		b, err := e.open.ReadURI(ctx, t, t.Attempt, "scriptUri", uri, maxScript)
		return string(b), err
	case strings.TrimSpace(script) == "":
		return "", activity.Errorf(activity.IDInvalidTask, "SqlActivity %s has neither script nor scriptUri", t.ComponentID())
	}
	return script, nil
}

// checkParams checks that the placeholders take every argument.
func checkParams(stmts []Statement, args []string) error {
	n := 0
	for _, s := range stmts {
		n += s.Params
	}
	if n != len(args) {
		return fmt.Errorf("the script has %d ? placeholders but %d scriptArgument values", n, len(args))
	}
	if len(stmts) == 0 {
		return errors.New("the script holds no statement")
	}
	return nil
}

// run creates the outputs' tables and runs the statements in one
// transaction.
func (e *Executor) run(ctx context.Context, t *activity.Task, db *dsql.Node, stmts []Statement, args []string, env *activity.Env) error {
	s, err := db.Begin(ctx)
	if err != nil {
		return err
	}
	if err := e.createOutputs(ctx, t, s, env); err != nil {
		return errors.Join(err, s.Rollback(ctx))
	}
	for i, st := range stmts {
		vals := make([]any, st.Params)
		for k := range vals {
			vals[k] = args[k]
		}
		args = args[st.Params:]
		n, err := s.Exec(ctx, db.Dialect().Rebind(st.Text), vals...)
		if err != nil {
			return errors.Join(fmt.Errorf("statement %d (line %d): %w", i+1, st.Line, err), s.Rollback(ctx))
		}
		env.Printf("statement %d (line %d): %d rows", i+1, st.Line, n)
	}
	return s.Commit(ctx)
}

// createOutputs creates the missing tables of output SQL nodes that have
// createTableSql.
func (e *Executor) createOutputs(ctx context.Context, t *activity.Task, s *dsql.Session, env *activity.Env) error {
	outs, err := t.Refs("output")
	if err != nil {
		return err
	}
	for _, o := range outs {
		if k, _ := data.KindOf(o); k != data.KindSQL || datanode.Str(o, "createTableSql") == "" {
			continue
		}
		table := datanode.Str(o, "table")
		ok, err := s.TableExists(ctx, datanode.Str(o, "schemaName"), table)
		if err != nil || ok {
			return err
		}
		env.Printf("creating table %s of %s", table, datanode.Name(o))
		if _, err := s.Exec(ctx, datanode.Str(o, "createTableSql")); err != nil {
			return fmt.Errorf("%s: createTableSql: %w", datanode.Name(o), err)
		}
	}
	return nil
}
