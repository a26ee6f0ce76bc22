package sql

import (
	"fmt"
	"net"
	"net/url"
	"strings"

	"github.com/datapipe/datapipe/internal/datanode"
	"github.com/datapipe/datapipe/internal/pipeline"
)

// Conn is a parsed database connection.
type Conn struct {
	Dialect  Dialect
	Host     string // host:port (PostgreSQL, MySQL)
	Database string // database name, or the SQLite file path
	User     string
	Password string
	// Params are connection properties (jdbcProperties and URL query
	// parameters), passed to the driver where it knows them.
	Params map[string]string
}

// ConnOf returns the connection of a SQL node: its database object's, or
// the node's own connectionString, username and *password. resolve maps
// an RdsDatabase rdsInstanceId or RedshiftDatabase clusterId to a JDBC URL
// (nil: none can be resolved).
func ConnOf(obj pipeline.Object, lookup datanode.Lookup, resolve func(id string) (string, bool)) (Conn, error) {
	db, ok, err := datanode.Ref(obj, "database", lookup)
	if err != nil {
		return Conn{}, err
	}
	if !ok {
		if datanode.Str(obj, "connectionString") == "" {
			return Conn{}, datanode.Invalidf(datanode.Name(obj), "neither database nor connectionString is set")
		}
		db = obj
	}
	c, err := connOfDatabase(db, resolve)
	if err != nil {
		return Conn{}, err
	}
	return c, nil
}

// connOfDatabase reads a JdbcDatabase, RdsDatabase or RedshiftDatabase
// object (or a node with an inline connectionString).
func connOfDatabase(db pipeline.Object, resolve func(string) (string, bool)) (Conn, error) {
	name := datanode.Name(db)
	jdbc, err := jdbcURL(db, resolve)
	if err != nil {
		return Conn{}, err
	}
	c, err := ParseJDBC(jdbc)
	if err != nil {
		return Conn{}, datanode.Invalidf(name, "connectionString: %v", err)
	}
	if v := datanode.Str(db, "databaseName"); v != "" {
		c.Database = v
	}
	if v := datanode.Str(db, "username"); v != "" {
		c.User = v
	}
	if v, ok := db.StringValue("*password"); ok {
		c.Password = v
	}
	for _, f := range db.All("jdbcProperties") {
		k, v, ok := strings.Cut(f.Value, "=")
		if !ok {
			return Conn{}, datanode.Invalidf(name, "jdbcProperties %q is not key=value", f.Value)
		}
		c.Params[strings.TrimSpace(k)] = strings.TrimSpace(v)
	}
	return c, nil
}

// jdbcURL is the object's JDBC URL: connectionString, else the resolved
// rdsInstanceId or clusterId.
func jdbcURL(db pipeline.Object, resolve func(string) (string, bool)) (string, error) {
	name := datanode.Name(db)
	if s := datanode.Str(db, "connectionString"); s != "" {
		return s, nil
	}
	for _, key := range []string{"rdsInstanceId", "clusterId"} {
		id := datanode.Str(db, key)
		if id == "" {
			continue
		}
		if resolve != nil {
			if u, ok := resolve(id); ok {
				return u, nil
			}
		}
		return "", datanode.Invalidf(name, "%s %q cannot be resolved to an endpoint without AWS; set connectionString (jdbc:postgresql://host:port/db, jdbc:mysql://…) on %s, or map %q to a JDBC URL in the runner configuration", key, id, db.ID, id)
	}
	return "", datanode.Invalidf(name, "connectionString is not set")
}

// ParseJDBC parses jdbc:postgresql://host[:port]/db[?k=v&…],
// jdbc:redshift://… (PostgreSQL protocol), jdbc:mysql://…,
// jdbc:mariadb://… and jdbc:sqlite:path.
func ParseJDBC(s string) (Conn, error) {
	rest, ok := strings.CutPrefix(strings.TrimSpace(s), "jdbc:")
	if !ok {
		return Conn{}, fmt.Errorf("%q does not start with jdbc:", s)
	}
	sub, after, ok := strings.Cut(rest, ":")
	if !ok {
		return Conn{}, fmt.Errorf("%q has no subprotocol", s)
	}
	switch strings.ToLower(sub) {
	case "sqlite":
		return Conn{Dialect: SQLite, Database: strings.TrimPrefix(after, "//"), Params: map[string]string{}}, nil
	case "postgresql", "postgres", "redshift":
		return parseHostURL(PostgreSQL, after, "5439", sub)
	case "mysql", "mariadb":
		return parseHostURL(MySQL, after, "3306", sub)
	}
	return Conn{}, fmt.Errorf("the jdbc:%s driver is not supported (use postgresql, redshift, mysql, mariadb or sqlite)", sub)
}

// parseHostURL parses //host[:port]/db[?params] (";k=v" Redshift
// properties too).
func parseHostURL(d Dialect, s, redshiftPort, sub string) (Conn, error) {
	if !strings.Contains(s, "?") {
		s = strings.Replace(s, ";", "?", 1)
	}
	u, err := url.Parse(strings.ReplaceAll(s, ";", "&"))
	if err != nil || u.Host == "" {
		return Conn{}, fmt.Errorf("%q is not //host[:port]/database", s)
	}
	c := Conn{Dialect: d, Host: u.Host, Database: strings.TrimPrefix(u.Path, "/"), Params: map[string]string{}}
	if u.Port() == "" {
		port := map[Dialect]string{PostgreSQL: "5432", MySQL: "3306"}[d]
		if strings.EqualFold(sub, "redshift") {
			port = redshiftPort
		}
		c.Host = net.JoinHostPort(u.Hostname(), port)
	}
	for k, vs := range u.Query() {
		c.Params[k] = vs[len(vs)-1]
	}
	c.User, c.Password = takeParam(c.Params, "user"), takeParam(c.Params, "password")
	return c, nil
}

// takeParam removes and returns params[k].
func takeParam(params map[string]string, k string) string {
	v := params[k]
	delete(params, k)
	return v
}
