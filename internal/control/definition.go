package control

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/datapipe/datapipe/internal/definition"
	"github.com/datapipe/datapipe/internal/pipeline"
	"github.com/datapipe/datapipe/internal/store"
)

// PutPipelineDefinition validates and saves a new latest definition and
// returns the validation result. Fatal problems (and a FINISHED pipeline)
// are InvalidRequestException and save nothing; non-fatal errors are saved
// and reported (Result.Errored).
func (s *Service) PutPipelineDefinition(ctx context.Context, c Caller, id string, def definition.Definition) (*definition.Result, error) {
	var res *definition.Result
	err := s.store.WithTx(ctx, func(q store.Queries) error {
		p, err := s.getPipeline(ctx, q, c, id)
		if err != nil {
			return err
		}
		if p.State == pipeline.StateFinished {
			return invalid("Pipeline %s is FINISHED; its definition cannot be changed.", id)
		}
		if res, err = s.validate(ctx, q, p, def); err != nil {
			return err
		}
		if res.IsFatal() {
			return fatalError(res)
		}
		_, err = q.DefinitionPut(ctx, store.DefinitionPutParams{PipelineID: id, Definition: def, Errored: res.Errored(), Now: s.now()})
		return err
	})
	if err != nil {
		return nil, pipelineErr("put pipeline definition", id, err)
	}
	return res, nil
}

// ValidatePipelineDefinition validates without saving; every problem,
// fatal ones included, is reported in the Result.
func (s *Service) ValidatePipelineDefinition(ctx context.Context, c Caller, id string, def definition.Definition) (*definition.Result, error) {
	p, err := s.getPipeline(ctx, s.store, c, id)
	if err != nil {
		return nil, err
	}
	return s.validate(ctx, s.store, p, def)
}

// validate runs definition validation, then the post-activation edit
// rules against the active definition (objects.md §14.3).
func (s *Service) validate(ctx context.Context, q store.Queries, p store.Pipeline, def definition.Definition) (*definition.Result, error) {
	res := definition.Validate(&def, s.cat, definition.Options{Limits: s.cfg.DefinitionLimits, Now: s.now()})
	if p.ActiveVersion == 0 || res.IsFatal() {
		return res, nil
	}
	active, err := q.DefinitionGet(ctx, store.DefinitionGetParams{PipelineID: p.ID, Version: p.ActiveVersion})
	if err != nil {
		return nil, fmt.Errorf("read active definition: %w", err)
	}
	res.Problems = append(res.Problems, editProblems(active.Definition, def)...)
	return res, nil
}

// fatalError is the InvalidRequestException for an unsavable definition,
// worded as the service words it.
func fatalError(res *definition.Result) error {
	var msgs []string
	for _, p := range res.Errors() {
		if p.Severity == definition.Fatal {
			msgs = append(msgs, strings.TrimSpace(p.Object+" "+p.Text()))
		}
	}
	return invalid("Pipeline definition has errors: Could not save the pipeline definition due to FATAL errors: [%s] Please call Validate to validate your pipeline",
		strings.Join(msgs, ", "))
}

// GetPipelineDefinition returns exactly the definition saved, for version
// "latest" ("" means latest) or "active"; an empty definition when there
// is none. Another version string is InvalidRequestException.
func (s *Service) GetPipelineDefinition(ctx context.Context, c Caller, id, version string) (definition.Definition, error) {
	p, err := s.getPipeline(ctx, s.store, c, id)
	if err != nil {
		return definition.Definition{}, err
	}
	var v int
	switch version {
	case "", "latest":
		v = p.LatestVersion
	case "active":
		v = p.ActiveVersion
	default:
		return definition.Definition{}, invalid("Unknown pipeline version %q: use latest or active.", version)
	}
	return s.definitionVersion(ctx, s.store, id, v)
}

// definitionVersion reads a version; version 0 is the empty definition.
func (s *Service) definitionVersion(ctx context.Context, q store.Queries, id string, v int) (definition.Definition, error) {
	if v == 0 {
		return definition.Definition{}, nil
	}
	dv, err := q.DefinitionGet(ctx, store.DefinitionGetParams{PipelineID: id, Version: v})
	if errors.Is(err, store.ErrNotFound) {
		return definition.Definition{}, nil
	}
	if err != nil {
		return definition.Definition{}, fmt.Errorf("read definition %s version %d: %w", id, v, err)
	}
	return dv.Definition, nil
}
