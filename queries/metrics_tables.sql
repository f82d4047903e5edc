-- id: metrics_tables
-- title: Table metrics
-- kind: metrics
-- cost: high
-- rationale: Per-table size, row counts and activity counters, kept in the history for trends
--   and for the history-aware checks (unused_table compares the counters between audits).
--
-- One pass over pg_stat_user_tables (extension-owned tables and temp schemas left out):
-- size_bytes (pg_table_size: heap and TOAST), n_live_tup, n_dead_tup, seq_scan, idx_scan
-- (0 without indexes), n_tup_ins, n_tup_upd, n_tup_del. Object: schema.table, as the findings
-- name it. Columns: schema_name, object_type, object, metric, value.
select s.schemaname as schema_name,
       'table' as object_type,
       format('%s.%s', s.schemaname, s.relname) as object,
       m.metric,
       m.value
from pg_catalog.pg_stat_user_tables s
cross join lateral (values ('size_bytes', pg_catalog.pg_table_size(s.relid)),
                           ('n_live_tup', s.n_live_tup),
                           ('n_dead_tup', s.n_dead_tup),
                           ('seq_scan', s.seq_scan),
                           ('idx_scan', coalesce(s.idx_scan, 0)),
                           ('n_tup_ins', s.n_tup_ins),
                           ('n_tup_upd', s.n_tup_upd),
                           ('n_tup_del', s.n_tup_del)) m(metric, value)
where s.schemaname !~ '^pg_temp_'
  and s.relid not in (select d.objid from pg_catalog.pg_depend d
                      where d.refclassid = 'pg_catalog.pg_extension'::regclass
                        and d.classid = 'pg_catalog.pg_class'::regclass and d.deptype = 'e')
order by 3, 4
