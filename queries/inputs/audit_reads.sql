-- id: audit_reads
-- kind: input
-- title: The audit's own reads of the user's tables and indexes
-- rationale: The server counts the audit's reads like the application's: int_overflow's exact
--   max() is an index scan, table_bloat_exact's pgstattuple() a sequential scan, counted once
--   the audit's session ends. The audit stores them beside the counters (audit_seq_scan,
--   audit_idx_scan) so that the next audit takes them out of the growth it judges (unused_index,
--   unused_table): an audit must not make a table or an index look used. Read by the runner
--   (audit/runner.cpp) on every session of the audit after its checks: each session counts its
--   own statements.
--
-- One row per user table or index that this session's transaction scanned
-- (pg_stat_get_xact_numscans: the counts not yet sent to the server's statistics), labelled as
-- metrics_tables and metrics_indexes label their objects. A table's index scans are the sum over
-- its indexes, as its idx_scan is. Columns: object_type, object, metric, value.
with scanned as (
  select c.oid, c.relkind, n.nspname, c.relname, pg_catalog.pg_stat_get_xact_numscans(c.oid) as scans
  from pg_catalog.pg_class c
  join pg_catalog.pg_namespace n on n.oid = c.relnamespace
  where c.relkind in ('r', 'm', 'i')
    and n.nspname not in ('pg_catalog', 'information_schema')
    and n.nspname !~ '^pg_(toast|temp_)'
    and pg_catalog.pg_stat_get_xact_numscans(c.oid) > 0
)
select case s.relkind when 'i' then 'index' else 'table' end as object_type,
       format('%I.%I', s.nspname, s.relname) as object,
       case s.relkind when 'i' then 'audit_idx_scan' else 'audit_seq_scan' end as metric,
       s.scans as value
from scanned s
union all
select 'table', format('%I.%I', n.nspname, t.relname), 'audit_idx_scan', sum(s.scans)
from scanned s
join pg_catalog.pg_index x on x.indexrelid = s.oid
join pg_catalog.pg_class t on t.oid = x.indrelid
join pg_catalog.pg_namespace n on n.oid = t.relnamespace
group by n.nspname, t.relname
