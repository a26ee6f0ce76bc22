-- The definition version a task's attempt was planned from: a poll builds
-- the task object from that version without reading the pipeline.
ALTER TABLE tasks ADD COLUMN version integer NOT NULL DEFAULT 0;
