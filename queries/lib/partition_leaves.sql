-- One CTE for the checks that judge a partitioned table by its leaf partitions (PostgreSQL never
-- analyzes a partitioned table on its own: not_null_candidate, unused_column): partition_leaves,
-- per partitioned table that is no partition itself (outside the system schemas, not an
-- extension's), each leaf partition that holds rows (an empty leaf made ahead, analyzed or
-- never, holds nothing to judge), with its row estimate and analyze state from the pg_stat_get_*
-- functions pg_stat_user_tables is made of.
partition_leaves as (
  select p.oid as root, pn.nspname as root_schema, p.relname as root_name,
         ln.nspname as leaf_schema, l.relname as leaf_name, l.reltuples,
         greatest(pg_catalog.pg_stat_get_last_analyze_time(l.oid),
                  pg_catalog.pg_stat_get_last_autoanalyze_time(l.oid)) as last_analyzed,
         pg_catalog.pg_stat_get_mod_since_analyze(l.oid) as n_mod_since_analyze
  from pg_catalog.pg_class p
  join pg_catalog.pg_namespace pn on pn.oid = p.relnamespace
  cross join lateral pg_catalog.pg_partition_tree(p.oid) pt
  join pg_catalog.pg_class l on l.oid = pt.relid
  join pg_catalog.pg_namespace ln on ln.oid = l.relnamespace
  where p.relkind = 'p' and not p.relispartition
    and pt.isleaf and l.relkind = 'r'
    and not (l.reltuples <= 0 and l.relpages = 0)
    and pn.nspname not in ('pg_catalog', 'information_schema')
    and pn.nspname !~ '^pg_(toast|temp_)'
    and not exists (select 1 from pg_catalog.pg_depend d
                    where d.classid = 'pg_catalog.pg_class'::regclass and d.objid = p.oid and d.deptype = 'e')
),
