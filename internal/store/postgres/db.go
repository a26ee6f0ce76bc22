package postgres

import (
	"cmp"
	"context"
	"fmt"
	"log/slog"
	"sync"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/datapipe/datapipe/internal/store"
)

var _ store.Store = (*DB)(nil)

// Config configures Open. Zero values take defaults.
type Config struct {
	// DSN is a PostgreSQL connection string (URL or key=value form);
	// empty uses libpq's environment defaults (PGHOST…).
	DSN string
	// Schema, when set, is the schema every connection uses (its
	// search_path); Open creates it if missing. Tests use one schema each.
	// Empty uses the DSN's search_path.
	Schema string
	// Logger receives migration and retry events (default: discarded).
	Logger *slog.Logger
	// MaxConns caps the pool (default: pgxpool's, max(4, NumCPU)).
	MaxConns int32
}

// DB is a store.Store on a PostgreSQL database. It is safe for concurrent
// use, by any number of DB values in any number of processes.
type DB struct {
	queries
	pool      *pgxpool.Pool
	log       *slog.Logger
	closeOnce sync.Once
	// channel and bc carry wake-ups between servers (broadcast.go).
	channel string
	bc      *broadcaster
}

// dbtx is what queries run on: the pool, or a transaction.
type dbtx interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
	Begin(ctx context.Context) (pgx.Tx, error)
	CopyFrom(ctx context.Context, table pgx.Identifier, cols []string, src pgx.CopyFromSource) (int64, error)
}

// queries implements store.Queries on a dbtx. inTx says whether db is a
// transaction, in which multi-statement writes need a savepoint rather
// than a transaction of their own.
type queries struct {
	db   dbtx
	inTx bool
}

// Open connects to PostgreSQL, creates Config.Schema if needed and applies
// the pending migrations. It fails when the database cannot be reached or
// a migration fails; nothing is left open then.
func Open(ctx context.Context, cfg Config) (*DB, error) {
	pcfg, err := poolConfig(cfg)
	if err != nil {
		return nil, err
	}
	pool, err := pgxpool.NewWithConfig(ctx, pcfg)
	if err != nil {
		return nil, fmt.Errorf("postgres: connect: %w", err)
	}
	db := &DB{
		queries: queries{db: pool},
		pool:    pool,
		log:     cmp.Or(cfg.Logger, slog.New(slog.DiscardHandler)),
		channel: channel(cfg.Schema),
	}
	if err := db.migrate(ctx, cfg.Schema); err != nil {
		pool.Close()
		return nil, fmt.Errorf("postgres: %w", err)
	}
	db.startBroadcaster()
	return db, nil
}

// poolConfig turns cfg into a pgxpool configuration.
func poolConfig(cfg Config) (*pgxpool.Config, error) {
	pcfg, err := pgxpool.ParseConfig(cfg.DSN)
	if err != nil {
		return nil, fmt.Errorf("postgres: parse DSN: %w", err)
	}
	if cfg.Schema != "" {
		pcfg.ConnConfig.RuntimeParams["search_path"] = pgx.Identifier{cfg.Schema}.Sanitize()
	}
	if cfg.MaxConns > 0 {
		pcfg.MaxConns = cfg.MaxConns
	}
	return pcfg, nil
}

// Close closes the pool, waiting for connections in use to be returned.
// It is safe to call more than once and always returns nil.
func (db *DB) Close() error {
	db.closeOnce.Do(func() {
		db.stopBroadcaster()
		db.pool.Close()
	})
	return nil
}
