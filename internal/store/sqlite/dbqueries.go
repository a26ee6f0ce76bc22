package sqlite

import (
	"context"

	"github.com/datapipe/datapipe/internal/store"
)

// This file makes DB a store.Queries: each write runs in a write
// transaction of its own (see DB.WithTx), each read on the read pool. The
// contracts are those of store.Queries; the choices the port leaves open
// are listed in the package documentation.

// PipelineCreate implements store.Queries.PipelineCreate, in its own write transaction.
func (db *DB) PipelineCreate(ctx context.Context, p store.PipelineCreateParams) (pl store.Pipeline, created bool, err error) {
	err = db.tx(ctx, func(q queries) error {
		pl, created, err = q.PipelineCreate(ctx, p)
		return err
	})
	return pl, created, err
}

// PipelineGet implements store.Queries.PipelineGet, on the read pool.
func (db *DB) PipelineGet(ctx context.Context, p store.PipelineGetParams) (store.Pipeline, error) {
	return db.read().PipelineGet(ctx, p)
}

// PipelineList implements store.Queries.PipelineList, on the read pool.
func (db *DB) PipelineList(ctx context.Context, p store.PipelineListParams) ([]store.Pipeline, error) {
	return db.read().PipelineList(ctx, p)
}

// PipelineListByState implements store.Queries.PipelineListByState, on the read pool.
func (db *DB) PipelineListByState(ctx context.Context, p store.PipelineListByStateParams) ([]store.Pipeline, error) {
	return db.read().PipelineListByState(ctx, p)
}

// PipelineCount implements store.Queries.PipelineCount, on the read pool.
func (db *DB) PipelineCount(ctx context.Context, p store.PipelineCountParams) (int, error) {
	return db.read().PipelineCount(ctx, p)
}

// PipelineUpdate implements store.Queries.PipelineUpdate, in its own write transaction.
func (db *DB) PipelineUpdate(ctx context.Context, p store.PipelineUpdateParams) (store.Pipeline, error) {
	return inTx(ctx, db, func(q queries) (store.Pipeline, error) { return q.PipelineUpdate(ctx, p) })
}

// PipelineDelete implements store.Queries.PipelineDelete, in its own write transaction.
func (db *DB) PipelineDelete(ctx context.Context, p store.PipelineDeleteParams) error {
	return db.tx(ctx, func(q queries) error { return q.PipelineDelete(ctx, p) })
}

// DefinitionPut implements store.Queries.DefinitionPut, in its own write transaction.
func (db *DB) DefinitionPut(ctx context.Context, p store.DefinitionPutParams) (store.DefinitionVersion, error) {
	return inTx(ctx, db, func(q queries) (store.DefinitionVersion, error) { return q.DefinitionPut(ctx, p) })
}

// DefinitionGet implements store.Queries.DefinitionGet, on the read pool.
func (db *DB) DefinitionGet(ctx context.Context, p store.DefinitionGetParams) (store.DefinitionVersion, error) {
	return db.read().DefinitionGet(ctx, p)
}

// ObjectCreate implements store.Queries.ObjectCreate, in its own write transaction.
func (db *DB) ObjectCreate(ctx context.Context, p store.ObjectCreateParams) error {
	return db.tx(ctx, func(q queries) error { return q.ObjectCreate(ctx, p) })
}

// TaskCreateAll implements store.Queries.TaskCreateAll, in its own write transaction.
func (db *DB) TaskCreateAll(ctx context.Context, p store.TaskCreateAllParams) error {
	return db.tx(ctx, func(q queries) error { return q.TaskCreateAll(ctx, p) })
}

// ObjectGet implements store.Queries.ObjectGet, on the read pool.
func (db *DB) ObjectGet(ctx context.Context, p store.ObjectGetParams) ([]store.Object, error) {
	return db.read().ObjectGet(ctx, p)
}

// ObjectUpdate implements store.Queries.ObjectUpdate, in its own write transaction.
func (db *DB) ObjectUpdate(ctx context.Context, p store.ObjectUpdateParams) (store.Object, error) {
	return inTx(ctx, db, func(q queries) (store.Object, error) { return q.ObjectUpdate(ctx, p) })
}

// ObjectUpdateAll implements store.Queries.ObjectUpdateAll, all or none
// (one transaction).
func (db *DB) ObjectUpdateAll(ctx context.Context, p store.ObjectUpdateAllParams) ([]store.Object, error) {
	return inTx(ctx, db, func(q queries) ([]store.Object, error) { return q.ObjectUpdateAll(ctx, p) })
}

// ObjectQuery implements store.Queries.ObjectQuery, on the read pool.
func (db *DB) ObjectQuery(ctx context.Context, p store.ObjectQueryParams) ([]store.Object, error) {
	return db.read().ObjectQuery(ctx, p)
}

// ObjectVersions implements store.Queries.ObjectVersions, on the read pool.
func (db *DB) ObjectVersions(ctx context.Context, p store.ObjectQueryParams) ([]store.ObjectVersion, error) {
	return db.read().ObjectVersions(ctx, p)
}

// TaskCreate implements store.Queries.TaskCreate, in its own write transaction.
func (db *DB) TaskCreate(ctx context.Context, p store.TaskCreateParams) (store.Task, error) {
	return inTx(ctx, db, func(q queries) (store.Task, error) { return q.TaskCreate(ctx, p) })
}

// TaskGet implements store.Queries.TaskGet, on the read pool.
func (db *DB) TaskGet(ctx context.Context, id string) (store.Task, error) {
	return db.read().TaskGet(ctx, id)
}

// TaskClaim implements store.Queries.TaskClaim, in its own write transaction.
func (db *DB) TaskClaim(ctx context.Context, p store.TaskClaimParams) (store.Task, error) {
	return inTx(ctx, db, func(q queries) (store.Task, error) { return q.TaskClaim(ctx, p) })
}

// TaskExtend implements store.Queries.TaskExtend, in its own write transaction.
func (db *DB) TaskExtend(ctx context.Context, p store.TaskExtendParams) (store.Task, error) {
	return inTx(ctx, db, func(q queries) (store.Task, error) { return q.TaskExtend(ctx, p) })
}

// TaskComplete implements store.Queries.TaskComplete, in its own write transaction.
func (db *DB) TaskComplete(ctx context.Context, p store.TaskCompleteParams) (store.Task, error) {
	return inTx(ctx, db, func(q queries) (store.Task, error) { return q.TaskComplete(ctx, p) })
}

// TaskCancel implements store.Queries.TaskCancel, in its own write transaction.
func (db *DB) TaskCancel(ctx context.Context, p store.TaskCancelParams) (int, error) {
	return inTx(ctx, db, func(q queries) (int, error) { return q.TaskCancel(ctx, p) })
}

// TaskListExpired implements store.Queries.TaskListExpired, on the read pool.
func (db *DB) TaskListExpired(ctx context.Context, p store.TaskListExpiredParams) ([]store.Task, error) {
	return db.read().TaskListExpired(ctx, p)
}

// TaskExpire implements store.Queries.TaskExpire, in its own write transaction.
func (db *DB) TaskExpire(ctx context.Context, p store.TaskExpireParams) (store.Task, error) {
	return inTx(ctx, db, func(q queries) (store.Task, error) { return q.TaskExpire(ctx, p) })
}

// RunnerHeartbeat implements store.Queries.RunnerHeartbeat, in its own write transaction.
func (db *DB) RunnerHeartbeat(ctx context.Context, p store.RunnerHeartbeatParams) (store.Runner, error) {
	return inTx(ctx, db, func(q queries) (store.Runner, error) { return q.RunnerHeartbeat(ctx, p) })
}

// RunnerList implements store.Queries.RunnerList, on the read pool.
func (db *DB) RunnerList(ctx context.Context, p store.RunnerListParams) ([]store.Runner, error) {
	return db.read().RunnerList(ctx, p)
}

// LeaseAcquire implements store.Queries.LeaseAcquire, in its own write transaction.
func (db *DB) LeaseAcquire(ctx context.Context, p store.LeaseAcquireParams) error {
	return db.tx(ctx, func(q queries) error { return q.LeaseAcquire(ctx, p) })
}

// LeaseRelease implements store.Queries.LeaseRelease, in its own write transaction.
func (db *DB) LeaseRelease(ctx context.Context, p store.LeaseReleaseParams) error {
	return db.tx(ctx, func(q queries) error { return q.LeaseRelease(ctx, p) })
}
