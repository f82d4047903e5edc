-- id: unused_index
-- category: unused_index
--
-- From PostgreSQL 16 the statistics record the last scan of an index: the base query
-- (unused_index.sql, whose header is the check's) with last_scan read as the view
-- pg_stat_all_indexes reads last_idx_scan, pg_stat_get_lastscan(), for the candidates only,
-- not by to_jsonb() of the view's row (every counter of it and its JSON per candidate).
with
-- include: unused_index_indexes
last_scans as (
  select s.indexrelid, pg_catalog.pg_stat_get_lastscan(s.indexrelid) at time zone 'UTC' as last_scan
  from pg_catalog.pg_stat_all_indexes s
),
-- include: unused_index_rows
