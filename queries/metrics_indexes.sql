-- id: metrics_indexes
-- title: Index metrics
-- kind: metrics
-- cost: high
-- params: sized_indexes=100
-- input: replica_usage
-- rationale: Per-index scan counters, and the size of the largest indexes, kept in the history
--   for trends and for the history-aware checks (unused_index judges usage by the growth of
--   idx_scan between audits).
--
-- One pass over the indexes of user tables (pg_index, pg_class), extension-owned tables and
-- system schemas left out: idx_scan (pg_stat_get_numscans, as pg_stat_user_indexes shows it)
-- for every index, and size_bytes (pg_relation_size) for the `sized_indexes` largest by the
-- planner's page count (pg_class.relpages, as of the last VACUUM, ANALYZE or CREATE INDEX).
-- pg_relation_size opens every relation it measures, which is most of the cost of a pass over
-- 22,000 indexes; the findings on an index (unused, duplicate, bloated...) measure its size
-- themselves. idx_scan includes the replicas' ($2, the input replica_usage; {} without
-- replicas), as unused_index compares it. Object: schema.index, as the findings name it.
-- Columns: schema_name, object_type, object, metric, value.
with ix as (
  select n.nspname, i.oid, i.relname,
         row_number() over (order by i.relpages desc, i.oid) as size_rank
  from pg_catalog.pg_index x
  join pg_catalog.pg_class i on i.oid = x.indexrelid
  join pg_catalog.pg_class t on t.oid = x.indrelid
  join pg_catalog.pg_namespace n on n.oid = t.relnamespace
  where i.relkind = 'i'
    and t.relkind in ('r', 'm')
    and n.nspname not in ('pg_catalog', 'information_schema')
    and n.nspname !~ '^pg_(toast|temp_)'
    and t.oid not in (
      -- include: extension_relations
    )
)
select ix.nspname as schema_name,
       'index' as object_type,
       format('%I.%I', ix.nspname, ix.relname) as object,
       m.metric,
       m.value
from ix
cross join lateral (values ('size_bytes', case when ix.size_rank <= $1::bigint then pg_catalog.pg_relation_size(ix.oid) end),
                           ('idx_scan', pg_catalog.pg_stat_get_numscans(ix.oid)
                                        + coalesce(($2::jsonb #>> array[ix.nspname::text, ix.relname::text, '1'])::bigint, 0))) m(metric, value)
where m.value is not null
order by 3, 4
