package web

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/datapipe/datapipe/internal/definition"
	"github.com/datapipe/datapipe/internal/store"
)

// compiled is one definition version, validated and (when valid)
// compiled. Versions never change, so they are cached.
type compiled struct {
	def    definition.Definition
	graph  *definition.Graph
	result *definition.Result
}

type versionKey struct {
	pipeline string
	version  int
}

// graphCache caches compiled definition versions, at most size of them
// (the oldest entry goes first).
type graphCache struct {
	st    store.Queries
	cat   *definition.Catalog
	size  int
	mu    sync.Mutex
	m     map[versionKey]*compiled
	order []versionKey
}

func newGraphCache(st store.Queries, cat *definition.Catalog, size int) *graphCache {
	return &graphCache{st: st, cat: cat, size: size, m: map[versionKey]*compiled{}}
}

// get returns a version compiled; version 0 is the empty definition.
func (g *graphCache) get(ctx context.Context, pipelineID string, version int) (*compiled, error) {
	k := versionKey{pipelineID, version}
	g.mu.Lock()
	c, ok := g.m[k]
	g.mu.Unlock()
	if ok {
		return c, nil
	}
	c = &compiled{result: &definition.Result{}}
	if version > 0 {
		dv, err := g.st.DefinitionGet(ctx, store.DefinitionGetParams{PipelineID: pipelineID, Version: version})
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return nil, fmt.Errorf("read definition %s version %d: %w", pipelineID, version, err)
		}
		c.def = dv.Definition
		c.graph, c.result = definition.Compile(&c.def, g.cat, definition.Options{})
	}
	g.put(k, c)
	return c, nil
}

func (g *graphCache) put(k versionKey, c *compiled) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if _, ok := g.m[k]; ok {
		return
	}
	if len(g.order) >= g.size {
		delete(g.m, g.order[0])
		g.order = g.order[1:]
	}
	g.m[k] = c
	g.order = append(g.order, k)
}

// graph is the explain.GraphFunc of the cache.
func (g *graphCache) graph(ctx context.Context, pipelineID string, version int) (*definition.Graph, error) {
	c, err := g.get(ctx, pipelineID, version)
	if err != nil {
		return nil, err
	}
	return c.graph, nil
}
