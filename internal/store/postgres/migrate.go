package postgres

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"
)

//go:embed migrations/*.sql
var migrationFS embed.FS

// migrateLockClass is the first key of the advisory lock taken while
// migrating ("dpip"); the second is the hash of the schema name, so that
// schemas migrate independently.
const migrateLockClass = 0x64706970

// migration is one numbered migration file.
type migration struct {
	Version int
	Name    string
	SQL     string
}

// migrations returns the embedded migrations in version order. Names are
// NNNN_description.sql; a malformed or duplicate number is an error.
func migrations() ([]migration, error) {
	names, err := fs.Glob(migrationFS, "migrations/*.sql")
	if err != nil {
		return nil, fmt.Errorf("list migrations: %w", err)
	}
	var out []migration
	for _, name := range names {
		m, err := readMigration(name)
		if err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	slices.SortFunc(out, func(a, b migration) int { return a.Version - b.Version })
	for i := 1; i < len(out); i++ {
		if out[i].Version == out[i-1].Version {
			return nil, fmt.Errorf("migrations %s and %s share a version", out[i-1].Name, out[i].Name)
		}
	}
	return out, nil
}

// readMigration reads one embedded migration file.
func readMigration(name string) (migration, error) {
	base := path.Base(name)
	num, _, ok := strings.Cut(base, "_")
	v, err := strconv.Atoi(num)
	if !ok || err != nil || v <= 0 {
		return migration{}, fmt.Errorf("migration %s: name must be NNNN_description.sql", base)
	}
	body, err := migrationFS.ReadFile(name)
	if err != nil {
		return migration{}, fmt.Errorf("read migration %s: %w", base, err)
	}
	return migration{Version: v, Name: base, SQL: string(body)}, nil
}

// migrate creates schema (when set) and applies the pending migrations, in
// one transaction holding a transaction-scoped advisory lock on
// (migrateLockClass, hash of the schema). Replicas opening together queue
// on the lock; the first applies the migrations, the others then find
// them recorded in schema_migrations and apply nothing. The lock is
// released when the transaction ends, even if the process dies.
func (db *DB) migrate(ctx context.Context, schema string) error {
	all, err := migrations()
	if err != nil {
		return err
	}
	return pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		name, err := lockSchema(ctx, tx, schema)
		if err != nil {
			return err
		}
		done, err := appliedVersions(ctx, tx)
		if err != nil {
			return err
		}
		return db.applyPending(ctx, tx, name, all, done)
	})
}

// lockSchema takes the migration lock of schema (or of the current schema
// when empty), creates schema if missing and returns the schema's name.
func lockSchema(ctx context.Context, tx pgx.Tx, schema string) (string, error) {
	var name string
	err := tx.QueryRow(ctx, `SELECT coalesce(nullif($1, ''), current_schema(), '')`, schema).Scan(&name)
	if err != nil {
		return "", fmt.Errorf("migrate: current schema: %w", err)
	}
	if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1, hashtext($2))`, int32(migrateLockClass), name); err != nil {
		return "", fmt.Errorf("migrate %s: advisory lock: %w", name, err)
	}
	if schema != "" {
		if err := createSchema(ctx, tx, schema); err != nil {
			return "", err
		}
	}
	return name, nil
}

// createSchema creates schema unless it exists. It checks first, because
// CREATE SCHEMA IF NOT EXISTS needs the CREATE privilege on the database
// even when the schema exists, which a role given a ready-made schema may
// lack.
func createSchema(ctx context.Context, tx pgx.Tx, schema string) error {
	var exists bool
	err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = $1)`, schema).Scan(&exists)
	if err != nil {
		return fmt.Errorf("migrate: look up schema %s: %w", schema, err)
	}
	if exists {
		return nil
	}
	if _, err := tx.Exec(ctx, "CREATE SCHEMA "+pgx.Identifier{schema}.Sanitize()); err != nil {
		return fmt.Errorf("migrate: create schema %s: %w", schema, err)
	}
	return nil
}

// appliedVersions creates schema_migrations if needed and returns the
// versions it records.
func appliedVersions(ctx context.Context, tx pgx.Tx) (map[int]bool, error) {
	_, err := tx.Exec(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version    integer PRIMARY KEY,
		name       text NOT NULL,
		applied_at timestamptz NOT NULL DEFAULT now())`)
	if err != nil {
		return nil, fmt.Errorf("migrate: create schema_migrations: %w", err)
	}
	rows, err := tx.Query(ctx, `SELECT version FROM schema_migrations`)
	if err != nil {
		return nil, fmt.Errorf("migrate: read schema_migrations: %w", err)
	}
	versions, err := pgx.CollectRows(rows, pgx.RowTo[int32])
	if err != nil {
		return nil, fmt.Errorf("migrate: read schema_migrations: %w", err)
	}
	done := make(map[int]bool, len(versions))
	for _, v := range versions {
		done[int(v)] = true
	}
	return done, nil
}

// applyPending runs every migration not in done, recording each.
func (db *DB) applyPending(ctx context.Context, tx pgx.Tx, schema string, all []migration, done map[int]bool) error {
	for _, m := range all {
		if done[m.Version] {
			continue
		}
		if _, err := tx.Exec(ctx, m.SQL); err != nil {
			return fmt.Errorf("migrate %s: apply %s: %w", schema, m.Name, err)
		}
		if _, err := tx.Exec(ctx, `INSERT INTO schema_migrations (version, name) VALUES ($1, $2)`, m.Version, m.Name); err != nil {
			return fmt.Errorf("migrate %s: record %s: %w", schema, m.Name, err)
		}
		db.log.Info("applied migration", "schema", schema, "version", m.Version, "name", m.Name)
	}
	if newer := len(done) - countKnown(all, done); newer > 0 {
		db.log.Warn("database has migrations this binary does not know", "schema", schema, "unknown", newer)
	}
	return nil
}

// countKnown counts the versions of all that done records.
func countKnown(all []migration, done map[int]bool) int {
	n := 0
	for _, m := range all {
		if done[m.Version] {
			n++
		}
	}
	return n
}
