package scheduler

import (
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
// pipelines that are no longer scheduled (deactivated, deleted, finished):
// Plan, which only runs for scheduled pipelines, cannot.
func (l *Loop) releaseInactive(scheduled []store.Pipeline) {
	if l.cfg.Resources == nil {
		return
	}
	live := map[string]bool{}
	for _, p := range scheduled {
		live[p.AccountID+"\x00"+p.ID] = true
	}
	for _, st := range l.cfg.Resources.Statuses() {
		if !live[st.AccountID+"\x00"+st.PipelineID] {
			l.cfg.Resources.Release(st.Ref)
		}
	}
}
