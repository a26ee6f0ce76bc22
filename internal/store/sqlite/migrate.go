package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"log/slog"
	"path"
	"sort"
	"strconv"
	"strings"
)

// migrationFS holds the numbered migrations, NNNN_name.sql.
//
//go:embed migrations/*.sql
var migrationFS embed.FS

// migration is one numbered schema change.
type migration struct {
	Version int
	Name    string
	SQL     string
}

// createMigrationsTable records applied migrations. applied_at is
// bookkeeping for operators, taken from SQLite's clock.
const createMigrationsTable = `CREATE TABLE IF NOT EXISTS schema_migrations (
    version    INTEGER NOT NULL PRIMARY KEY,
    name       TEXT    NOT NULL,
    applied_at TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
) STRICT`

// migrate applies the migrations of fsys that db has not applied yet, in
// version order, each in its own transaction. It fails when db has applied
// a version that fsys does not hold (a newer datapipe migrated it).
func migrate(ctx context.Context, db *sql.DB, fsys fs.FS, log *slog.Logger) error {
	ms, err := loadMigrations(fsys)
	if err != nil {
		return err
	}
	if _, err := db.ExecContext(ctx, createMigrationsTable); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	if err := checkNoUnknown(ctx, db, ms); err != nil {
		return err
	}
	for _, m := range ms {
		if err := apply(ctx, db, m, log); err != nil {
			return err
		}
	}
	return nil
}

// apply runs m in a transaction unless it is already recorded. The check is
// inside the (BEGIN IMMEDIATE) transaction, so two processes opening the
// same file apply it once.
func apply(ctx context.Context, db *sql.DB, m migration, log *slog.Logger) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("migrate %04d_%s: %w", m.Version, m.Name, err)
	}
	defer tx.Rollback()
	done, err := exists(ctx, tx, `SELECT 1 FROM schema_migrations WHERE version = ?`, m.Version)
	if err != nil || done {
		return wrapMigration(m, err)
	}
	if _, err := tx.ExecContext(ctx, m.SQL); err != nil {
		return wrapMigration(m, err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (version, name) VALUES (?, ?)`, m.Version, m.Name); err != nil {
		return wrapMigration(m, err)
	}
	if err := tx.Commit(); err != nil {
		return wrapMigration(m, err)
	}
	log.Info("applied migration", "version", m.Version, "name", m.Name)
	return nil
}

// wrapMigration adds the migration's name to a non-nil err.
func wrapMigration(m migration, err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("migrate %04d_%s: %w", m.Version, m.Name, err)
}

// checkNoUnknown fails when db records a migration newer than ms knows.
func checkNoUnknown(ctx context.Context, db *sql.DB, ms []migration) error {
	var latest sql.NullInt64
	if err := db.QueryRowContext(ctx, `SELECT max(version) FROM schema_migrations`).Scan(&latest); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	known := 0
	if len(ms) > 0 {
		known = ms[len(ms)-1].Version
	}
	if latest.Valid && int(latest.Int64) > known {
		return fmt.Errorf("migrate: database schema version %d is newer than this datapipe's %d", latest.Int64, known)
	}
	return nil
}

// loadMigrations reads the *.sql files at the root of fsys's migrations
// directory, sorted by version. Names must be NNNN_name.sql with distinct
// positive versions.
func loadMigrations(fsys fs.FS) ([]migration, error) {
	names, err := fs.Glob(fsys, "migrations/*.sql")
	if err != nil {
		return nil, fmt.Errorf("migrations: %w", err)
	}
	ms := make([]migration, 0, len(names))
	for _, name := range names {
		m, err := readMigration(fsys, name)
		if err != nil {
			return nil, err
		}
		ms = append(ms, m)
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].Version < ms[j].Version })
	for i := 1; i < len(ms); i++ {
		if ms[i].Version == ms[i-1].Version {
			return nil, fmt.Errorf("migrations: version %d appears twice", ms[i].Version)
		}
	}
	return ms, nil
}

// readMigration reads one migration file and parses its name.
func readMigration(fsys fs.FS, name string) (migration, error) {
	base := strings.TrimSuffix(path.Base(name), ".sql")
	num, label, ok := strings.Cut(base, "_")
	v, err := strconv.Atoi(num)
	if !ok || err != nil || v <= 0 || label == "" {
		return migration{}, fmt.Errorf("migrations: %s is not named NNNN_name.sql", name)
	}
	body, err := fs.ReadFile(fsys, name)
	if err != nil {
		return migration{}, fmt.Errorf("migrations: %w", err)
	}
	return migration{Version: v, Name: label, SQL: string(body)}, nil
}
