-- id: table_bloat
-- category: table_bloat
-- area: bloat
-- title: Bloated tables (estimate)
-- severity: medium..high
-- effort: high
-- trend: bloat
-- params: min_bloat_bytes=104857600, min_bloat_pct=30
-- grading: reported from min_bloat_bytes (100 MB) and min_bloat_pct; high from 60 % and 1 GB of
--   bloat, else medium.
-- rationale: Dead and deleted rows leave free space that VACUUM makes reusable but does not
--   return: a table that once held far more rows than now keeps its size, and every sequential
--   scan, backup and replica pays for the empty pages. VACUUM (ANALYZE) first, so the space is
--   reused and the estimate refreshed; to shrink the file, rebuild the table online with
--   pg_repack, or with VACUUM FULL in a maintenance window (it locks the table exclusively).
--
-- An estimate from catalog statistics, in one pass over all schemas (no per-table or per-schema
-- queries, pg_stats aggregated once): the expected heap size is reltuples rows of the average
-- tuple width (23-byte tuple header, null bitmap when a column has nulls, MAXALIGN padding,
-- 4-byte line pointer, data width = sum of (1 - null_frac) * avg_width from pg_stats) on pages
-- of block_size less the 24-byte page header, filled to the table's fillfactor. TOAST is left
-- out on both sides (relpages and avg_width both count the heap only). Tables without
-- statistics for every column, or with columns of type name, are skipped (the estimate would be
-- wrong). Flags tables whose bloat is at least min_bloat_bytes and min_bloat_pct percent.
-- Columns: the fixed finding aliases; evidence has real_bytes, expected_bytes, bloat_bytes,
-- bloat_pct, fillfactor, reltuples, method.
with const as (
  select pg_catalog.current_setting('block_size')::numeric as bs,
         case when pg_catalog.version() ~ '64-bit|x86_64|ppc64|ia64|amd64|aarch64|mingw32'
              then 8 else 4 end as ma
),
tables as (
  select c.oid, n.nspname, c.relname, c.reltuples::numeric as reltuples, c.relpages,
         coalesce((select substring(o from '^fillfactor=([0-9]+)$')::numeric
                   from pg_catalog.unnest(c.reloptions) o
                   where o like 'fillfactor=%'), 100) as fillfactor
  from pg_catalog.pg_class c
  join pg_catalog.pg_namespace n on n.oid = c.relnamespace
  where c.relkind in ('r', 'm')
    and c.relpages > 0
    and c.reltuples > 0
    -- the bloat is less than the table's size: a table smaller than min_bloat_bytes cannot be
    -- reported, and leaving it out here spares the statistics of most tables their join
    and c.relpages::numeric * pg_catalog.current_setting('block_size')::numeric >= $1::numeric
    and n.nspname not in ('pg_catalog', 'information_schema')
    and n.nspname !~ '^pg_(toast|temp_)'
    and not exists (select 1 from pg_catalog.pg_depend d
                    where d.classid = 'pg_catalog.pg_class'::regclass and d.objid = c.oid
                      and d.deptype = 'e')
),
atts as (
  select a.attrelid, count(*) as natts,
         bool_or(a.atttypid = 'pg_catalog.name'::pg_catalog.regtype) as has_name
  from pg_catalog.pg_attribute a
  join tables t on t.oid = a.attrelid
  where a.attnum > 0 and not a.attisdropped
  group by a.attrelid
),
stats as (
  select s.schemaname, s.tablename, count(*) as nstats,
         sum((1 - s.null_frac) * s.avg_width)::numeric as data_width,
         max(s.null_frac) as max_null_frac
  from pg_catalog.pg_stats s
  where not s.inherited
    and s.schemaname not in ('pg_catalog', 'information_schema')
    and s.schemaname !~ '^pg_(toast|temp_)'
  group by s.schemaname, s.tablename
),
widths as (
  select t.*, k.bs, k.ma,
         23 + case when s.max_null_frac > 0 then (a.natts + 7) / 8 else 0 end as hdr_width,
         s.data_width
  from tables t
  cross join const k
  join atts a on a.attrelid = t.oid
  join stats s on s.schemaname = t.nspname and s.tablename = t.relname
  where s.nstats = a.natts and not a.has_name
),
estimates as (
  select w.*,
         ceil(w.reltuples * (4 + ceil(w.hdr_width::numeric / w.ma) * w.ma + ceil(w.data_width / w.ma) * w.ma)
              / ((w.bs - 24) * w.fillfactor / 100)) as expected_pages
  from widths w
),
bloated as (
  select e.*,
         (e.relpages - e.expected_pages) * e.bs as bloat_bytes,
         round(100 * (e.relpages - e.expected_pages) / e.relpages, 1) as bloat_pct
  from estimates e
  where e.relpages > e.expected_pages
)
select b.nspname as schema_name,
       b.relname as table_name,
       format('%I.%I', b.nspname, b.relname) as object,
       'table' as object_type,
       case when b.bloat_pct >= 60 and b.bloat_bytes >= 1073741824 then 'high' end as severity,
       format('table %I.%I is about %s%% bloat (estimate from statistics): %s of its %s heap '
              'pages are free space; vacuum it, and rebuild it online with pg_repack to shrink it',
              b.nspname, b.relname, b.bloat_pct, b.relpages - b.expected_pages, b.relpages) as message,
       json_build_object('real_bytes', b.relpages * b.bs,
                         'expected_bytes', b.expected_pages * b.bs,
                         'bloat_bytes', b.bloat_bytes,
                         'bloat_pct', b.bloat_pct,
                         'fillfactor', b.fillfactor,
                         'reltuples', b.reltuples,
                         'method', 'estimate from pg_stats and pg_class') as evidence,
       format(E'set lock_timeout = ''5s'';\nvacuum (analyze) %I.%I;\n-- vacuum makes the space reusable but keeps the file size; '
              'to shrink it, rebuild the table online with pg_repack, or run vacuum full in a '
              'maintenance window (it takes an access exclusive lock)', b.nspname, b.relname) as remediation,
       '-- nothing to undo: vacuum changes no data' as undo,
       format('%I.%I', b.nspname, b.relname) as identity
from bloated b
where b.bloat_bytes >= $1::numeric
  and b.bloat_pct >= $2::numeric
order by b.bloat_bytes desc, b.nspname, b.relname
