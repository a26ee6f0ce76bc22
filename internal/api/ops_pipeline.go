package api

import (
	"context"

	"github.com/datapipe/datapipe/internal/control"
	"github.com/datapipe/datapipe/internal/definition"
)

// This file holds the pipeline lifecycle operations (api.md §4.1–4.5,
// §4.7, §4.10, §4.14).

// empty is the output of operations without output members: {}.
type empty struct{}

// createPipelineOutput is CreatePipeline's output.
type createPipelineOutput struct {
	PipelineID string `json:"pipelineId"`
}

// createPipeline serves CreatePipeline.
func (s *Server) createPipeline(ctx context.Context, c control.Caller, d *decoder, in object) (any, error) {
	req := control.CreatePipelineInput{
		Name:        d.str(in, "name", shapeID.req()),
		UniqueID:    d.str(in, "uniqueId", shapeID.req()),
		Description: d.str(in, "description", shapeString),
		Tags:        decodeList(d, in, "tags", listTags, tagElem),
	}
	if err := d.err(); err != nil {
		return nil, err
	}
	id, err := s.ctl.CreatePipeline(ctx, c, req)
	if err != nil {
		return nil, err
	}
	return createPipelineOutput{PipelineID: id}, nil
}

// deletePipeline serves DeletePipeline.
func (s *Server) deletePipeline(ctx context.Context, c control.Caller, d *decoder, in object) (any, error) {
	id := d.str(in, "pipelineId", shapeID.req())
	if err := d.err(); err != nil {
		return nil, err
	}
	return empty{}, s.ctl.DeletePipeline(ctx, c, id)
}

// pipelineDescription is the PipelineDescription output shape: every
// field a stringValue and tags always present (api.md §9.6).
type pipelineDescription struct {
	PipelineID  string                 `json:"pipelineId"`
	Name        string                 `json:"name"`
	Fields      []definition.WireField `json:"fields"`
	Description string                 `json:"description,omitempty"`
	Tags        []wireTag              `json:"tags"`
}

// describePipelinesOutput is DescribePipelines' output.
type describePipelinesOutput struct {
	PipelineDescriptionList []pipelineDescription `json:"pipelineDescriptionList"`
}

// describePipelines serves DescribePipelines.
func (s *Server) describePipelines(ctx context.Context, c control.Caller, d *decoder, in object) (any, error) {
	ids := decodeList(d, in, "pipelineIds", listRequired, stringElem(shapeID))
	if err := d.err(); err != nil {
		return nil, err
	}
	descs, err := s.ctl.DescribePipelines(ctx, c, ids)
	if err != nil {
		return nil, err
	}
	out := describePipelinesOutput{PipelineDescriptionList: make([]pipelineDescription, len(descs))}
	for i, p := range descs {
		out.PipelineDescriptionList[i] = pipelineDescription{PipelineID: p.PipelineID, Name: p.Name,
			Fields: stringFields(p.Fields), Description: p.Description, Tags: tagsToWire(p.Tags)}
	}
	return out, nil
}

// pipelineIDName is the PipelineIdName output shape.
type pipelineIDName struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// listPipelinesOutput is ListPipelines' output.
type listPipelinesOutput struct {
	PipelineIDList []pipelineIDName `json:"pipelineIdList"`
	page
}

// listPipelines serves ListPipelines.
func (s *Server) listPipelines(ctx context.Context, c control.Caller, d *decoder, in object) (any, error) {
	marker := d.str(in, "marker", shapeString)
	if err := d.err(); err != nil {
		return nil, err
	}
	list, pg, err := s.ctl.ListPipelines(ctx, c, marker)
	if err != nil {
		return nil, err
	}
	out := listPipelinesOutput{PipelineIDList: make([]pipelineIDName, len(list)), page: pageToWire(pg)}
	for i, p := range list {
		out.PipelineIDList[i] = pipelineIDName(p)
	}
	return out, nil
}

// activatePipeline serves ActivatePipeline, with the datapipe extension
// members backfillFrom and backfillTo (timestamps like startTimestamp):
// see control.Backfill.
func (s *Server) activatePipeline(ctx context.Context, c control.Caller, d *decoder, in object) (any, error) {
	id := d.str(in, "pipelineId", shapeID.req())
	values := parameterValues(d, in, "parameterValues")
	start := d.timestamp(in, "startTimestamp")
	bf := control.Backfill{From: d.timestamp(in, "backfillFrom"), To: d.timestamp(in, "backfillTo")}
	if err := d.err(); err != nil {
		return nil, err
	}
	return empty{}, s.ctl.ActivatePipelineBackfill(ctx, c, id, values, start, bf)
}

// deactivatePipeline serves DeactivatePipeline; an absent cancelActive
// means true (api.md §4.4).
func (s *Server) deactivatePipeline(ctx context.Context, c control.Caller, d *decoder, in object) (any, error) {
	id := d.str(in, "pipelineId", shapeID.req())
	cancelActive, present := d.boolean(in, "cancelActive")
	if err := d.err(); err != nil {
		return nil, err
	}
	return empty{}, s.ctl.DeactivatePipeline(ctx, c, id, cancelActive || !present)
}

// addTags serves AddTags.
func (s *Server) addTags(ctx context.Context, c control.Caller, d *decoder, in object) (any, error) {
	id := d.str(in, "pipelineId", shapeID.req())
	tags := decodeList(d, in, "tags", listShape{max: listTags.max, required: true}, tagElem)
	if err := d.err(); err != nil {
		return nil, err
	}
	return empty{}, s.ctl.AddTags(ctx, c, id, tags)
}

// removeTags serves RemoveTags.
func (s *Server) removeTags(ctx context.Context, c control.Caller, d *decoder, in object) (any, error) {
	id := d.str(in, "pipelineId", shapeID.req())
	keys := decodeList(d, in, "tagKeys", listRequired, stringElem(shapeString))
	if err := d.err(); err != nil {
		return nil, err
	}
	return empty{}, s.ctl.RemoveTags(ctx, c, id, keys)
}
