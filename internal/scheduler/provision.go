package scheduler

import (
	"context"
	"errors"

	"github.com/datapipe/datapipe/internal/pipeline"
	"github.com/datapipe/datapipe/internal/resource"
	"github.com/datapipe/datapipe/internal/store"
)

// provisioned is what the resource provider serves for a pipeline, by
// resource instance id (nil without a provider).
func (l *Loop) provisioned(p store.Pipeline) map[string]resource.Status {
	if l.cfg.Resources == nil {
		return nil
	}
	out := map[string]resource.Status{}
	for _, st := range l.cfg.Resources.Statuses() {
		if st.PipelineID == p.ID && st.AccountID == p.AccountID {
			out[st.Instance] = st
		}
	}
	return out
}

// provision passes an applied plan's resource changes to the provider.
func (l *Loop) provision(ch Changes) {
	if l.cfg.Resources == nil {
		return
	}
	for _, r := range ch.Release {
		l.cfg.Resources.Release(r)
	}
	for _, r := range ch.Ensure {
		l.cfg.Resources.Ensure(r)
	}
}

// releaseInactive releases the resources the provider still serves for
// pipelines that are no longer scheduled (deactivated, deleted, finished),
// which Plan, run only for scheduled pipelines, cannot: once no attempt of
// the pipeline waits for or holds a runner, so that a deactivation with
// cancelActive false lets running work finish.
func (l *Loop) releaseInactive(ctx context.Context, scheduled []store.Pipeline) {
	if l.cfg.Resources == nil {
		return
	}
	live := map[string]bool{}
	for _, p := range scheduled {
		live[p.AccountID+"\x00"+p.ID] = true
	}
	busy := map[string]bool{}
	for _, st := range l.cfg.Resources.Statuses() {
		key := st.AccountID + "\x00" + st.PipelineID
		if live[key] {
			continue
		}
		b, seen := busy[key]
		if !seen {
			b = l.busy(ctx, st.PipelineID)
			busy[key] = b
		}
		if !b {
			l.cfg.Resources.Release(st.Ref)
		}
	}
}

// busy reports whether an attempt of the pipeline waits for or holds a
// runner (true on a read error: release on a later pass).
func (l *Loop) busy(ctx context.Context, pipelineID string) bool {
	open, err := l.cfg.Store.ObjectQuery(ctx, store.ObjectQueryParams{PipelineID: pipelineID, Sphere: pipeline.SphereAttempt, Limit: 1,
		Filters: []store.ObjectFilter{{Field: "@status", Op: store.OpEQ,
			Values: []string{string(pipeline.StatusWaitingForRunner), string(pipeline.StatusRunning)}}}})
	if errors.Is(err, store.ErrNotFound) {
		return false // deleted
	}
	if err != nil {
		l.cfg.Logger.Warn("resource release check", "pipeline_id", pipelineID, "err", err)
		return ctx.Err() == nil
	}
	return len(open) > 0
}
