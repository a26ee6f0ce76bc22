package control

import (
	"context"
	"strings"
	"time"

	"github.com/datapipe/datapipe/internal/definition"
	"github.com/datapipe/datapipe/internal/pipeline"
	"github.com/datapipe/datapipe/internal/store"
)

// ActivatePipeline validates the latest definition (with values, when
// given, replacing the stored ones for this and later runs) and makes it
// the active definition: the pipeline becomes SCHEDULED. start, when
// non-zero, is where scheduling resumes. InvalidRequestException when
// there is no definition, it has errors, or the pipeline is FINISHED and
// its definition has not changed since.
func (s *Service) ActivatePipeline(ctx context.Context, c Caller, id string, values []pipeline.ParameterValue, start time.Time) error {
	return s.ActivatePipelineBackfill(ctx, c, id, values, start, Backfill{})
}

// activate makes the latest definition active (see ActivatePipeline) and
// records the backfill range.
func (s *Service) activate(ctx context.Context, c Caller, id string, values []pipeline.ParameterValue, start time.Time, bf Backfill) error {
	err := s.store.WithTx(ctx, func(q store.Queries) error {
		p, err := s.getPipeline(ctx, q, c, id)
		if err != nil {
			return err
		}
		version, err := s.activationVersion(ctx, q, p, values)
		if err != nil {
			return err
		}
		s.markActive(&p, version, start)
		p.BackfillFrom, p.BackfillTo = bf.From.UTC().Truncate(time.Second), bf.To.UTC().Truncate(time.Second)
		if bf.IsZero() {
			p.BackfillFrom, p.BackfillTo = time.Time{}, time.Time{}
		}
		_, err = q.PipelineUpdate(ctx, store.PipelineUpdateParams{Pipeline: p})
		return err
	})
	if err != nil {
		return pipelineErr("activate pipeline", id, err)
	}
	s.log.InfoContext(ctx, "pipeline activated", "pipeline_id", id)
	s.cfg.OnChange()
	return nil
}

// activationVersion validates what is to be activated and returns its
// version, saving a new version when activation supplies values.
func (s *Service) activationVersion(ctx context.Context, q store.Queries, p store.Pipeline, values []pipeline.ParameterValue) (int, error) {
	if p.LatestVersion == 0 {
		return 0, invalid("Pipeline %s has no pipeline definition; put one before activating it.", p.ID)
	}
	def, err := s.definitionVersion(ctx, q, p.ID, p.LatestVersion)
	if err != nil {
		return 0, err
	}
	if p.State == pipeline.StateFinished && p.LatestVersion == p.ActiveVersion && values == nil && !onDemand(def) {
		return 0, invalid("Pipeline %s is FINISHED; move its schedule's end forward before activating it again.", p.ID)
	}
	if values != nil {
		def.Values = values
	}
	g, res := definition.Compile(&def, s.cat, definition.Options{Limits: s.cfg.DefinitionLimits})
	if res.Errored() {
		return 0, invalid("Pipeline %s cannot be activated: its definition has errors: %s", p.ID, summarize(res))
	}
	if values != nil {
		dv, err := q.DefinitionPut(ctx, store.DefinitionPutParams{PipelineID: p.ID, Definition: def, Now: s.now()})
		return dv.Version, err
	}
	// The first polls build their task objects from this graph: compiled
	// once here rather than again by the first of them. (A version saved
	// above is not kept: should this transaction roll back, its number
	// would name another definition.)
	s.graphs.keep(graphKey{p.ID, p.LatestVersion}, g)
	return p.LatestVersion, nil
}

func (s *Service) markActive(p *store.Pipeline, version int, start time.Time) {
	now := s.now()
	p.ScheduleFrom = start.UTC().Truncate(time.Second)
	if start.IsZero() {
		p.ScheduleFrom = time.Time{}
	}
	p.ActiveVersion = version
	p.State = pipeline.StateScheduled
	p.LastActivatedAt = now
	if p.FirstActivatedAt.IsZero() {
		p.FirstActivatedAt = now
	}
}

// summarize lists the first few errors of a result for a message.
func summarize(res *definition.Result) string {
	var parts []string
	for i, p := range res.Errors() {
		if i == 5 {
			parts = append(parts, "…")
			break
		}
		parts = append(parts, p.Object+": "+p.Text())
	}
	return strings.Join(parts, "; ")
}

// DeactivatePipeline stops scheduling: the pipeline becomes INACTIVE. With
// cancelActive the open tasks are canceled at once (runners learn it on
// their next progress report); without it, running attempts finish.
// Deactivating a PENDING, INACTIVE or FINISHED pipeline is a no-op.
func (s *Service) DeactivatePipeline(ctx context.Context, c Caller, id string, cancelActive bool) error {
	err := s.store.WithTx(ctx, func(q store.Queries) error {
		p, err := s.getPipeline(ctx, q, c, id)
		if err != nil || !active(p.State) {
			return err
		}
		p.State = pipeline.StateInactive
		p.LastDeactivatedAt = s.now()
		if _, err := q.PipelineUpdate(ctx, store.PipelineUpdateParams{Pipeline: p}); err != nil {
			return err
		}
		if cancelActive {
			return s.cancelOpen(ctx, q, id)
		}
		return nil
	})
	if err != nil {
		return pipelineErr("deactivate pipeline", id, err)
	}
	s.cfg.OnChange()
	return nil
}

// active reports whether a pipeline state is an active one.
func active(st pipeline.PipelineState) bool {
	return st == pipeline.StateScheduled || st == pipeline.StateDeactivating
}

// onDemand reports whether Default sets scheduleType ondemand: every
// activation of such a pipeline starts a new run.
func onDemand(def definition.Definition) bool {
	for _, o := range def.Objects {
		if o.ID == pipeline.DefaultID {
			st, _ := o.StringValue("scheduleType")
			return strings.EqualFold(st, "ondemand")
		}
	}
	return false
}

// cancelOpen cancels a deactivated pipeline's open work: its tasks, its
// instances that have not finished, and the attempts no runner holds
// (running attempts learn of it on their next progress report).
func (s *Service) cancelOpen(ctx context.Context, q store.Queries, id string) error {
	if _, err := q.TaskCancel(ctx, store.TaskCancelParams{PipelineID: id}); err != nil {
		return err
	}
	for _, sphere := range []pipeline.Sphere{pipeline.SphereInstance, pipeline.SphereAttempt} {
		if err := s.cancelSphere(ctx, q, id, sphere); err != nil {
			return err
		}
	}
	return nil
}

func (s *Service) cancelSphere(ctx context.Context, q store.Queries, id string, sphere pipeline.Sphere) error {
	open := []string{string(pipeline.StatusWaitingOnDependencies), string(pipeline.StatusWaitingForRunner)}
	if sphere == pipeline.SphereInstance {
		open = append(open, string(pipeline.StatusRunning), string(pipeline.StatusPaused), string(pipeline.StatusScheduled),
			string(pipeline.StatusCreating), string(pipeline.StatusShuttingDown))
	}
	objs, err := q.ObjectQuery(ctx, store.ObjectQueryParams{PipelineID: id, Sphere: sphere,
		Filters: []store.ObjectFilter{{Field: "@status", Op: store.OpEQ, Values: open}}})
	if err != nil {
		return err
	}
	for _, o := range objs {
		o.Status, o.UpdatedAt = pipeline.StatusCanceled, s.now()
		o.Fields = setField(o.Fields, "cancellationReason", "the pipeline was deactivated with cancelActive")
		if _, err := q.ObjectUpdate(ctx, store.ObjectUpdateParams{Object: o}); err != nil {
			return err
		}
	}
	return nil
}
