package api

import (
	"context"

	"github.com/datapipe/datapipe/internal/control"
	"github.com/datapipe/datapipe/internal/definition"
)

// This file holds the definition operations (api.md §4.9, §4.12, §4.19).

// validationOutput is the output of PutPipelineDefinition and
// ValidatePipelineDefinition: both lists always present (api.md §9.17).
type validationOutput struct {
	Errored            bool                           `json:"errored"`
	ValidationErrors   []definition.ValidationError   `json:"validationErrors"`
	ValidationWarnings []definition.ValidationWarning `json:"validationWarnings"`
}

// resultToWire converts a validation result; nil means no problems.
func resultToWire(r *definition.Result) validationOutput {
	out := validationOutput{ValidationErrors: []definition.ValidationError{}, ValidationWarnings: []definition.ValidationWarning{}}
	if r == nil {
		return out
	}
	out.Errored = r.Errored()
	if errs := r.ValidationErrors(); errs != nil {
		out.ValidationErrors = errs
	}
	if warns := r.ValidationWarnings(); warns != nil {
		out.ValidationWarnings = warns
	}
	return out
}

// readDefinition reads the pipeline id and definition of a Put or
// Validate request.
func readDefinition(d *decoder, in object) (string, definition.Definition, error) {
	id := d.str(in, "pipelineId", shapeID.req())
	wire := decodeDefinition(d, in)
	if err := d.err(); err != nil {
		return "", definition.Definition{}, err
	}
	def, err := definition.FromWire(wire)
	return id, def, err
}

// putPipelineDefinition serves PutPipelineDefinition.
func (s *Server) putPipelineDefinition(ctx context.Context, c control.Caller, d *decoder, in object) (any, error) {
	id, def, err := readDefinition(d, in)
	if err != nil {
		return nil, err
	}
	res, err := s.ctl.PutPipelineDefinition(ctx, c, id, def)
	if err != nil {
		return nil, err
	}
	return resultToWire(res), nil
}

// validatePipelineDefinition serves ValidatePipelineDefinition.
func (s *Server) validatePipelineDefinition(ctx context.Context, c control.Caller, d *decoder, in object) (any, error) {
	id, def, err := readDefinition(d, in)
	if err != nil {
		return nil, err
	}
	res, err := s.ctl.ValidatePipelineDefinition(ctx, c, id, def)
	if err != nil {
		return nil, err
	}
	return resultToWire(res), nil
}

// getPipelineDefinitionOutput is GetPipelineDefinition's output: all
// three lists always present (api.md §4.9).
type getPipelineDefinitionOutput struct {
	PipelineObjects  []definition.WireObject          `json:"pipelineObjects"`
	ParameterObjects []definition.WireParameterObject `json:"parameterObjects"`
	ParameterValues  []definition.WireParameterValue  `json:"parameterValues"`
}

// getPipelineDefinition serves GetPipelineDefinition.
func (s *Server) getPipelineDefinition(ctx context.Context, c control.Caller, d *decoder, in object) (any, error) {
	id := d.str(in, "pipelineId", shapeID.req())
	version := d.str(in, "version", shapeString)
	if err := d.err(); err != nil {
		return nil, err
	}
	def, err := s.ctl.GetPipelineDefinition(ctx, c, id, version)
	if err != nil {
		return nil, err
	}
	return getPipelineDefinitionOutput{
		PipelineObjects:  definition.ObjectsToWire(def.Objects),
		ParameterObjects: definition.ParametersToWire(def.Parameters),
		ParameterValues:  definition.ValuesToWire(def.Values),
	}, nil
}
