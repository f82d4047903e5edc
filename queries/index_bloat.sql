-- id: index_bloat
-- category: index_bloat
-- area: bloat
-- title: Bloated B-tree indexes (estimate)
-- severity: medium..high
-- effort: low
-- trend: bloat
-- params: min_bloat_bytes=104857600, min_bloat_pct=30, min_pages=64
-- grading: reported from min_bloat_bytes (100 MB) and min_bloat_pct, on an index of at least
--   min_pages (64 pages); high from 60 % and 1 GB of bloat, else medium.
-- rationale: B-tree pages emptied by deletes and updates are reused only for keys of the same
--   range, so an index that churned keeps far more pages than its rows need: it wastes cache
--   and disk and slows every scan of it. REINDEX INDEX CONCURRENTLY builds a compact copy
--   without blocking writes and swaps it in.
--
-- An estimate from catalog statistics, in one pass over all schemas (pg_stats joined once, no
-- per-index queries): the expected size is reltuples leaf tuples (8-byte IndexTupleData, a
-- 4-byte null bitmap when a key column has nulls, the key width from pg_stats avg_width and
-- null_frac, MAXALIGN padding, 4-byte line pointer) on pages of block_size less the page header
-- and B-tree special space, filled to the index's fillfactor (90 by default), plus the meta
-- page; inner pages are ignored. Deduplication (PostgreSQL 13+): for single-column non-unique
-- indexes on types that deduplicate, equal keys are counted as posting lists of 6-byte heap
-- pointers, using the column's n_distinct; for other indexes none is assumed, so their bloat is
-- under- rather than overstated. Expression keys use the index's own statistics. Indexes
-- without statistics for every key are skipped. Flags indexes whose bloat is at least
-- min_bloat_bytes and min_bloat_pct percent, and only from min_pages pages (64, 512 kB at the
-- default block size): the estimate is off by a page or two (the inner pages it leaves out, the
-- last page's fill), which on an index of a few pages is a large share (a freshly built index of
-- 8 pages reads as 1 free page in 8), so a smaller index is not judged whatever the other two
-- thresholds say.
-- Columns: the fixed finding aliases; evidence has real_bytes, expected_bytes, bloat_bytes,
-- bloat_pct, fillfactor, reltuples, deduplication_assumed, method.
with const as (
  select pg_catalog.current_setting('block_size')::numeric as bs,
         case when pg_catalog.version() ~ '64-bit|x86_64|ppc64|ia64|amd64|aarch64|mingw32'
              then 8 else 4 end as ma,
         pg_catalog.current_setting('server_version_num')::int >= 130000 as has_dedup
),
indexes as (
  select x.indexrelid, x.indrelid, x.indkey::int2[] as indkey, x.indnatts, x.indisunique,
         n.nspname, i.relname as index_name, t.relname as table_name,
         i.reltuples::numeric as reltuples, i.relpages,
         coalesce((select substring(o from '^fillfactor=([0-9]+)$')::numeric
                   from pg_catalog.unnest(i.reloptions) o
                   where o like 'fillfactor=%'), 90) as fillfactor,
         not coalesce('deduplicate_items=off' = any(i.reloptions)
                      or 'deduplicate_items=false' = any(i.reloptions), false) as dedup_on
  from pg_catalog.pg_index x
  join pg_catalog.pg_class i on i.oid = x.indexrelid
  join pg_catalog.pg_class t on t.oid = x.indrelid
  join pg_catalog.pg_namespace n on n.oid = i.relnamespace
  join pg_catalog.pg_am am on am.oid = i.relam and am.amname = 'btree'
  where i.relkind = 'i'
    and x.indisvalid
    and i.relpages >= greatest($3::int, 2)
    and i.reltuples > 0
    and n.nspname not in ('pg_catalog', 'information_schema')
    and n.nspname !~ '^pg_(toast|temp_)'
    and not exists (select 1 from pg_catalog.pg_depend d
                    where d.classid = 'pg_catalog.pg_class'::regclass and d.objid = t.oid
                      and d.deptype = 'e')
),
-- pg_stats read once (materialized): joined by name below, the view would otherwise be
-- re-evaluated per index key.
stats as materialized (
  select s.schemaname, s.tablename, s.attname, s.null_frac, s.avg_width, s.n_distinct
  from pg_catalog.pg_stats s
  where not s.inherited
    and s.schemaname not in ('pg_catalog', 'information_schema')
    and s.schemaname !~ '^pg_(toast|temp_)'
),
keys as (
  select ix.indexrelid, ix.nspname, k.pos,
         case when k.attnum = 0 then ix.index_name else ix.table_name end as stats_rel,
         coalesce(ta.attname, ia.attname) as attname,
         coalesce(ta.atttypid, ia.atttypid) as atttypid
  from indexes ix
  cross join lateral pg_catalog.unnest(ix.indkey) with ordinality as k(attnum, pos)
  left join pg_catalog.pg_attribute ta
         on k.attnum <> 0 and ta.attrelid = ix.indrelid and ta.attnum = k.attnum
  left join pg_catalog.pg_attribute ia
         on k.attnum = 0 and ia.attrelid = ix.indexrelid and ia.attnum = k.pos
),
key_stats as (
  select k.indexrelid, count(*) as nkeys, count(s.attname) as nstats,
         sum((1 - s.null_frac) * s.avg_width)::numeric as data_width,
         max(s.null_frac) as max_null_frac,
         max(s.n_distinct) as n_distinct,
         bool_and(k.atttypid in ('pg_catalog.int2'::pg_catalog.regtype, 'pg_catalog.int4'::pg_catalog.regtype,
                                 'pg_catalog.int8'::pg_catalog.regtype, 'pg_catalog.oid'::pg_catalog.regtype,
                                 'pg_catalog.bool'::pg_catalog.regtype, 'pg_catalog.date'::pg_catalog.regtype,
                                 'pg_catalog.timestamp'::pg_catalog.regtype, 'pg_catalog.timestamptz'::pg_catalog.regtype,
                                 'pg_catalog.uuid'::pg_catalog.regtype, 'pg_catalog.text'::pg_catalog.regtype,
                                 'pg_catalog.varchar'::pg_catalog.regtype, 'pg_catalog.bpchar'::pg_catalog.regtype)) as dedup_type
  from keys k
  left join stats s
         on s.schemaname = k.nspname and s.tablename = k.stats_rel and s.attname = k.attname
  group by k.indexrelid
),
widths as (
  select ix.*, c.bs, c.ma, ks.n_distinct,
         -- leaf tuple with its line pointer: header (+ null bitmap) and data, each MAXALIGNed
         4 + ceil((8 + case when ks.max_null_frac > 0 then 4 else 0 end)::numeric / c.ma) * c.ma
           + ceil(ks.data_width / c.ma) * c.ma as tuple_width,
         (c.bs - 24 - 16) * ix.fillfactor / 100 as page_room,
         c.has_dedup and ix.dedup_on and not ix.indisunique and ix.indnatts = 1 and ks.dedup_type
           and ks.n_distinct is not null and ks.n_distinct <> 0 as deduplicated
  from indexes ix
  cross join const c
  join key_stats ks on ks.indexrelid = ix.indexrelid
  where ks.nstats = ks.nkeys
),
estimates as (
  select w.*,
         1 + ceil(case
                    when w.deduplicated then
                      -- posting-list tuples: one per distinct key (at most ~400 heap pointers
                      -- each), plus 6 bytes per row
                      greatest(least(case when w.n_distinct > 0 then w.n_distinct::numeric
                                          else -w.n_distinct::numeric * w.reltuples end,
                                     w.reltuples),
                               w.reltuples / 400) * w.tuple_width + w.reltuples * 6
                    else w.reltuples * w.tuple_width
                  end / w.page_room) as expected_pages
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
       b.table_name,
       format('%I.%I', b.nspname, b.index_name) as object,
       'index' as object_type,
       case when b.bloat_pct >= 60 and b.bloat_bytes >= 1073741824 then 'high' end as severity,
       format('index %I on %I.%I is about %s%% bloat (estimate from statistics): %s of its %s '
              'pages are free space; rebuild it with reindex index concurrently',
              b.index_name, b.nspname, b.table_name, b.bloat_pct, b.relpages - b.expected_pages,
              b.relpages) as message,
       json_build_object('real_bytes', b.relpages * b.bs,
                         'expected_bytes', b.expected_pages * b.bs,
                         'bloat_bytes', b.bloat_bytes,
                         'bloat_pct', b.bloat_pct,
                         'fillfactor', b.fillfactor,
                         'reltuples', b.reltuples,
                         'deduplication_assumed', b.deduplicated,
                         'method', 'estimate from pg_stats and pg_class') as evidence,
       concat_ws(E'\n',
         'set lock_timeout = ''5s'';',
         format('reindex index concurrently %I.%I;', b.nspname, b.index_name),
         '-- a rebuild that failed (a lock timeout, a cancel) leaves an invalid copy named <index>_ccnew: drop it',
         format(E'do $$\ndeclare\n  leftover regclass;\nbegin\n'
                '  for leftover in select x.indexrelid::regclass from pg_catalog.pg_index x\n'
                '                  join pg_catalog.pg_class i on i.oid = x.indexrelid\n'
                '                  where i.relnamespace = %L::regnamespace and not x.indisvalid\n'
                '                    and left(i.relname, length(%L)) = %L and substr(i.relname, length(%L) + 1) ~ ''^_ccnew[0-9]*$'' loop\n'
                '    raise warning ''%% was left invalid by a failed rebuild and is dropped: run this script again'', leftover;\n'
                '    execute pg_catalog.format(''drop index %%s'', leftover);\n'
                '  end loop;\nend $$;',
                format('%I', b.nspname), b.index_name, b.index_name, b.index_name)) as remediation,
       '-- nothing to undo: the rebuilt index has the same definition and name' as undo,
       format('%I.%I', b.nspname, b.index_name) as identity
from bloated b
where b.bloat_bytes >= $1::numeric
  and b.bloat_pct >= $2::numeric
order by b.bloat_bytes desc, b.nspname, b.index_name
