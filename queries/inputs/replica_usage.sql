-- id: replica_usage
-- kind: input
-- title: Usage counters of each replica
-- rationale: Queries a read replica serves are counted on the replica only, never on the
--   primary: an index or a table used only there looks unused on the primary. The usage checks
--   add each replica's counters (--replica, or a target's replicas) to the primary's before
--   anything is judged unused.
--
-- Unlike the other inputs, this one never runs on the audited server: audit/replica_usage.cpp
-- runs it on each replica, once per audit (a read-only transaction with the audit's
-- statement_timeout, lock_timeout and application_name; ACCESS SHARE on the statistics views
-- only), and sums its rows by schema and relation name. The checks that declare it (unused_index,
-- unused_table, metrics_indexes, metrics_tables) get the sums as one JSON object,
-- {"<schema>": {"<relation>": [seq_scan, idx_scan]}}, and look a relation up with one path,
-- `$n::jsonb #>> array[schema_name::text, relation_name::text, '0']` (or '1'); `{}` without
-- replicas. Not `-> schema -> relation`: the first step copies the whole schema's object, for
-- every row (unused_index over 8,000 indexes with 10,000 relations counted: 2.5 s instead of
-- 0.13 s). Keyed by names, never oids or labels: a physical replica has the primary's names.
-- Columns: schema_name, relation_name, seq_scan (null for an index), idx_scan. Only relations
-- a replica scanned at least once (a replica serving no reads adds no rows).
select s.schemaname as schema_name,
       s.relname as relation_name,
       s.seq_scan,
       coalesce(s.idx_scan, 0) as idx_scan
from pg_catalog.pg_stat_user_tables s
where s.seq_scan + coalesce(s.idx_scan, 0) > 0
  and s.schemaname !~ '^pg_temp_'
union all
select s.schemaname,
       s.indexrelname,
       null::bigint,
       s.idx_scan
from pg_catalog.pg_stat_user_indexes s
where s.idx_scan > 0
  and s.schemaname !~ '^pg_temp_'
order by 1, 2
