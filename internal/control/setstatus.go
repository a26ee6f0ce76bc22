package control

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/datapipe/datapipe/internal/pipeline"
	"github.com/datapipe/datapipe/internal/store"
)

// The SetStatus statuses (api.md §5.8).
const (
	statusPause        = "PAUSE"
	statusResume       = "RESUME"
	statusTryCancel    = "TRY_CANCEL"
	statusRerun        = "RERUN"
	statusMarkFinished = "MARK_FINISHED"
)

// SetStatus applies PAUSE/RESUME to components or TRY_CANCEL/RERUN/
// MARK_FINISHED to instances (case-insensitive). Components become PAUSED
// or SCHEDULED (the scheduler shows their waiting instances PAUSED);
// TRY_CANCEL makes an unfinished instance CANCELED and tells its running
// attempt to stop; MARK_FINISHED makes it MARK_FINISHED; RERUN sends it
// back to WAITING_ON_DEPENDENCIES for the scheduler, with the
// preconditions and resource it needs, and cascades downstream when its
// failureAndRerunMode is cascade (see rerun). RERUN_CASCADE, a datapipe
// extension (the console's "cascade" option), is RERUN that cascades
// whatever the mode. Mixed spheres, unknown ids, a status wrong for the
// sphere, or a FINISHED pipeline are InvalidRequestException.
func (s *Service) SetStatus(ctx context.Context, c Caller, id string, objectIDs []string, status string) error {
	status = strings.ToUpper(strings.TrimSpace(status))
	v, err := s.loadView(ctx, c, id)
	if err != nil {
		return err
	}
	if v.p.State == pipeline.StateFinished {
		return invalid("Pipeline %s is FINISHED; its objects' status cannot be set.", id)
	}
	comps, insts, err := s.splitSpheres(ctx, v, objectIDs)
	if err != nil {
		return err
	}
	err = s.store.WithTx(ctx, func(q store.Queries) error {
		if len(comps) > 0 {
			return s.setComponents(ctx, q, v, comps, status)
		}
		if status == statusRerun || status == statusRerunCascade {
			return s.rerun(ctx, q, v, insts, status == statusRerunCascade)
		}
		return s.setInstances(ctx, q, insts, status)
	})
	if err != nil {
		return pipelineErr("set status", id, err)
	}
	s.cfg.OnChange()
	return nil
}

// splitSpheres sorts ids into components and instances; they may not mix,
// and every id must exist.
func (s *Service) splitSpheres(ctx context.Context, v *view, ids []string) ([]string, []store.Object, error) {
	var comps []string
	rest := []string{}
	for _, oid := range ids {
		if _, ok := v.comps[oid]; ok {
			comps = append(comps, oid)
		} else {
			rest = append(rest, oid)
		}
	}
	insts, err := s.store.ObjectGet(ctx, store.ObjectGetParams{PipelineID: v.p.ID, IDs: rest})
	if err != nil {
		return nil, nil, fmt.Errorf("set status: %w", err)
	}
	switch {
	case len(insts) != len(rest):
		return nil, nil, invalid("Some of the objects %s do not exist in pipeline %s.", strings.Join(rest, ", "), v.p.ID)
	case len(comps) > 0 && len(insts) > 0:
		return nil, nil, invalid("SetStatus takes either components or instances, not both.")
	}
	for _, o := range insts {
		if o.Sphere != pipeline.SphereInstance {
			return nil, nil, invalid("Object %s is an %s; SetStatus takes components or instances.", o.ID, o.Sphere)
		}
	}
	return comps, insts, nil
}

// setComponents pauses or resumes components through their runtime rows.
func (s *Service) setComponents(ctx context.Context, q store.Queries, v *view, ids []string, status string) error {
	var to pipeline.Status
	switch status {
	case statusPause:
		to = pipeline.StatusPaused
	case statusResume:
		to = pipeline.StatusScheduled
	default:
		return invalid("Status %q does not apply to components: use PAUSE or RESUME.", status)
	}
	for _, id := range ids {
		if err := s.setComponentStatus(ctx, q, v.p.ID, id, to); err != nil {
			return err
		}
	}
	return nil
}

func (s *Service) setComponentStatus(ctx context.Context, q store.Queries, pipelineID, id string, to pipeline.Status) error {
	rows, err := q.ObjectGet(ctx, store.ObjectGetParams{PipelineID: pipelineID, IDs: []string{id}})
	if err != nil {
		return err
	}
	if len(rows) == 0 {
		row := store.Object{PipelineID: pipelineID, ID: id, Sphere: pipeline.SphereComponent, ComponentID: id, Status: to, UpdatedAt: s.now()}
		return q.ObjectCreate(ctx, store.ObjectCreateParams{Objects: []store.Object{row}})
	}
	rows[0].Status, rows[0].UpdatedAt = to, s.now()
	_, err = q.ObjectUpdate(ctx, store.ObjectUpdateParams{Object: rows[0]})
	return err
}

// setInstances applies an instance status.
func (s *Service) setInstances(ctx context.Context, q store.Queries, insts []store.Object, status string) error {
	to, ok := map[string]pipeline.Status{statusTryCancel: pipeline.StatusCanceled, statusMarkFinished: pipeline.StatusMarkFinished}[status]
	if !ok {
		return invalid("Status %q does not apply to instances: use TRY_CANCEL, RERUN, RERUN_CASCADE or MARK_FINISHED.", status)
	}
	for _, o := range insts {
		if status == statusTryCancel && o.Status.Terminal() {
			continue // nothing left to cancel
		}
		if err := s.moveInstance(ctx, q, o, to, status); err != nil {
			return err
		}
		o.Status = to
		if err := s.setHealth(ctx, q, o); err != nil {
			return err
		}
	}
	return nil
}

// moveInstance writes the new status and stops the instance's open
// attempts unless it is being rerun.
func (s *Service) moveInstance(ctx context.Context, q store.Queries, o store.Object, to pipeline.Status, status string) error {
	o.Status, o.UpdatedAt = to, s.now()
	if status == statusRerun {
		o.ActualStart, o.ActualEnd = time.Time{}, time.Time{}
	}
	if _, err := q.ObjectUpdate(ctx, store.ObjectUpdateParams{Object: o}); err != nil {
		return err
	}
	attempts, err := q.ObjectQuery(ctx, store.ObjectQueryParams{PipelineID: o.PipelineID, Sphere: pipeline.SphereAttempt,
		Filters: []store.ObjectFilter{{Field: "@instanceParent", Op: store.OpEQ, Values: []string{o.ID}}}, Limit: 1000})
	if err != nil || len(attempts) == 0 {
		return err
	}
	ids := make([]string, len(attempts))
	for i, a := range attempts {
		ids[i] = a.ID
	}
	_, err = q.TaskCancel(ctx, store.TaskCancelParams{PipelineID: o.PipelineID, AttemptIDs: ids})
	return err
}
