package control

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/datapipe/datapipe/internal/definition"
	"github.com/datapipe/datapipe/internal/pipeline"
	"github.com/datapipe/datapipe/internal/scheduler"
	"github.com/datapipe/datapipe/internal/store"
)

// statusRerunCascade is a datapipe extension of SetStatus (the console's
// "cascade" option): RERUN, cascading whatever failureAndRerunMode says.
const statusRerunCascade = "RERUN_CASCADE"

// rerunFields are the fields a rerun clears: the previous run's outcome.
var rerunFields = []string{"errorId", "errorMessage", "errorStackTrace", "@cascadeFailedOn", "cancellationReason",
	"@failureReason", "@waitingOn", "@resourceId", "@resourceStatus"}

// rerun sends instances back to WAITING_ON_DEPENDENCIES (objects.md
// §14.2), with what they need: their precondition instances (checked
// again) and the resource instance they run on, when those are terminal.
// Rerunning a resource instance also reruns the dependents that did not
// succeed. With cascade (the target's failureAndRerunMode is cascade, or
// forced by RERUN_CASCADE) the rerun propagates downstream, transitively,
// to the instances that wait on a rerun one and are CASCADE_FAILED or
// FINISHED, so they run again on the new data.
func (s *Service) rerun(ctx context.Context, q store.Queries, v *view, targets []store.Object, force bool) error {
	r := &rerunSet{s: s, q: q, v: v, force: force, seen: map[string]bool{}}
	for _, o := range targets {
		r.add(o)
	}
	for i := 0; i < len(r.queue); i++ {
		if err := r.expand(ctx, r.queue[i]); err != nil {
			return err
		}
	}
	for _, o := range r.queue {
		if err := s.resetInstance(ctx, q, o); err != nil {
			return err
		}
	}
	return nil
}

// rerunSet collects the instances one RERUN resets.
type rerunSet struct {
	s     *Service
	q     store.Queries
	v     *view
	force bool
	seen  map[string]bool
	queue []store.Object
}

func (r *rerunSet) add(o store.Object) {
	if !r.seen[o.ID] {
		r.seen[o.ID] = true
		r.queue = append(r.queue, o)
	}
}

// expand adds what rerunning o brings along.
func (r *rerunSet) expand(ctx context.Context, o store.Object) error {
	if r.v.graph == nil {
		return nil
	}
	g, p := r.v.graph, r.v.p
	if err := r.addIf(ctx, scheduler.Preconditions(g, p, o), pipeline.Status.Terminal); err != nil {
		return err
	}
	if res, ok := scheduler.ResourceOf(g, p, o); ok {
		if err := r.addIf(ctx, []string{res}, pipeline.Status.Terminal); err != nil {
			return err
		}
	}
	if r.isResource(o) {
		if err := r.addIf(ctx, scheduler.Dependents(g, p, o), notSucceeded); err != nil {
			return err
		}
	}
	if r.force || r.cascades(o.ComponentID) {
		return r.addIf(ctx, scheduler.Downstream(g, p, o), rerunsDownstream)
	}
	return nil
}

// addIf adds the existing instances among ids whose status passes keep.
func (r *rerunSet) addIf(ctx context.Context, ids []string, keep func(pipeline.Status) bool) error {
	var want []string
	for _, id := range ids {
		if !r.seen[id] {
			want = append(want, id)
		}
	}
	if len(want) == 0 {
		return nil
	}
	objs, err := r.q.ObjectGet(ctx, store.ObjectGetParams{PipelineID: r.v.p.ID, IDs: want})
	if err != nil {
		return fmt.Errorf("read instances to rerun: %w", err)
	}
	for _, o := range objs {
		if o.Sphere == pipeline.SphereInstance && keep(o.Status) {
			r.add(o)
		}
	}
	return nil
}

func (r *rerunSet) cascades(comp string) bool {
	mode, _ := r.v.graph.EvalString(comp, "failureAndRerunMode", nil)
	return strings.EqualFold(mode, "cascade")
}

func (r *rerunSet) isResource(o store.Object) bool {
	c, ok := r.v.graph.Component(o.ComponentID)
	return ok && c.Category() == definition.CategoryResource
}

func notSucceeded(st pipeline.Status) bool {
	return st.Terminal() && st != pipeline.StatusFinished && st != pipeline.StatusMarkFinished && st != pipeline.StatusSkipped
}

// rerunsDownstream: the consumers a cascading rerun takes along.
func rerunsDownstream(st pipeline.Status) bool {
	return st == pipeline.StatusCascadeFailed || st == pipeline.StatusFinished
}

// resetInstance moves one instance back to WAITING_ON_DEPENDENCIES,
// clears its outcome and cancels its attempts' tasks. Attempt numbering
// goes on (the scheduler counts retries from the rerun).
func (s *Service) resetInstance(ctx context.Context, q store.Queries, o store.Object) error {
	o.Status, o.UpdatedAt = pipeline.StatusWaitingOnDependencies, s.now()
	o.ActualStart, o.ActualEnd = time.Time{}, time.Time{}
	for _, key := range rerunFields {
		o.Fields = dropField(o.Fields, key)
	}
	return s.moveInstance(ctx, q, o, o.Status, statusRerun)
}

func dropField(fs []pipeline.Field, key string) []pipeline.Field {
	out := fs[:0:0]
	for _, f := range fs {
		if f.Key != key {
			out = append(out, f)
		}
	}
	return out
}
