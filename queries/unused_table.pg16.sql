-- id: unused_table
-- category: unused_table
--
-- From PostgreSQL 16 the statistics record the last scan of a relation: the base query
-- (unused_table.sql, whose header is the check's) with last_read read from them, the latest of
-- the table's own (pg_stat_all_tables.last_seq_scan) and its indexes' (last_idx_scan, the
-- latest over every index of the table, as the view computes it) through pg_stat_get_lastscan(),
-- for the tables kept only, not by to_jsonb() of each pg_stat_user_tables row.
with
-- include: unused_table_tables
read_at as (
  select t.*,
         greatest(pg_catalog.pg_stat_get_lastscan(t.relid),
                  (select max(pg_catalog.pg_stat_get_lastscan(i.indexrelid))
                   from pg_catalog.pg_index i where i.indrelid = t.relid)) at time zone 'UTC' as last_read
  from tbl t
)
-- include: unused_table_rows
