package api

import (
	"context"

	"github.com/datapipe/datapipe/internal/control"
	"github.com/datapipe/datapipe/internal/definition"
)

// This file holds the object operations (api.md §4.6, §4.8, §4.13,
// §4.17).

// describeObjectsOutput is DescribeObjects' output.
type describeObjectsOutput struct {
	PipelineObjects []definition.WireObject `json:"pipelineObjects"`
	page
}

// describeObjects serves DescribeObjects.
func (s *Server) describeObjects(ctx context.Context, c control.Caller, d *decoder, in object) (any, error) {
	id := d.str(in, "pipelineId", shapeID.req())
	ids := decodeList(d, in, "objectIds", listRequired, stringElem(shapeID))
	evaluate, _ := d.boolean(in, "evaluateExpressions")
	marker := d.str(in, "marker", shapeString)
	if err := d.err(); err != nil {
		return nil, err
	}
	objs, pg, err := s.ctl.DescribeObjects(ctx, c, id, ids, evaluate, marker)
	if err != nil {
		return nil, err
	}
	return describeObjectsOutput{PipelineObjects: definition.ObjectsToWire(objs), page: pageToWire(pg)}, nil
}

// queryObjectsOutput is QueryObjects' output; ids is always present.
type queryObjectsOutput struct {
	IDs []string `json:"ids"`
	page
}

// queryObjects serves QueryObjects. A limit below 1 is
// InvalidRequestException (control sees an absent limit as 0).
func (s *Server) queryObjects(ctx context.Context, c control.Caller, d *decoder, in object) (any, error) {
	id := d.str(in, "pipelineId", shapeID.req())
	sphere := d.str(in, "sphere", shapeString.req())
	selectors := querySelectors(d, in)
	marker := d.str(in, "marker", shapeString)
	limit, hasLimit := d.integer(in, "limit")
	if err := d.err(); err != nil {
		return nil, err
	}
	if hasLimit && limit < 1 {
		return nil, invalidRequest("limit must be at least 1, not %d", limit)
	}
	ids, pg, err := s.ctl.QueryObjects(ctx, c, id, sphere, selectors, marker, limit)
	if err != nil {
		return nil, err
	}
	if ids == nil {
		ids = []string{}
	}
	return queryObjectsOutput{IDs: ids, page: pageToWire(pg)}, nil
}

// querySelectors reads the optional query member's selectors.
func querySelectors(d *decoder, in object) []control.Selector {
	q, ok := d.member(in, "query", false)
	if !ok {
		return nil
	}
	return decodeList(d, q, "selectors", listOptional, selectorElem)
}

// evaluateExpressionOutput is EvaluateExpression's output.
type evaluateExpressionOutput struct {
	EvaluatedExpression string `json:"evaluatedExpression"`
}

// evaluateExpression serves EvaluateExpression.
func (s *Server) evaluateExpression(ctx context.Context, c control.Caller, d *decoder, in object) (any, error) {
	id := d.str(in, "pipelineId", shapeID.req())
	objectID := d.str(in, "objectId", shapeID.req())
	expr := d.str(in, "expression", shapeLongString.req())
	if err := d.err(); err != nil {
		return nil, err
	}
	v, err := s.ctl.EvaluateExpression(ctx, c, id, objectID, expr)
	if err != nil {
		return nil, err
	}
	return evaluateExpressionOutput{EvaluatedExpression: v}, nil
}

// setStatus serves SetStatus.
func (s *Server) setStatus(ctx context.Context, c control.Caller, d *decoder, in object) (any, error) {
	id := d.str(in, "pipelineId", shapeID.req())
	ids := decodeList(d, in, "objectIds", listRequired, stringElem(shapeID))
	status := d.str(in, "status", shapeString.req())
	if err := d.err(); err != nil {
		return nil, err
	}
	return empty{}, s.ctl.SetStatus(ctx, c, id, ids, status)
}
