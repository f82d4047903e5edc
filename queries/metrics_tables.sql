-- id: metrics_tables
-- title: Table metrics
-- kind: metrics
-- cost: high
-- params: sized_tables=100
-- input: replica_usage
-- rationale: Per-table row counts and activity counters, and the size of the largest tables,
--   kept in the history for trends and for the history-aware checks (unused_table compares the
--   counters between audits).
--
-- One pass over pg_stat_user_tables (extension-owned tables and temp schemas left out):
-- n_live_tup, n_dead_tup, seq_scan, idx_scan (0 without indexes), n_tup_ins, n_tup_upd,
-- n_tup_del for every table, and size_bytes (pg_table_size: heap and TOAST) for the
-- `sized_tables` largest by the planner's page counts (pg_class.relpages of the table and of its
-- TOAST table, as of the last VACUUM or ANALYZE; live plus dead rows break ties). pg_table_size
-- opens every relation it measures, which is most of the cost of a pass over 10,000 tables, and
-- the trends chart the largest tables only; findings measure their own objects. seq_scan and
-- idx_scan include the replicas' ($2, the input replica_usage; {} without replicas), as the
-- usage checks compare them. Object:
-- schema.table, as the findings name it. Columns: schema_name, object_type, object, metric, value.
with t as (
  select s.*,
         row_number() over (order by c.relpages::bigint + coalesce(toast.relpages, 0) desc,
                                     s.n_live_tup + s.n_dead_tup desc, s.relid) as size_rank
  from pg_catalog.pg_stat_user_tables s
  join pg_catalog.pg_class c on c.oid = s.relid
  left join pg_catalog.pg_class toast on toast.oid = c.reltoastrelid
  where s.schemaname !~ '^pg_temp_'
    and s.relid not in (select d.objid from pg_catalog.pg_depend d
                        where d.refclassid = 'pg_catalog.pg_extension'::regclass
                          and d.classid = 'pg_catalog.pg_class'::regclass and d.deptype = 'e')
)
select t.schemaname as schema_name,
       'table' as object_type,
       format('%I.%I', t.schemaname, t.relname) as object,
       m.metric,
       m.value
from t
cross join lateral (values ('size_bytes', case when t.size_rank <= $1::bigint then pg_catalog.pg_table_size(t.relid) end),
                           ('n_live_tup', t.n_live_tup),
                           ('n_dead_tup', t.n_dead_tup),
                           ('seq_scan', t.seq_scan + coalesce(($2::jsonb #>> array[t.schemaname::text, t.relname::text, '0'])::bigint, 0)),
                           ('idx_scan', coalesce(t.idx_scan, 0) + coalesce(($2::jsonb #>> array[t.schemaname::text, t.relname::text, '1'])::bigint, 0)),
                           ('n_tup_ins', t.n_tup_ins),
                           ('n_tup_upd', t.n_tup_upd),
                           ('n_tup_del', t.n_tup_del)) m(metric, value)
where m.value is not null
order by 3, 4
