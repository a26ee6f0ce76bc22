package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"time"
)

// checkpointEvery is how often the background checkpointer runs.
const checkpointEvery = 500 * time.Millisecond

// backstopCheckpointPages is the write connection's wal_autocheckpoint:
// the WAL size (in pages) at which a commit checkpoints by itself, should
// the background checkpointer fall behind.
const backstopCheckpointPages = 20000

// checkpointer copies the WAL into the database file in the background.
// Left to SQLite, the commit that crosses wal_autocheckpoint (1,000 pages)
// checkpoints and fsyncs the database while holding the write lock, which
// stalled every writer behind it: at a few hundred task reports a second
// that halved throughput. A PASSIVE checkpoint on a connection of its own
// runs beside the writer instead.
type checkpointer struct {
	pool   *sql.DB
	cancel context.CancelFunc
	done   chan struct{}
}

// startCheckpointer opens the checkpoint connection and starts the loop.
func startCheckpointer(ctx context.Context, cfg Config, log *slog.Logger) (*checkpointer, error) {
	dsn := fmt.Sprintf("%s?_pragma=busy_timeout(%d)", cfg.Path, busyTimeoutMS)
	if cfg.Ephemeral {
		dsn += "&_pragma=synchronous(OFF)" // a checkpoint syncs as its connection says
	}
	pool, err := openPool(ctx, dsn, 1)
	if err != nil {
		return nil, fmt.Errorf("checkpoint connection: %w", err)
	}
	loopCtx, cancel := context.WithCancel(context.Background())
	c := &checkpointer{pool: pool, cancel: cancel, done: make(chan struct{})}
	go c.loop(loopCtx, log)
	return c, nil
}

// loop checkpoints every checkpointEvery until stopped.
func (c *checkpointer) loop(ctx context.Context, log *slog.Logger) {
	defer close(c.done)
	t := time.NewTicker(checkpointEvery)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		if _, err := c.pool.ExecContext(ctx, "PRAGMA wal_checkpoint(PASSIVE)"); err != nil && ctx.Err() == nil {
			log.Warn("sqlite checkpoint", "err", err)
		}
	}
}

// stop ends the loop and closes the connection.
func (c *checkpointer) stop() {
	c.cancel()
	<-c.done
	_ = c.pool.Close()
}
