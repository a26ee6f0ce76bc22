package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/datapipe/datapipe/internal/store"
)

// DefinitionPut saves p.Definition as the pipeline's next version and makes
// it the LatestVersion, in the caller's transaction: store.ErrNotFound
// when the pipeline is unknown, store.ErrDeleted when deleted. The result's
// Definition is p.Definition.
func (q queries) DefinitionPut(ctx context.Context, p store.DefinitionPutParams) (store.DefinitionVersion, error) {
	var latest int
	var deleted bool
	err := q.x.QueryRowContext(ctx, `SELECT latest_version, deleted_at IS NOT NULL FROM pipelines WHERE id = ?`,
		p.PipelineID).Scan(&latest, &deleted)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return store.DefinitionVersion{}, fmt.Errorf("definition put %s: %w", p.PipelineID, store.ErrNotFound)
	case err != nil:
		return store.DefinitionVersion{}, fmt.Errorf("definition put %s: %w", p.PipelineID, err)
	case deleted:
		return store.DefinitionVersion{}, fmt.Errorf("definition put %s: %w", p.PipelineID, store.ErrDeleted)
	}
	v := store.DefinitionVersion{PipelineID: p.PipelineID, Version: latest + 1, Definition: p.Definition,
		Errored: p.Errored, CreatedAt: storedMillis(p.Now)}
	if err := q.insertDefinition(ctx, v); err != nil {
		return store.DefinitionVersion{}, fmt.Errorf("definition put %s v%d: %w", p.PipelineID, v.Version, err)
	}
	return v, nil
}

// insertDefinition stores v and moves the pipeline's LatestVersion to it.
func (q queries) insertDefinition(ctx context.Context, v store.DefinitionVersion) error {
	body, err := encodeDefinition(v.Definition)
	if err != nil {
		return err
	}
	if _, err := q.x.ExecContext(ctx, `INSERT INTO definitions (pipeline_id, version, body, errored, created_at)
		VALUES (?, ?, ?, ?, ?)`, v.PipelineID, v.Version, body, v.Errored, millis(v.CreatedAt)); err != nil {
		return classify(err)
	}
	_, err = q.x.ExecContext(ctx, `UPDATE pipelines SET latest_version = ? WHERE id = ?`, v.Version, v.PipelineID)
	return err
}

// DefinitionGet reads one version: store.ErrNotFound when the pipeline has
// no such version (a deleted pipeline has none).
func (q queries) DefinitionGet(ctx context.Context, p store.DefinitionGetParams) (store.DefinitionVersion, error) {
	v := store.DefinitionVersion{PipelineID: p.PipelineID, Version: p.Version}
	var body string
	var created sql.NullInt64
	err := q.x.QueryRowContext(ctx, `SELECT body, errored, created_at FROM definitions WHERE pipeline_id = ? AND version = ?`,
		p.PipelineID, p.Version).Scan(&body, &v.Errored, &created)
	if errors.Is(err, sql.ErrNoRows) {
		return store.DefinitionVersion{}, fmt.Errorf("definition get %s v%d: %w", p.PipelineID, p.Version, store.ErrNotFound)
	}
	if err != nil {
		return store.DefinitionVersion{}, fmt.Errorf("definition get %s v%d: %w", p.PipelineID, p.Version, err)
	}
	v.CreatedAt = fromMillis(created)
	if v.Definition, err = decodeDefinition(body); err != nil {
		return store.DefinitionVersion{}, fmt.Errorf("definition get %s v%d: %w", p.PipelineID, p.Version, err)
	}
	return v, nil
}
