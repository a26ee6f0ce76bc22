-- Where scheduling resumes after an activation with a startTimestamp (unix ms).
ALTER TABLE pipelines ADD COLUMN schedule_from INTEGER;
