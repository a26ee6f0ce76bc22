-- Fewer index entries move per task. A task changes state twice (QUEUED
-- → LEASED → DONE), and every index holding state moved an entry each
-- time, so each commit wrote more pages. The claim index now holds
-- QUEUED tasks only (a claim deletes one entry, a completion touches
-- none). The pipeline index leaves state out (updates never touch it),
-- at the price of TaskCancel, which is rare, also passing over the
-- pipeline's finished tasks.
DROP INDEX tasks_claim;
CREATE INDEX tasks_queue
    ON tasks (account_id, worker_group, created_at, id, available_at) WHERE state = 'QUEUED';
DROP INDEX tasks_pipeline;
CREATE INDEX tasks_pipeline
    ON tasks (pipeline_id, attempt_id);
