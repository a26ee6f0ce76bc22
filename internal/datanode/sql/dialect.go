package sql

import (
	"errors"
	"strconv"
	"strings"

	"github.com/go-sql-driver/mysql"
	"github.com/jackc/pgx/v5/pgconn"
)

// Dialect is a SQL database kind.
type Dialect int

// The dialects.
const (
	PostgreSQL Dialect = iota + 1 // also Redshift
	MySQL                         // and MariaDB
	SQLite
)

// String names the dialect.
func (d Dialect) String() string {
	switch d {
	case PostgreSQL:
		return "postgresql"
	case MySQL:
		return "mysql"
	case SQLite:
		return "sqlite"
	}
	return "dialect(" + strconv.Itoa(int(d)) + ")"
}

// Quote quotes an identifier ("a""b", `a“b`).
func (d Dialect) Quote(id string) string {
	if d == MySQL {
		return "`" + strings.ReplaceAll(id, "`", "``") + "`"
	}
	return `"` + strings.ReplaceAll(id, `"`, `""`) + `"`
}

// Placeholder returns the nth (1-based) parameter marker.
func (d Dialect) Placeholder(n int) string {
	if d == PostgreSQL {
		return "$" + strconv.Itoa(n)
	}
	return "?"
}

// maxParams is the most bind parameters a statement may have.
func (d Dialect) maxParams() int {
	if d == SQLite {
		return 32766
	}
	return 65535
}

// Rebind turns JDBC ? placeholders into the dialect's, leaving ? inside
// quoted strings, quoted identifiers and comments alone.
func (d Dialect) Rebind(query string) string {
	if d != PostgreSQL || !strings.Contains(query, "?") {
		return query
	}
	var b strings.Builder
	n := 0
	var quote byte
	for i := 0; i < len(query); i++ {
		c := query[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '\'' || c == '"':
			quote = c
		case c == '-' && i+1 < len(query) && query[i+1] == '-':
			end := strings.IndexByte(query[i:], '\n')
			if end < 0 {
				end = len(query) - i
			}
			b.WriteString(query[i : i+end])
			i += end - 1
			continue
		case c == '?':
			n++
			b.WriteString(d.Placeholder(n))
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}

// isMissingTable reports whether err says a table does not exist.
func isMissingTable(err error) bool {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.Code == "42P01" || pe.Code == "3F000"
	}
	var me *mysql.MySQLError
	if errors.As(err, &me) {
		return me.Number == 1146 || me.Number == 1049
	}
	return err != nil && strings.Contains(err.Error(), "no such table")
}

// isAuthFailure reports whether err says the credentials were refused.
func isAuthFailure(err error) bool {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.Code == "28P01" || pe.Code == "28000"
	}
	var me *mysql.MySQLError
	if errors.As(err, &me) {
		return me.Number == 1045 || me.Number == 1044
	}
	return false
}
