-- The backfill range asked for at the last activation.
ALTER TABLE pipelines ADD COLUMN backfill_from timestamptz;
ALTER TABLE pipelines ADD COLUMN backfill_to timestamptz;
