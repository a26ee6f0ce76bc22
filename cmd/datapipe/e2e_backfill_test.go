package main

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/datapipeline"
	"github.com/aws/aws-sdk-go-v2/service/datapipeline/types"

	"github.com/datapipe/datapipe/internal/scheduler"
)

// Activating with startTimestamp now skips the past intervals, except
// those of the backfill range (the backfillFrom/backfillTo extension,
// sent as activate-pipeline --backfill-from/--backfill-to does); a second
// activation with a range over intervals already SKIPPED runs them again.
func TestEngine_ActivateBackfill(t *testing.T) {
	s := startServer(t, "sqlite:"+filepath.Join(t.TempDir(), "datapipe.db"))
	c := s.local()
	ctx := context.Background()
	h0 := time.Now().UTC().Truncate(time.Hour)
	hour := func(n int) time.Time { return h0.Add(time.Duration(n) * time.Hour) }
	id := newPipeline(t, c, "backfill")
	put := must[*datapipeline.PutPipelineDefinitionOutput](t)(c.PutPipelineDefinition(ctx, &datapipeline.PutPipelineDefinitionInput{
		PipelineId: aws.String(id), PipelineObjects: []types.PipelineObject{
			e2eObject("Default", e2eField("scheduleType", "cron"), e2eRef("schedule", "Hourly"), e2eField("workerGroup", "nobody"),
				e2eField("maxActiveInstances", "5")),
			e2eObject("Hourly", e2eField("type", "Schedule"), e2eField("period", "1 hour"),
				e2eField("startDateTime", hour(-5).Format("2006-01-02T15:04:05"))),
			e2eObject("A", e2eField("type", "ShellCommandActivity"), e2eField("command", "true"))}}))
	if put.Errored {
		t.Fatalf("definition: %+v", put.ValidationErrors)
	}
	activateWith := func(from, to time.Time) {
		t.Helper()
		must[*datapipeline.ActivatePipelineOutput](t)(c.ActivatePipeline(ctx, &datapipeline.ActivatePipelineInput{
			PipelineId: aws.String(id), StartTimestamp: aws.Time(hour(0))},
			withMembers(map[string]any{"backfillFrom": epochSeconds(from), "backfillTo": epochSeconds(to)})))
	}
	activateWith(hour(-3), hour(-2))
	inst := func(n int) string { return scheduler.InstanceID("A", hour(n)) }
	waitObject(t, c, id, inst(-5), "SKIPPED", 10*time.Second)
	waitObject(t, c, id, inst(-1), "SKIPPED", 10*time.Second)
	waitObject(t, c, id, inst(-3), "WAITING_FOR_RUNNER", 10*time.Second)
	waitObject(t, c, id, inst(-2), "WAITING_FOR_RUNNER", 10*time.Second)

	must[*datapipeline.DeactivatePipelineOutput](t)(c.DeactivatePipeline(ctx, &datapipeline.DeactivatePipelineInput{PipelineId: aws.String(id)}))
	activateWith(hour(-5), hour(-5))
	waitObject(t, c, id, inst(-5), "WAITING_FOR_RUNNER", 10*time.Second)
	waitObject(t, c, id, inst(-4), "SKIPPED", 10*time.Second)
}
