package storetest

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/datapipe/datapipe/internal/pipeline"
	"github.com/datapipe/datapipe/internal/store"
)

// errRollback is the error the suite's transactions fail with.
var errRollback = errors.New("storetest: roll back")

// writeEverything writes one of each entity through q: pipeline df-tx
// with a definition, an object, a task, a runner and a lease.
func writeEverything(t *testing.T, q store.Queries) error {
	ctx := t.Context()
	if _, _, err := q.PipelineCreate(ctx, store.PipelineCreateParams{Pipeline: newPipeline(acct, "df-tx")}); err != nil {
		return err
	}
	if _, err := q.DefinitionPut(ctx, store.DefinitionPutParams{PipelineID: "df-tx", Definition: richDefinition(), Now: at(0)}); err != nil {
		return err
	}
	if err := q.ObjectCreate(ctx, store.ObjectCreateParams{Objects: []store.Object{newInstance("df-tx", "@i", "Shell", day(1, 0, 0, 0))}}); err != nil {
		return err
	}
	if _, err := q.TaskCreate(ctx, store.TaskCreateParams{Task: newTask("tk-tx", "df-tx", at(0))}); err != nil {
		return err
	}
	if _, err := q.RunnerHeartbeat(ctx, store.RunnerHeartbeatParams{AccountID: acct, ID: "r-tx", Now: at(0)}); err != nil {
		return err
	}
	return q.LeaseAcquire(ctx, store.LeaseAcquireParams{Name: leaseName, Holder: "tx", Now: at(0), TTL: leaseTTL})
}

// testWithTx: WithTx commits all of fn's writes or none.
func testWithTx(t *testing.T, open Opener) {
	testAllOrNone(t, open, store.Store.WithTx)
	t.Run("RollbackKeepsEarlierState", func(t *testing.T) { testWithTxRollbackUpdates(t, open) })
	t.Run("ReadsOwnWrites", func(t *testing.T) {
		s := open(t)
		noErr(t, s.WithTx(t.Context(), func(q store.Queries) error {
			if err := writeEverything(t, q); err != nil {
				return err
			}
			p, err := getPipeline(t, q, acct, "df-tx")
			equal(t, "latest in tx", p.LatestVersion, 1)
			return err
		}))
	})
	t.Run("ObjectCreateConflict", func(t *testing.T) { testWithTxObjectConflict(t, open) })
}

// testAllOrNone: a transaction of run commits all of fn's writes, or none
// when fn fails.
func testAllOrNone(t *testing.T, open Opener, run func(store.Store, context.Context, func(store.Queries) error) error) {
	t.Run("OK", func(t *testing.T) {
		s := open(t)
		noErr(t, run(s, t.Context(), func(q store.Queries) error { return writeEverything(t, q) }))
		equal(t, "latest", try(getPipeline(t, s, acct, "df-tx")).must(t).LatestVersion, 1)
		equal(t, "objects", len(getObjects(t, s, "df-tx", "@i")), 1)
		equal(t, "task", getTask(t, s, "tk-tx").State, store.TaskQueued)
		equal(t, "runners", runnerIDs(t, s, acct), []string{"r-tx"})
		wantErr(t, acquire(t, s, "other", at(time.Second)), store.ErrConflict)
	})
	t.Run("Rollback", func(t *testing.T) {
		s := open(t)
		err := run(s, t.Context(), func(q store.Queries) error {
			if err := writeEverything(t, q); err != nil {
				return err
			}
			return errRollback
		})
		wantErr(t, err, errRollback)
		_, err = getPipeline(t, s, acct, "df-tx")
		wantErr(t, err, store.ErrNotFound)
		_, err = s.TaskGet(t.Context(), "tk-tx")
		wantErr(t, err, store.ErrNotFound)
		equal(t, "runners", runnerIDs(t, s, acct), []string{})
		noErr(t, acquire(t, s, "other", at(time.Second)))
	})
}

// testWithTxRollbackUpdates: a rolled-back transaction leaves existing
// rows exactly as they were.
func testWithTxRollbackUpdates(t *testing.T, open Opener) {
	s := open(t)
	seed(t, s, "df-1")
	putDefinition(t, s, "df-1", richDefinition(), false, at(0))
	createObjects(t, s, newInstance("df-1", "@i", "Shell", day(1, 0, 0, 0)))
	createTask(t, s, newTask("tk-1", "df-1", at(0)))
	before := try(getPipeline(t, s, acct, "df-1")).must(t)
	objBefore := getObjects(t, s, "df-1", "@i")
	err := s.WithTx(t.Context(), func(q store.Queries) error {
		_, err := q.DefinitionPut(t.Context(), store.DefinitionPutParams{PipelineID: "df-1", Now: at(time.Minute)})
		if err == nil {
			_, err = q.ObjectUpdate(t.Context(), store.ObjectUpdateParams{Object: updatedInstance(objBefore[0])})
		}
		if err == nil {
			_, err = claim(t, q, at(time.Minute))
		}
		if err == nil {
			err = q.PipelineDelete(t.Context(), store.PipelineDeleteParams{AccountID: acct, ID: "df-1", Now: at(time.Minute)})
		}
		return errors.Join(err, errRollback)
	})
	wantErr(t, err, errRollback)
	equal(t, "pipeline", try(getPipeline(t, s, acct, "df-1")).must(t), before)
	_, err = s.DefinitionGet(t.Context(), store.DefinitionGetParams{PipelineID: "df-1", Version: 2})
	wantErr(t, err, store.ErrNotFound)
	equal(t, "object", getObjects(t, s, "df-1", "@i"), objBefore)
	equal(t, "task", getTask(t, s, "tk-1").State, store.TaskQueued)
}

// testWithTxObjectConflict: an ObjectCreate that fails with ErrConflict
// inside a transaction inserts none of its batch, whether or not the
// transaction can still commit afterwards.
func testWithTxObjectConflict(t *testing.T, open Opener) {
	s := open(t)
	seed(t, s, "df-1")
	createObjects(t, s, newInstance("df-1", "@old", "Shell", day(1, 0, 0, 0)))
	_ = s.WithTx(t.Context(), func(q store.Queries) error {
		err := q.ObjectCreate(t.Context(), store.ObjectCreateParams{Objects: []store.Object{
			newInstance("df-1", "@new", "Shell", day(2, 0, 0, 0)),
			newInstance("df-1", "@old", "Copy", day(2, 0, 0, 0)),
		}})
		wantErr(t, err, store.ErrConflict)
		return nil
	})
	equal(t, "objects", objectIDs(getObjects(t, s, "df-1", "@new", "@old")), []string{"@old"})
	equal(t, "old kept", getObjects(t, s, "df-1", "@old")[0].Status, pipeline.StatusWaitingOnDependencies)
}

// testWithSnapshotTx: WithSnapshotTx commits all of fn's writes or none,
// like WithTx, and a held pipeline reads as it is, unchanged.
func testWithSnapshotTx(t *testing.T, open Opener) {
	testAllOrNone(t, open, store.Store.WithSnapshotTx)
	t.Run("OK/Hold", func(t *testing.T) {
		s := open(t)
		seed(t, s, "df-1")
		before := try(getPipeline(t, s, acct, "df-1")).must(t)
		var held store.Pipeline
		noErr(t, s.WithSnapshotTx(t.Context(), func(q store.Queries) (err error) {
			held, err = hold(t, q, "df-1")
			return err
		}))
		equal(t, "held", canonPipeline(held), canonPipeline(before))
		equal(t, "after", canonPipeline(try(getPipeline(t, s, acct, "df-1")).must(t)), canonPipeline(before))
	})
	t.Run("ErrNotFound/Hold", func(t *testing.T) {
		s := open(t)
		err := s.WithSnapshotTx(t.Context(), func(q store.Queries) error { _, err := hold(t, q, "df-none"); return err })
		wantErr(t, err, store.ErrNotFound)
	})
	t.Run("ErrDeleted/Hold", func(t *testing.T) {
		s := open(t)
		seed(t, s, "df-1")
		deletePipeline(t, s, "df-1")
		err := s.WithSnapshotTx(t.Context(), func(q store.Queries) error { _, err := hold(t, q, "df-1"); return err })
		wantErr(t, err, store.ErrDeleted)
	})
}

// hold reads pipeline id of acct with Hold.
func hold(t *testing.T, q store.Queries, id string) (store.Pipeline, error) {
	return q.PipelineGet(t.Context(), store.PipelineGetParams{AccountID: acct, ID: id, Hold: true})
}
