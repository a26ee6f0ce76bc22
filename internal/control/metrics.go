package control

import (
	"context"
	"fmt"

	"github.com/datapipe/datapipe/internal/pipeline"
	"github.com/datapipe/datapipe/internal/store"
)

// PipelineStates counts the live pipelines of every account by state, for
// the metrics endpoint. Every state is present, zero included.
func (s *Service) PipelineStates(ctx context.Context) (map[pipeline.PipelineState]int, error) {
	states := []pipeline.PipelineState{pipeline.StatePending, pipeline.StateScheduled, pipeline.StateDeactivating,
		pipeline.StateInactive, pipeline.StateFinished}
	ps, err := s.store.PipelineListByState(ctx, store.PipelineListByStateParams{States: states})
	if err != nil {
		return nil, fmt.Errorf("count pipelines by state: %w", err)
	}
	out := make(map[pipeline.PipelineState]int, len(states))
	for _, st := range states {
		out[st] = 0
	}
	for _, p := range ps {
		out[p.State]++
	}
	return out, nil
}
