package control

import (
	"context"

	"github.com/datapipe/datapipe/internal/pipeline"
	"github.com/datapipe/datapipe/internal/store"
)

// setHealth records a component's health from an instance that SetStatus
// made terminal (objects.md §11.3): MARK_FINISHED is HEALTHY, CANCELED is
// ERROR. The scheduler does the same for the statuses it sets.
func (s *Service) setHealth(ctx context.Context, q store.Queries, o store.Object) error {
	health := "ERROR"
	if o.Status == pipeline.StatusMarkFinished || o.Status == pipeline.StatusFinished {
		health = "HEALTHY"
	}
	rows, err := q.ObjectGet(ctx, store.ObjectGetParams{PipelineID: o.PipelineID, IDs: []string{o.ComponentID}})
	if err != nil {
		return err
	}
	row := store.Object{PipelineID: o.PipelineID, ID: o.ComponentID, Sphere: pipeline.SphereComponent, ComponentID: o.ComponentID,
		Status: pipeline.StatusScheduled}
	if len(rows) > 0 {
		row = rows[0]
	}
	row.UpdatedAt = s.now()
	row.Fields = setField(row.Fields, "@healthStatus", health)
	row.Fields = setField(row.Fields, "@healthStatusUpdatedTime", s.now().UTC().Format("2006-01-02T15:04:05"))
	row.Fields = dropField(row.Fields, "@healthStatusFromInstanceId")
	row.Fields = append(row.Fields, pipeline.Reference("@healthStatusFromInstanceId", o.ID))
	if len(rows) == 0 {
		return q.ObjectCreate(ctx, store.ObjectCreateParams{Objects: []store.Object{row}})
	}
	_, err = q.ObjectUpdate(ctx, store.ObjectUpdateParams{Object: row})
	return err
}
