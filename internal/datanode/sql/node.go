package sql

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"regexp"
	"strings"

	"github.com/datapipe/datapipe/internal/datanode"
	"github.com/datapipe/datapipe/internal/pipeline"
)

// Config tunes a SQL node.
type Config struct {
	// Resolve maps an RdsDatabase rdsInstanceId or RedshiftDatabase
	// clusterId to a JDBC URL; nil resolves none.
	Resolve func(id string) (string, bool)
	// BatchRows is the rows per generated INSERT (default 500, fewer when
	// the columns would pass the dialect's parameter limit).
	BatchRows int
	// MaxConns caps the node's connection pool (default 4; SQLite 1).
	MaxConns int
	// Logger receives debug records; nil discards them.
	Logger *slog.Logger
}

// withDefaults fills in defaults.
func (c Config) withDefaults() Config {
	c.BatchRows = max(cmp.Or(c.BatchRows, 500), 1)
	c.MaxConns = max(cmp.Or(c.MaxConns, 4), 1)
	c.Logger = cmp.Or(c.Logger, slog.New(slog.DiscardHandler))
	return c
}

// Node is a SqlDataNode, MySqlDataNode or RedshiftDataNode.
type Node struct {
	name        string
	cfg         Config
	conn        Conn
	db          *sql.DB
	table       string
	schema      string
	selectQuery string
	insertQuery string
	createTable string
	primaryKeys []string
}

var _ datanode.Table = (*Node)(nil)

// New returns the node for obj and opens its connection pool (lazily:
// nothing connects before the first query). Close releases it. Errors
// match datanode.ErrInvalid and name the node (or database object) and
// field.
func New(obj pipeline.Object, lookup datanode.Lookup, cfg Config) (*Node, error) {
	name := datanode.Name(obj)
	conn, err := ConnOf(obj, lookup, cfg.Resolve)
	if err != nil {
		return nil, err
	}
	n := &Node{
		name: name, cfg: cfg.withDefaults(), conn: conn,
		table:       cmp.Or(datanode.Str(obj, "table"), datanode.Str(obj, "tableName")),
		schema:      datanode.Str(obj, "schemaName"),
		selectQuery: datanode.Str(obj, "selectQuery"),
		insertQuery: datanode.Str(obj, "insertQuery"),
		createTable: datanode.Str(obj, "createTableSql"),
	}
	for _, f := range obj.All("primaryKeys") {
		for k := range strings.SplitSeq(f.Value, ",") {
			if k = strings.TrimSpace(k); k != "" {
				n.primaryKeys = append(n.primaryKeys, k)
			}
		}
	}
	if n.table == "" && n.selectQuery == "" {
		return nil, datanode.Invalidf(name, "table is not set")
	}
	if n.db, err = open(conn, n.cfg.MaxConns); err != nil {
		return nil, datanode.Invalidf(name, "%v", err)
	}
	return n, nil
}

// Name returns "<type> <id>".
func (n *Node) Name() string { return n.name }

// Dialect returns the database kind.
func (n *Node) Dialect() Dialect { return n.conn.Dialect }

// DB returns the node's pool, for activities that run their own SQL
// (SqlActivity).
func (n *Node) DB() *sql.DB { return n.db }

// Table returns the table name as written on the node.
func (n *Node) Table() string { return n.table }

// PrimaryKeys returns the node's primaryKeys (RedshiftDataNode).
func (n *Node) PrimaryKeys() []string { return n.primaryKeys }

// Close closes the pool.
func (n *Node) Close() error { return n.db.Close() }

// plainIdent matches identifiers that need no quoting; they are written
// as they are, so that the database folds their case as it does in the
// user's own queries.
var plainIdent = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_$]*$`)

// Ident writes an identifier: as it is when plain, quoted otherwise.
func (n *Node) Ident(id string) string {
	if plainIdent.MatchString(id) {
		return id
	}
	return n.conn.Dialect.Quote(id)
}

// QualifiedTable returns the table with its schema, ready for SQL
// ("public.sales", `"my schema"."t"`).
func (n *Node) QualifiedTable() string {
	parts := strings.Split(n.table, ".")
	if n.schema != "" && n.conn.Dialect != SQLite {
		parts = []string{n.schema, n.table}
	}
	for i, p := range parts {
		parts[i] = n.Ident(p)
	}
	return strings.Join(parts, ".")
}

// Exists reports whether the table exists (for a node with only a
// selectQuery: whether the query runs).
func (n *Node) Exists(ctx context.Context) (bool, error) {
	if n.table == "" {
		rows, err := n.db.QueryContext(ctx, n.selectQuery)
		if err != nil {
			return false, n.dbErr("query", err)
		}
		return true, rows.Close()
	}
	ok, err := tableExists(ctx, n.db, n.conn.Dialect, n.schema, n.table)
	return ok, n.dbErr("check table "+n.table, err)
}

// queryer is what tableExists needs of a pool or connection.
type queryer interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// tableExists asks the catalog whether the table exists.
func tableExists(ctx context.Context, q queryer, d Dialect, schema, table string) (bool, error) {
	var n int
	var err error
	switch d {
	case PostgreSQL:
		qualified := table
		if schema != "" {
			qualified = schema + "." + table
		}
		err = q.QueryRowContext(ctx, "SELECT CASE WHEN to_regclass($1) IS NULL THEN 0 ELSE 1 END", qualified).Scan(&n)
	case MySQL:
		err = q.QueryRowContext(ctx, "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = COALESCE(NULLIF(?, ''), DATABASE()) AND table_name = ?", schema, table).Scan(&n)
	default:
		err = q.QueryRowContext(ctx, "SELECT COUNT(*) FROM sqlite_master WHERE type IN ('table', 'view') AND name = ? COLLATE NOCASE", table).Scan(&n)
	}
	return n > 0, err
}

// dbErr names the node and classifies err: a missing table matches
// datanode.ErrNotFound, refused credentials say so.
func (n *Node) dbErr(op string, err error) error {
	switch {
	case err == nil:
		return nil
	case isMissingTable(err):
		return datanode.NotFoundf(n.name, "%s: %v", op, err)
	case isAuthFailure(err):
		return fmt.Errorf("%s: %s: the database refused the credentials of user %q: %w", n.name, op, n.conn.User, err)
	}
	return datanode.Wrap(n.name, op, err)
}
