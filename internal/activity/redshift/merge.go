package redshift

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/datapipe/datapipe/internal/datanode"
	dsql "github.com/datapipe/datapipe/internal/datanode/sql"
)

// isEOF reports the end of a record stream.
func isEOF(err error) bool { return errors.Is(err, io.EOF) }

// merge moves staging (through transformSql) into the target per the
// insert mode.
func merge(ctx context.Context, j *job, s *dsql.Session) error {
	n := s.Node()
	target := n.QualifiedTable()
	source := stagingTable
	if tr, ok := j.t.Field("transformSql"); ok && strings.TrimSpace(tr) != "" {
		source = "(" + strings.TrimRight(strings.TrimSpace(tr), ";") + ")"
	}
	var keys []string
	if j.mode == KeepExisting || j.mode == OverwriteExisting {
		var err error
		if keys, err = mergeKeys(ctx, j, s); err != nil {
			return err
		}
	}
	for _, q := range mergeSQL(j.mode, target, source, identList(n, keys)) {
		rows, err := s.Exec(ctx, q)
		if err != nil {
			return fmt.Errorf("%s: %w", j.mode, err)
		}
		j.env.Printf("%s: %d rows", firstWords(q), rows)
	}
	return nil
}

// mergeSQL returns the statements of a mode; source is a table or a
// parenthesised SELECT.
func mergeSQL(mode, target, source string, keys []string) []string {
	insert := "INSERT INTO " + target + " SELECT * FROM " + source + " s"
	match := func(a, b string) string {
		conds := make([]string, len(keys))
		for i, k := range keys {
			conds[i] = a + "." + k + " = " + b + "." + k
		}
		return strings.Join(conds, " AND ")
	}
	switch mode {
	case Truncate:
		return []string{"DELETE FROM " + target, insert}
	case KeepExisting:
		return []string{insert + " WHERE NOT EXISTS (SELECT 1 FROM " + target + " t WHERE " + match("t", "s") + ")"}
	case OverwriteExisting:
		return []string{"DELETE FROM " + target + " WHERE EXISTS (SELECT 1 FROM " + source + " s WHERE " + match(target, "s") + ")", insert}
	}
	return []string{insert}
}

// mergeKeys are the output node's primaryKeys, else the table's primary
// key.
func mergeKeys(ctx context.Context, j *job, s *dsql.Session) ([]string, error) {
	n := s.Node()
	if keys := n.PrimaryKeys(); len(keys) > 0 {
		return keys, nil
	}
	keys, err := tableKeys(ctx, s, datanode.Str(j.out, "schemaName"), n.Table())
	if err != nil {
		return nil, fmt.Errorf("read the primary key of %s: %w", n.QualifiedTable(), err)
	}
	if len(keys) == 0 {
		return nil, fmt.Errorf("%s needs a key to match rows: table %s has no primary key and %s sets no primaryKeys", j.mode, n.QualifiedTable(), n.Name())
	}
	return keys, nil
}

// tableKeys reads a table's primary key columns from the catalog.
func tableKeys(ctx context.Context, s *dsql.Session, schema, table string) ([]string, error) {
	var q string
	var args []any
	switch s.Node().Dialect() {
	case dsql.PostgreSQL:
		name := table
		if schema != "" {
			name = schema + "." + table
		}
		q = `SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)
			WHERE i.indrelid = to_regclass($1) AND i.indisprimary ORDER BY array_position(i.indkey::int2[], a.attnum)`
		args = []any{name}
	case dsql.MySQL:
		q = `SELECT column_name FROM information_schema.key_column_usage WHERE constraint_name = 'PRIMARY'
			AND table_schema = COALESCE(NULLIF(?, ''), DATABASE()) AND table_name = ? ORDER BY ordinal_position`
		args = []any{schema, table}
	default:
		q = "SELECT name FROM pragma_table_info(?) WHERE pk > 0 ORDER BY pk"
		args = []any{table}
	}
	rows, err := s.Query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var keys []string
	for rows.Next() {
		var k string
		if err := rows.Scan(&k); err != nil {
			return nil, err
		}
		keys = append(keys, k)
	}
	return keys, rows.Err()
}

// identList writes columns as identifiers.
func identList(n *dsql.Node, cols []string) []string {
	out := make([]string, len(cols))
	for i, c := range cols {
		out[i] = n.Ident(c)
	}
	return out
}

// firstWords is the start of a statement, for the log.
func firstWords(q string) string {
	f := strings.Fields(q)
	return strings.Join(f[:min(3, len(f))], " ")
}
