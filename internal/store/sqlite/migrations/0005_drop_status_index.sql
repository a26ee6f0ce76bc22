-- objects_status (pipeline_id, sphere, status) is a prefix of
-- objects_status_order (0003), which serves every query it served. Each
-- status change paid for both; now it pays for one.
DROP INDEX objects_status;
