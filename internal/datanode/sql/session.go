package sql

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
)

// Session is one transaction on a dedicated connection of a node, for
// writes and for activities that run several statements atomically
// (RedshiftCopyActivity: COPY into a staging table, transform, merge).
// It is not safe for concurrent use.
type Session struct {
	node *Node
	conn *sql.Conn
	done bool
}

// Begin takes a connection and starts a transaction on it.
func (n *Node) Begin(ctx context.Context) (*Session, error) {
	conn, err := n.db.Conn(ctx)
	if err != nil {
		return nil, n.dbErr("connect", err)
	}
	begin := "BEGIN"
	if n.conn.Dialect == MySQL {
		begin = "START TRANSACTION"
	}
	if _, err := conn.ExecContext(ctx, begin); err != nil {
		conn.Close()
		return nil, n.dbErr("begin", err)
	}
	return &Session{node: n, conn: conn}, nil
}

// Node returns the session's node.
func (s *Session) Node() *Node { return s.node }

// Exec runs a statement in the transaction and returns the rows it
// affected (-1 when the driver cannot tell). Errors name the node.
func (s *Session) Exec(ctx context.Context, query string, args ...any) (int64, error) {
	if s.done {
		return 0, fmt.Errorf("%s: %w", s.node.name, errDone)
	}
	res, err := s.conn.ExecContext(ctx, query, args...)
	if err != nil {
		return 0, s.node.dbErr("exec", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return -1, nil
	}
	return n, nil
}

// Query runs a query in the transaction.
func (s *Session) Query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if s.done {
		return nil, fmt.Errorf("%s: %w", s.node.name, errDone)
	}
	rows, err := s.conn.QueryContext(ctx, query, args...)
	return rows, s.node.dbErr("query", err)
}

// TableExists reports whether table (in schema, "" for the default)
// exists, as the transaction sees it.
func (s *Session) TableExists(ctx context.Context, schema, table string) (bool, error) {
	ok, err := tableExists(ctx, s.conn, s.node.conn.Dialect, schema, table)
	return ok, s.node.dbErr("check table "+table, err)
}

// Commit commits and releases the connection.
func (s *Session) Commit(ctx context.Context) error {
	if s.done {
		return fmt.Errorf("%s: commit: %w", s.node.name, errDone)
	}
	s.done = true
	_, err := s.conn.ExecContext(ctx, "COMMIT")
	s.conn.Close()
	return s.node.dbErr("commit", err)
}

// Rollback rolls back and releases the connection; a no-op after Commit
// or Rollback.
func (s *Session) Rollback(ctx context.Context) error {
	if s.done {
		return nil
	}
	s.done = true
	_, err := s.conn.ExecContext(context.WithoutCancel(ctx), "ROLLBACK")
	if err != nil {
		s.conn.Raw(func(any) error { return driver.ErrBadConn }) // never reuse a connection in an unknown state
	}
	s.conn.Close()
	return s.node.dbErr("rollback", err)
}
