// Package postgres is the PostgreSQL adapter of the store port: a
// store.Store on a pgx connection pool, for several datapipe replicas
// sharing one database.
//
// Open applies the embedded numbered migrations (migrations/NNNN_name.sql)
// under a PostgreSQL advisory lock keyed on the schema, so replicas that
// start together migrate exactly once; applied versions are recorded in
// schema_migrations. Config.Schema puts every table in one schema (created
// if missing), which is how tests get a database of their own.
//
// Representation:
//
//   - Pipeline, task, runner and lease times are timestamptz, written with
//     millisecond precision and returned in UTC; unset times are NULL.
//   - The object times that QueryObjects filters on are also stored as
//     'YYYY-MM-DDTHH:MM:SS' text (NULL when unset), so filters compare
//     strings exactly as the SQLite adapter does.
//   - Definitions (in their wire shape), object fields and tags are json,
//     whose arrays keep their order.
//   - Identifiers use the "C" collation: order is byte order.
//
// Concurrency:
//
//   - TaskClaim is one UPDATE whose target is chosen by SELECT … FOR
//     UPDATE SKIP LOCKED, so concurrent claimers on any number of replicas
//     never receive the same task and never wait on each other.
//   - WithTx runs at SERIALIZABLE isolation and re-runs its function when
//     PostgreSQL reports a serialization failure or a deadlock (see
//     DB.WithTx). WithSnapshotTx runs at REPEATABLE READ with the same
//     re-runs; PipelineGetParams.Hold makes the pipeline a written row.
//   - Inside a transaction, writes that may fail with a conflict run in a
//     savepoint, so an ErrConflict leaves the transaction usable, as it
//     does in SQLite.
package postgres
