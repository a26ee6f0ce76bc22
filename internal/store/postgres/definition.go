package postgres

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/datapipe/datapipe/internal/store"
)

// DefinitionPut saves the definition as the pipeline's next version and
// makes it the LatestVersion, in one statement: store.ErrNotFound when the
// pipeline is unknown, store.ErrDeleted when it was deleted.
func (q *queries) DefinitionPut(ctx context.Context, p store.DefinitionPutParams) (store.DefinitionVersion, error) {
	body, err := encodeDefinition(p.Definition)
	if err != nil {
		return store.DefinitionVersion{}, fmt.Errorf("put definition of %s: %w", p.PipelineID, err)
	}
	out := store.DefinitionVersion{PipelineID: p.PipelineID, Definition: p.Definition, Errored: p.Errored}
	err = q.db.QueryRow(ctx, `WITH next AS (
			UPDATE pipelines SET latest_version = latest_version + 1
			WHERE id = $1 AND deleted_at IS NULL RETURNING id, latest_version)
		INSERT INTO definitions (pipeline_id, version, body, errored, created_at)
		SELECT id, latest_version, $2, $3, $4 FROM next
		RETURNING version, created_at`, p.PipelineID, body, p.Errored, stamp(p.Now)).Scan(&out.Version, &out.CreatedAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return store.DefinitionVersion{}, fmt.Errorf("put definition of %s: %w", p.PipelineID, q.pipelineMissing(ctx, "", p.PipelineID))
	}
	if err != nil {
		return store.DefinitionVersion{}, wrap(err, "put definition of %s", p.PipelineID)
	}
	out.CreatedAt = out.CreatedAt.UTC()
	return out, nil
}

// DefinitionGet reads one version: store.ErrNotFound when the pipeline has
// no such version (including every version of a deleted pipeline).
func (q *queries) DefinitionGet(ctx context.Context, p store.DefinitionGetParams) (store.DefinitionVersion, error) {
	out := store.DefinitionVersion{PipelineID: p.PipelineID, Version: p.Version}
	var body []byte
	err := q.db.QueryRow(ctx, `SELECT body, errored, created_at FROM definitions
		WHERE pipeline_id = $1 AND version = $2`, p.PipelineID, p.Version).Scan(&body, &out.Errored, &out.CreatedAt)
	if err != nil {
		return store.DefinitionVersion{}, wrap(err, "get definition %d of %s", p.Version, p.PipelineID)
	}
	out.CreatedAt = out.CreatedAt.UTC()
	if out.Definition, err = decodeDefinition(body); err != nil {
		return store.DefinitionVersion{}, fmt.Errorf("get definition %d of %s: %w", p.Version, p.PipelineID, err)
	}
	return out, nil
}
