// Package sql is the SQL adapter of datanode.Table: SqlDataNode,
// MySqlDataNode and RedshiftDataNode, on the database their database
// reference (JdbcDatabase, RdsDatabase, RedshiftDatabase) or inline
// connectionString/username/*password names.
//
// Connections: jdbc:postgresql:// and jdbc:redshift:// use pgx (Redshift
// is reached over the PostgreSQL protocol), jdbc:mysql:// and
// jdbc:mariadb:// go-sql-driver/mysql, jdbc:sqlite:path modernc.org/sqlite.
// databaseName, username, *password and jdbcProperties override the URL.
// An RdsDatabase rdsInstanceId or RedshiftDatabase clusterId cannot be
// looked up without AWS: Config.Resolve maps them to JDBC URLs, and
// without a mapping New fails saying so.
//
// Identifiers: table, schemaName and column names are written as they
// are when they are plain identifiers (so the database folds their case
// as in the user's own selectQuery) and quoted otherwise.
//
// Reading runs selectQuery, else SELECT * of the table, and streams the
// rows (the RecordReader must be closed: it holds a connection).
//
// Writing is one transaction on a dedicated connection (Session):
// createTableSql runs when the table is missing; Replace empties the
// table first (TRUNCATE on PostgreSQL, which is transactional there;
// DELETE on MySQL, whose TRUNCATE would commit); records go in with the
// node's insertQuery (JDBC ? placeholders, one statement per record) or
// generated multi-row INSERTs of Config.BatchRows rows. Each batch runs
// under a savepoint; a batch the database rejects is retried row by row
// to name the record at fault (a *format.RowError). Commit makes it all
// visible at once; a failure or Abort rolls everything back, so the old
// rows stay.
//
// Bulk loading: Session.CopyFrom and Node.Load stream bytes into
// PostgreSQL with COPY … FROM STDIN (CSV or text format, see
// CopyOptionsFor), for CopyActivity and RedshiftCopyActivity; sessions
// also serve RedshiftCopyActivity's staging-table and merge statements.
package sql
