package scheduler

import (
	"context"
	"errors"
	"fmt"
	"sort"

	"github.com/datapipe/datapipe/internal/definition"
	"github.com/datapipe/datapipe/internal/pipeline"
	"github.com/datapipe/datapipe/internal/store"
)

// planOnce loads a snapshot, plans, and applies the plan in one
// transaction. A concurrent change (ErrConflict) abandons the plan; the
// next pass sees the new state.
func (l *Loop) planOnce(ctx context.Context, p store.Pipeline, full bool) (Changes, error) {
	c, err := l.compiled(ctx, p)
	if err != nil {
		return Changes{}, err
	}
	snap, err := l.snapshot(ctx, p, c, full)
	if err != nil {
		return Changes{}, err
	}
	snap.Provisioned = l.provisioned(p)
	ch := Plan(snap)
	l.setMore(p.ID, ch.More)
	if ch.Empty() {
		return ch, nil
	}
	for i := range ch.Tasks {
		ch.Tasks[i].ID = store.NewTaskID()
	}
	var stored []store.Object
	// Snapshot isolation suffices: every write is conditional on what it
	// rests on (objects by revision, the pipeline held), while
	// serializable failed large plans again and again on the index pages
	// runners' reports read.
	err = l.cfg.Store.WithSnapshotTx(ctx, func(q store.Queries) error {
		var err error
		stored, err = l.apply(ctx, q, p, ch)
		return err
	})
	if err != nil {
		l.dropCache(p.ID)
	}
	if errors.Is(err, store.ErrConflict) {
		l.mu.Lock()
		l.fullNext = true // re-read the pipeline records on the next pass
		l.mu.Unlock()
		return Changes{}, nil
	}
	if err != nil {
		return Changes{}, err
	}
	if l.wroteThrough(p.ID, c, stored, ch.Cancel) {
		l.wakeUp()
	}
	l.queued(ch.Tasks, stored)
	l.after(ctx, p, c, ch)
	if ch.Finished && l.cfg.OnFinish != nil {
		l.cfg.OnFinish(p.ID)
	}
	return ch, nil
}

// apply writes a plan, unless the pipeline was deactivated, reactivated
// or changed version since the record the plan was made from
// (store.ErrConflict): incremental passes plan from the record of the last
// full pass. The pipeline is held until the plan commits, so a concurrent
// deactivation or new version conflicts with it rather than miss its
// tasks.
func (l *Loop) apply(ctx context.Context, q store.Queries, p store.Pipeline, ch Changes) ([]store.Object, error) {
	cur, err := q.PipelineGet(ctx, store.PipelineGetParams{AccountID: p.AccountID, ID: p.ID, Hold: true})
	if errors.Is(err, store.ErrNotFound) || errors.Is(err, store.ErrDeleted) {
		return nil, store.ErrConflict // deleted meanwhile
	}
	if err != nil {
		return nil, fmt.Errorf("read pipeline: %w", err)
	}
	if cur.State != pipeline.StateScheduled || !cur.LastActivatedAt.Equal(p.LastActivatedAt) || cur.ActiveVersion != p.ActiveVersion {
		return nil, store.ErrConflict
	}
	stored, err := applyObjects(ctx, q, ch)
	if err != nil {
		return nil, err
	}
	if err := applyTasks(ctx, q, p, ch); err != nil {
		return nil, err
	}
	if ch.Finished {
		return stored, l.finishPipeline(ctx, q, p)
	}
	return stored, nil
}

// applyObjects writes a plan's new and changed objects and returns them
// as stored (with their revisions), for the cache.
func applyObjects(ctx context.Context, q store.Queries, ch Changes) ([]store.Object, error) {
	stored := make([]store.Object, 0, len(ch.Create)+len(ch.Update))
	if len(ch.Create) > 0 {
		if err := q.ObjectCreate(ctx, store.ObjectCreateParams{Objects: ch.Create}); err != nil {
			return nil, fmt.Errorf("create objects: %w", err)
		}
		for _, o := range ch.Create {
			o.Revision = 1
			stored = append(stored, store.Stored(o))
		}
	}
	updates := make([]store.ObjectUpdateParams, len(ch.Update))
	for i, o := range ch.Update {
		updates[i] = store.ObjectUpdateParams{Object: o, ExpectRevision: o.Revision}
	}
	out, err := q.ObjectUpdateAll(ctx, store.ObjectUpdateAllParams{Updates: updates})
	if err != nil {
		return nil, fmt.Errorf("update objects: %w", err)
	}
	return append(stored, out...), nil
}

// applyTasks queues a plan's tasks and cancels those of its canceled
// attempts.
func applyTasks(ctx context.Context, q store.Queries, p store.Pipeline, ch Changes) error {
	if err := q.TaskCreateAll(ctx, store.TaskCreateAllParams{Tasks: ch.Tasks}); err != nil {
		return fmt.Errorf("queue %d tasks: %w", len(ch.Tasks), err)
	}
	if len(ch.Cancel) > 0 {
		if _, err := q.TaskCancel(ctx, store.TaskCancelParams{PipelineID: p.ID, AttemptIDs: ch.Cancel}); err != nil {
			return fmt.Errorf("cancel tasks: %w", err)
		}
	}
	return nil
}

// finishPipeline marks a pipeline whose work is done FINISHED.
func (l *Loop) finishPipeline(ctx context.Context, q store.Queries, p store.Pipeline) error {
	cur, err := q.PipelineGet(ctx, store.PipelineGetParams{AccountID: p.AccountID, ID: p.ID})
	if err != nil || cur.State != pipeline.StateScheduled || cur.LastActivatedAt != p.LastActivatedAt {
		return store.ErrConflict // reactivated or changed meanwhile
	}
	cur.State, cur.FinishedAt = pipeline.StateFinished, l.now()
	_, err = q.PipelineUpdate(ctx, store.PipelineUpdateParams{Pipeline: cur})
	return err
}

// after wakes the polls of the groups that got tasks and fires actions.
func (l *Loop) after(ctx context.Context, p store.Pipeline, c *compiled, ch Changes) {
	groups := map[string]bool{}
	for _, t := range ch.Tasks {
		groups[t.WorkerGroup] = true
	}
	l.provision(ch)
	if l.cfg.OnTasks != nil && len(groups) > 0 {
		l.cfg.OnTasks(sortedKeys(groups))
	}
	for _, a := range ch.Actions {
		l.fire(ctx, p, c, a)
	}
}

// queued gives OnQueued the tasks a plan queued, with their attempts as
// stored.
func (l *Loop) queued(tasks []store.Task, stored []store.Object) {
	if l.cfg.OnQueued == nil || len(tasks) == 0 {
		return
	}
	byID := make(map[string]*store.Object, len(tasks))
	for i := range stored {
		if stored[i].Sphere == pipeline.SphereAttempt {
			byID[stored[i].ID] = &stored[i]
		}
	}
	out := make([]store.Task, len(tasks))
	for i, t := range tasks {
		t.Attempt = byID[t.AttemptID]
		out[i] = t
	}
	l.cfg.OnQueued(out)
}

// compiled returns the active definition's graph, compiled once per
// version.
func (l *Loop) compiled(ctx context.Context, p store.Pipeline) (*compiled, error) {
	key := graphKey{p.ID, p.ActiveVersion}
	l.mu.Lock()
	c, ok := l.graphs[key]
	l.mu.Unlock()
	if ok {
		return c, nil
	}
	g, err := l.graph(ctx, p)
	if err != nil {
		return nil, err
	}
	c = &compiled{graph: g, memo: &Memo{}, upstream: upstreamComponents(g), upstreamSet: map[string]bool{}}
	for _, id := range c.upstream {
		c.upstreamSet[id] = true
	}
	c.neighbours = neighbours(g)
	l.mu.Lock()
	if len(l.graphs) > 256 {
		l.graphs = map[graphKey]*compiled{}
	}
	l.graphs[key] = c
	l.mu.Unlock()
	return c, nil
}

// graph returns the pipeline's active definition version compiled, from
// Config.Graph when set.
func (l *Loop) graph(ctx context.Context, p store.Pipeline) (*definition.Graph, error) {
	if l.cfg.Graph != nil {
		g, err := l.cfg.Graph(ctx, p.ID, p.ActiveVersion)
		if err != nil {
			return nil, fmt.Errorf("active definition: %w", err)
		}
		return g, nil
	}
	dv, err := l.cfg.Store.DefinitionGet(ctx, store.DefinitionGetParams{PipelineID: p.ID, Version: p.ActiveVersion})
	if err != nil {
		return nil, fmt.Errorf("read active definition: %w", err)
	}
	g, res := definition.Compile(&dv.Definition, l.cfg.Catalog, definition.Options{})
	if g == nil {
		return nil, fmt.Errorf("active definition has %d errors", len(res.Errors()))
	}
	return g, nil
}

// neighbours maps each component to those an edge joins it to, either
// way.
func neighbours(g *definition.Graph) map[string][]string {
	out := map[string][]string{}
	for _, e := range g.Edges {
		out[e.From] = append(out[e.From], e.To)
		out[e.To] = append(out[e.To], e.From)
	}
	return out
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
