package scheduler

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/datapipe/datapipe/internal/pipeline"
	"github.com/datapipe/datapipe/internal/store"
)

// getChunk bounds the ids of one ObjectGet or @id filter, well under the
// SQL engines' parameter limits.
const getChunk = 500

// pipelineCache is what the scheduler knows of one pipeline between
// passes: its component rows, open instances, their head attempts and the
// statuses of the terminal instances others wait on.
//
// A full load lists versions (id, revision, status) and reads in full only
// the objects whose revision moved since they were cached. Between full
// loads, a pass re-reads only the objects named dirty: those the
// scheduler itself wrote and those the control plane reported (Changed),
// so a task report in a pipeline of a thousand open instances costs one
// read, not a thousand. Anything else (Wake, the FullEvery timer, a failed
// apply, a new activation) forces a full load, which also catches changes
// made by other replicas.
type pipelineCache struct {
	id string
	// activated and version key the cache: a new activation or definition
	// version starts over.
	activated time.Time
	version   int
	// loadedAt is the last full load; zero before the first.
	loadedAt time.Time
	comps    map[string]store.Object
	open     map[string]store.Object
	// byComp indexes open by component (Snapshot.ByComponent).
	byComp map[string]map[string]bool
	atts   map[string]store.Object
	done   map[string]pipeline.Status
	// dirty are ids to re-read on the next incremental pass; focus are
	// components whose neighbours it must plan although nothing of theirs
	// needs re-reading (the scheduler's own writes, see wroteThrough).
	dirty map[string]bool
	focus map[string]bool
	// reported are objects runners' reports wrote, as stored, to file on
	// the next pass instead of re-reading them (see Reported).
	reported map[string]store.Object
	// more: the last plan hit its creation cap, so the next one plans the
	// whole pipeline (Focus nil) from the cache, which the scheduler's own
	// writes keep current, without a full reload.
	more bool
}

// pending is what an incremental pass takes from the cache: ids to
// re-read, components to plan, and reported objects to file.
type pending struct {
	dirty, focus []string
	reported     []store.Object
}

func newPipelineCache(p store.Pipeline) *pipelineCache {
	return &pipelineCache{id: p.ID, activated: p.LastActivatedAt, version: p.ActiveVersion, comps: map[string]store.Object{},
		open: map[string]store.Object{}, byComp: map[string]map[string]bool{}, atts: map[string]store.Object{}, done: map[string]pipeline.Status{}, dirty: map[string]bool{},
		focus: map[string]bool{}, reported: map[string]store.Object{}}
}

// Reported tells the loop that a runner's report wrote an object (an
// attempt), passing it as stored: the next pass files it in the cache
// without re-reading it (unless the cache holds a later revision) and
// plans its component, as Changed would. wake as in Changed. It is for
// reports taken by this process; other replicas' arrive through Changed.
func (l *Loop) Reported(o store.Object, wake bool) {
	l.mu.Lock()
	l.dirty[o.PipelineID] = true
	if c, ok := l.caches[o.PipelineID]; ok {
		if cur, ok := c.reported[o.ID]; !ok || cur.Revision < o.Revision {
			c.reported[o.ID] = store.Stored(o)
		}
	}
	l.mu.Unlock()
	if wake {
		l.wakeUp()
	}
}

// Changed tells the loop that objects of a pipeline changed (a runner's
// report on an attempt, for instance) and, when wake is set, makes it
// pass at once. Unlike Wake, the next pass re-reads only these objects,
// unless a full load is due anyway.
func (l *Loop) Changed(pipelineID string, wake bool, ids ...string) {
	l.markDirty(pipelineID, ids)
	if wake {
		l.wakeUp()
	}
}

// cacheFor returns the pipeline's cache and whether the pass must load it
// in full; it takes what an incremental pass needs.
func (l *Loop) cacheFor(p store.Pipeline, now time.Time) (c *pipelineCache, full bool, todo pending) {
	l.mu.Lock()
	defer l.mu.Unlock()
	c, ok := l.caches[p.ID]
	if !ok || !c.activated.Equal(p.LastActivatedAt) || c.version != p.ActiveVersion {
		c = newPipelineCache(p)
		l.caches[p.ID] = c
	}
	full = c.loadedAt.IsZero() || now.Sub(c.loadedAt) >= l.cfg.FullEvery || now.Before(c.loadedAt)
	todo.dirty, todo.focus = slices.Collect(maps.Keys(c.dirty)), slices.Collect(maps.Keys(c.focus))
	todo.reported = slices.Collect(maps.Values(c.reported))
	clear(c.dirty)
	clear(c.focus)
	clear(c.reported)
	return c, full, todo
}

// setMore records whether a pipeline's last plan hit its creation cap.
func (l *Loop) setMore(pipelineID string, more bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if c, ok := l.caches[pipelineID]; ok {
		c.more = more
	}
}

// wroteThrough files the objects a plan wrote in the pipeline's cache, as
// stored, so that no pass reads back what the scheduler itself wrote, and
// reports whether another pass is due: when a written object's component
// has graph neighbours, they may now move (a finished producer makes its
// consumers ready), so the next incremental pass plans them. A component
// without neighbours has moved as far as it can within the plan, which
// advances each component's instances in order. The attempts of canceled
// tasks are re-read.
func (l *Loop) wroteThrough(pipelineID string, c *compiled, stored []store.Object, canceled []string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	cache, ok := l.caches[pipelineID]
	if !ok {
		return false
	}
	again := false
	for _, o := range stored {
		cache.put(o, c.upstreamSet)
		if len(c.neighbours[o.ComponentID]) > 0 {
			cache.focus[o.ComponentID], again = true, true
		}
	}
	for _, id := range canceled {
		cache.dirty[id], again = true, true
	}
	if again {
		l.dirty[pipelineID] = true
	}
	return again
}

// markDirty names objects to re-read on the next pass (Changed, and the
// attempts of leases the scheduler rescued).
func (l *Loop) markDirty(pipelineID string, ids []string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.dirty[pipelineID] = true
	if c, ok := l.caches[pipelineID]; ok {
		for _, id := range ids {
			c.dirty[id] = true
		}
	}
}

// dropCache forgets a pipeline's cache (after a failed apply, so the next
// pass loads it in full).
func (l *Loop) dropCache(pipelineID string) {
	l.mu.Lock()
	delete(l.caches, pipelineID)
	l.mu.Unlock()
}

// put files a re-read object where it belongs in the cache. An instance
// that is no longer open leaves the open set; its status is kept when
// others may wait on it.
func (c *pipelineCache) put(o store.Object, upstream map[string]bool) {
	switch o.Sphere {
	case pipeline.SphereComponent:
		c.comps[o.ID] = o
	case pipeline.SphereAttempt:
		c.atts[o.ID] = o
	case pipeline.SphereInstance:
		if o.Status.Terminal() {
			c.closeInstance(o)
			if upstream[o.ComponentID] {
				c.done[o.ID] = o.Status
			}
			return
		}
		delete(c.done, o.ID)
		c.openInstance(o)
	}
}

// openInstance files an open instance.
func (c *pipelineCache) openInstance(o store.Object) {
	c.open[o.ID] = o
	ids := c.byComp[o.ComponentID]
	if ids == nil {
		ids = map[string]bool{}
		c.byComp[o.ComponentID] = ids
	}
	ids[o.ID] = true
}

// closeInstance forgets an instance that is no longer open.
func (c *pipelineCache) closeInstance(o store.Object) {
	if old, ok := c.open[o.ID]; ok {
		delete(c.byComp[old.ComponentID], o.ID)
	}
	delete(c.open, o.ID)
}

// setOpen replaces the open instances (a full load).
func (c *pipelineCache) setOpen(open map[string]store.Object) {
	c.open, c.byComp = map[string]store.Object{}, map[string]map[string]bool{}
	for _, o := range open {
		c.openInstance(o)
	}
}

// snapshot fills a Snapshot from the cache. Plan never writes to a
// snapshot's maps, so they are the cache's own (passes are serialised,
// and the snapshot dies with its pass). Attempts may hold a few former
// heads between full loads; Plan only looks heads up by id.
func (c *pipelineCache) snapshot(s *Snapshot) {
	s.Components = c.comps
	s.Instances, s.ByComponent = c.open, c.byComp
	s.Done = c.done
	s.Attempts = c.atts
}

// headsMissing lists the head attempts of the given open instances that
// are not cached.
func (c *pipelineCache) headsMissing(insts []store.Object) []string {
	var missing []string
	for _, o := range insts {
		if _, open := c.open[o.ID]; !open {
			continue
		}
		if h := headAttempt(o); h != "" {
			if _, ok := c.atts[h]; !ok {
				missing = append(missing, h)
			}
		}
	}
	return missing
}

// missingHeads lists the head attempts of open instances not cached, and
// drops cached attempts no open instance heads (full loads).
func (c *pipelineCache) missingHeads() []string {
	heads := map[string]bool{}
	for _, o := range c.open {
		heads[headAttempt(o)] = true
	}
	maps.DeleteFunc(c.atts, func(id string, _ store.Object) bool { return !heads[id] })
	return c.headsMissing(slices.Collect(maps.Values(c.open)))
}

// getObjects reads objects by id in chunks.
func getObjects(ctx context.Context, st store.Store, pipelineID string, ids []string) ([]store.Object, error) {
	var out []store.Object
	for len(ids) > 0 {
		n := min(len(ids), getChunk)
		objs, err := st.ObjectGet(ctx, store.ObjectGetParams{PipelineID: pipelineID, IDs: ids[:n]})
		if err != nil {
			return nil, fmt.Errorf("read objects: %w", err)
		}
		out, ids = append(out, objs...), ids[n:]
	}
	return out, nil
}

// versions lists the versions of a sphere's objects matching filters.
func (l *Loop) versions(ctx context.Context, pipelineID string, sphere pipeline.Sphere, filters []store.ObjectFilter) ([]store.ObjectVersion, error) {
	vs, err := l.cfg.Store.ObjectVersions(ctx, store.ObjectQueryParams{PipelineID: pipelineID, Sphere: sphere, Filters: filters})
	if err != nil {
		return nil, fmt.Errorf("list %s versions: %w", sphere, err)
	}
	return vs, nil
}

// stale returns the ids among vs whose cached copy (in have) is missing or
// has another revision.
func stale(vs []store.ObjectVersion, have map[string]store.Object) []string {
	var ids []string
	for _, v := range vs {
		if o, ok := have[v.ID]; !ok || o.Revision != v.Revision {
			ids = append(ids, v.ID)
		}
	}
	return ids
}
