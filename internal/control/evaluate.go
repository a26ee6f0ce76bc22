package control

import (
	"context"
	"fmt"

	"github.com/datapipe/datapipe/internal/definition"
	"github.com/datapipe/datapipe/internal/pipeline"
	"github.com/datapipe/datapipe/internal/store"
)

// EvaluateExpression evaluates a template in an object's context: a
// component (where runtime fields do not resolve), or an instance or
// attempt (with its interval's runtime fields). InvalidRequestException
// for an unknown object, a definition that does not compile, or an
// expression that does not parse or names something undefined.
func (s *Service) EvaluateExpression(ctx context.Context, c Caller, id, objectID, expression string) (string, error) {
	v, err := s.loadView(ctx, c, id)
	if err != nil {
		return "", err
	}
	if v.graph == nil {
		return "", invalid("Pipeline %s has no valid definition to evaluate expressions against.", id)
	}
	compID, env, err := s.evalContext(ctx, v, objectID)
	if err != nil {
		return "", err
	}
	out, err := v.graph.Evaluate(compID, expression, env)
	if err != nil {
		return "", invalid("Cannot evaluate the expression on %s: %s", objectID, pipeline.ErrorMessage(err))
	}
	return out, nil
}

// evalContext finds the component and environment an object id stands for.
func (s *Service) evalContext(ctx context.Context, v *view, objectID string) (string, *definition.Env, error) {
	if _, ok := v.graph.Component(objectID); ok {
		return objectID, &definition.Env{}, nil
	}
	objs, err := s.store.ObjectGet(ctx, store.ObjectGetParams{PipelineID: v.p.ID, IDs: []string{objectID}})
	if err != nil {
		return "", nil, fmt.Errorf("evaluate on %s: %w", objectID, err)
	}
	if len(objs) == 0 {
		return "", nil, invalid("Object %s does not exist in pipeline %s.", objectID, v.p.ID)
	}
	return objs[0].ComponentID, envOf(objs[0]), nil
}
