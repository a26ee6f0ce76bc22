-- objects_status (pipeline_id, sphere, status) had few distinct keys and
-- so long runs of duplicates, mostly dead after status changes: every
-- insert into such a run checked the heap for dead entries first, and
-- creating a plan's instances slowed from milliseconds to over a second
-- as a busy run went on. Keyed by scheduled start and id too, its
-- entries are unique, and a status filter reads them in QueryObjects'
-- order.
CREATE INDEX objects_status_order ON objects (pipeline_id, sphere, status, scheduled_start_at, id);
DROP INDEX objects_status;
