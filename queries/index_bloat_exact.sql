-- id: index_bloat_exact
-- category: index_bloat
-- area: bloat
-- title: Bloated B-tree indexes (measured with pgstattuple)
-- severity: medium
-- effort: low
-- needs: pgstattuple, opt_in:exact_bloat
-- trend: bloat
-- params: top_n=10, min_bloat_bytes=104857600, min_bloat_pct=30
-- rationale: The statistics-based estimate of index_bloat cannot see deduplication of
--   multi-column indexes or uneven page fill. pgstatindex reads the index and measures the leaf
--   density and the empty and deleted pages exactly. REINDEX INDEX CONCURRENTLY builds a
--   compact copy without blocking writes.
--
-- Opt-in (--opt-in exact_bloat), because pgstatindex reads every page of the index: it runs on
-- the top_n largest valid B-tree indexes only (by relpages), with the read-only pgstatindex()
-- function (AccessShareLock; needs superuser or pg_stat_scan_tables, part of pg_monitor).
-- Bloat = leaf space below the fillfactor's density, plus empty and deleted pages. Flags
-- indexes at or above min_bloat_bytes and min_bloat_pct percent. The function is called
-- unqualified: the extension's schema must be on the search_path.
-- Columns: the fixed finding aliases; evidence has index_bytes, bloat_bytes, bloat_pct,
-- avg_leaf_density, leaf_pages, empty_pages, deleted_pages, fillfactor, method.
with candidates as (
  select i.oid, n.nspname, i.relname as index_name, t.relname as table_name,
         coalesce((select substring(o from '^fillfactor=([0-9]+)$')::numeric
                   from pg_catalog.unnest(i.reloptions) o
                   where o like 'fillfactor=%'), 90) as fillfactor
  from pg_catalog.pg_index x
  join pg_catalog.pg_class i on i.oid = x.indexrelid
  join pg_catalog.pg_class t on t.oid = x.indrelid
  join pg_catalog.pg_namespace n on n.oid = i.relnamespace
  join pg_catalog.pg_am am on am.oid = i.relam and am.amname = 'btree'
  where i.relkind = 'i'
    and x.indisvalid
    and i.relpages > 1
    and n.nspname not in ('pg_catalog', 'information_schema')
    and n.nspname !~ '^pg_(toast|temp_)'
    and not exists (select 1 from pg_catalog.pg_depend d
                    where d.classid = 'pg_catalog.pg_class'::regclass and d.objid = t.oid
                      and d.deptype = 'e')
  order by i.relpages desc, i.oid
  limit $1::int
),
measured as (
  select c.*, s.index_size, s.leaf_pages, s.empty_pages, s.deleted_pages, s.avg_leaf_density,
         pg_catalog.current_setting('block_size')::numeric as bs
  from candidates c
  cross join lateral pgstatindex(c.oid) s
  where s.leaf_pages > 0 and s.avg_leaf_density = s.avg_leaf_density -- NaN for an empty index
),
bloated as (
  select m.*,
         (greatest(m.leaf_pages * (1 - m.avg_leaf_density::numeric / m.fillfactor), 0)
          + m.empty_pages + m.deleted_pages) * m.bs as bloat_bytes
  from measured m
)
select b.nspname as schema_name,
       b.table_name,
       format('%I.%I', b.nspname, b.index_name) as object,
       'index' as object_type,
       format('index %I on %I.%I is %s%% bloat (measured with pgstatindex: leaf pages %s%% full); '
              'rebuild it with reindex index concurrently',
              b.index_name, b.nspname, b.table_name, round(100 * b.bloat_bytes / b.index_size, 1),
              b.avg_leaf_density) as message,
       json_build_object('index_bytes', b.index_size,
                         'bloat_bytes', round(b.bloat_bytes),
                         'bloat_pct', round(100 * b.bloat_bytes / b.index_size, 1),
                         'avg_leaf_density', b.avg_leaf_density,
                         'leaf_pages', b.leaf_pages,
                         'empty_pages', b.empty_pages,
                         'deleted_pages', b.deleted_pages,
                         'fillfactor', b.fillfactor,
                         'method', 'pgstatindex') as evidence,
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
where b.bloat_bytes >= $2::numeric
  and 100 * b.bloat_bytes / b.index_size >= $3::numeric
order by b.bloat_bytes desc, b.nspname, b.index_name
