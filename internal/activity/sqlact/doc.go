// Package sqlact runs SqlActivity attempts (objects.md §5.1.3): a SQL
// script run against the activity's database (JdbcDatabase, RdsDatabase
// or RedshiftDatabase: PostgreSQL, Redshift over the PostgreSQL protocol,
// MySQL/MariaDB or SQLite).
//
// The script is the script field (with its expressions already evaluated
// by the service) or the content of scriptUri (s3://, file:// or a local
// path; not evaluated), at most 16 MiB. It is split into statements at
// semicolons (see Split) and run in order in one transaction, so a
// failing statement leaves the database as it was (databases that commit
// DDL implicitly, like MySQL, keep what their DDL did). The scriptArgument
// values are bound, in order, to the ? placeholders of the whole script,
// as JDBC binds them: the first statement takes the first values, the
// next the following ones. A script whose placeholders do not match the
// number of values fails before anything runs.
//
// Before the script, every output SQL data node whose table is missing
// and that has createTableSql gets its table created, in the same
// transaction. The Redshift queue (query_group) is not applied: it means
// nothing outside Redshift.
//
// Errors name the activity, the statement's number and line, and the
// database's message.
package sqlact
