package control

import (
	"context"
	"fmt"
	"sync"

	"github.com/datapipe/datapipe/internal/definition"
	"github.com/datapipe/datapipe/internal/store"
)

// graphCacheSize bounds the compiled definitions kept in memory.
const graphCacheSize = 256

// graphCache keeps compiled definitions by (pipeline, version). A saved
// version never changes, so an entry never goes stale; the cache is only
// bounded, by dropping everything when it is full.
type graphCache struct {
	mu     sync.Mutex
	graphs map[graphKey]*definition.Graph
}

type graphKey struct {
	pipelineID string
	version    int
}

// graph returns the compiled definition version, compiling it on a miss.
// A version that does not compile is an error naming its problems.
func (s *Service) graph(ctx context.Context, q store.Queries, pipelineID string, version int) (*definition.Graph, error) {
	key := graphKey{pipelineID, version}
	s.graphs.mu.Lock()
	g, ok := s.graphs.graphs[key]
	s.graphs.mu.Unlock()
	if ok {
		return g, nil
	}
	def, err := s.definitionVersion(ctx, q, pipelineID, version)
	if err != nil {
		return nil, err
	}
	g, res := definition.Compile(&def, s.cat, definition.Options{Limits: s.cfg.DefinitionLimits})
	if g == nil {
		return nil, fmt.Errorf("the definition of %s (version %d) has errors: %s", pipelineID, version, summarize(res))
	}
	s.graphs.put(key, g)
	return g, nil
}

func (c *graphCache) put(key graphKey, g *definition.Graph) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.graphs == nil || len(c.graphs) >= graphCacheSize {
		c.graphs = map[graphKey]*definition.Graph{}
	}
	c.graphs[key] = g
}
