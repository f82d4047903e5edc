-- The findings of collation_version (its base query and its .pg15 variant), from the CTE
-- drifted (kind, object, coll_oid, recorded, actual, refresh_sql) the query defines before it:
-- the valid indexes at risk per drifted collation, and the rebuild-then-refresh fix that records
-- the new version only once every one of them has new storage.
at_risk as (
  select dr.object, format('%I.%I', n.nspname, i.relname) as index_name, pg_catalog.pg_relation_filenode(i.oid) as filenode,
         n.nspname, i.relname
  from drifted dr
  join pg_catalog.pg_index x on dr.coll_oid = any (x.indcollation::oid[])
  join pg_catalog.pg_class i on i.oid = x.indexrelid
  join pg_catalog.pg_namespace n on n.oid = i.relnamespace
  where x.indisvalid and i.relkind = 'i'
    and n.nspname not in ('pg_catalog', 'information_schema')
    and n.nspname !~ '^pg_(toast|temp_)'
    and not exists (select 1 from pg_catalog.pg_depend d
                    where d.classid = 'pg_catalog.pg_class'::regclass and d.objid = x.indrelid and d.deptype = 'e')
),
per_object as (
  select dr.*, count(r.index_name) as index_count,
         pg_catalog.array_agg(r.index_name order by r.index_name) filter (where r.index_name is not null) as indexes,
         pg_catalog.string_agg(format('reindex index concurrently %s;', r.index_name), E'\n' order by r.index_name) as reindexes,
         pg_catalog.string_agg(format('(%L, %s::oid)', r.index_name, r.filenode), E',\n    ' order by r.index_name) as filenodes,
         pg_catalog.string_agg(format('(%L, %L)', r.nspname, r.relname || '_ccnew'), E',\n    ' order by r.index_name) as leftovers
  from drifted dr
  left join at_risk r on r.object = dr.object
  group by dr.kind, dr.object, dr.coll_oid, dr.recorded, dr.actual, dr.refresh_sql
)
select null::text as schema_name,
       null::text as table_name,
       p.object,
       p.kind as object_type,
       case when p.index_count > 0 then 'high' else 'medium' end as severity,
       format('%s %s was recorded at version %s and the library now reports %s: %s',
              case when p.kind = 'database' then 'the default collation of database' else 'collation' end, p.object,
              p.recorded, coalesce(p.actual, 'none'),
              case when p.index_count > 0
                   then format('%s index(es) sort by the old rules (lookups may miss rows, unique indexes may let duplicates in) until rebuilt', p.index_count)
                   else 'no index uses it; record the new version' end) as message,
       json_build_object('recorded_version', p.recorded, 'actual_version', p.actual, 'index_count', p.index_count,
                         'indexes', p.indexes[1:20]) as evidence,
       concat_ws(E'\n',
         'set lock_timeout = ''5s'';',
         case when p.index_count > 0 then concat_ws(E'\n',
           '-- 1. rebuild every index that sorts by it (concurrently: reads and writes go on)',
           p.reindexes,
           '-- a rebuild that failed leaves an invalid copy (<name>_ccnew): drop it, and see why (a duplicate under the new order?)',
           format(E'do $$\ndeclare\n  leftover record;\nbegin\n'
                  '  for leftover in select n.nspname, i.relname from (values\n    %s) v(nsp, rel)\n'
                  '    join pg_catalog.pg_namespace n on n.nspname = v.nsp\n'
                  '    join pg_catalog.pg_class i on i.relnamespace = n.oid and i.relname = v.rel\n'
                  '    join pg_catalog.pg_index x on x.indexrelid = i.oid and not x.indisvalid loop\n'
                  '    execute pg_catalog.format(''drop index %%I.%%I'', leftover.nspname, leftover.relname);\n'
                  '    raise warning ''%%.%% was left invalid by a failed rebuild and is dropped'', leftover.nspname, leftover.relname;\n'
                  '  end loop;\nend $$;', p.leftovers)) end,
         format('-- %s. record the new version, only once every index above was rebuilt (each has new storage)',
                case when p.index_count > 0 then '2' else '1' end),
         case when p.index_count > 0 then
           format(E'do $$\ndeclare\n  stale text;\nbegin\n'
                  '  select pg_catalog.string_agg(v.idx, '', '') into stale from (values\n    %s) v(idx, filenode)\n'
                  '  where pg_catalog.pg_relation_filenode(pg_catalog.to_regclass(v.idx)) = v.filenode;\n'
                  '  if stale is not null then\n'
                  '    raise exception ''not rebuilt yet: %%; run their reindex again, then this step'', stale;\n'
                  '  end if;\n'
                  '  %s\nend $$;', p.filenodes, p.refresh_sql)
           else p.refresh_sql end) as remediation,
       concat_ws(E'\n',
         '-- nothing to undo: a rebuilt index holds the same rows in the order the library sorts them now,',
         '-- and the recorded version is what PostgreSQL compares the library with (setting it back would hide the change)') as undo
from per_object p
order by p.kind, p.object
