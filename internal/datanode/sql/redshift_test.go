package sql_test

import (
	"net/url"
	"strings"
	"testing"

	"github.com/datapipe/datapipe/internal/datanode"
	"github.com/datapipe/datapipe/internal/datanode/datanodetest"
	dsql "github.com/datapipe/datapipe/internal/datanode/sql"
	"github.com/datapipe/datapipe/internal/pipeline"
)

// TestRedshiftDataNode_Conformance runs the table suite on a
// RedshiftDataNode whose RedshiftDatabase has a jdbc:redshift:// URL
// pointing at the test PostgreSQL (Redshift speaks its wire protocol).
func TestRedshiftDataNode_Conformance(t *testing.T) {
	newNode := func(t *testing.T, table string, create bool) datanode.Table {
		pg := postgresDB(t)
		u, err := url.Parse(env(t, "DATAPIPE_TEST_POSTGRES"))
		if err != nil {
			t.Fatal(err)
		}
		pass, _ := u.User.Password()
		db := pipeline.Object{ID: "Cluster", Fields: []pipeline.Field{
			pipeline.String("type", "RedshiftDatabase"),
			pipeline.String("connectionString", "jdbc:redshift://"+u.Host+u.Path+";sslmode=disable"),
			pipeline.String("username", u.User.Username()), pipeline.String("*password", pass),
		}}
		o := pipeline.Object{ID: "Dest", Fields: []pipeline.Field{
			pipeline.String("type", "RedshiftDataNode"), pipeline.Reference("database", "Cluster"),
			pipeline.String("schemaName", pg.schema), pipeline.String("tableName", table),
			pipeline.String("primaryKeys", "id"),
		}}
		if create {
			o.Fields = append(o.Fields, pipeline.String("createTableSql", "CREATE TABLE "+pg.schema+"."+table+" (id INTEGER PRIMARY KEY, name VARCHAR(100))"))
		}
		n, err := dsql.New(o, datanode.MapLookup(map[string]pipeline.Object{"Cluster": db}), dsql.Config{})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { n.Close() })
		if got := n.PrimaryKeys(); strings.Join(got, ",") != "id" {
			t.Errorf("PrimaryKeys = %q", got)
		}
		return n
	}
	datanodetest.RunTables(t, datanodetest.TablesHarness{
		Transactional: true,
		NewTable: func(t *testing.T) datanode.Table {
			n := newNode(t, randomName("rs_"), true)
			datanodetest.WriteTable(t, n, datanode.Append, nil) // createTableSql makes the table
			return n
		},
		Missing: func(t *testing.T) datanode.Table { return newNode(t, "missing", false) },
	})
}
