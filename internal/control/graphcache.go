package control

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/datapipe/datapipe/internal/definition"
	"github.com/datapipe/datapipe/internal/store"
)

// graphCacheSize bounds the compiled definitions kept in memory.
const graphCacheSize = 256

// graphCache keeps compiled definitions by (pipeline, version). A saved
// version never changes, so an entry never goes stale; the cache is only
// bounded, by dropping everything when it is full. Callers that miss on
// the same version at once share one compilation: the runners that poll
// the moment a large pipeline is activated would otherwise each read and
// compile it.
type graphCache struct {
	mu      sync.Mutex
	entries map[graphKey]*graphEntry
}

type graphKey struct {
	pipelineID string
	version    int
}

// graphEntry is one version's compilation, done when ready is closed.
type graphEntry struct {
	ready chan struct{}
	graph *definition.Graph
	err   error
}

// Graph returns a pipeline's definition version compiled, from the cache
// the service's task objects are built with: the scheduler in the same
// process shares it (scheduler.Config.Graph). The graph must not be
// modified. A version that does not compile is an error naming its
// problems.
func (s *Service) Graph(ctx context.Context, pipelineID string, version int) (*definition.Graph, error) {
	return s.graph(ctx, s.store, pipelineID, version)
}

// graph returns the compiled definition version, compiling it on a miss.
// A version that does not compile is an error naming its problems; a
// failed compilation is not kept.
func (s *Service) graph(ctx context.Context, q store.Queries, pipelineID string, version int) (*definition.Graph, error) {
	key := graphKey{pipelineID, version}
	for {
		e, compile := s.graphs.entry(key)
		if compile {
			e.graph, e.err = s.compile(ctx, q, pipelineID, version)
			s.graphs.settle(key, e)
		}
		select {
		case <-e.ready:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
		// Another caller's compilation that its context ended: compile
		// again.
		if compile || !isContextErr(e.err) {
			return e.graph, e.err
		}
	}
}

// isContextErr reports a context's end.
func isContextErr(err error) bool {
	return errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)
}

// compile reads and compiles a definition version.
func (s *Service) compile(ctx context.Context, q store.Queries, pipelineID string, version int) (*definition.Graph, error) {
	def, err := s.definitionVersion(ctx, q, pipelineID, version)
	if err != nil {
		return nil, err
	}
	g, res := definition.Compile(&def, s.cat, definition.Options{Limits: s.cfg.DefinitionLimits})
	if g == nil {
		return nil, fmt.Errorf("the definition of %s (version %d) has errors: %s", pipelineID, version, summarize(res))
	}
	return g, nil
}

// entry returns key's entry; compile is true for the caller that must
// compile it (and then settle it).
func (c *graphCache) entry(key graphKey) (e *graphEntry, compile bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.entries[key]; ok {
		return e, false
	}
	if c.entries == nil || len(c.entries) >= graphCacheSize {
		c.entries = map[graphKey]*graphEntry{}
	}
	e = &graphEntry{ready: make(chan struct{})}
	c.entries[key] = e
	return e, true
}

// keep records the graph of a saved version compiled elsewhere (at
// activation).
func (c *graphCache) keep(key graphKey, g *definition.Graph) {
	e, compile := c.entry(key)
	if compile {
		e.graph = g
		c.settle(key, e)
	}
}

// settle publishes a compilation to its waiters, forgetting it when it
// failed so that the next caller tries again.
func (c *graphCache) settle(key graphKey, e *graphEntry) {
	if e.err != nil {
		c.mu.Lock()
		if c.entries[key] == e {
			delete(c.entries, key)
		}
		c.mu.Unlock()
	}
	close(e.ready)
}
