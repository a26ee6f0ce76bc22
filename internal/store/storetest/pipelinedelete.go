package storetest

import (
	"testing"
	"time"

	"github.com/datapipe/datapipe/internal/store"
)

// testPipelineDelete: PipelineDelete hides the pipeline, removes its
// definitions and objects, cancels its open tasks, and makes its id answer
// ErrDeleted.
func testPipelineDelete(t *testing.T, open Opener) {
	t.Run("OK", func(t *testing.T) { testPipelineDeleteOK(t, open) })
	t.Run("KeepsOthers", func(t *testing.T) {
		s := open(t)
		seed(t, s, "df-1")
		seed(t, s, "df-2")
		createObjects(t, s, newInstance("df-2", "@i-1", "Shell", day(1, 0, 0, 0)))
		createTask(t, s, newTask("tk-2", "df-2", at(0)))
		deletePipeline(t, s, "df-1")
		equal(t, "objects", len(getObjects(t, s, "df-2", "@i-1")), 1)
		equal(t, "task", getTask(t, s, "tk-2").State, store.TaskQueued)
		try(getPipeline(t, s, acct, "df-2")).must(t)
	})
	tests := []struct {
		name    string
		account string
		id      string
	}{
		{"ErrNotFound", acct, "df-unknown"},
		{"ErrNotFound/Twice", acct, "df-deleted"},
		{"ErrNotFound/OtherAccount", acctOther, "df-live"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := open(t)
			seed(t, s, "df-live")
			seed(t, s, "df-deleted")
			deletePipeline(t, s, "df-deleted")
			err := s.PipelineDelete(t.Context(), store.PipelineDeleteParams{AccountID: tt.account, ID: tt.id, Now: at(time.Hour)})
			wantErr(t, err, store.ErrNotFound)
			try(getPipeline(t, s, acct, "df-live")).must(t)
		})
	}
}

// testPipelineDeleteOK deletes a pipeline with definitions, objects and
// tasks in every state.
func testPipelineDeleteOK(t *testing.T, open Opener) {
	s := open(t)
	ctx := t.Context()
	seed(t, s, "df-1")
	try(s.DefinitionPut(ctx, store.DefinitionPutParams{PipelineID: "df-1", Definition: richDefinition(), Now: at(0)})).must(t)
	createObjects(t, s, newInstance("df-1", "@i-1", "Shell", day(1, 0, 0, 0)))
	createTask(t, s, newTask("tk-leased", "df-1", at(0)))
	try(claim(t, s, at(time.Second))).must(t)
	createTask(t, s, newTask("tk-queued", "df-1", at(time.Second)))

	deletePipeline(t, s, "df-1")

	_, err := getPipeline(t, s, acct, "df-1")
	wantErr(t, err, store.ErrDeleted)
	equal(t, "list", listIDs(t, s, acct, "", 10), []string{})
	equal(t, "count", try(s.PipelineCount(ctx, store.PipelineCountParams{AccountID: acct})).must(t), 0)
	_, err = s.DefinitionGet(ctx, store.DefinitionGetParams{PipelineID: "df-1", Version: 1})
	wantErr(t, err, store.ErrNotFound)
	equal(t, "objects", len(getObjects(t, s, "df-1", "@i-1")), 0)
	q := try(s.ObjectQuery(ctx, store.ObjectQueryParams{PipelineID: "df-1", Sphere: "INSTANCE", Limit: 10})).must(t)
	equal(t, "query", len(q), 0)
	queued := getTask(t, s, "tk-queued")
	equal(t, "queued task", []any{queued.State, queued.Canceled}, []any{store.TaskDone, true})
	leased := getTask(t, s, "tk-leased")
	equal(t, "leased task", []any{leased.State, leased.Canceled}, []any{store.TaskLeased, true})
	_, err = s.DefinitionPut(ctx, store.DefinitionPutParams{PipelineID: "df-1", Now: at(time.Hour)})
	wantErr(t, err, store.ErrDeleted)
}
