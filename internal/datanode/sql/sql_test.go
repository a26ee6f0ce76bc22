package sql_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/datapipe/datapipe/internal/datanode"
	"github.com/datapipe/datapipe/internal/datanode/datanodetest"
	dsql "github.com/datapipe/datapipe/internal/datanode/sql"
	"github.com/datapipe/datapipe/internal/pipeline"
)

// env returns an environment variable a test needs, failing without it
// (skipping under -short).
func env(t *testing.T, key string) string {
	t.Helper()
	v := os.Getenv(key)
	if v == "" {
		if testing.Short() {
			t.Skip(key + " is not set")
		}
		t.Fatalf(`%s is not set: run eval "$(scripts/servers.sh start)"`, key)
	}
	return v
}

// database is a test JdbcDatabase object and the SQL to create the
// test table in a fresh schema or database.
type database struct {
	obj    pipeline.Object
	schema string
	table  string // DDL of the test table, %s for its name
}

// randomName returns a fresh identifier.
func randomName(prefix string) string {
	b := make([]byte, 6)
	rand.Read(b)
	return prefix + hex.EncodeToString(b)
}

// postgresDB returns a JdbcDatabase on the test PostgreSQL server and a
// fresh schema, dropped after the test.
func postgresDB(t *testing.T) database {
	u, err := url.Parse(env(t, "DATAPIPE_TEST_POSTGRES"))
	if err != nil {
		t.Fatal(err)
	}
	pass, _ := u.User.Password()
	db := jdbcObject("jdbc:postgresql://"+u.Host+u.Path+"?sslmode=disable", u.User.Username(), pass)
	schema := randomName("dn_")
	admin := openAdmin(t, db)
	mustExec(t, admin, "CREATE SCHEMA "+schema)
	t.Cleanup(func() { mustExec(t, admin, "DROP SCHEMA "+schema+" CASCADE") })
	return database{obj: db, schema: schema, table: "CREATE TABLE %s (id INTEGER PRIMARY KEY, name TEXT)"}
}

// mysqlDB returns a JdbcDatabase on the test MariaDB server; tables are
// prefixed instead of schemas (the test user owns one database).
func mysqlDB(t *testing.T) database {
	db := jdbcObject(env(t, "DATAPIPE_TEST_MYSQL_URL"), env(t, "DATAPIPE_TEST_MYSQL_USER"), os.Getenv("DATAPIPE_TEST_MYSQL_PASSWORD"))
	return database{obj: db, table: "CREATE TABLE %s (id INTEGER PRIMARY KEY, name TEXT) ENGINE=InnoDB"}
}

// sqliteDB returns a JdbcDatabase on a fresh SQLite file.
func sqliteDB(t *testing.T) database {
	db := jdbcObject("jdbc:sqlite:"+filepath.Join(t.TempDir(), "t.db"), "", "")
	return database{obj: db, table: "CREATE TABLE %s (id INTEGER PRIMARY KEY, name TEXT)"}
}

// jdbcObject builds a JdbcDatabase object.
func jdbcObject(conn, user, pass string) pipeline.Object {
	return pipeline.Object{ID: "Db", Fields: []pipeline.Field{
		pipeline.String("type", "JdbcDatabase"), pipeline.String("connectionString", conn),
		pipeline.String("username", user), pipeline.String("*password", pass),
		pipeline.String("jdbcDriverClass", "x"),
	}}
}

// sqlNode builds a SqlDataNode "Table" on db with extra fields.
func sqlNode(t *testing.T, db database, kv ...string) *dsql.Node {
	t.Helper()
	o := pipeline.Object{ID: "Table", Fields: []pipeline.Field{pipeline.String("type", "SqlDataNode"), pipeline.Reference("database", "Db")}}
	if db.schema != "" {
		o.Fields = append(o.Fields, pipeline.String("schemaName", db.schema))
	}
	for i := 0; i+1 < len(kv); i += 2 {
		o.Fields = append(o.Fields, pipeline.String(kv[i], kv[i+1]))
	}
	n, err := dsql.New(o, datanode.MapLookup(map[string]pipeline.Object{"Db": db.obj}), dsql.Config{BatchRows: 100})
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	t.Cleanup(func() { n.Close() })
	return n
}

// openAdmin returns a node used to run setup SQL.
func openAdmin(t *testing.T, db pipeline.Object) *dsql.Node {
	t.Helper()
	n := sqlNode(t, database{obj: db}, "table", "x")
	return n
}

// mustExec runs setup SQL on the node's pool.
func mustExec(t *testing.T, n *dsql.Node, q string) {
	t.Helper()
	if _, err := n.DB().ExecContext(context.Background(), q); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}

// harness returns the table harness of db.
func harness(db func(*testing.T) database) datanodetest.TablesHarness {
	return datanodetest.TablesHarness{
		Transactional: true,
		NewTable: func(t *testing.T) datanode.Table {
			d := db(t)
			name := randomName("t_")
			n := sqlNode(t, d, "table", name)
			mustExec(t, n, strings.ReplaceAll(d.table, "%s", n.QualifiedTable()))
			t.Cleanup(func() { n.DB().Exec("DROP TABLE " + n.QualifiedTable()) })
			return n
		},
		Missing: func(t *testing.T) datanode.Table { return sqlNode(t, db(t), "table", "no_such_table") },
	}
}

func TestNode_ConformancePostgres(t *testing.T) { datanodetest.RunTables(t, harness(postgresDB)) }
func TestNode_ConformanceMariaDB(t *testing.T)  { datanodetest.RunTables(t, harness(mysqlDB)) }
func TestNode_ConformanceSQLite(t *testing.T)   { datanodetest.RunTables(t, harness(sqliteDB)) }
