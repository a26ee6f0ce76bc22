package scheduler

import (
	"context"
	"time"

	"github.com/datapipe/datapipe/internal/definition"
	"github.com/datapipe/datapipe/internal/pipeline"
	"github.com/datapipe/datapipe/internal/schedule"
	"github.com/datapipe/datapipe/internal/store"
)

// dependencyWindow is how far before the earliest open instance terminal
// instances are loaded for dependency checks: it covers roll-ups and
// producers with periods up to a month.
const dependencyWindow = 40 * 24 * time.Hour

// openStatuses are the instance statuses that still move.
var openStatuses = []string{string(pipeline.StatusWaitingOnDependencies), string(pipeline.StatusWaitingForRunner),
	string(pipeline.StatusRunning), string(pipeline.StatusScheduled), string(pipeline.StatusCreating), string(pipeline.StatusShuttingDown),
	string(pipeline.StatusPaused)}

// terminalStatuses are the instance statuses that no longer move.
var terminalStatuses = []string{string(pipeline.StatusFinished), string(pipeline.StatusMarkFinished), string(pipeline.StatusFailed),
	string(pipeline.StatusCascadeFailed), string(pipeline.StatusCanceled), string(pipeline.StatusSkipped), string(pipeline.StatusTimedOut)}

// upstreamComponents lists the components whose instances others wait on.
func upstreamComponents(g *definition.Graph) []string {
	seen := map[string]bool{}
	for _, e := range g.Edges {
		switch e.Kind {
		case "dependsOn", "input", "precondition":
			seen[e.To] = true
		case "output":
			seen[e.From] = true
		case "runsOn": // a resource waits on its dependents, and they on it
			seen[e.From], seen[e.To] = true, true
		}
	}
	return sortedKeys(seen)
}

// snapshot loads what Plan needs about a pipeline through its cache: in
// full when due (see pipelineCache), else only the dirty objects.
func (l *Loop) snapshot(ctx context.Context, p store.Pipeline, c *compiled, forceFull bool) (Snapshot, error) {
	s := Snapshot{Now: l.now(), Pipeline: p, Graph: c.graph, Memo: c.memo}
	cache, full, todo := l.cacheFor(p, s.Now)
	var err error
	if full || forceFull {
		err = l.loadFull(ctx, cache, c, s.Now)
	} else {
		s.Focus, err = l.loadDirty(ctx, cache, c, todo)
	}
	if err != nil {
		l.dropCache(p.ID)
		return s, err
	}
	if cache.more {
		s.Focus = nil // go on creating: see pipelineCache.more
	}
	cache.snapshot(&s)
	return s, nil
}

// loadFull reloads the cache: components, open instances, the terminal
// instances they may wait on, and head attempts, reading in full only
// objects whose revision moved.
func (l *Loop) loadFull(ctx context.Context, cache *pipelineCache, c *compiled, now time.Time) error {
	id := cache.id
	comps, err := l.loadSphere(ctx, id, pipeline.SphereComponent, nil, cache.comps)
	if err != nil {
		return err
	}
	open, err := l.loadSphere(ctx, id, pipeline.SphereInstance, []store.ObjectFilter{{Field: "@status", Op: store.OpEQ, Values: openStatuses}}, cache.open)
	if err != nil {
		return err
	}
	done, err := l.loadDone(ctx, id, now, comps, open, c.upstream)
	if err != nil {
		return err
	}
	cache.comps, cache.done = comps, done
	cache.setOpen(open)
	atts, err := getObjects(ctx, l.cfg.Store, id, cache.missingHeads())
	if err != nil {
		return err
	}
	for _, a := range atts {
		cache.put(a, c.upstreamSet)
	}
	return l.refreshHeads(ctx, cache, c)
}

// refreshHeads re-reads the cached head attempts whose revision moved and
// marks the cache loaded.
func (l *Loop) refreshHeads(ctx context.Context, cache *pipelineCache, c *compiled) error {
	ids := make([]string, 0, len(cache.atts))
	for id := range cache.atts {
		ids = append(ids, id)
	}
	var vs []store.ObjectVersion
	for len(ids) > 0 {
		n := min(len(ids), getChunk)
		v, err := l.versions(ctx, cache.id, pipeline.SphereAttempt, []store.ObjectFilter{{Field: "@id", Op: store.OpEQ, Values: ids[:n]}})
		if err != nil {
			return err
		}
		vs, ids = append(vs, v...), ids[n:]
	}
	atts, err := getObjects(ctx, l.cfg.Store, cache.id, stale(vs, cache.atts))
	if err != nil {
		return err
	}
	for _, a := range atts {
		cache.put(a, c.upstreamSet)
	}
	cache.loadedAt = l.now()
	return nil
}

// loadSphere returns the objects of a sphere matching filters by id,
// reusing the copies in have whose revision did not move.
func (l *Loop) loadSphere(ctx context.Context, pipelineID string, sphere pipeline.Sphere, filters []store.ObjectFilter, have map[string]store.Object) (map[string]store.Object, error) {
	vs, err := l.versions(ctx, pipelineID, sphere, filters)
	if err != nil {
		return nil, err
	}
	read, err := getObjects(ctx, l.cfg.Store, pipelineID, stale(vs, have))
	if err != nil {
		return nil, err
	}
	out := make(map[string]store.Object, len(vs))
	for _, v := range vs {
		if o, ok := have[v.ID]; ok && o.Revision == v.Revision {
			out[v.ID] = o
		}
	}
	for _, o := range read {
		out[o.ID] = o
	}
	return out, nil
}

// loadDirty files the reported objects, re-reads the dirty ones and any
// head attempt not cached, and returns the plan's focus: the components of
// what changed (and the focus components given) and their graph
// neighbours.
func (l *Loop) loadDirty(ctx context.Context, cache *pipelineCache, c *compiled, todo pending) (map[string]bool, error) {
	objs, err := getObjects(ctx, l.cfg.Store, cache.id, todo.dirty)
	if err != nil {
		return nil, err
	}
	for _, o := range todo.reported {
		if cur, ok := cache.atts[o.ID]; !ok || cur.Revision < o.Revision {
			objs = append(objs, o)
		}
		todo.focus = append(todo.focus, o.ComponentID)
	}
	for _, o := range objs {
		cache.put(o, c.upstreamSet)
	}
	atts, err := getObjects(ctx, l.cfg.Store, cache.id, cache.headsMissing(objs))
	if err != nil {
		return nil, err
	}
	for _, a := range atts {
		cache.put(a, c.upstreamSet)
	}
	return focusOf(c, todo.focus, append(objs, atts...)), nil
}

// focusOf is the components of objs and comps, and their neighbours.
func focusOf(c *compiled, comps []string, objs []store.Object) map[string]bool {
	for _, o := range objs {
		comps = append(comps, o.ComponentID)
	}
	focus := map[string]bool{}
	for _, id := range comps {
		focus[id] = true
		for _, n := range c.neighbours[id] {
			focus[n] = true
		}
	}
	return focus
}

// loadDone loads the statuses of the terminal instances open ones may wait
// on: instances of upstream components (dependsOn and input targets,
// producers, preconditions) in the dependency window before the earliest
// open instance or component cursor. Without upstream components it loads
// nothing, so a wide fan-out costs no more per pass than its open work.
// Only versions are read: a status is all Plan needs of them.
func (l *Loop) loadDone(ctx context.Context, pipelineID string, now time.Time, comps, open map[string]store.Object, upstream []string) (map[string]pipeline.Status, error) {
	done := map[string]pipeline.Status{}
	if len(upstream) == 0 {
		return done, nil
	}
	from := now
	for _, o := range open {
		from = minTime(from, o.ScheduledStart)
	}
	for _, o := range comps {
		if !o.ScheduledStart.IsZero() {
			from = minTime(from, o.ScheduledStart)
		}
	}
	after := schedule.FormatDateTime(from.Add(-dependencyWindow))
	vs, err := l.versions(ctx, pipelineID, pipeline.SphereInstance, []store.ObjectFilter{
		{Field: "@scheduledStartTime", Op: store.OpGE, Values: []string{after}},
		{Field: "@componentParent", Op: store.OpEQ, Values: upstream},
		{Field: "@status", Op: store.OpEQ, Values: terminalStatuses}})
	if err != nil {
		return nil, err
	}
	for _, v := range vs {
		if v.Status.Terminal() {
			done[v.ID] = v.Status
		}
	}
	return done, nil
}

func minTime(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}
