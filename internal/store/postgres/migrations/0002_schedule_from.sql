-- Where scheduling resumes after an activation with a startTimestamp.
ALTER TABLE pipelines ADD COLUMN schedule_from timestamptz;
