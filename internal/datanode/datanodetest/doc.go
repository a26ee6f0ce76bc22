// Package datanodetest is the conformance suite every datanode adapter
// runs against a real backend: RunFiles for byte-stream adapters (file,
// s3), RunTables for record adapters (sql on PostgreSQL, MariaDB and
// SQLite; dynamodb on dynalite). Each adapter's tests supply a harness
// that makes fresh locations or tables; the suite checks round trips,
// atomic commit and abort, missing-location errors that name the node,
// and malformed rows that name the row.
package datanodetest
