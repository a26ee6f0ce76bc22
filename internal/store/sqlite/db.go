package sqlite

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"runtime"
	"strings"
	"sync"

	_ "modernc.org/sqlite" // registers the "sqlite" database/sql driver

	"github.com/datapipe/datapipe/internal/store"
)

var _ store.Store = (*DB)(nil)

// busyTimeoutMS is how long a connection waits for a lock held by another
// process before failing with SQLITE_BUSY.
const busyTimeoutMS = 10000

// Config configures Open.
type Config struct {
	// Path is the database file, created when missing. ":memory:" (or a
	// "file::memory:" URI) opens a private in-memory database, for tests.
	// Required; it may not contain '?'.
	Path string
	// Logger defaults to a discarding logger.
	Logger *slog.Logger
	// SyncFull sets synchronous=FULL: every commit is fsynced, durable
	// against power loss. The default, synchronous=NORMAL, is durable
	// against the process being killed but not against power loss; see the
	// package documentation.
	SyncFull bool
	// Ephemeral is for a database thrown away after use (`datapipe run`'s
	// own): synchronous=OFF, so no commit, checkpoint or close ever waits
	// for the disk. A killed process still loses nothing committed; an
	// operating-system crash may corrupt the file, which nobody opens
	// again. The close of a run's store used to spend 15 to 35 ms
	// flushing a WAL of tens of MB it was about to delete.
	Ephemeral bool
}

// DB is a store.Store on one SQLite database. It is safe for concurrent
// use; writes are serialised on one connection.
type DB struct {
	writer *sql.DB
	// w runs the write transactions of a file database on a pinned
	// connection with prepared statements; nil for an in-memory one, whose
	// only connection the reads share.
	w *writer
	// ckpt checkpoints the WAL in the background (file databases).
	ckpt   *checkpointer
	reader *sql.DB
	// r runs reads of a file database with prepared statements; nil for
	// an in-memory one.
	r         *reader
	log       *slog.Logger
	closeOnce sync.Once
	closeErr  error
}

// Open opens (creating if needed) the database at cfg.Path, configures it
// (WAL, busy timeout, foreign keys, synchronous) and applies pending
// migrations. It fails when the path is empty or unusable, or the database
// was migrated by a newer datapipe.
func Open(ctx context.Context, cfg Config) (*DB, error) {
	if cfg.Path == "" || strings.Contains(cfg.Path, "?") {
		return nil, fmt.Errorf("sqlite open: invalid path %q", cfg.Path)
	}
	db := &DB{log: cmp.Or(cfg.Logger, slog.New(slog.DiscardHandler))}
	var err error
	if db.writer, err = openPool(ctx, writerDSN(cfg), 1); err != nil {
		return nil, fmt.Errorf("sqlite open %s: %w", cfg.Path, err)
	}
	if err := migrate(ctx, db.writer, migrationFS, db.log); err != nil {
		db.writer.Close()
		return nil, fmt.Errorf("sqlite open %s: %w", cfg.Path, err)
	}
	db.reader = db.writer
	if !inMemory(cfg.Path) {
		db.w = newWriter(db.writer)
		if db.ckpt, err = startCheckpointer(ctx, cfg, db.log); err != nil {
			db.writer.Close()
			return nil, fmt.Errorf("sqlite open %s: %w", cfg.Path, err)
		}
		if db.reader, err = openPool(ctx, readerDSN(cfg), max(4, runtime.GOMAXPROCS(0))); err != nil {
			db.writer.Close()
			return nil, fmt.Errorf("sqlite open %s: %w", cfg.Path, err)
		}
		db.r = newReader(db.reader)
	}
	return db, nil
}

// openPool opens a connection pool of at most n connections and checks
// that it works.
func openPool(ctx context.Context, dsn string, n int) (*sql.DB, error) {
	pool, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, err
	}
	pool.SetMaxOpenConns(n)
	pool.SetMaxIdleConns(n)
	pool.SetConnMaxLifetime(0)
	pool.SetConnMaxIdleTime(0)
	if err := pool.PingContext(ctx); err != nil {
		pool.Close()
		return nil, err
	}
	return pool, nil
}

// writerDSN is the data source name of the write connection: WAL, foreign
// keys, the chosen synchronous level, and BEGIN IMMEDIATE transactions.
func writerDSN(cfg Config) string {
	sync := "NORMAL"
	switch {
	case cfg.Ephemeral:
		sync = "OFF"
	case cfg.SyncFull:
		sync = "FULL"
	}
	return fmt.Sprintf("%s?_pragma=busy_timeout(%d)&_pragma=foreign_keys(1)&_pragma=journal_mode(WAL)&_pragma=synchronous(%s)&_pragma=wal_autocheckpoint(%d)&_txlock=immediate",
		cfg.Path, busyTimeoutMS, sync, backstopCheckpointPages)
}

// readerDSN is the data source name of the read connections, which refuse
// writes.
func readerDSN(cfg Config) string {
	return fmt.Sprintf("%s?_pragma=busy_timeout(%d)&_pragma=query_only(1)", cfg.Path, busyTimeoutMS)
}

// inMemory reports whether path names an in-memory database, which exists
// only on its one connection.
func inMemory(path string) bool {
	return path == ":memory:" || strings.HasPrefix(path, "file::memory:") || strings.Contains(path, "mode=memory")
}

// Close closes the database. It is safe to call more than once; later
// calls return the first call's result.
func (db *DB) Close() error {
	db.closeOnce.Do(func() {
		var rerr error
		if db.r != nil {
			db.r.close()
		}
		if db.reader != db.writer {
			rerr = db.reader.Close()
		}
		if db.w != nil {
			db.w.close()
		}
		if db.ckpt != nil {
			db.ckpt.stop()
		}
		db.closeErr = errors.Join(rerr, db.writer.Close())
	})
	return db.closeErr
}

// WithTx runs fn in one BEGIN IMMEDIATE transaction on the write
// connection: fn's writes commit together when it returns nil; when it
// returns an error (or panics) they are rolled back and the error is
// returned unchanged.
func (db *DB) WithTx(ctx context.Context, fn func(store.Queries) error) error {
	return db.tx(ctx, func(q queries) error { return fn(q) })
}

// WithSnapshotTx implements store.Store: SQLite serialises its writers,
// so it is WithTx.
func (db *DB) WithSnapshotTx(ctx context.Context, fn func(store.Queries) error) error {
	return db.WithTx(ctx, fn)
}

// tx runs fn in a write transaction; see WithTx.
func (db *DB) tx(ctx context.Context, fn func(queries) error) (err error) {
	if db.w != nil {
		return db.w.tx(ctx, fn)
	}
	tx, err := db.writer.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("sqlite begin: %w", err)
	}
	committed := false
	defer func() {
		if !committed {
			_ = tx.Rollback()
		}
	}()
	if err := fn(queries{x: tx}); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("sqlite commit: %w", err)
	}
	committed = true
	return nil
}

// read returns the queries that run on the read pool.
func (db *DB) read() queries {
	if db.r != nil {
		return queries{x: db.r}
	}
	return queries{x: db.reader}
}

// inTx runs one write query in its own transaction and returns its result.
func inTx[T any](ctx context.Context, db *DB, fn func(queries) (T, error)) (T, error) {
	var out T
	err := db.tx(ctx, func(q queries) error {
		var err error
		out, err = fn(q)
		return err
	})
	return out, err
}
