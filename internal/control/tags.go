package control

import (
	"context"

	"github.com/datapipe/datapipe/internal/store"
)

// AddTags adds or replaces tags; more than 10 in all is
// InvalidRequestException.
func (s *Service) AddTags(ctx context.Context, c Caller, id string, tags []store.Tag) error {
	if err := checkTags(tags); err != nil {
		return err
	}
	return s.updatePipeline(ctx, c, id, "add tags", func(p *store.Pipeline) error {
		p.Tags = dedupeTags(p.Tags, tags)
		if len(p.Tags) > maxTags {
			return invalid("A pipeline can have at most %d tags; this would make %d.", maxTags, len(p.Tags))
		}
		return nil
	})
}

// RemoveTags removes tags by key; absent keys are ignored.
func (s *Service) RemoveTags(ctx context.Context, c Caller, id string, keys []string) error {
	drop := map[string]bool{}
	for _, k := range keys {
		drop[k] = true
	}
	return s.updatePipeline(ctx, c, id, "remove tags", func(p *store.Pipeline) error {
		kept := p.Tags[:0:0]
		for _, t := range p.Tags {
			if !drop[t.Key] {
				kept = append(kept, t)
			}
		}
		p.Tags = kept
		return nil
	})
}

// updatePipeline reads, changes and writes a pipeline in one transaction.
func (s *Service) updatePipeline(ctx context.Context, c Caller, id, op string, change func(*store.Pipeline) error) error {
	return s.store.WithTx(ctx, func(q store.Queries) error {
		p, err := s.getPipeline(ctx, q, c, id)
		if err != nil {
			return err
		}
		if err := change(&p); err != nil {
			return err
		}
		if _, err := q.PipelineUpdate(ctx, store.PipelineUpdateParams{Pipeline: p}); err != nil {
			return pipelineErr(op, id, err)
		}
		return nil
	})
}

// checkTags enforces the tag shape: at most 10, keys 1–128 characters,
// values at most 256.
func checkTags(tags []store.Tag) error {
	if len(tags) > maxTags {
		return invalid("At most %d tags may be given; %d were.", maxTags, len(tags))
	}
	for _, t := range tags {
		if n := len([]rune(t.Key)); n < 1 || n > 128 {
			return invalid("Tag key %q must be 1 to 128 characters long.", t.Key)
		}
		if len([]rune(t.Value)) > 256 {
			return invalid("The value of tag %q must be at most 256 characters long.", t.Key)
		}
	}
	return nil
}

// dedupeTags returns have with add applied: an existing key takes the new
// value in place, new keys are appended in order.
func dedupeTags(have, add []store.Tag) []store.Tag {
	out := append([]store.Tag(nil), have...)
	for _, t := range add {
		if i := tagIndex(out, t.Key); i >= 0 {
			out[i].Value = t.Value
		} else {
			out = append(out, t)
		}
	}
	return out
}

func tagIndex(tags []store.Tag, key string) int {
	for i, t := range tags {
		if t.Key == key {
			return i
		}
	}
	return -1
}
