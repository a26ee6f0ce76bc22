-- The backfill range asked for at the last activation (unix ms).
ALTER TABLE pipelines ADD COLUMN backfill_from INTEGER;
ALTER TABLE pipelines ADD COLUMN backfill_to INTEGER;
