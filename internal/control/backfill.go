package control

import (
	"context"
	"time"

	"github.com/datapipe/datapipe/internal/pipeline"
	"github.com/datapipe/datapipe/internal/schedule"
	"github.com/datapipe/datapipe/internal/store"
)

// Backfill is an activation's backfill range, a datapipe extension
// (activate-pipeline --backfill-from T1 --backfill-to T2; the
// backfillFrom and backfillTo members of ActivatePipeline): every schedule
// interval that starts in [From, To] runs, even before the activation's
// startTimestamp, and those that already ran, failed or were SKIPPED run
// again. The zero Backfill asks for nothing.
type Backfill struct {
	From, To time.Time
}

// IsZero reports whether no backfill was asked for.
func (b Backfill) IsZero() bool { return b.From.IsZero() && b.To.IsZero() }

// check validates a backfill range: both ends, in order.
func (b Backfill) check() error {
	switch {
	case b.IsZero():
		return nil
	case b.From.IsZero() || b.To.IsZero():
		return invalid("A backfill needs both backfillFrom and backfillTo.")
	case b.To.Before(b.From):
		return invalid("backfillTo (%s) is before backfillFrom (%s).", schedule.FormatDateTime(b.To), schedule.FormatDateTime(b.From))
	}
	return nil
}

// ActivatePipelineBackfill is ActivatePipeline with a backfill range.
// The intervals of the range that do not exist yet are created by the
// scheduler, not SKIPPED; those that exist and are terminal are rerun
// here (with the rules of SetStatus RERUN). InvalidRequestException for a
// range with one end or its ends reversed, and as ActivatePipeline.
func (s *Service) ActivatePipelineBackfill(ctx context.Context, c Caller, id string, values []pipeline.ParameterValue, start time.Time, bf Backfill) error {
	if err := bf.check(); err != nil {
		return err
	}
	if err := s.activate(ctx, c, id, values, start, bf); err != nil {
		return err
	}
	if bf.IsZero() {
		return nil
	}
	if err := s.rerunRange(ctx, c, id, bf); err != nil {
		return pipelineErr("backfill", id, err)
	}
	s.cfg.OnChange()
	return nil
}

// rerunRange reruns the terminal instances whose interval starts in the
// backfill range.
func (s *Service) rerunRange(ctx context.Context, c Caller, id string, bf Backfill) error {
	v, err := s.loadView(ctx, c, id)
	if err != nil {
		return err
	}
	insts, err := s.store.ObjectQuery(ctx, store.ObjectQueryParams{PipelineID: id, Sphere: pipeline.SphereInstance,
		Filters: []store.ObjectFilter{{Field: "@scheduledStartTime", Op: store.OpBetween,
			Values: []string{schedule.FormatDateTime(bf.From), schedule.FormatDateTime(bf.To)}}}})
	if err != nil {
		return err
	}
	var targets []store.Object
	for _, o := range insts {
		if o.Status.Terminal() {
			targets = append(targets, o)
		}
	}
	if len(targets) == 0 {
		return nil
	}
	return s.store.WithTx(ctx, func(q store.Queries) error { return s.rerun(ctx, q, v, targets, false) })
}
