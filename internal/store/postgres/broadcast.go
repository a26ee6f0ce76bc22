package postgres

import (
	"context"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/datapipe/datapipe/internal/store"
)

var _ store.Broadcaster = (*DB)(nil)

// notifyLimit keeps one NOTIFY payload under PostgreSQL's 8,000-byte
// limit; a batch larger than that is sent as several.
const notifyLimit = 7000

// broadcaster batches outgoing messages: one NOTIFY carries every message
// queued since the previous one, newline-separated, so a burst of task
// reports costs a handful of round trips.
type broadcaster struct {
	out  chan string
	stop chan struct{}
	done chan struct{}
}

// channel is the NOTIFY channel: one per schema, so that servers (and
// tests) on other schemas of the same database never hear each other.
func channel(schema string) string {
	if schema == "" {
		return "datapipe"
	}
	return "datapipe_" + schema
}

// startBroadcaster starts the sender goroutine.
func (db *DB) startBroadcaster() {
	db.bc = &broadcaster{out: make(chan string, 4096), stop: make(chan struct{}), done: make(chan struct{})}
	go db.sendLoop()
}

// Broadcast implements store.Broadcaster.
func (db *DB) Broadcast(msg string) {
	select {
	case db.bc.out <- msg:
	default: // the sender is far behind or the database is down: a hint lost
	}
}

// sendLoop sends queued messages until the broadcaster stops.
func (db *DB) sendLoop() {
	defer close(db.bc.done)
	for {
		var first string
		select {
		case <-db.bc.stop:
			return
		case first = <-db.bc.out:
		}
		batch := []string{first}
	drain:
		for len(batch) < 256 {
			select {
			case m := <-db.bc.out:
				batch = append(batch, m)
			default:
				break drain
			}
		}
		db.send(batch)
	}
}

// send NOTIFYs a batch, split to fit the payload limit.
func (db *DB) send(batch []string) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	var b strings.Builder
	flush := func() {
		if b.Len() == 0 {
			return
		}
		if _, err := db.pool.Exec(ctx, "SELECT pg_notify($1, $2)", db.channel, b.String()); err != nil {
			db.log.Debug("postgres notify", "err", err)
		}
		b.Reset()
	}
	for _, m := range batch {
		if b.Len()+len(m)+1 > notifyLimit {
			flush()
		}
		if b.Len() > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(m)
	}
	flush()
}

// stopBroadcaster stops the sender; messages still queued are dropped
// (they are hints).
func (db *DB) stopBroadcaster() {
	close(db.bc.stop)
	<-db.bc.done
}

// Subscribe implements store.Broadcaster: it LISTENs on a connection of
// its own (not one of the pool's), reconnecting after a second when it is
// lost.
func (db *DB) Subscribe(ctx context.Context, fn func(msg string)) error {
	for ctx.Err() == nil {
		err := db.listen(ctx, fn)
		if ctx.Err() != nil {
			return nil
		}
		db.log.Warn("postgres listen: reconnecting", "err", err)
		select {
		case <-ctx.Done():
		case <-time.After(time.Second):
		}
	}
	return nil
}

// listen holds one LISTEN connection until it fails or ctx ends.
func (db *DB) listen(ctx context.Context, fn func(msg string)) error {
	conn, err := pgx.ConnectConfig(ctx, db.pool.Config().ConnConfig.Copy())
	if err != nil {
		return err
	}
	defer conn.Close(context.WithoutCancel(ctx))
	if _, err := conn.Exec(ctx, "LISTEN "+pgx.Identifier{db.channel}.Sanitize()); err != nil {
		return err
	}
	fn("") // listening from now on; anything earlier may have been missed
	for {
		n, err := conn.WaitForNotification(ctx)
		if err != nil {
			return err
		}
		for _, m := range strings.Split(n.Payload, "\n") {
			fn(m)
		}
	}
}
