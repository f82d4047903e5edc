-- id: unused_table
-- category: unused_table
-- area: cleanup
-- title: Unused tables
-- severity: info..low, default low
-- effort: low
-- group: check
-- needs: history
-- params: min_window_days=7, deprecation_patterns={deprecated_*,dropped_*}
-- input: replica_usage
-- grading: low; info when the confidence is low (no rename is proposed).
-- rationale: A table nobody reads or writes still costs backups, vacuum and restore time and
--   misleads whoever reads the schema. Stop using it safely: rename it to deprecated_<name>, so
--   a forgotten reader fails loudly while the data stays, and drop it after the grace period.
--
-- One row per plain table and materialized view (partitions and partitioned tables are left
-- out) with its current counters: seq_scan, idx_scan, n_tup_ins, n_tup_upd, n_tup_del, those of
-- pg_stat_user_tables, read from the pg_stat_get_* functions the view calls.
-- audit/checks/unused_table.cpp compares them with the previous snapshot's "table" metrics
-- (metrics_tables) and reports the tables none of them grew on.
-- Tables new since the previous snapshot, those already named by a deprecation pattern
-- ($2, deprecated_object follows them), and those another table references by a foreign key
-- (a lookup table the application reads from its cache is still the parent its children's
-- rows are checked against; unused children are reported first) are not reported. $1 (min_window_days): with less
-- history than this the finding is info. size_bytes is relpages x block_size, table plus TOAST.
-- seq_scan and idx_scan include the scans of the replicas counted ($3, the input replica_usage:
-- {schema: {relation: [seq_scan, idx_scan]}}, summed over --replica servers; {} without).
-- last_read: on PostgreSQL 16 and newer, this server's last sequential or index scan of the
-- table (unused_table.pg16.sql: pg_stat_get_lastscan() of the table and the latest of its
-- indexes', the view's last_seq_scan and last_idx_scan; null when never read since statistics
-- began); null before 16, which records neither. ISO 8601 in UTC. The two files share
-- lib/unused_table_tables.sql (the tables and their counters) and lib/unused_table_rows.sql
-- (the columns); each only says how last_read is read. (The view's row read as JSON, which
-- served every major from one file, cost a third of the check: two to_jsonb() of a
-- pg_stat_user_tables row, every counter of it, per table.)
-- Columns: the fixed aliases (message and evidence are set by the C++ logic), the counters,
-- last_read, size_bytes, rename_sql, drop_sql, undo and min_window_days.
with
-- include: unused_table_tables
read_at as (
  -- before PostgreSQL 16 the statistics record no time of a scan
  select t.*, null::timestamp as last_read
  from tbl t
)
-- include: unused_table_rows
