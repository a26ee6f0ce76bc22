package control

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/datapipe/datapipe/internal/pipeline"
	"github.com/datapipe/datapipe/internal/schedule"
	"github.com/datapipe/datapipe/internal/store"
)

// maxTags is the tag limit per pipeline (api.md §4.2).
const maxTags = 10

// CreatePipeline creates an empty PENDING pipeline, idempotently on
// (account, name, uniqueId), and returns its id. InvalidRequestException
// when the account's pipeline limit is reached or the tags are invalid.
func (s *Service) CreatePipeline(ctx context.Context, c Caller, in CreatePipelineInput) (string, error) {
	if err := checkTags(in.Tags); err != nil {
		return "", err
	}
	// The limit is checked before the insert, outside a transaction: a
	// count inside a serialisable transaction would make every concurrent
	// create conflict. Concurrent creates may overshoot it by a few.
	n, err := s.store.PipelineCount(ctx, store.PipelineCountParams{AccountID: c.AccountID})
	if err != nil {
		return "", fmt.Errorf("create pipeline %q: %w", in.Name, err)
	}
	p, created, err := s.store.PipelineCreate(ctx, store.PipelineCreateParams{Pipeline: s.newPipeline(c, in)})
	if err != nil {
		return "", fmt.Errorf("create pipeline %q: %w", in.Name, err)
	}
	if created && n >= s.cfg.MaxPipelines {
		_ = s.store.PipelineDelete(ctx, store.PipelineDeleteParams{AccountID: c.AccountID, ID: p.ID, Now: s.now()})
		return "", invalid("The account has reached its limit of %d pipelines.", s.cfg.MaxPipelines)
	}
	id := p.ID
	s.log.InfoContext(ctx, "pipeline created", "pipeline_id", id, "account_id", c.AccountID)
	return id, nil
}

func (s *Service) newPipeline(c Caller, in CreatePipelineInput) store.Pipeline {
	return store.Pipeline{ID: newPipelineID(), AccountID: c.AccountID, Name: in.Name, UniqueID: in.UniqueID,
		Description: in.Description, Creator: c.UserID, State: pipeline.StatePending,
		Tags: dedupeTags(nil, in.Tags), CreatedAt: s.now()}
}

// getPipeline reads a pipeline of the caller's account, translating store
// errors into the API's exceptions.
func (s *Service) getPipeline(ctx context.Context, q store.Queries, c Caller, id string) (store.Pipeline, error) {
	p, err := q.PipelineGet(ctx, store.PipelineGetParams{AccountID: c.AccountID, ID: id})
	if err != nil {
		return p, pipelineErr("get pipeline", id, err)
	}
	return p, nil
}

// DeletePipeline deletes a pipeline, its definitions and run history, and
// cancels its open tasks. PipelineNotFoundException when unknown or
// already deleted.
func (s *Service) DeletePipeline(ctx context.Context, c Caller, id string) error {
	err := s.store.PipelineDelete(ctx, store.PipelineDeleteParams{AccountID: c.AccountID, ID: id, Now: s.now()})
	if err != nil {
		return pipelineErr("delete pipeline", id, err)
	}
	s.log.InfoContext(ctx, "pipeline deleted", "pipeline_id", id)
	return nil
}

// DescribePipelines describes pipelines in request order. At most 25 ids
// (InvalidRequestException); an unknown id is PipelineNotFoundException, a
// deleted one PipelineDeletedException.
func (s *Service) DescribePipelines(ctx context.Context, c Caller, ids []string) ([]PipelineDescription, error) {
	if len(ids) > 25 {
		return nil, invalid("DescribePipelines accepts at most 25 pipeline ids; %d were given.", len(ids))
	}
	out := make([]PipelineDescription, 0, len(ids))
	for _, id := range ids {
		p, err := s.getPipeline(ctx, s.store, c, id)
		if err != nil {
			return nil, err
		}
		if err := s.addHealth(ctx, &p); err != nil {
			return nil, err
		}
		out = append(out, describe(p))
	}
	return out, nil
}

// describe renders a pipeline's metadata as DescribePipelines does: every
// field a string (api.md §5.3), tags never nil.
func describe(p store.Pipeline) PipelineDescription {
	f := []pipeline.Field{
		pipeline.String("@pipelineState", string(p.State)),
	}
	if p.Description != "" {
		f = append(f, pipeline.String("description", p.Description))
	}
	f = append(f,
		pipeline.String("name", p.Name),
		pipeline.String("@creationTime", schedule.FormatDateTime(p.CreatedAt)),
		pipeline.String("@id", p.ID),
		pipeline.String("pipelineCreator", p.Creator),
		pipeline.String("@sphere", string(pipeline.SpherePipeline)),
		pipeline.String("@version", strconv.Itoa(max(1, p.LatestVersion))),
		pipeline.String("@userId", p.Creator),
		pipeline.String("@accountId", p.AccountID),
		pipeline.String("uniqueId", p.UniqueID),
	)
	f = appendTimes(f, p)
	if len(p.Tags) > 0 {
		f = append(f, pipeline.String("*tags", tagsJSON(p.Tags)))
	}
	tags := p.Tags
	if tags == nil {
		tags = []store.Tag{}
	}
	return PipelineDescription{PipelineID: p.ID, Name: p.Name, Description: p.Description, Fields: f, Tags: tags}
}

// appendTimes adds the time fields that exist once things have happened.
func appendTimes(f []pipeline.Field, p store.Pipeline) []pipeline.Field {
	for _, t := range []struct {
		key string
		v   timeValue
	}{
		{"@firstActivationTime", timeValue(p.FirstActivatedAt)},
		{"@lastActivationTime", timeValue(p.LastActivatedAt)},
		{"@lastDeactivatedTime", timeValue(p.LastDeactivatedAt)},
		{"@finishedTime", timeValue(p.FinishedAt)},
		{"@healthStatusUpdatedTime", timeValue(p.HealthUpdatedAt)},
	} {
		if !t.v.zero() {
			f = append(f, pipeline.String(t.key, t.v.String()))
		}
	}
	if p.HealthStatus != "" {
		f = append(f, pipeline.String("@healthStatus", p.HealthStatus))
	}
	return f
}

func tagsJSON(tags []store.Tag) string {
	type tag struct {
		Key   string `json:"key"`
		Value string `json:"value"`
	}
	out := make([]tag, len(tags))
	for i, t := range tags {
		out[i] = tag{t.Key, t.Value}
	}
	b, _ := json.Marshal(out)
	return string(b)
}

// listMarker is the ListPipelines cursor: the last pipeline returned.
type listMarker struct {
	After string `json:"a"`
}

// ListPipelines returns one page of the account's live pipelines, in
// creation order. A garbled marker is InvalidRequestException.
func (s *Service) ListPipelines(ctx context.Context, c Caller, marker string) ([]PipelineIDName, Page, error) {
	var m listMarker
	if err := decodeMarker(marker, &m); err != nil {
		return nil, Page{}, err
	}
	ps, err := s.store.PipelineList(ctx, store.PipelineListParams{AccountID: c.AccountID, AfterID: m.After, Limit: s.cfg.PageSize + 1})
	if err != nil {
		return nil, Page{}, fmt.Errorf("list pipelines: %w", err)
	}
	var page Page
	if len(ps) > s.cfg.PageSize {
		ps = ps[:s.cfg.PageSize]
		page = Page{HasMore: true, Marker: encodeMarker(listMarker{After: ps[len(ps)-1].ID})}
	}
	out := make([]PipelineIDName, len(ps))
	for i, p := range ps {
		out[i] = PipelineIDName{ID: p.ID, Name: p.Name}
	}
	return out, page, nil
}

// addHealth derives the pipeline's health from its components' (objects.md
// §11.3): ERROR if any component is in error, HEALTHY if some succeeded.
func (s *Service) addHealth(ctx context.Context, p *store.Pipeline) error {
	rows, err := s.store.ObjectQuery(ctx, store.ObjectQueryParams{PipelineID: p.ID, Sphere: pipeline.SphereComponent})
	if err != nil {
		return fmt.Errorf("describe %s: %w", p.ID, err)
	}
	for _, r := range rows {
		h, _ := (&pipeline.Object{Fields: r.Fields}).StringValue("@healthStatus")
		if h == "" || p.HealthStatus == "ERROR" {
			continue
		}
		p.HealthStatus = h
		if r.UpdatedAt.After(p.HealthUpdatedAt) {
			p.HealthUpdatedAt = r.UpdatedAt
		}
	}
	return nil
}
