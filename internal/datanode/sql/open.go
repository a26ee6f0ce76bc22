package sql

import (
	"database/sql"
	"fmt"
	"net/url"
	"strings"

	"github.com/go-sql-driver/mysql"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
	_ "modernc.org/sqlite" // registers the "sqlite" database/sql driver
)

// pgParams are the connection properties passed on to PostgreSQL (JDBC
// names map to libpq ones); others are dropped, as the server would
// reject them as unknown settings.
var pgParams = map[string]string{
	"sslmode": "sslmode", "sslrootcert": "sslrootcert", "connect_timeout": "connect_timeout",
	"connectTimeout": "connect_timeout", "ApplicationName": "application_name",
	"application_name": "application_name", "options": "options",
}

// open opens a pool for c.
func open(c Conn, maxConns int) (*sql.DB, error) {
	var db *sql.DB
	switch c.Dialect {
	case PostgreSQL:
		cfg, err := pgConfig(c)
		if err != nil {
			return nil, err
		}
		db = stdlib.OpenDB(*cfg)
	case MySQL:
		conn, err := mysql.NewConnector(mysqlConfig(c))
		if err != nil {
			return nil, err
		}
		db = sql.OpenDB(conn)
	case SQLite:
		var err error
		if db, err = sql.Open("sqlite", sqliteDSN(c.Database)); err != nil {
			return nil, err
		}
		maxConns = 1
	default:
		return nil, fmt.Errorf("no dialect")
	}
	db.SetMaxOpenConns(maxConns)
	db.SetMaxIdleConns(maxConns)
	return db, nil
}

// pgConfig builds the pgx configuration of c.
func pgConfig(c Conn) (*pgx.ConnConfig, error) {
	u := url.URL{Scheme: "postgres", Host: c.Host, Path: "/" + c.Database}
	if c.User != "" {
		u.User = url.UserPassword(c.User, c.Password)
	}
	q := url.Values{}
	for k, v := range c.Params {
		if pk, ok := pgParams[k]; ok {
			q.Set(pk, v)
		}
		if k == "ssl" && strings.EqualFold(v, "true") {
			q.Set("sslmode", "require")
		}
	}
	// Encode writes a space as "+", which pgx's URL parsing keeps; %20
	// (a literal "+" is %2B already) keeps options such as
	// "-c search_path=a -c statement_timeout=0" whole.
	u.RawQuery = strings.ReplaceAll(q.Encode(), "+", "%20")
	cfg, err := pgx.ParseConfig(u.String())
	if err != nil {
		return nil, fmt.Errorf("connection to %s: %w", c.Host, err)
	}
	return cfg, nil
}

// mysqlConfig builds the MySQL driver configuration of c.
func mysqlConfig(c Conn) *mysql.Config {
	cfg := mysql.NewConfig()
	cfg.Net, cfg.Addr, cfg.DBName = "tcp", c.Host, c.Database
	cfg.User, cfg.Passwd = c.User, c.Password
	cfg.InterpolateParams = true
	cfg.MultiStatements = true
	if tz, ok := c.Params["serverTimezone"]; ok {
		cfg.Params = map[string]string{"time_zone": "'" + strings.ReplaceAll(tz, "'", "") + "'"}
	}
	return cfg
}

// sqliteDSN is the modernc DSN of a database file.
func sqliteDSN(path string) string {
	if path == ":memory:" || path == "" {
		return "file::memory:?_pragma=busy_timeout(10000)"
	}
	return "file:" + path + "?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)"
}
