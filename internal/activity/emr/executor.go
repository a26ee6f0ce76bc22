package emr

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/datapipe/datapipe/internal/activity"
	"github.com/datapipe/datapipe/internal/pipeline"
)

// IDClusterRequired: a step needs a real EMR cluster.
const IDClusterRequired = "EmrClusterRequired"

// Activity executes EmrActivity attempts.
type Activity struct{ cfg Config }

var _ activity.Executor = (*Activity)(nil)

// New returns the EmrActivity executor.
func New(cfg Config) *Activity { return &Activity{cfg: cfg.withDefaults()} }

// Execute parses every step first (any step other than DynamoDbExport
// and DynamoDbImport fails the attempt with EmrClusterRequired before
// anything runs), then runs the preStepCommand values, the steps in
// order and the postStepCommand values. The first failure ends the
// attempt.
func (a *Activity) Execute(ctx context.Context, t *activity.Task, env *activity.Env) (activity.Outcome, error) {
	steps, err := parseSteps(t)
	if err != nil {
		return 0, err
	}
	if err := a.commands(ctx, t, env, "preStepCommand"); err != nil {
		return 0, err
	}
	for _, s := range steps {
		if err := a.runStep(ctx, t, env, s); err != nil {
			return 0, fmt.Errorf("step %d (%s): %w", s.Index, s.Tool, err)
		}
	}
	if err := a.commands(ctx, t, env, "postStepCommand"); err != nil {
		return 0, err
	}
	return activity.Finished, nil
}

// parseSteps parses the attempt's steps; it fails when there are none or
// one needs a cluster.
func parseSteps(t *activity.Task) ([]Step, error) {
	raw := t.Fields("step")
	if len(raw) == 0 {
		return nil, activity.Errorf(activity.IDInvalidTask, "EmrActivity %s has no step", t.ComponentID())
	}
	steps := make([]Step, len(raw))
	for i, r := range raw {
		s, err := ParseStep(i+1, r)
		if err != nil {
			return nil, activity.Errorf(activity.IDInvalidTask, "EmrActivity %s: %v", t.ComponentID(), err)
		}
		if s.Tool == Unknown {
			return nil, clusterRequired(t, s)
		}
		steps[i] = s
	}
	return steps, nil
}

// clusterRequired is the failure of a step that needs a cluster, saying
// how to give it one.
func clusterRequired(t *activity.Task, s Step) error {
	return activity.Errorf(IDClusterRequired,
		"EmrActivity %s step %d (%s) needs an EMR cluster: this task runner runs only the emr-dynamodb-tools "+
			"DynamoDbExport and DynamoDbImport steps natively, without one. To run this step, launch an EMR cluster "+
			"yourself, start an external task runner on its master node (the AWS Data Pipeline Task Runner, "+
			"java -jar TaskRunner-1.0.jar --endpointUrl <this service> --workerGroup <group>) and give the activity "+
			"workerGroup <group> instead of runsOn", t.ComponentID(), s.Index, describeStep(s))
}

// describeStep is a step's jar and first argument, for messages.
func describeStep(s Step) string {
	if len(s.Args) == 0 {
		return s.Jar
	}
	return s.Jar + "," + s.Args[0] + ",…"
}

// runStep runs one native step.
func (a *Activity) runStep(ctx context.Context, t *activity.Task, env *activity.Env, s Step) error {
	if a.cfg.Clients == nil {
		return activity.Errorf(activity.IDNotSupported, "this task runner has no AWS clients configured")
	}
	for _, k := range slices.Sorted(maps.Keys(s.Generic)) {
		env.Printf("step %d: ignoring the Hadoop option -D %s=%s", s.Index, k, s.Generic[k])
	}
	switch s.Tool {
	case Export:
		args, err := s.Export()
		if err != nil {
			return activity.Errorf(activity.IDInvalidTask, "%v", err)
		}
		return a.export(ctx, t, env, args)
	case Import:
		args, err := s.Import()
		if err != nil {
			return activity.Errorf(activity.IDInvalidTask, "%v", err)
		}
		return a.importDir(ctx, t, env, args)
	}
	return clusterRequired(t, s)
}

// commands runs each value of key (preStepCommand, postStepCommand) as
// a shell command.
func (a *Activity) commands(ctx context.Context, t *activity.Task, env *activity.Env, key string) error {
	for i, cmd := range t.Fields(key) {
		if strings.TrimSpace(cmd) == "" {
			continue
		}
		if a.cfg.Shell == nil {
			return activity.Errorf(activity.IDNotSupported, "%s %d: this task runner runs no shell commands", key, i+1)
		}
		sub, err := shellTask(t, cmd)
		if err != nil {
			return err
		}
		env.Printf("%s %d", key, i+1)
		if _, err := a.cfg.Shell.Execute(ctx, sub, env); err != nil {
			return fmt.Errorf("%s %d: %w", key, i+1, err)
		}
	}
	return nil
}

// shellTask is t with its attempt replaced by a ShellCommandActivity
// running cmd.
func shellTask(t *activity.Task, cmd string) (*activity.Task, error) {
	objs := make(map[string]pipeline.Object, len(t.Objects))
	for id, o := range t.Objects {
		objs[id] = o
	}
	att := pipeline.Object{ID: t.AttemptID, Name: t.Attempt.Name, Fields: []pipeline.Field{
		pipeline.String("type", "ShellCommandActivity"), pipeline.String("command", cmd)}}
	for _, k := range []string{"@componentParent", "@instanceParent"} {
		if f, ok := t.Attempt.Get(k); ok {
			att.Fields = append(att.Fields, f)
		}
	}
	objs[t.AttemptID] = att
	return activity.NewTask(t.TaskID, t.PipelineID, t.AttemptID, objs)
}
