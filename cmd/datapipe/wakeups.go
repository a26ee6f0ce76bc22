package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"strconv"
	"strings"

	"github.com/datapipe/datapipe/internal/control"
	"github.com/datapipe/datapipe/internal/scheduler"
	"github.com/datapipe/datapipe/internal/store"
)

// wakeups routes the engine's wake-ups: to this server's scheduler loop
// and held polls and, when the store is shared by several servers
// (store.Broadcaster, PostgreSQL), to theirs. Without it a task queued by
// the scheduling replica would reach a poll held by another replica only
// at that poll's periodic re-check, and a report taken by another replica
// would reach the scheduler only at its next tick.
//
// Messages are fields joined by \x1f: the sender's id, then "t" and
// worker groups (tasks queued), "w" (a change of unknown extent), or "a",
// pipeline, attempt and whether it ended (a runner's report).
type wakeups struct {
	id   string
	bc   store.Broadcaster // nil when the store is this process's alone
	loop *scheduler.Loop
	svc  *control.Service
}

// newWakeups returns the router for st; loop and svc are set once built.
func newWakeups(st store.Store) *wakeups {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	w := &wakeups{id: hex.EncodeToString(b)}
	w.bc, _ = st.(store.Broadcaster)
	return w
}

// tasks wakes the polls of groups that received tasks.
func (w *wakeups) tasks(groups []string) {
	for _, g := range groups {
		w.svc.NotifyTask(g)
	}
	w.send(append([]string{"t"}, groups...)...)
}

// change wakes the scheduler for a full pass.
func (w *wakeups) change() {
	w.loop.Wake()
	w.send("w")
}

// attempt tells the schedulers a runner's report changed an attempt:
// this server's takes the attempt as stored, the others re-read it.
func (w *wakeups) attempt(att store.Object, ended bool) {
	w.loop.Reported(att, ended)
	w.send("a", att.PipelineID, att.ID, strconv.FormatBool(ended))
}

func (w *wakeups) send(fields ...string) {
	if w.bc != nil {
		w.bc.Broadcast(w.id + "\x1f" + strings.Join(fields, "\x1f"))
	}
}

// receive acts on another server's message; "" (messages may have been
// missed) asks for a full pass.
func (w *wakeups) receive(msg string) {
	if msg == "" {
		w.loop.Wake()
		return
	}
	f := strings.Split(msg, "\x1f")
	if len(f) < 2 || f[0] == w.id {
		return
	}
	switch {
	case f[1] == "t":
		for _, g := range f[2:] {
			w.svc.NotifyTask(g)
		}
	case f[1] == "w":
		w.loop.Wake()
	case f[1] == "a" && len(f) == 5:
		w.loop.Changed(f[2], f[4] == "true", f[3])
	}
}

// run listens to the other servers until ctx ends.
func (w *wakeups) run(ctx context.Context) {
	if w.bc != nil {
		_ = w.bc.Subscribe(ctx, w.receive)
	}
}
