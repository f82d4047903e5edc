-- id: table_bloat_exact
-- category: table_bloat
-- area: bloat
-- title: Bloated tables (measured with pgstattuple)
-- severity: medium
-- effort: high
-- needs: pgstattuple, opt_in:exact_bloat
-- trend: bloat
-- params: top_n=10, min_bloat_bytes=104857600, min_bloat_pct=30
-- rationale: The statistics-based estimate of table_bloat can be off for tables with wide,
--   variable or correlated columns. pgstattuple reads the table and counts dead tuples and free
--   space exactly. VACUUM (ANALYZE) makes the space reusable; to shrink the file, rebuild the
--   table online with pg_repack, or with VACUUM FULL in a maintenance window.
--
-- Opt-in (--opt-in exact_bloat), because pgstattuple reads every page of what it measures: it
-- runs on the top_n largest tables and materialized views only (by relpages), with the
-- read-only pgstattuple() function (AccessShareLock; needs superuser or pg_stat_scan_tables,
-- part of pg_monitor). Bloat = dead tuple bytes + free space, less the space the fillfactor
-- keeps free on purpose. Flags tables at or above min_bloat_bytes and min_bloat_pct percent.
-- The function is called unqualified: the extension's schema must be on the search_path.
-- Columns: the fixed finding aliases; evidence has table_bytes, bloat_bytes, bloat_pct,
-- dead_tuple_bytes, free_bytes, fillfactor, method.
with candidates as (
  select c.oid, n.nspname, c.relname,
         coalesce((select substring(o from '^fillfactor=([0-9]+)$')::numeric
                   from pg_catalog.unnest(c.reloptions) o
                   where o like 'fillfactor=%'), 100) as fillfactor
  from pg_catalog.pg_class c
  join pg_catalog.pg_namespace n on n.oid = c.relnamespace
  where c.relkind in ('r', 'm')
    and c.relpages > 0
    and n.nspname not in ('pg_catalog', 'information_schema')
    and n.nspname !~ '^pg_(toast|temp_)'
    and not exists (select 1 from pg_catalog.pg_depend d
                    where d.classid = 'pg_catalog.pg_class'::regclass and d.objid = c.oid
                      and d.deptype = 'e')
  order by c.relpages desc, c.oid
  limit $1::int
),
measured as (
  select c.*, s.table_len, s.dead_tuple_len, s.free_space,
         greatest(s.dead_tuple_len + s.free_space - s.table_len * (100 - c.fillfactor) / 100, 0) as bloat_bytes
  from candidates c
  cross join lateral pgstattuple(c.oid) s
)
select m.nspname as schema_name,
       m.relname as table_name,
       format('%I.%I', m.nspname, m.relname) as object,
       'table' as object_type,
       format('table %I.%I is %s%% bloat (measured with pgstattuple): dead tuples and free space '
              'beyond its fillfactor; vacuum it, and rebuild it online with pg_repack to shrink it',
              m.nspname, m.relname, round(100 * m.bloat_bytes / m.table_len, 1)) as message,
       json_build_object('table_bytes', m.table_len,
                         'bloat_bytes', round(m.bloat_bytes),
                         'bloat_pct', round(100 * m.bloat_bytes / m.table_len, 1),
                         'dead_tuple_bytes', m.dead_tuple_len,
                         'free_bytes', m.free_space,
                         'fillfactor', m.fillfactor,
                         'method', 'pgstattuple') as evidence,
       format(E'vacuum (analyze) %I.%I;\n-- vacuum makes the space reusable but keeps the file size; '
              'to shrink it, rebuild the table online with pg_repack, or run vacuum full in a '
              'maintenance window (it takes an access exclusive lock)', m.nspname, m.relname) as remediation,
       '-- nothing to undo: vacuum changes no data' as undo,
       format('%I.%I', m.nspname, m.relname) as identity
from measured m
where m.table_len > 0
  and m.bloat_bytes >= $2::numeric
  and 100 * m.bloat_bytes / m.table_len >= $3::numeric
order by m.bloat_bytes desc, m.nspname, m.relname
