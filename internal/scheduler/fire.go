package scheduler

import (
	"context"
	"time"

	"github.com/datapipe/datapipe/internal/definition"
	"github.com/datapipe/datapipe/internal/expr"
	"github.com/datapipe/datapipe/internal/notify"
	"github.com/datapipe/datapipe/internal/store"
)

// fire delivers an action for an instance. SnsAlarm subject and message
// are evaluated with node bound to the instance (objects.md §12.3). A
// failed delivery is logged; it never changes the instance.
func (l *Loop) fire(ctx context.Context, p store.Pipeline, c *compiled, a Action) {
	comp, ok := c.graph.Component(a.ActionID)
	if !ok || comp.Type != "SnsAlarm" {
		return // Terminate acts on lateness, which is handled elsewhere
	}
	node, err := l.nodeEnv(ctx, p, a)
	if err != nil {
		l.cfg.Logger.Warn("action not fired", "action", a.ActionID, "node", a.Node, "err", err)
		return
	}
	env := &definition.Env{Node: &definition.Binding{ComponentID: a.NodeComponent, Env: node}}
	m := notify.Message{PipelineID: p.ID, ObjectID: a.ActionID, NodeID: a.Node, Event: a.Event, At: l.now()}
	m.TopicArn, _ = c.graph.EvalString(a.ActionID, "topicArn", env)
	m.Subject, _ = c.graph.EvalString(a.ActionID, "subject", env)
	m.Body, _ = c.graph.EvalString(a.ActionID, "message", env)
	m.Role, _ = c.graph.EvalString(a.ActionID, "role", env)
	l.deliver(ctx, m)
}

func (l *Loop) deliver(ctx context.Context, m notify.Message) {
	if l.cfg.Notifier == nil {
		l.cfg.Logger.Info("notification (no notifier configured)", "action", m.ObjectID, "node", m.NodeID, "subject", m.Subject)
		return
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	if err := l.cfg.Notifier.Notify(ctx, m); err != nil {
		l.cfg.Logger.Warn("notification failed", "action", m.ObjectID, "node", m.NodeID, "err", err)
	}
}

// nodeEnv is the environment of the instance an action fires for.
func (l *Loop) nodeEnv(ctx context.Context, p store.Pipeline, a Action) (*definition.Env, error) {
	objs, err := l.cfg.Store.ObjectGet(ctx, store.ObjectGetParams{PipelineID: p.ID, IDs: []string{a.Node}})
	if err != nil || len(objs) == 0 {
		return nil, err
	}
	return EnvOf(objs[0]), nil
}

// EnvOf is the evaluation environment of an instance or attempt: its id,
// status, interval and actual times, and the runtime fields it holds.
func EnvOf(o store.Object) *definition.Env {
	rt := map[string]expr.Value{"@id": expr.StringValue(o.ID), "@status": expr.StringValue(string(o.Status))}
	for key, at := range map[string]time.Time{"@scheduledStartTime": o.ScheduledStart, "@scheduledEndTime": o.ScheduledEnd,
		"@actualStartTime": o.ActualStart, "@actualEndTime": o.ActualEnd} {
		if !at.IsZero() {
			rt[key] = expr.DateTimeValue(at)
		}
	}
	for _, f := range o.Fields {
		if _, ok := rt[f.Key]; !ok && !f.Ref {
			rt[f.Key] = expr.StringValue(f.Value)
		}
	}
	return &definition.Env{Runtime: rt}
}
