-- Queries that filter on status (the scheduler's open instances, the
-- console's status filters) read this index instead of walking the
-- pipeline's whole history in scheduled-start order: the planner would
-- otherwise pick objects_order to avoid a sort. ObjectQuery names it
-- with INDEXED BY when a @status filter is present.
CREATE INDEX objects_status_order
    ON objects (pipeline_id, sphere, status, scheduled_start, id);
