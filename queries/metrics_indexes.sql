-- id: metrics_indexes
-- title: Index metrics
-- kind: metrics
-- cost: high
-- rationale: Per-index size and scan counter, kept in the history for trends and for the
--   history-aware checks (unused_index judges usage by the growth of idx_scan between audits).
--
-- One pass over the indexes of user tables (pg_index, pg_class), extension-owned tables and
-- system schemas left out: size_bytes (pg_relation_size) and idx_scan (pg_stat_get_numscans,
-- as pg_stat_user_indexes shows it). Object: schema.index, as the findings name it.
-- Columns: schema_name, object_type, object, metric, value.
select n.nspname as schema_name,
       'index' as object_type,
       format('%s.%s', n.nspname, i.relname) as object,
       m.metric,
       m.value
from pg_catalog.pg_index x
join pg_catalog.pg_class i on i.oid = x.indexrelid
join pg_catalog.pg_class t on t.oid = x.indrelid
join pg_catalog.pg_namespace n on n.oid = t.relnamespace
cross join lateral (values ('size_bytes', pg_catalog.pg_relation_size(i.oid)),
                           ('idx_scan', pg_catalog.pg_stat_get_numscans(i.oid))) m(metric, value)
where i.relkind = 'i'
  and t.relkind in ('r', 'm')
  and n.nspname not in ('pg_catalog', 'information_schema')
  and n.nspname !~ '^pg_(toast|temp_)'
  and t.oid not in (select d.objid from pg_catalog.pg_depend d
                    where d.refclassid = 'pg_catalog.pg_extension'::regclass
                      and d.classid = 'pg_catalog.pg_class'::regclass and d.deptype = 'e')
order by 3, 4
