package sql_test

import (
	"reflect"
	"strings"
	"testing"

	"github.com/datapipe/datapipe/internal/datanode"
	dsql "github.com/datapipe/datapipe/internal/datanode/sql"
	"github.com/datapipe/datapipe/internal/pipeline"
)

func TestParseJDBC(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		tests := []struct {
			in   string
			want dsql.Conn
		}{
			{"jdbc:postgresql://db.example:6543/sales?sslmode=require&user=u", dsql.Conn{Dialect: dsql.PostgreSQL, Host: "db.example:6543", Database: "sales", User: "u", Params: map[string]string{"sslmode": "require"}}},
			{"jdbc:postgresql://db/sales", dsql.Conn{Dialect: dsql.PostgreSQL, Host: "db:5432", Database: "sales", Params: map[string]string{}}},
			{"jdbc:redshift://c.abc.us-east-1.redshift.amazonaws.com/dev;ssl=true", dsql.Conn{Dialect: dsql.PostgreSQL, Host: "c.abc.us-east-1.redshift.amazonaws.com:5439", Database: "dev", Params: map[string]string{"ssl": "true"}}},
			{"jdbc:mysql://127.0.0.1:3306/t", dsql.Conn{Dialect: dsql.MySQL, Host: "127.0.0.1:3306", Database: "t", Params: map[string]string{}}},
			{"jdbc:mariadb://h/t", dsql.Conn{Dialect: dsql.MySQL, Host: "h:3306", Database: "t", Params: map[string]string{}}},
			{"jdbc:sqlite:/tmp/x.db", dsql.Conn{Dialect: dsql.SQLite, Database: "/tmp/x.db", Params: map[string]string{}}},
		}
		for _, tt := range tests {
			got, err := dsql.ParseJDBC(tt.in)
			if err != nil || !reflect.DeepEqual(got, tt.want) {
				t.Errorf("%s: got %+v, %v", tt.in, got, err)
			}
		}
	})
	t.Run("ErrInvalid", func(t *testing.T) {
		for in, want := range map[string]string{
			"postgresql://h/db":          "does not start with jdbc:",
			"jdbc:oracle:thin:@h:1521:x": "the jdbc:oracle driver is not supported",
			"jdbc:mysql:nohost":          "is not //host[:port]/database",
		} {
			if _, err := dsql.ParseJDBC(in); err == nil || !strings.Contains(err.Error(), want) {
				t.Errorf("%s: got %v", in, err)
			}
		}
	})
}

func TestConnOf(t *testing.T) {
	rds := pipeline.Object{ID: "MyRds", Fields: []pipeline.Field{
		pipeline.String("type", "RdsDatabase"), pipeline.String("rdsInstanceId", "prod-db"),
		pipeline.String("username", "u"), pipeline.String("*password", "p"), pipeline.String("databaseName", "shop"),
		pipeline.String("jdbcProperties", "sslmode=disable"),
	}}
	node := pipeline.Object{ID: "N", Fields: []pipeline.Field{pipeline.String("type", "SqlDataNode"), pipeline.Reference("database", "MyRds")}}
	lookup := datanode.MapLookup(map[string]pipeline.Object{"MyRds": rds})
	t.Run("ErrUnresolved", func(t *testing.T) {
		_, err := dsql.ConnOf(node, lookup, nil)
		if err == nil || !strings.HasPrefix(err.Error(), `RdsDatabase MyRds: rdsInstanceId "prod-db" cannot be resolved`) {
			t.Errorf("got %v", err)
		}
	})
	t.Run("OKResolved", func(t *testing.T) {
		resolve := func(id string) (string, bool) { return "jdbc:mysql://10.0.0.1/ignored", id == "prod-db" }
		got, err := dsql.ConnOf(node, lookup, resolve)
		want := dsql.Conn{Dialect: dsql.MySQL, Host: "10.0.0.1:3306", Database: "shop", User: "u", Password: "p", Params: map[string]string{"sslmode": "disable"}}
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("got %+v, %v", got, err)
		}
	})
	t.Run("OKInline", func(t *testing.T) {
		inline := pipeline.Object{ID: "N", Fields: []pipeline.Field{
			pipeline.String("type", "MySqlDataNode"), pipeline.String("connectionString", "jdbc:mysql://h:1/d"),
			pipeline.String("username", "me"), pipeline.String("*password", "pw"),
		}}
		got, err := dsql.ConnOf(inline, nil, nil)
		if err != nil || got.User != "me" || got.Password != "pw" || got.Host != "h:1" {
			t.Errorf("got %+v, %v", got, err)
		}
	})
	t.Run("ErrNoDatabase", func(t *testing.T) {
		bare := pipeline.Object{ID: "N", Fields: []pipeline.Field{pipeline.String("type", "SqlDataNode")}}
		if _, err := dsql.ConnOf(bare, nil, nil); err == nil || err.Error() != "SqlDataNode N: neither database nor connectionString is set" {
			t.Errorf("got %v", err)
		}
	})
}

func TestDialect_Rebind(t *testing.T) {
	got := dsql.PostgreSQL.Rebind("INSERT INTO t VALUES (?, '?', \"a?\", ?) -- why?\n")
	if got != "INSERT INTO t VALUES ($1, '?', \"a?\", $2) -- why?\n" {
		t.Errorf("got %q", got)
	}
	if got := dsql.MySQL.Rebind("a = ?"); got != "a = ?" {
		t.Errorf("MySQL: got %q", got)
	}
}

// objOf builds a format object of type typ.
func objOf(typ string, kv ...string) pipeline.Object {
	o := pipeline.Object{ID: "F", Fields: []pipeline.Field{pipeline.String("type", typ)}}
	for i := 0; i+1 < len(kv); i += 2 {
		o.Fields = append(o.Fields, pipeline.String(kv[i], kv[i+1]))
	}
	return o
}
