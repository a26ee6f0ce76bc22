// Package sqlite is the embedded default adapter of the store port: a
// store.Store on one SQLite database file, in pure Go (modernc.org/sqlite),
// for a single datapipe server process.
//
// # Opening
//
// Open creates the file when it does not exist and applies the numbered
// migrations embedded from migrations/ (0001_init.sql, …), each in its own
// transaction, recording them in the schema_migrations table. Reopening an
// up-to-date database applies nothing; a database migrated by a newer
// datapipe (a version this binary does not know) is refused.
//
// # Concurrency
//
// SQLite allows one writer at a time. The adapter makes that explicit: all
// writes go through a pool of exactly one connection, and every write, even
// a single-statement one, is a BEGIN IMMEDIATE transaction on it. Writes are
// therefore serialised in the process, a read-modify-write such as TaskClaim
// or PipelineCreate cannot interleave with another, and WithTx is
// serialisable. Reads outside WithTx use a separate pool of read-only
// connections, which in WAL mode see the last committed state without
// waiting for the writer. An in-memory database (":memory:") has one
// connection for both.
//
// # Durability
//
// The database runs in WAL mode with synchronous=NORMAL (unless
// Config.SyncFull). A commit that returned has been written to the WAL
// file, so it survives the process being killed (kill -9, a crash, an OOM
// kill): the operating system still holds the data and writes it out. Only
// an operating-system crash or a power loss may lose the last commits before
// the next checkpoint; the database itself is never corrupted. SyncFull
// (synchronous=FULL) makes every commit fsync the WAL as well, durable
// against power loss at the cost of one fsync per write. An Ephemeral
// database (synchronous=OFF) never waits for the disk: for databases
// thrown away after use.
//
// # Encoding
//
// Definitions are stored as definition.WireDefinition JSON, object fields
// and pipeline tags as JSON arrays, keeping order, repeated keys and the
// string-or-reference kind of every field. Pipeline, definition, task,
// runner and lease times are INTEGER unix milliseconds; the indexed object
// times are TEXT 'YYYY-MM-DDTHH:MM:SS.sss' in UTC, NULL when unset, whose
// first 19 characters are what QueryObjects compares. Times are kept to the
// millisecond and returned in UTC. The JSON-encoded parts (definitions,
// fields, tags) hold valid UTF-8, as everything arriving through the JSON
// API does; an invalid byte would be stored as U+FFFD.
//
// # Choices the port leaves open
//
//   - A Limit of zero or less means no limit (PipelineList, ObjectQuery,
//     TaskListExpired).
//   - PipelineList with an AfterID unknown in the account returns an empty
//     page.
//   - PipelineCreate stores LatestVersion 0 whatever it is given; an id
//     already taken (even by a deleted pipeline) is store.ErrConflict.
//   - ObjectCreate and TaskCreate for a pipeline that does not exist are
//     store.ErrNotFound (a foreign key).
//   - ObjectUpdateParams carries no Now: UpdatedAt is Object.UpdatedAt.
//   - TaskClaim breaks CreatedAt ties by id; TaskListExpired orders by
//     lease end, then id.
//   - TaskCancel counts a LEASED task only when it first becomes canceled.
//   - TaskExpire of an unknown id is store.ErrNotFound.
//   - A named lease, like a task lease, is held through its end and
//     expired once its end is before Now.
//   - An ObjectQuery filter on an unknown field, with an unknown operator
//     or the wrong number of values is an error wrapping none of the
//     sentinels.
package sqlite
