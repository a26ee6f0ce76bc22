package scheduler

import (
	"context"
	"fmt"
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

// snapshot loads what Plan needs about a pipeline.
func (l *Loop) snapshot(ctx context.Context, p store.Pipeline, c *compiled) (Snapshot, error) {
	s := Snapshot{Now: l.now(), Pipeline: p, Graph: c.graph, Memo: c.memo, Components: map[string]store.Object{},
		Instances: map[string]store.Object{}, Attempts: map[string]store.Object{}, Done: map[string]pipeline.Status{}}
	comps, err := l.query(ctx, p.ID, pipeline.SphereComponent, nil)
	if err != nil {
		return s, err
	}
	for _, o := range comps {
		s.Components[o.ID] = o
	}
	open, err := l.query(ctx, p.ID, pipeline.SphereInstance, []store.ObjectFilter{{Field: "@status", Op: store.OpEQ, Values: openStatuses}})
	if err != nil {
		return s, err
	}
	for _, o := range open {
		s.Instances[o.ID] = o
	}
	if err := l.loadDone(ctx, &s, c.upstream); err != nil {
		return s, err
	}
	return s, l.loadHeads(ctx, &s)
}

// loadDone loads the statuses of the terminal instances open ones may wait
// on: instances of upstream components (dependsOn and input targets,
// producers, preconditions) in the dependency window before the earliest
// open instance or component cursor. Without upstream components it loads
// nothing, so a wide fan-out costs no more per pass than its open work.
func (l *Loop) loadDone(ctx context.Context, s *Snapshot, upstream []string) error {
	if len(upstream) == 0 {
		return nil
	}
	from := s.Now
	for _, o := range s.Instances {
		from = minTime(from, o.ScheduledStart)
	}
	for _, o := range s.Components {
		if !o.ScheduledStart.IsZero() {
			from = minTime(from, o.ScheduledStart)
		}
	}
	after := schedule.FormatDateTime(from.Add(-dependencyWindow))
	done, err := l.query(ctx, s.Pipeline.ID, pipeline.SphereInstance, []store.ObjectFilter{
		{Field: "@scheduledStartTime", Op: store.OpGE, Values: []string{after}},
		{Field: "@componentParent", Op: store.OpEQ, Values: upstream},
		{Field: "@status", Op: store.OpEQ, Values: terminalStatuses}})
	if err != nil {
		return err
	}
	for _, o := range done {
		if o.Status.Terminal() {
			s.Done[o.ID] = o.Status
		}
	}
	return nil
}

// loadHeads loads the head attempts of the open instances.
func (l *Loop) loadHeads(ctx context.Context, s *Snapshot) error {
	var ids []string
	for _, o := range s.Instances {
		if h := headAttempt(o); h != "" {
			ids = append(ids, h)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	atts, err := l.cfg.Store.ObjectGet(ctx, store.ObjectGetParams{PipelineID: s.Pipeline.ID, IDs: ids})
	if err != nil {
		return fmt.Errorf("read attempts: %w", err)
	}
	for _, a := range atts {
		s.Attempts[a.ID] = a
	}
	return nil
}

// query lists all objects of a sphere matching filters.
func (l *Loop) query(ctx context.Context, pipelineID string, sphere pipeline.Sphere, filters []store.ObjectFilter) ([]store.Object, error) {
	out, err := l.cfg.Store.ObjectQuery(ctx, store.ObjectQueryParams{PipelineID: pipelineID, Sphere: sphere, Filters: filters})
	if err != nil {
		return nil, fmt.Errorf("query %s objects: %w", sphere, err)
	}
	return out, nil
}

func minTime(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}
