package sqlite

import (
	"context"
	"fmt"
	"strconv"
)

// maxBatch bounds how many transactions share one commit.
const maxBatch = 64

// txRequest is one caller's transaction waiting for the writer.
type txRequest struct {
	ctx  context.Context
	fn   func(queries) error
	done chan txResult
}

// txResult is how a request ended; panic carries a panic of fn, re-raised
// in the caller's goroutine.
type txResult struct {
	err   error
	panic any
}

// tx runs fn in a write transaction: committed when fn returns nil,
// rolled back when it fails or panics (the panic is re-raised here).
//
// Transactions that arrive while another is running are committed
// together (group commit): whoever finds the writer idle runs every
// queued fn in one BEGIN IMMEDIATE … COMMIT, each inside a savepoint, so
// one fn's failure rolls back that fn alone. A caller returns only once
// its fn's writes are committed (or failed). Why: with many task runners
// reporting at once, each small transaction used to pay its own begin,
// commit and WAL frames, and its own hand-off of the single write
// connection between goroutines; batched, the writer does the same work
// in a fraction of the time.
func (w *writer) tx(ctx context.Context, fn func(queries) error) error {
	req := &txRequest{ctx: ctx, fn: fn, done: make(chan txResult, 1)}
	w.qmu.Lock()
	w.queue = append(w.queue, req)
	lead := !w.running
	w.running = true
	w.qmu.Unlock()
	if lead {
		w.drain()
	}
	res := <-req.done
	if res.panic != nil {
		panic(res.panic)
	}
	return res.err
}

// drain runs queued batches until the queue is empty.
func (w *writer) drain() {
	for {
		w.qmu.Lock()
		n := min(len(w.queue), maxBatch)
		batch := w.queue[:n:n]
		w.queue = w.queue[n:]
		if n == 0 {
			w.running = false
			w.queue = nil
		}
		w.qmu.Unlock()
		if n == 0 {
			return
		}
		w.runBatch(batch)
	}
}

// runBatch commits a batch in one transaction and tells each request how
// it ended.
func (w *writer) runBatch(batch []*txRequest) {
	if len(batch) == 1 {
		batch[0].done <- w.runAlone(batch[0])
		return
	}
	results := make([]txResult, len(batch))
	err := w.inTransaction(func() bool {
		for i, r := range batch {
			var intact bool
			if results[i], intact = w.runOne(i, r); !intact {
				// SQLite rolled the whole transaction back (an I/O
				// error, a full disk): the fns before failed with it,
				// and those after must not run outside a transaction.
				for j := i + 1; j < len(batch); j++ {
					results[j].err = fmt.Errorf("sqlite: transaction aborted by an earlier failure: %w", results[i].err)
				}
				return true // COMMIT then fails too, failing the earlier fns
			}
		}
		return true
	})
	for i, r := range batch {
		if err != nil && results[i].err == nil && results[i].panic == nil {
			results[i].err = err
		}
		r.done <- results[i]
	}
}

// runAlone runs a request that has the writer to itself: no savepoint, a
// failure rolls the transaction back.
func (w *writer) runAlone(r *txRequest) (res txResult) {
	if err := r.ctx.Err(); err != nil {
		return txResult{err: fmt.Errorf("sqlite begin: %w", err)}
	}
	err := w.inTransaction(func() (commit bool) {
		defer func() {
			if v := recover(); v != nil {
				res.panic, commit = v, false
			}
		}()
		res.err = r.fn(queries{x: w})
		return res.err == nil
	})
	if err != nil && res.err == nil && res.panic == nil {
		res.err = err
	}
	return res
}

// inTransaction runs body after BEGIN IMMEDIATE, then commits when it
// says so and rolls back otherwise. An error of BEGIN or COMMIT is
// returned (body's own failures are its caller's to report).
func (w *writer) inTransaction(body func() (commit bool)) error {
	ctx := context.Background()
	conn, err := w.pin(ctx)
	if err != nil {
		return fmt.Errorf("sqlite begin: %w", err)
	}
	if _, err := conn.ExecContext(ctx, "BEGIN IMMEDIATE"); err != nil {
		w.unpinOnBadConn(err)
		return fmt.Errorf("sqlite begin: %w", err)
	}
	committed := false
	defer func() {
		if !committed {
			w.rollback()
		}
	}()
	if !body() {
		return nil // the deferred rollback
	}
	if _, err := conn.ExecContext(ctx, "COMMIT"); err != nil {
		return fmt.Errorf("sqlite commit: %w", err)
	}
	committed = true
	return nil
}

// runOne runs one request's fn inside its own savepoint, rolling back to
// it when fn fails or panics. intact is false when the savepoint is gone:
// SQLite rolled back the whole transaction.
func (w *writer) runOne(i int, r *txRequest) (res txResult, intact bool) {
	if err := r.ctx.Err(); err != nil {
		return txResult{err: fmt.Errorf("sqlite begin: %w", err)}, true
	}
	sp := "tx_" + strconv.Itoa(i)
	if _, err := w.conn.ExecContext(r.ctx, "SAVEPOINT "+sp); err != nil {
		return txResult{err: fmt.Errorf("sqlite begin: %w", err)}, false
	}
	intact = true
	defer func() {
		if v := recover(); v != nil {
			res = txResult{panic: v}
		}
		ctx := context.Background()
		if res.err != nil || res.panic != nil {
			if _, err := w.conn.ExecContext(ctx, "ROLLBACK TO "+sp); err != nil {
				intact = false
				return
			}
		}
		if _, err := w.conn.ExecContext(ctx, "RELEASE "+sp); err != nil {
			intact = false
		}
	}()
	return txResult{err: r.fn(queries{x: w})}, true
}
