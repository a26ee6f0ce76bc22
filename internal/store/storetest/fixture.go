package storetest

import (
	"errors"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/datapipe/datapipe/internal/definition"
	"github.com/datapipe/datapipe/internal/pipeline"
	"github.com/datapipe/datapipe/internal/store"
)

// The suite's accounts.
const (
	acct      = "111122223333"
	acctOther = "444455556666"
)

// The suite's worker groups.
const (
	wgMain  = "wg-main"
	wgOther = "wg-other"
)

// at is the suite's fake clock: 2024-03-01T12:00:00Z plus d.
func at(d time.Duration) time.Time {
	return time.Date(2024, 3, 1, 12, 0, 0, 0, time.UTC).Add(d)
}

// day is a calendar time on day d of January 2024, at h:m:s UTC.
func day(d, h, m, s int) time.Time { return time.Date(2024, 1, d, h, m, s, 0, time.UTC) }

// result holds a call's value and error until the test checks them:
// try(s.TaskGet(ctx, id)).must(t).
type result[T any] struct {
	v   T
	err error
}

// try captures the results of a call.
func try[T any](v T, err error) result[T] { return result[T]{v, err} }

// must fails t when the call failed and returns its value.
func (r result[T]) must(t *testing.T) T {
	t.Helper()
	if r.err != nil {
		t.Fatalf("unexpected error: %v", r.err)
	}
	return r.v
}

// noErr fails t when err is not nil.
func noErr(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("unexpected error: %v", err)
	}
}

// wantErr fails t unless err wraps target.
func wantErr(t *testing.T, err, target error) {
	t.Helper()
	if !errors.Is(err, target) {
		t.Fatalf("error = %v, want %v", err, target)
	}
}

// equal fails t unless got and want are deeply equal.
func equal[T any](t *testing.T, what string, got, want T) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%s:\n got %+v\nwant %+v", what, got, want)
	}
}

// newPipeline returns a pipeline ready for PipelineCreate.
func newPipeline(account, id string) store.Pipeline {
	return store.Pipeline{
		ID: id, AccountID: account, Name: "name-" + id, UniqueID: "token-" + id,
		Creator: "arn:aws:iam::" + account + ":user/alice", State: pipeline.StatePending, CreatedAt: at(0),
	}
}

// createPipeline creates pl in s and fails t unless it was created.
func createPipeline(t *testing.T, s store.Queries, pl store.Pipeline) store.Pipeline {
	t.Helper()
	got, created, err := s.PipelineCreate(t.Context(), store.PipelineCreateParams{Pipeline: pl})
	noErr(t, err)
	if !created {
		t.Fatalf("pipeline %s: created = false, want true", pl.ID)
	}
	return got
}

// seed creates pipeline id in acct and returns id.
func seed(t *testing.T, s store.Queries, id string) string {
	t.Helper()
	createPipeline(t, s, newPipeline(acct, id))
	return id
}

// getPipeline reads pipeline id of account.
func getPipeline(t *testing.T, s store.Queries, account, id string) (store.Pipeline, error) {
	t.Helper()
	return s.PipelineGet(t.Context(), store.PipelineGetParams{AccountID: account, ID: id})
}

// deletePipeline deletes pipeline id of acct and fails t on error.
func deletePipeline(t *testing.T, s store.Queries, id string) {
	t.Helper()
	noErr(t, s.PipelineDelete(t.Context(), store.PipelineDeleteParams{AccountID: acct, ID: id, Now: at(time.Hour)}))
}

// listIDs lists the account's live pipelines after afterID and returns
// their ids.
func listIDs(t *testing.T, s store.Queries, account, afterID string, limit int) []string {
	t.Helper()
	pls := try(s.PipelineList(t.Context(), store.PipelineListParams{AccountID: account, AfterID: afterID, Limit: limit})).must(t)
	ids := []string{}
	for _, p := range pls {
		ids = append(ids, p.ID)
	}
	return ids
}

// canonPipeline makes empty and nil tag lists compare equal.
func canonPipeline(p store.Pipeline) store.Pipeline {
	if len(p.Tags) == 0 {
		p.Tags = nil
	}
	return p
}

// canonObject makes empty and nil field lists compare equal.
func canonObject(o store.Object) store.Object {
	if len(o.Fields) == 0 {
		o.Fields = nil
	}
	return o
}

// canonObjects applies canonObject to every object; empty is nil.
func canonObjects(objs []store.Object) []store.Object {
	var out []store.Object
	for _, o := range objs {
		out = append(out, canonObject(o))
	}
	return out
}

// canonDefinition makes empty and nil lists compare equal throughout d.
func canonDefinition(d definition.Definition) definition.Definition {
	var out definition.Definition
	for _, o := range d.Objects {
		if len(o.Fields) == 0 {
			o.Fields = nil
		}
		out.Objects = append(out.Objects, o)
	}
	for _, p := range d.Parameters {
		if len(p.Attributes) == 0 {
			p.Attributes = nil
		}
		out.Parameters = append(out.Parameters, p)
	}
	if len(d.Values) > 0 {
		out.Values = d.Values
	}
	return out
}

// objectIDs returns the ids of objs, in order, non-nil.
func objectIDs(objs []store.Object) []string {
	ids := []string{}
	for _, o := range objs {
		ids = append(ids, o.ID)
	}
	return ids
}

// taskIDs returns the ids of tasks, in order, non-nil.
func taskIDs(tasks []store.Task) []string {
	ids := []string{}
	for _, tk := range tasks {
		ids = append(ids, tk.ID)
	}
	return ids
}

// newTask returns a task of pipeline pipelineID in acct and wgMain, created
// and available at created.
func newTask(id, pipelineID string, created time.Time) store.Task {
	return store.Task{
		ID: id, AccountID: acct, PipelineID: pipelineID, AttemptID: "att-" + id, WorkerGroup: wgMain,
		AvailableAt: created, CreatedAt: created,
	}
}

// createTask queues tk and fails t on error.
func createTask(t *testing.T, s store.Queries, tk store.Task) store.Task {
	t.Helper()
	return try(s.TaskCreate(t.Context(), store.TaskCreateParams{Task: tk})).must(t)
}

// claim claims for owner "host-1" in acct and wgMain at now, leasing for a
// minute.
func claim(t *testing.T, s store.Queries, now time.Time) (store.Task, error) {
	t.Helper()
	return s.TaskClaim(t.Context(), store.TaskClaimParams{
		AccountID: acct, WorkerGroup: wgMain, Owner: "host-1", Now: now, LeaseUntil: now.Add(time.Minute),
	})
}

// getTask reads task id and fails t on error.
func getTask(t *testing.T, s store.Queries, id string) store.Task {
	t.Helper()
	return try(s.TaskGet(t.Context(), id)).must(t)
}

// newInstance returns an INSTANCE object of component comp scheduled to
// start at start and last a day.
func newInstance(pipelineID, id, comp string, start time.Time) store.Object {
	return store.Object{
		PipelineID: pipelineID, ID: id, Sphere: pipeline.SphereInstance, ComponentID: comp,
		Status: pipeline.StatusWaitingOnDependencies, ScheduledStart: start, ScheduledEnd: start.Add(24 * time.Hour),
		Fields: []pipeline.Field{
			pipeline.String("@status", string(pipeline.StatusWaitingOnDependencies)),
			pipeline.Reference("@componentParent", comp),
		},
		UpdatedAt: at(0),
	}
}

// createObjects inserts objs and fails t on error.
func createObjects(t *testing.T, s store.Queries, objs ...store.Object) {
	t.Helper()
	noErr(t, s.ObjectCreate(t.Context(), store.ObjectCreateParams{Objects: objs}))
}

// getObjects reads the pipeline's objects ids.
func getObjects(t *testing.T, s store.Queries, pipelineID string, ids ...string) []store.Object {
	t.Helper()
	return try(s.ObjectGet(t.Context(), store.ObjectGetParams{PipelineID: pipelineID, IDs: ids})).must(t)
}

// ids returns n ids prefix-0 … prefix-(n-1), zero-padded so that they
// sort in order.
func ids(prefix string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("%s-%04d", prefix, i)
	}
	return out
}
