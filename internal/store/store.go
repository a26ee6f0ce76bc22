package store

import (
	"context"
)

// Queries is every data operation of the store. Contracts are on the
// …Params types; see the package documentation for the rules they share.
type Queries interface {
	// PipelineCreate inserts a pipeline. It is idempotent on (AccountID,
	// Name, UniqueID) among live pipelines: a repeat returns the existing
	// pipeline and created=false, ignoring the other attributes.
	PipelineCreate(ctx context.Context, p PipelineCreateParams) (pl Pipeline, created bool, err error)
	// PipelineGet returns a pipeline: ErrNotFound when unknown in the
	// account, ErrDeleted when deleted.
	PipelineGet(ctx context.Context, p PipelineGetParams) (Pipeline, error)
	// PipelineList returns up to Limit live pipelines after AfterID.
	PipelineList(ctx context.Context, p PipelineListParams) ([]Pipeline, error)
	// PipelineListByState lists live pipelines in the given states across
	// accounts.
	PipelineListByState(ctx context.Context, p PipelineListByStateParams) ([]Pipeline, error)
	// PipelineCount counts live pipelines.
	PipelineCount(ctx context.Context, p PipelineCountParams) (int, error)
	// PipelineUpdate writes mutable attributes: ErrNotFound / ErrDeleted.
	PipelineUpdate(ctx context.Context, p PipelineUpdateParams) (Pipeline, error)
	// PipelineDelete deletes: ErrNotFound when unknown or already deleted.
	PipelineDelete(ctx context.Context, p PipelineDeleteParams) error

	// DefinitionPut saves the next version: ErrNotFound / ErrDeleted.
	DefinitionPut(ctx context.Context, p DefinitionPutParams) (DefinitionVersion, error)
	// DefinitionGet reads a version: ErrNotFound when it does not exist.
	DefinitionGet(ctx context.Context, p DefinitionGetParams) (DefinitionVersion, error)

	// ObjectCreate inserts runtime objects (Revision starts at 1).
	ObjectCreate(ctx context.Context, p ObjectCreateParams) error
	// ObjectGet reads runtime objects by id.
	ObjectGet(ctx context.Context, p ObjectGetParams) ([]Object, error)
	// ObjectUpdate replaces an object and returns it with its new
	// Revision: ErrNotFound, or ErrConflict on a stale revision.
	ObjectUpdate(ctx context.Context, p ObjectUpdateParams) (Object, error)
	// ObjectUpdateAll is ObjectUpdate of each in order, returning them as
	// stored, where the adapter can in one round trip. The first failure
	// (ErrNotFound, ErrConflict) is returned naming its object; the
	// updates before it are not undone, so a caller rolls back its
	// transaction.
	ObjectUpdateAll(ctx context.Context, p ObjectUpdateAllParams) ([]Object, error)
	// ObjectQuery lists objects matching filters, one page.
	ObjectQuery(ctx context.Context, p ObjectQueryParams) ([]Object, error)
	// ObjectVersions is ObjectQuery without the fields: the id, revision
	// and status of each match, in the same order, for change detection.
	ObjectVersions(ctx context.Context, p ObjectQueryParams) ([]ObjectVersion, error)

	// TaskCreate queues a task.
	TaskCreate(ctx context.Context, p TaskCreateParams) (Task, error)
	// TaskCreateAll queues many tasks in one go, all or none.
	TaskCreateAll(ctx context.Context, p TaskCreateAllParams) error
	// TaskGet reads a task by id: ErrNotFound.
	TaskGet(ctx context.Context, id string) (Task, error)
	// TaskClaim leases the next available task: ErrNotFound when none.
	TaskClaim(ctx context.Context, p TaskClaimParams) (Task, error)
	// TaskExtend renews a lease: ErrNotFound when not held.
	TaskExtend(ctx context.Context, p TaskExtendParams) (Task, error)
	// TaskComplete finishes a leased task: ErrNotFound when not leased.
	TaskComplete(ctx context.Context, p TaskCompleteParams) (Task, error)
	// TaskCancel cancels open tasks and returns how many it touched.
	TaskCancel(ctx context.Context, p TaskCancelParams) (int, error)
	// TaskListExpired lists leased tasks whose lease has run out.
	TaskListExpired(ctx context.Context, p TaskListExpiredParams) ([]Task, error)
	// TaskExpire ends an expired lease: ErrConflict if it was renewed.
	TaskExpire(ctx context.Context, p TaskExpireParams) (Task, error)

	// RunnerHeartbeat upserts a runner and returns it.
	RunnerHeartbeat(ctx context.Context, p RunnerHeartbeatParams) (Runner, error)
	// RunnerList lists runners.
	RunnerList(ctx context.Context, p RunnerListParams) ([]Runner, error)

	// LeaseAcquire takes or renews a named lease: ErrConflict when held
	// by another holder.
	LeaseAcquire(ctx context.Context, p LeaseAcquireParams) error
	// LeaseRelease gives a lease up; releasing a lease not held is a no-op.
	LeaseRelease(ctx context.Context, p LeaseReleaseParams) error
}

// Store is a datapipe database: the queries, transactions, and its
// lifetime. Opening a Store applies its embedded migrations.
type Store interface {
	Queries
	// WithTx runs fn in one transaction: all of fn's writes commit
	// together when fn returns nil, none when it returns an error (which
	// WithTx returns). fn must use only the Queries it is given.
	WithTx(ctx context.Context, fn func(Queries) error) error
	// WithSnapshotTx is WithTx at snapshot isolation where the store has
	// a weaker level than serializable: fn sees one snapshot, and a row it
	// writes that another transaction changed meanwhile fails the
	// transaction (it is re-run, as WithTx re-runs), but a row it only
	// reads is not protected. It is for transactions that write every row
	// their decisions rest on (objects by revision, tasks by state, the
	// pipeline through PipelineGetParams.Hold): serializable's tracking of
	// reads, which is by index page, makes such transactions fail for
	// rows they never depended on, the more often the more they write.
	WithSnapshotTx(ctx context.Context, fn func(Queries) error) error
	// Close releases the database. It is safe to call more than once.
	Close() error
}
