package datatest

import (
	"context"
	"database/sql"
	"errors"
	"net/url"
	"testing"

	_ "github.com/go-sql-driver/mysql" // the "mysql" database/sql driver
	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" database/sql driver

	"github.com/datapipe/datapipe/internal/pipeline"
)

// Postgres is a fresh schema on the test PostgreSQL server.
type Postgres struct {
	// DB is a JdbcDatabase object (id "Db") on the server.
	DB pipeline.Object
	// Schema is the schema's name; the admin connection's search_path
	// starts with it.
	Schema string
	// Admin is a pool on the server, for setting up and checking.
	Admin *sql.DB
	// URL is the server's postgres:// URL.
	URL string
}

// NewPostgres creates a fresh schema, dropped after the test. The
// JdbcDatabase object's connection puts the schema first on the
// search_path, so unqualified table names land in it.
func NewPostgres(t testing.TB) *Postgres {
	t.Helper()
	raw := Env(t, "DATAPIPE_TEST_POSTGRES")
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	schema := Name("act_")
	admin, err := sql.Open("pgx", raw)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := admin.Exec("CREATE SCHEMA " + schema); err != nil {
		t.Fatalf("create schema: %v", err)
	}
	t.Cleanup(func() {
		_, _ = admin.Exec("DROP SCHEMA " + schema + " CASCADE")
		admin.Close()
	})
	pass, _ := u.User.Password()
	jdbc := "jdbc:postgresql://" + u.Host + u.Path + "?sslmode=disable&options=" + url.QueryEscape("--search_path="+schema)
	db := Obj("Db", "JdbcDatabase", Str("connectionString", jdbc), Str("jdbcDriverClass", "org.postgresql.Driver"),
		Str("username", u.User.Username()), Str("*password", pass))
	return &Postgres{DB: db, Schema: schema, Admin: admin, URL: raw}
}

// Exec runs statements in the schema.
func (p *Postgres) Exec(t testing.TB, stmts ...string) {
	t.Helper()
	for _, s := range stmts {
		if _, err := p.Admin.Exec("SET search_path TO " + p.Schema + "; " + s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
}

// Rows returns the text of every row of query, columns joined by ",",
// NULL as \N.
func (p *Postgres) Rows(t testing.TB, query string) []string {
	t.Helper()
	ctx := context.Background()
	conn, err := p.Admin.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "SET search_path TO "+p.Schema); err != nil {
		t.Fatal(err)
	}
	return rows(t, conn, query)
}

// queryer runs queries.
type queryer interface {
	QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error)
}

// rows reads a result as text.
func rows(t testing.TB, q queryer, query string) []string {
	t.Helper()
	rs, err := q.QueryContext(context.Background(), query)
	if err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	defer rs.Close()
	cols, _ := rs.Columns()
	var out []string
	for rs.Next() {
		vals := make([]sql.NullString, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rs.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		line := ""
		for i, v := range vals {
			if i > 0 {
				line += ","
			}
			if v.Valid {
				line += v.String
			} else {
				line += `\N`
			}
		}
		out = append(out, line)
	}
	if err := rs.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// isErr is errors.As.
func isErr[T error](err error, target *T) bool { return err != nil && errors.As(err, target) }

// MySQL is the test MariaDB database.
type MySQL struct {
	// DB is a JdbcDatabase object (id "MyDb") on the server.
	DB pipeline.Object
	// Admin is a pool on the database.
	Admin *sql.DB
}

// NewMySQL returns the test MariaDB database; tests use fresh table
// names (Name) and drop them with Drop.
func NewMySQL(t testing.TB) *MySQL {
	t.Helper()
	dsn := Env(t, "DATAPIPE_TEST_MYSQL_DSN")
	admin, err := sql.Open("mysql", dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { admin.Close() })
	db := Obj("MyDb", "JdbcDatabase", Str("connectionString", Env(t, "DATAPIPE_TEST_MYSQL_URL")), Str("jdbcDriverClass", "com.mysql.jdbc.Driver"),
		Str("username", Env(t, "DATAPIPE_TEST_MYSQL_USER")), Str("*password", Env(t, "DATAPIPE_TEST_MYSQL_PASSWORD")))
	return &MySQL{DB: db, Admin: admin}
}

// Exec runs a statement, dropping table (when not "") after the test.
func (m *MySQL) Exec(t testing.TB, table, stmt string) {
	t.Helper()
	if _, err := m.Admin.Exec(stmt); err != nil {
		t.Fatalf("%s: %v", stmt, err)
	}
	if table != "" {
		t.Cleanup(func() { _, _ = m.Admin.Exec("DROP TABLE IF EXISTS " + table) })
	}
}

// Rows returns the rows of query as text (see Postgres.Rows).
func (m *MySQL) Rows(t testing.TB, query string) []string {
	t.Helper()
	return rows(t, m.Admin, query)
}
