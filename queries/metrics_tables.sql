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
-- One pass over the tables pg_stat_user_tables shows (relkind r, t, m, and p from PostgreSQL 14,
-- as its view has it; extension-owned tables and temp schemas left out), calling the
-- pg_stat_get_* counter functions it is made of directly, for the seven counters kept:
-- n_live_tup, n_dead_tup, seq_scan, idx_scan (the sum over the table's indexes, as the view
-- sums it; 0 without indexes), n_tup_ins, n_tup_upd, n_tup_del for every table (the view
-- calls some twenty such functions per table and groups its join to pg_index: 220 -> 175 ms of
-- server time on the 1,000-schema benchmark), and size_bytes (pg_table_size: heap and TOAST) for the
-- `sized_tables` largest by the planner's page counts (pg_class.relpages of the table and of its
-- TOAST table, as of the last VACUUM or ANALYZE; live plus dead rows break ties). pg_table_size
-- opens every relation it measures, which is most of the cost of a pass over 10,000 tables, and
-- the trends chart the largest tables only; findings measure their own objects. seq_scan and
-- idx_scan include the replicas' ($2, the input replica_usage; {} without replicas), as the
-- usage checks compare them. The tables are put in the order of their name before the counters
-- are spread over rows, so the final order by sorts each table's few rows only. Object:
-- schema.table, as the findings name it. Columns: schema_name, object_type, object, metric, value.
with t as (
  select c.oid as relid, n.nspname as schemaname, c.relname,
         c.relpages::bigint + coalesce(toast.relpages, 0) as pages,
         pg_catalog.pg_stat_get_numscans(c.oid) as seq_scan,
         (select sum(pg_catalog.pg_stat_get_numscans(i.indexrelid))::bigint
          from pg_catalog.pg_index i where i.indrelid = c.oid) as idx_scan,
         pg_catalog.pg_stat_get_tuples_inserted(c.oid) as n_tup_ins,
         pg_catalog.pg_stat_get_tuples_updated(c.oid) as n_tup_upd,
         pg_catalog.pg_stat_get_tuples_deleted(c.oid) as n_tup_del,
         pg_catalog.pg_stat_get_live_tuples(c.oid) as n_live_tup,
         pg_catalog.pg_stat_get_dead_tuples(c.oid) as n_dead_tup
  from pg_catalog.pg_class c
  join pg_catalog.pg_namespace n on n.oid = c.relnamespace
  left join pg_catalog.pg_class toast on toast.oid = c.reltoastrelid
  where (c.relkind in ('r', 't', 'm')
         or (c.relkind = 'p' and pg_catalog.current_setting('server_version_num')::int >= 140000))
    and n.nspname not in ('pg_catalog', 'information_schema')
    and n.nspname !~ '^pg_toast'
    and n.nspname !~ '^pg_temp_'
    and c.oid not in (
      -- include: extension_relations
    )
),
ranked as (
  select t.*,
         format('%I.%I', t.schemaname, t.relname) as object,
         row_number() over (order by t.pages desc, t.n_live_tup + t.n_dead_tup desc, t.relid) as size_rank
  from t
  order by object
)
select r.schemaname as schema_name,
       'table' as object_type,
       r.object,
       m.metric,
       m.value
from ranked r
cross join lateral (values ('size_bytes', case when r.size_rank <= $1::bigint then pg_catalog.pg_table_size(r.relid) end),
                           ('n_live_tup', r.n_live_tup),
                           ('n_dead_tup', r.n_dead_tup),
                           ('seq_scan', r.seq_scan + coalesce(($2::jsonb #>> array[r.schemaname::text, r.relname::text, '0'])::bigint, 0)),
                           ('idx_scan', coalesce(r.idx_scan, 0) + coalesce(($2::jsonb #>> array[r.schemaname::text, r.relname::text, '1'])::bigint, 0)),
                           ('n_tup_ins', r.n_tup_ins),
                           ('n_tup_upd', r.n_tup_upd),
                           ('n_tup_del', r.n_tup_del)) m(metric, value)
where m.value is not null
order by 3, 4
