-- id: invalid_index
-- category: invalid_index
-- area: indexes
-- title: Invalid indexes
-- severity: high..critical
-- effort: low
-- grading: critical when the index is unique (uniqueness is not enforced), else high.
-- rationale: An index left invalid by a failed CREATE INDEX CONCURRENTLY or REINDEX CONCURRENTLY
--   is maintained on every write but never used by the planner; an invalid unique index does
--   not even enforce uniqueness. For a unique index the fix first stops if the table holds
--   duplicate keys (rebuilding would fail again), then builds a valid twin concurrently and
--   swaps it in under a guard; a failed build is dropped, never left as a second invalid index.
--
-- Finds indexes with pg_index.indisvalid = false on user tables.
-- Returns the fixed finding aliases (queries/README.md).
select n.nspname as schema_name,
       t.relname as table_name,
       format('%I.%I', n.nspname, i.relname) as object,
       'index' as object_type,
       case when x.indisunique then 'critical' end as severity,
       format('index %I on %I.%I is invalid%s: it is maintained on every write but never used',
              i.relname, n.nspname, t.relname,
              case when x.indisunique then ' and does not enforce uniqueness' else '' end) as message,
       json_build_object('unique', x.indisunique, 'size_bytes', pg_catalog.pg_relation_size(i.oid)) as evidence,
       concat_ws(E'\n',
         'set lock_timeout = ''5s'';',
         -- names and definitions may hold line breaks: keep every line of the comment a comment
         regexp_replace(format('-- as it was: %s;', pg_catalog.pg_get_indexdef(i.oid)), '[\r\n]+', E'\n-- ', 'g'),
         case when x.indisunique then concat_ws(E'\n',
           '-- stop here if the table holds keys the unique index would reject (reindexing would fail again)',
           format(E'do $$\ndeclare\n  duplicated bigint;\nbegin\n'
                  '  select count(*) into duplicated from (select from %I.%I where %s group by %s having count(*) > 1) d;\n'
                  '  if duplicated > 0 then\n'
                  '    raise exception ''%%: %% keys are duplicated: list them with %%, deduplicate them, then run this script again'', %L, duplicated, %L;\n'
                  '  end if;\nend $$;',
                  n.nspname, t.relname, k.not_null_keys, k.key_list, format('%I.%I', n.nspname, i.relname),
                  format('select %s, count(*) from %I.%I where %s group by %s having count(*) > 1',
                         k.key_list, n.nspname, t.relname, k.not_null_keys, k.key_list)))
         end,
         '-- build a valid twin without blocking writes (reindex concurrently would leave a second invalid index if it failed);',
         '-- first drop what an earlier failed build of it left invalid, so that this run builds it again',
         format(E'do $$\nbegin\n'
                '  if exists (select from pg_catalog.pg_index x where x.indexrelid = pg_catalog.to_regclass(%L) and not x.indisvalid) then\n'
                '    drop index %I.%I;\n'
                '  end if;\nend $$;',
                format('%I.%I', n.nspname, r.rebuild_name), n.nspname, r.rebuild_name),
         format('create %sindex concurrently if not exists %I on %s;', case when x.indisunique then 'unique ' end, r.rebuild_name,
                substr(pg_catalog.pg_get_indexdef(i.oid),
                       length(format('CREATE %sINDEX %I ON ', case when x.indisunique then 'UNIQUE ' end, i.relname)) + 1)),
         '-- swap it in only if it is valid, else drop the failed build',
         format(E'do $$\nbegin\n'
                '  if exists (select from pg_catalog.pg_index x where x.indexrelid = pg_catalog.to_regclass(%L) and x.indisvalid) then\n'
                '    drop index if exists %I.%I;\n'
                '    alter index %I.%I rename to %I;\n'
                '  elsif pg_catalog.to_regclass(%L) is not null then\n'
                '    drop index %I.%I;\n'
                '    raise warning ''the rebuild of %% failed and is dropped, %% is kept as it was: fix the cause above, then run this script again'', %L, %L;\n'
                '  end if;\nend $$;',
                format('%I.%I', n.nspname, r.rebuild_name), n.nspname, i.relname, n.nspname, r.rebuild_name, i.relname,
                format('%I.%I', n.nspname, r.rebuild_name), n.nspname, r.rebuild_name,
                format('%I.%I', n.nspname, i.relname), format('%I.%I', n.nspname, i.relname))) as remediation,
       concat_ws(E'\n',
         '-- the rebuilt index answers what the invalid one was meant to; to go back to no index at all:',
         'set lock_timeout = ''5s'';',
         format('drop index concurrently if exists %I.%I;', n.nspname, i.relname)) as undo,
       format('%I.%I', n.nspname, i.relname) as identity
from pg_catalog.pg_index x
join pg_catalog.pg_class i on i.oid = x.indexrelid
join pg_catalog.pg_class t on t.oid = x.indrelid
join pg_catalog.pg_namespace n on n.oid = t.relnamespace
-- the key columns or expressions as SQL, for the duplicate check of a unique index
cross join lateral (
  select string_agg(pg_catalog.pg_get_indexdef(i.oid, c, true), ', ' order by c) as key_list,
         concat_ws(' and ', string_agg(format('(%s) is not null', pg_catalog.pg_get_indexdef(i.oid, c, true)), ' and ' order by c),
                   pg_catalog.pg_get_expr(x.indpred, x.indrelid)) as not_null_keys
  from generate_series(1, x.indnkeyatts) c) k
-- the twin's name: at most 63 bytes and free among the schema's relations and the table's
-- constraints, else cut to 54 bytes (on a character boundary) plus 8 hex digits of its md5
cross join lateral (select i.relname || '_rebuild' as base) b
cross join lateral (
  select array[b.base] as bases,
         -- a leftover of this fix's own failed build (an invalid index of that name on the table) is
         -- no collision: the fix drops it first
         array[exists (select from pg_catalog.pg_class c where c.relnamespace = n.oid and c.relname = b.base
                         and not exists (select from pg_catalog.pg_index lx where lx.indexrelid = c.oid
                                           and lx.indrelid = t.oid and not lx.indisvalid))
               or exists (select from pg_catalog.pg_constraint c where c.conrelid = t.oid and c.conname = b.base)] as taken) fit
-- include: fitted_names
cross join lateral (select fitted.names[1] as rebuild_name) r
where not x.indisvalid
  -- the leftover of this fix's failed build beside the invalid index it was rebuilding (OpenFGA's
  -- cancelled build: idx_user_lookup_rebuild): the original's fix drops it first, one entry
  and not (i.relname like '%\_rebuild'
           and exists (select from pg_catalog.pg_index bx
                       join pg_catalog.pg_class bi on bi.oid = bx.indexrelid
                       where bx.indrelid = t.oid and not bx.indisvalid and bi.relname = left(i.relname, -8)))
  and n.nspname not in ('pg_catalog', 'information_schema')
  and n.nspname !~ '^pg_toast'
  and not exists (select 1 from pg_catalog.pg_depend d
                  where d.classid = 'pg_catalog.pg_class'::regclass and d.objid = t.oid and d.deptype = 'e')
order by n.nspname, i.relname
