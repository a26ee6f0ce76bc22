package store

import "context"

// Broadcaster is an optional capability of a Store that several servers
// share (PostgreSQL): it carries wake-ups between them, so that a task
// queued by the scheduling replica wakes a poll held by another one, and a
// report taken by another replica wakes the scheduler, within
// milliseconds instead of at the next periodic re-check. A Store used by
// one process (SQLite) does not implement it. Messages are hints, never
// state: losing one costs latency, not correctness.
type Broadcaster interface {
	// Broadcast queues msg for every subscriber of the store, this
	// process's included. It never blocks on the network; messages queued
	// while the database is unreachable may be dropped.
	Broadcast(msg string)
	// Subscribe calls fn with each message broadcast while it runs, until
	// ctx ends. Each time it starts listening (first, and after a lost
	// connection, when messages may have been missed) it calls fn with "".
	// It returns nil when ctx ends.
	Subscribe(ctx context.Context, fn func(msg string)) error
}
