// Package store is the persistence port of datapipe: the Store interface
// that the control plane, the scheduler and the task queue use, the entity
// and parameter types it speaks, and its sentinel errors.
//
// Two adapters implement it: store/sqlite (pure Go, the embedded default)
// and store/postgres (pgx, for several replicas sharing one database). Each
// pins itself with
//
//	var _ store.Store = (*DB)(nil)
//
// and both run the conformance suite in store/storetest, which is the
// executable form of the contracts written on the methods below.
//
// Contracts common to every method:
//
//   - Methods are entity first (PipelineCreate, TaskClaim) and take a
//     …Params struct, so that adding a parameter never breaks callers.
//   - "Not found" is ErrNotFound, a deleted pipeline is ErrDeleted, a
//     uniqueness or state conflict is ErrConflict; adapters wrap them with
//     context, so test with errors.Is. Every other error is an
//     infrastructure failure.
//   - Times are stored with at least millisecond precision and returned in
//     UTC. The store never reads the clock: callers pass Now.
//   - WithTx runs its function in one serialisable unit of work: either all
//     of its writes commit or none do. A write that returned without error
//     outside a transaction is durable. WithSnapshotTx is the same at
//     snapshot isolation, for functions that write every row they rely on.
//   - Accounts isolate everything: a pipeline in one account is invisible
//     (ErrNotFound) to every other account.
package store
