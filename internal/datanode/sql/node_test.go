package sql_test

import (
	"context"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/datapipe/datapipe/internal/datanode"
	"github.com/datapipe/datapipe/internal/datanode/datanodetest"
	"github.com/datapipe/datapipe/internal/datanode/format"
	dsql "github.com/datapipe/datapipe/internal/datanode/sql"
)

// readAll reads every record of n.
func readAll(t *testing.T, n datanode.Table) []format.Record {
	t.Helper()
	r, err := n.Read(context.Background())
	if err != nil {
		t.Fatalf("Read: %v", err)
	}
	defer r.Close()
	var out []format.Record
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, rec)
	}
}

// allDatabases runs fn for each database kind.
func allDatabases(t *testing.T, fn func(t *testing.T, db database)) {
	for name, db := range map[string]func(*testing.T) database{"postgres": postgresDB, "mariadb": mysqlDB, "sqlite": sqliteDB} {
		t.Run(name, func(t *testing.T) { fn(t, db(t)) })
	}
}

func TestNode_Read(t *testing.T) {
	allDatabases(t, func(t *testing.T, db database) {
		table := randomName("r_")
		n := sqlNode(t, db, "table", table, "selectQuery", "SELECT id, price, ok, label FROM "+qualified(db, table)+" WHERE id > 1 ORDER BY id")
		mustExec(t, n, "CREATE TABLE "+n.QualifiedTable()+" (id INTEGER, price DECIMAL(10,2), ok BOOLEAN, label VARCHAR(20))")
		t.Cleanup(func() { n.DB().Exec("DROP TABLE " + n.QualifiedTable()) })
		mustExec(t, n, "INSERT INTO "+n.QualifiedTable()+" VALUES (1, 1.5, true, 'a'), (2, 2.25, false, NULL), (3, -3, true, 'c,d')")
		got := readAll(t, n)
		if len(got) != 2 {
			t.Fatalf("got %d rows", len(got))
		}
		csv := writeCSV(t, got)
		switch csv {
		case "2,2.25,false,\n3,-3.00,true,\"c,d\"\n", // PostgreSQL
			"2,2.25,0,\n3,-3.00,1,\"c,d\"\n", // MariaDB: BOOLEAN is TINYINT
			"2,2.25,0,\n3,-3,1,\"c,d\"\n":    // SQLite: dynamic types
		default:
			t.Errorf("rows as CSV: %q", csv)
		}
		if v, _ := got[0].Get("price"); v.Kind != format.Number {
			t.Errorf("price kind %v", v.Kind)
		}
	})
}

// qualified names a table in db's schema.
func qualified(db database, table string) string {
	if db.schema != "" {
		return db.schema + "." + table
	}
	return table
}

// writeCSV renders records as CSV.
func writeCSV(t *testing.T, recs []format.Record) string {
	t.Helper()
	var b strings.Builder
	w := format.CSV().NewWriter(&b, "x")
	for _, r := range recs {
		if err := w.Write(r); err != nil {
			t.Fatal(err)
		}
	}
	w.Flush()
	return b.String()
}

func TestNode_Write(t *testing.T) {
	t.Run("OKInsertQuery", func(t *testing.T) {
		allDatabases(t, func(t *testing.T, db database) {
			table := randomName("w_")
			n := sqlNode(t, db, "table", table, "insertQuery", "INSERT INTO "+qualified(db, table)+" (name, id) VALUES (?, ?)",
				"createTableSql", "CREATE TABLE "+qualified(db, table)+" (id INTEGER, name VARCHAR(40))")
			t.Cleanup(func() { n.DB().Exec("DROP TABLE " + n.QualifiedTable()) })
			recs := []format.Record{
				{{Value: format.Str("ann")}, {Value: format.Num("1")}},
				{{Value: format.Str("bob")}, {Value: format.Num("2")}},
			}
			datanodetest.WriteTable(t, n, datanode.Append, recs)
			got := datanodetest.ReadTable(t, n)
			if len(got) != 2 || got[1][1].Value.Str != "bob" {
				t.Errorf("got %+v", got)
			}
		})
	})
	t.Run("OKUnnamedFields", func(t *testing.T) {
		allDatabases(t, func(t *testing.T, db database) {
			n := harness(func(*testing.T) database { return db }).NewTable(t)
			recs := []format.Record{{{Value: format.Num("5")}, {Value: format.Str("five")}}}
			datanodetest.WriteTable(t, n, datanode.Append, recs)
			got := datanodetest.ReadTable(t, n)
			if len(got) != 1 || got[0][1].Value.Str != "five" {
				t.Errorf("got %+v", got)
			}
		})
	})
	t.Run("ErrMalformedMessage", func(t *testing.T) {
		n := harness(postgresDB).NewTable(t)
		ctx := context.Background()
		w, err := n.Write(ctx, datanode.Append)
		if err != nil {
			t.Fatal(err)
		}
		defer w.Abort(ctx)
		w.Write(ctx, datanodetest.Rows(0, 1)[0])
		w.Write(ctx, format.Record{{Name: "id", Value: format.Str("x")}, {Name: "name", Value: format.Str("y")}})
		_, err = w.Commit(ctx)
		if err == nil || !strings.HasPrefix(err.Error(), "SqlDataNode Table ") || !strings.Contains(err.Error(), " row 2: ") {
			t.Errorf("got %v", err)
		}
	})
}

func TestNode_ErrCredentials(t *testing.T) {
	for name, db := range map[string]func(*testing.T) database{"postgres": postgresDB, "mariadb": mysqlDB} {
		t.Run(name, func(t *testing.T) {
			d := db(t)
			for i, f := range d.obj.Fields {
				if f.Key == "*password" || (name == "postgres" && f.Key == "username") {
					d.obj.Fields[i].Value = "wrong"
				}
			}
			n := sqlNode(t, d, "table", "x")
			_, err := n.Exists(context.Background())
			if err == nil || !strings.Contains(err.Error(), "SqlDataNode Table: ") || !strings.Contains(err.Error(), "refused the credentials") {
				t.Errorf("got %v", err)
			}
		})
	}
}

func TestSession_CopyFrom(t *testing.T) {
	db := postgresDB(t)
	ctx := context.Background()
	n := harness(func(*testing.T) database { return db }).NewTable(t).(*dsql.Node)
	t.Run("OKCSV", func(t *testing.T) {
		f := format.CSV()
		f.Header = true
		opts, ok := dsql.CopyOptionsFor(f)
		if !ok {
			t.Fatal("CSV is not COPY-able")
		}
		rows, err := n.Load(ctx, datanode.Replace, strings.NewReader("id,name\n1,\"a,b\"\n2,\n3,\"\"\n"), opts)
		if err != nil || rows != 3 {
			t.Fatalf("Load = %d, %v", rows, err)
		}
		got := datanodetest.ReadTable(t, n)
		if v, _ := got[1].Get("name"); !v.IsNull() {
			t.Errorf("row 2 name = %+v, want NULL", v)
		}
		if v, _ := got[2].Get("name"); v.IsNull() || v.Str != "" {
			t.Errorf("row 3 name = %+v, want empty", v)
		}
	})
	t.Run("OKTSV", func(t *testing.T) {
		opts, _ := dsql.CopyOptionsFor(format.TSV())
		rows, err := n.Load(ctx, datanode.Replace, strings.NewReader("7\ttab\\there\n8\t\\N\n"), opts)
		if err != nil || rows != 2 {
			t.Fatalf("Load = %d, %v", rows, err)
		}
		got := datanodetest.ReadTable(t, n)
		if v, _ := got[0].Get("name"); v.Str != "tab\there" {
			t.Errorf("got %+v", got)
		}
	})
	t.Run("ErrMalformedKeepsTable", func(t *testing.T) {
		opts, _ := dsql.CopyOptionsFor(format.CSV())
		_, err := n.Load(ctx, datanode.Replace, strings.NewReader("1,a\nx,b\n"), opts)
		if !errors.Is(err, format.ErrMalformed) || !strings.Contains(err.Error(), "line 2") || !strings.HasPrefix(err.Error(), "SqlDataNode Table ") {
			t.Errorf("got %v", err)
		}
		if got := datanodetest.ReadTable(t, n); len(got) != 2 {
			t.Errorf("after a failed Replace the table holds %d rows, want the 2 old ones", len(got))
		}
	})
	t.Run("ErrNotPostgres", func(t *testing.T) {
		m := harness(sqliteDB).NewTable(t).(*dsql.Node)
		_, err := m.Load(ctx, datanode.Append, strings.NewReader("1,a\n"), dsql.CopyOptions{CSV: true})
		if !errors.Is(err, dsql.ErrNoCopy) {
			t.Errorf("got %v", err)
		}
	})
}

func TestCopyOptionsFor(t *testing.T) {
	custom, _ := format.New(objOf("Custom", "columnSeparator", "|"))
	regex, _ := format.New(objOf("RegEx", "inputRegEx", "(.*)"))
	for _, tt := range []struct {
		f  *format.Format
		ok bool
	}{{format.CSV(), true}, {format.TSV(), true}, {custom, false}, {regex, false}} {
		if _, ok := dsql.CopyOptionsFor(tt.f); ok != tt.ok {
			t.Errorf("%s: ok = %v", tt.f.Name(), ok)
		}
	}
}
