package postgres

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"
)

func TestDB_Broadcast(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		dsn, schema := newSchema(t)
		a, b := openOn(t, dsn, schema), openOn(t, dsn, schema)
		other := openTest(t) // another schema: must hear nothing
		got, stray := subscribe(t, b), subscribe(t, other)
		var want []string
		for i := range 300 {
			m := fmt.Sprintf("task\x1fgroup-%d", i)
			want = append(want, m)
			a.Broadcast(m)
		}
		waitFor(t, func() bool { return len(got.snapshot()) >= len(want) })
		if s := stray.snapshot(); len(s) != 0 {
			t.Errorf("a subscriber on another schema heard %q", s)
		}
		if g := got.snapshot(); !slices.Equal(g, want) {
			t.Errorf("received %d messages, want %d in order; first %q", len(g), len(want), g[:min(3, len(g))])
		}

	})
}

// openOn opens a second DB on an existing schema.
func openOn(t *testing.T, dsn, schema string) *DB {
	t.Helper()
	db, err := Open(t.Context(), Config{DSN: dsn, Schema: schema, MaxConns: 4})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	return db
}

// received collects messages.
type received struct {
	ch   chan string
	msgs []string
}

func (r *received) snapshot() []string {
	for {
		select {
		case m := <-r.ch:
			r.msgs = append(r.msgs, m)
		default:
			return r.msgs
		}
	}
}

// subscribe collects db's messages until the test ends, once it listens
// (the "" it is told first is not collected).
func subscribe(t *testing.T, db *DB) *received {
	ctx, cancel := context.WithCancel(context.Background())
	r := &received{ch: make(chan string, 1000)}
	done := make(chan struct{})
	ready := make(chan struct{})
	var once sync.Once
	go func() {
		defer close(done)
		_ = db.Subscribe(ctx, func(m string) {
			if m == "" {
				once.Do(func() { close(ready) })
				return
			}
			r.ch <- m
		})
	}()
	t.Cleanup(func() { cancel(); <-done })
	<-ready
	return r
}

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if cond() {
			return
		}
	}
	t.Fatal("condition not met within 10 s")
}
