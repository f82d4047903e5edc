-- id: redundant_predicate
-- category: redundant_predicate
-- area: indexes
-- title: Partial indexes whose predicate only repeats NOT NULL
-- severity: low
-- effort: low
-- group: check
-- rationale: A partial index WHERE col IS NOT NULL on a column declared NOT NULL holds every row
--   anyway, but the planner does not read NOT NULL constraints when it decides whether a partial
--   index fits a query: a query that does not imply the predicate (ORDER BY col LIMIT n, a join,
--   col IS NULL) cannot use it. Rebuild it whole, concurrently, and swap it in under the old
--   name.
--
-- Valid, non-partitioned partial indexes whose predicate is one or more "(col IS NOT NULL)"
-- joined by AND, every col a NOT NULL column of the table. When a valid whole index with the
-- same keys exists (the primary key, often), the partial one is a duplicate and is dropped while
-- that twin is valid; so is a non-unique one whose keys lead a valid whole B-tree (a wider index
-- serves its queries: what redundant_index would say of it once rebuilt whole). Otherwise the whole index is the definition without its WHERE clause,
-- built concurrently under a free name; the partial one is dropped and the new one takes its
-- name only once the new one is valid; the undo swaps the partial one back the same way. Returns
-- the fixed finding aliases (queries/README.md).
with
-- include: not_null_partials
named as (
  select r.*,
         coalesce(r.twin, r.wider) as keeper,
         fitted.names[1] as whole_name,
         -- the definition from "ON ..." up to the WHERE clause
         substr(left(r.definition, length(r.definition) - length(' WHERE ' || r.predicate)),
                strpos(r.definition, ' ON ') + 4) as target
  from redundant_partials r
  -- its name: free among the schema's relations
  cross join lateral (
    select array[r.index_name || '_whole'] as bases,
           array[exists (select from pg_catalog.pg_class o join pg_catalog.pg_namespace ns on ns.oid = o.relnamespace
                         where ns.nspname = r.nspname and o.relname = r.index_name || '_whole')] as taken) fit
-- include: fitted_names
)
select n.nspname as schema_name,
       n.table_name,
       format('%I.%I', n.nspname, n.index_name) as object,
       'index' as object_type,
       format('index %I.%I is partial WHERE %s, but %s never %s NULL: it holds every row, %s',
              n.nspname, n.index_name, n.predicate, pg_catalog.array_to_string(n.columns, ', '),
              case when cardinality(n.columns) = 1 then 'holds' else 'hold' end,
              case when n.twin is not null then format('the same as %s', n.twin)
                   when n.wider is not null then format('and %s, whose keys it leads, serves every query it serves', n.wider)
                   else 'yet only queries that imply the predicate can use it' end) as message,
       json_build_object('predicate', n.predicate, 'not_null_columns', n.columns, 'unique', n.indisunique,
                         'whole_twin', n.twin, 'wider_index', case when n.twin is null then n.wider end) as evidence,
       case when n.keeper is not null then concat_ws(E'\n',
         'set lock_timeout = ''5s'';',
         regexp_replace(case when n.twin is not null
                             then format('-- %s already holds the same rows the same way: drop this one, only while it is valid', n.twin)
                             else format('-- %s, whose keys this one leads, serves its queries: drop this one, only while it is valid', n.wider) end,
                        '[\r\n]+', E'\n-- ', 'g'),
         format(E'do $$\nbegin\n'
                '  if not exists (select from pg_catalog.pg_index x where x.indexrelid = pg_catalog.to_regclass(%L) and x.indisvalid) then\n'
                '    raise exception ''%%: %% is gone or invalid: keep it'', %L, %L;\n'
                '  end if;\n'
                '  drop index if exists %I.%I;\nend $$;',
                n.keeper, format('%I.%I', n.nspname, n.index_name), n.keeper, n.nspname, n.index_name))
       else concat_ws(E'\n',
         'set lock_timeout = ''5s'';',
         '-- 1. the same index, whole',
         format('create %sindex concurrently if not exists %I on %s;', case when n.indisunique then 'unique ' else '' end,
                n.whole_name, n.target),
         '-- 2. swap it in, only once it is valid; a failed build is dropped instead',
         format(E'do $$\nbegin\n'
                '  if exists (select from pg_catalog.pg_index x where x.indexrelid = pg_catalog.to_regclass(%L) and not x.indisvalid) then\n'
                '    drop index %I.%I;\n'
                '    raise warning ''%%: the whole index failed to build and is dropped; the partial one stays'', %L;\n'
                '    return;\n'
                '  end if;\n'
                '  if pg_catalog.to_regclass(%L) is null then\n'
                '    raise exception ''%%: the whole index is not there: run step 1 again'', %L;\n'
                '  end if;\n'
                '  drop index if exists %I.%I;\n'
                '  alter index %I.%I rename to %I;\nend $$;',
                format('%I.%I', n.nspname, n.whole_name), n.nspname, n.whole_name, format('%I.%I', n.nspname, n.index_name),
                format('%I.%I', n.nspname, n.whole_name), format('%I.%I', n.nspname, n.index_name),
                n.nspname, n.index_name, n.nspname, n.whole_name, n.index_name)) end as remediation,
       case when n.keeper is not null then concat_ws(E'\n',
         'set lock_timeout = ''5s'';',
         '-- the partial index back:',
         format('create %sindex concurrently if not exists %I on %s where %s;', case when n.indisunique then 'unique ' else '' end,
                n.index_name, n.target, n.predicate))
       else concat_ws(E'\n',
         'set lock_timeout = ''5s'';',
         -- the fix's swap may not have run: its whole index then still holds the free name
         '-- 0. a whole index left under the free name by a fix that stopped before its swap goes',
         format(E'do $$\nbegin\n'
                '  if exists (select from pg_catalog.pg_index x where x.indexrelid = pg_catalog.to_regclass(%L) and x.indpred is null) then\n'
                '    drop index %I.%I;\n'
                '  end if;\nend $$;',
                format('%I.%I', n.nspname, n.whole_name), n.nspname, n.whole_name),
         '-- 1. the partial index again, under the free name',
         format('create %sindex concurrently if not exists %I on %s where %s;', case when n.indisunique then 'unique ' else '' end,
                n.whole_name, n.target, n.predicate),
         '-- 2. swap it in under its old name, only once it is valid; a failed build is dropped instead',
         format(E'do $$\nbegin\n'
                '  if exists (select from pg_catalog.pg_index x where x.indexrelid = pg_catalog.to_regclass(%L) and not x.indisvalid) then\n'
                '    drop index %I.%I;\n'
                '    raise warning ''%%: the partial index failed to build and is dropped; the whole one stays'', %L;\n'
                '    return;\n'
                '  end if;\n'
                '  if not exists (select from pg_catalog.pg_index x where x.indexrelid = pg_catalog.to_regclass(%L) and x.indpred is not null) then\n'
                '    raise exception ''%%: the partial index is not there: run step 1 again'', %L;\n'
                '  end if;\n'
                '  drop index if exists %I.%I;\n'
                '  alter index %I.%I rename to %I;\nend $$;',
                format('%I.%I', n.nspname, n.whole_name), n.nspname, n.whole_name, format('%I.%I', n.nspname, n.index_name),
                format('%I.%I', n.nspname, n.whole_name), format('%I.%I', n.nspname, n.index_name),
                n.nspname, n.index_name, n.nspname, n.whole_name, n.index_name))
       end as undo
from named n
order by n.nspname, n.index_name
