-- id: unique_nulls_distinct
-- category: unique_nulls_distinct
-- area: integrity
-- title: Unique keys that let rows repeat where a parent or soft-delete column is NULL
-- severity: info..low, default low
-- effort: low
-- grading: low when ANALYZE saw NULLs in the column (rows the key does not check exist); info
--   when it saw none yet, or the table has no statistics.
-- rationale: A unique key treats NULLs as distinct, so rows whose key holds a NULL are never
--   compared: UNIQUE (team_id, parent_id, position) keeps two children of one parent apart but
--   lets every root (parent_id NULL) of a team take the same position, and UNIQUE (user_id,
--   deleted_at) allows any number of live rows per user, the opposite of what it was written for
--   (Hoppscotch's collection order keys, added to stop duplicate positions, left the roots open).
--   PostgreSQL 15 makes the key NULLS NOT DISTINCT: build it concurrently beside the old one,
--   after a check that no rows repeat already, then swap them in one short transaction under the
--   old name.
--
-- Valid unique indexes and UNIQUE constraints (not the primary key, not NULLS NOT DISTINCT) of two
-- key columns or more, on plain columns, outside the system schemas and extensions, with a
-- nullable key column that is a foreign key's column (a parent: NULL is the root or "no parent")
-- or a soft-delete timestamp (deleted_at, archived_at, removed_at, discarded_at and their
-- camelCase forms: NULL is the live row). A nullable column that is neither (an optional external
-- id or email) is left alone: "unique when present" is the usual intent there. Left alone too: a
-- partial index whose predicate makes the column NOT NULL, a table with another unique index
-- whose predicate is "<column> IS NULL" (the pre-15 way to close the gap), and a key that holds
-- every column of another whole unique key of NOT NULL columns, such as the primary key (Keygen's
-- unique (id, created_at, account_id)): no two rows can share it, whatever the NULLs. Partitions' indexes
-- count as their parent's. evidence.null_columns are those columns, evidence.null_frac the
-- largest share of NULLs ANALYZE saw in them.
-- The fix (PostgreSQL 15 and newer) stops first if rows repeat with NULLs there (NULLS NOT
-- DISTINCT would refuse them: deduplicate, or keep the key if they are meant to repeat). A plain
-- index or a constraint that is not deferrable gets a twin built concurrently, then in one
-- transaction the old one dropped and the twin given its name (a constraint again, ADD CONSTRAINT
-- ... USING INDEX), with its comments; a deferrable constraint cannot have a twin (an index
-- checks each row at once, which would break the deferred moves the constraint is there for), so
-- it is dropped and added again NULLS NOT DISTINCT in one transaction, which blocks writes while
-- it builds (the table's size is in the evidence). Advice only on older servers, for a
-- partitioned table, a key a foreign key references or the replica identity uses, and an index
-- with INCLUDE columns or a key column outside its default operator class, collation or order.
-- Returns the fixed finding aliases (queries/README.md).
with candidates as materialized (
  select x.indexrelid, x.indrelid, t.relnamespace, n.nspname, t.relname, t.relkind, i.relname as index_name,
         c.oid as con_oid, c.conname, c.condeferrable, c.condeferred,
         x.indnatts, x.indnkeyatts, x.indisreplident, i.reloptions, i.reltablespace,
         pg_catalog.pg_get_expr(x.indpred, x.indrelid) as predicate,
         (select array_agg(a.attname::text order by k.ord)
          from unnest((x.indkey::int2[])[0:x.indnkeyatts - 1]) with ordinality k(attnum, ord)
          join pg_catalog.pg_attribute a on a.attrelid = x.indrelid and a.attnum = k.attnum) as key_cols,
         (
-- include: default_key_order
         ) as plain_keys
  from pg_catalog.pg_index x
  join pg_catalog.pg_class i on i.oid = x.indexrelid
  join pg_catalog.pg_class t on t.oid = x.indrelid
  join pg_catalog.pg_namespace n on n.oid = t.relnamespace
  left join pg_catalog.pg_constraint c on c.conindid = x.indexrelid and c.conrelid = x.indrelid and c.contype = 'u'
  where x.indisunique and not x.indisprimary and x.indisvalid and x.indnkeyatts >= 2
    and x.indexprs is null
    and not i.relispartition
    -- NULLS NOT DISTINCT already (PostgreSQL 15; older servers have no such column: read by name)
    and coalesce((pg_catalog.to_jsonb(x) ->> 'indnullsnotdistinct')::boolean, false) = false
    and n.nspname not in ('pg_catalog', 'information_schema')
    and n.nspname !~ '^pg_(toast|temp_)'
    and not exists (select 1 from pg_catalog.pg_depend d
                    where d.classid = 'pg_catalog.pg_class'::regclass and d.objid = t.oid and d.deptype = 'e')
    -- a key that holds every column of another whole unique key of NOT NULL columns (the primary
    -- key: Keygen's unique (id, created_at, account_id)): no two rows share it, NULLs or not
    and not exists (select 1 from pg_catalog.pg_index u
                    where u.indrelid = x.indrelid and u.indexrelid <> x.indexrelid and u.indisunique and u.indisvalid
                      and u.indpred is null and u.indexprs is null
                      and (u.indkey::int2[])[0:u.indnkeyatts - 1] operator(pg_catalog.<@) (x.indkey::int2[])[0:x.indnkeyatts - 1]
                      and not exists (select 1 from pg_catalog.pg_attribute a
                                      where a.attrelid = u.indrelid and a.attnum = any ((u.indkey::int2[])[0:u.indnkeyatts - 1])
                                        and not a.attnotnull))
),
-- the nullable key columns that scope the key: a foreign key's column or a soft-delete timestamp
scopes as (
  select c.indexrelid, a.attname::text as attname,
         (select s.null_frac from pg_catalog.pg_stats s
          where s.schemaname = c.nspname and s.tablename = c.relname and s.attname = a.attname
          order by s.inherited desc limit 1) as null_frac
  from candidates c
  cross join lateral unnest(c.key_cols) kc(attname)
  join pg_catalog.pg_attribute a on a.attrelid = c.indrelid and a.attname = kc.attname and not a.attnotnull
  -- the column's name as a regular expression matches it in a predicate
  cross join lateral (select pg_catalog.regexp_replace(pg_catalog.quote_ident(a.attname), '([.^$*+?()[\]{}|\\])', '\\\1', 'g') as q) e
  where (exists (select 1 from pg_catalog.pg_constraint f
                 where f.conrelid = c.indrelid and f.contype = 'f' and a.attnum = any (f.conkey))
         or a.attname ~* '^(deleted|archived|removed|discarded)_?at$')
    -- a partial key whose predicate rules the NULL out
    and coalesce(c.predicate !~ ('(^|[^[:alnum:]_$"])' || e.q || ' IS NOT NULL'), true)
    -- the gap closed already by a partial unique index for the NULL rows
    and not exists (select 1 from pg_catalog.pg_index o
                    where o.indrelid = c.indrelid and o.indisunique and o.indexrelid <> c.indexrelid and o.indpred is not null
                      and pg_catalog.pg_get_expr(o.indpred, o.indrelid) ~ ('(^|[^[:alnum:]_$"])' || e.q || ' IS NULL'))
),
flagged as (
  select c.*, sc.null_columns, sc.null_frac,
         -- (one hashed pass: pg_constraint has no index on conindid)
         c.indexrelid in (select f.conindid from pg_catalog.pg_constraint f where f.contype = 'f') as referenced,
         pg_catalog.current_setting('server_version_num')::int >= 150000 as nulls_not_distinct,
         pg_catalog.pg_relation_size(c.indrelid) as table_bytes
  from candidates c
  join (select s.indexrelid, array_agg(s.attname order by s.attname) as null_columns, max(s.null_frac) as null_frac
        from scopes s group by s.indexrelid) sc on sc.indexrelid = c.indexrelid
),
named as (
  select f.*,
         fitted.names[1] as twin,
         case when not f.nulls_not_distinct then 'PostgreSQL 15 is the first to have NULLS NOT DISTINCT'
              when f.relkind = 'p' then 'a partitioned table''s index cannot be built concurrently: swap it on each partition, then on the parent'
              when f.referenced then 'foreign keys reference the table through its index, and PostgreSQL refuses its drop while they do'
              when f.indisreplident then 'it is the replica identity'
              when f.indnatts > f.indnkeyatts or not f.plain_keys then 'it has INCLUDE columns, or a key column outside its default operator class, collation or order'
         end as advice_only,
         (select string_agg(pg_catalog.quote_ident(k.name), ', ' order by k.ord)
          from unnest(f.key_cols) with ordinality k(name, ord)) as col_list,
         (select string_agg(format('%I is null', k.name), ' or ' order by k.ord)
          from unnest(f.null_columns) with ordinality k(name, ord)) as any_null,
         concat(case when f.reloptions is not null then format(' with (%s)', array_to_string(f.reloptions, ', ')) end,
                case when f.reltablespace <> 0 then format(' tablespace %I', (select ts.spcname from pg_catalog.pg_tablespace ts where ts.oid = f.reltablespace)) end,
                case when f.predicate is not null then ' where ' || f.predicate end) as index_tail
  from flagged f
  cross join lateral (
    select array[f.index_name || '_nnd'] as bases,
           array[exists (select from pg_catalog.pg_class o where o.relnamespace = f.relnamespace and o.relname = f.index_name || '_nnd')] as taken) fit
-- include: fitted_names
),
scripts as (
  select nm.*,
         format('%I.%I', nm.nspname, nm.relname) as tbl,
         format('%I.%I', nm.nspname, nm.index_name) as idx,
         format('%I.%I', nm.nspname, nm.twin) as twin_q,
         -- the stop before anything is built: rows that repeat with NULLs there (run again: nothing to do)
         format(E'do $$\ndeclare\n  repeated bigint;\nbegin\n'
                '  if exists (select from pg_catalog.pg_index x where x.indexrelid = pg_catalog.to_regclass(%1$L) and x.indnullsnotdistinct) then\n'
                '    raise notice ''%%: NULLS NOT DISTINCT already: nothing to do'', %1$L;\n'
                '    return;\n'
                '  end if;\n'
                '  select count(*) into repeated from (select from %2$s where (%3$s)%4$s group by %5$s having count(*) > 1) d;\n'
                '  if repeated > 0 then\n'
                '    raise exception ''%%: %% groups of rows repeat (%%) with a NULL in (%%): deduplicate them, or keep the key as it is if they are meant to repeat; then run this script again'', %1$L, repeated, %6$L, %7$L;\n'
                '  end if;\nend $$;',
                format('%I.%I', nm.nspname, nm.index_name), format('%I.%I', nm.nspname, nm.relname), nm.any_null,
                case when nm.predicate is not null then format(' and (%s)', nm.predicate) else '' end,
                nm.col_list, nm.col_list, array_to_string(nm.null_columns, ', ')) as stop,
         -- the comments the drop takes with it, read when the swap runs
         format(E'  constraint_comment text := (select d.description from pg_catalog.pg_description d join pg_catalog.pg_constraint c on c.oid = d.objoid\n'
                '                              where d.classoid = ''pg_catalog.pg_constraint''::regclass and c.conrelid = %L::regclass and c.conname = %L);\n'
                '  index_comment text := (select d.description from pg_catalog.pg_description d\n'
                '                         where d.classoid = ''pg_catalog.pg_class''::regclass and d.objoid = pg_catalog.to_regclass(%L) and d.objsubid = 0);\n',
                format('%I.%I', nm.nspname, nm.relname), coalesce(nm.conname, ''), format('%I.%I', nm.nspname, nm.index_name)) as comment_vars,
         concat(format(E'    if constraint_comment is not null then\n'
                       '      execute pg_catalog.format(''comment on constraint %%I on %%s is %%L'', %L, %L, constraint_comment);\n'
                       '    end if;\n', coalesce(nm.conname, ''), format('%I.%I', nm.nspname, nm.relname)),
                format(E'    if index_comment is not null then\n'
                       '      execute pg_catalog.format(''comment on index %%s is %%L'', %L, index_comment);\n'
                       '    end if;\n', format('%I.%I', nm.nspname, nm.index_name))) as comment_restore
  from named nm
),
-- the swap of the old key for a twin built concurrently (a plain index or a constraint that is not
-- deferrable), one way (%1$s true: to NULLS NOT DISTINCT) or back (the undo)
swaps as (
  select s.indexrelid, w.forward,
         concat_ws(E'\n',
           format('create unique index concurrently if not exists %I on %s using btree (%s)%s%s;',
                  s.twin, s.tbl, s.col_list, case when w.forward then ' nulls not distinct' else '' end, s.index_tail),
           format(E'do $$\ndeclare\n  old regclass := pg_catalog.to_regclass(%1$L);\n  twin regclass := pg_catalog.to_regclass(%2$L);\n%3$s'
                  'begin\n'
                  '  if exists (select from pg_catalog.pg_index x where x.indexrelid = old and x.indnullsnotdistinct = %4$L) then\n'
                  -- run again: the twin the build above made again is not needed
                  '    drop index if exists %2$s;\n'
                  '    raise notice ''%%: %% already: nothing to do'', %1$L, %5$L;\n'
                  '  elsif not exists (select from pg_catalog.pg_index x where x.indexrelid = twin and x.indisvalid) then\n'
                  '    drop index if exists %2$s;\n'
                  -- a warning: an exception would roll back the drop of the invalid twin
                  '    raise warning ''%%: its twin %% is not built (see above; an invalid one is dropped): it stays as it is; fix the cause, then run this script again'', %1$L, %2$L;\n'
                  '  elsif old is null or not exists (select from pg_catalog.pg_index x, pg_catalog.pg_index t\n'
                  '                                  where x.indexrelid = old and t.indexrelid = twin and x.indisunique\n'
                  '                                    and x.indkey::int2[] = t.indkey::int2[] and x.indrelid = t.indrelid) then\n'
                  '    raise exception ''%%: it is gone, or on other columns, since the audit: audit again'', %1$L;\n'
                  '  else\n%6$s'
                  '  end if;\nend $$;',
                  s.idx, s.twin_q, s.comment_vars, w.forward,
                  case when w.forward then 'NULLS NOT DISTINCT' else 'NULLS DISTINCT' end,
                  case when s.conname is not null
                       then format(E'    alter table %s drop constraint %I;\n'
                                   '    alter table %s add constraint %I unique using index %I;\n%s',
                                   s.tbl, s.conname, s.tbl, s.conname, s.twin, s.comment_restore)
                       else format(E'    drop index %s;\n'
                                   '    alter index %s rename to %I;\n%s',
                                   s.idx, s.twin_q, s.index_name, s.comment_restore) end)) as script
  from scripts s
  cross join (values (true), (false)) w(forward)
  where s.advice_only is null and not coalesce(s.condeferrable, false)
),
-- a deferrable constraint: dropped and added again in one transaction (its build blocks writes)
rebuilds as (
  select s.indexrelid, w.forward,
         format(E'do $$\ndeclare\n  old regclass := pg_catalog.to_regclass(%1$L);\n%2$s'
                'begin\n'
                '  if exists (select from pg_catalog.pg_index x where x.indexrelid = old and x.indnullsnotdistinct = %3$L) then\n'
                '    raise notice ''%%: %% already: nothing to do'', %1$L, %4$L;\n'
                '  elsif not exists (select from pg_catalog.pg_constraint c where c.conrelid = %5$L::regclass and c.conname = %6$L and c.conindid = old) then\n'
                '    raise exception ''%%: constraint %% is gone since the audit: audit again'', %1$L, %6$L;\n'
                '  else\n'
                '    alter table %7$s drop constraint %8$I;\n'
                '    alter table %7$s add constraint %8$I unique%9$s (%10$s)%11$s deferrable initially %12$s;\n%13$s'
                '  end if;\nend $$;',
                s.idx, s.comment_vars, w.forward,
                case when w.forward then 'NULLS NOT DISTINCT' else 'NULLS DISTINCT' end,
                s.tbl, s.conname, s.tbl, s.conname,
                case when w.forward then ' nulls not distinct' else '' end, s.col_list,
                concat(case when s.reloptions is not null then format(' with (%s)', array_to_string(s.reloptions, ', ')) end,
                       case when s.reltablespace <> 0 then format(' using index tablespace %I', (select ts.spcname from pg_catalog.pg_tablespace ts where ts.oid = s.reltablespace)) end),
                case when s.condeferred then 'deferred' else 'immediate' end,
                s.comment_restore) as script
  from scripts s
  cross join (values (true), (false)) w(forward)
  where s.advice_only is null and coalesce(s.condeferrable, false)
)
select s.nspname as schema_name,
       s.relname as table_name,
       s.idx as object,
       'index' as object_type,
       case when coalesce(s.null_frac, 0) > 0 then 'low' else 'info' end as severity,
       format('%s %s on %I.%I (%s) lets rows repeat where %s %s NULL (a unique key never compares NULLs)%s: '
              'NULLS NOT DISTINCT makes those rows unique too',
              case when s.conname is not null then 'unique constraint' else 'unique index' end, s.index_name,
              s.nspname, s.relname, array_to_string(s.key_cols, ', '), array_to_string(s.null_columns, ' or '),
              case when cardinality(s.null_columns) = 1 then 'is' else 'are' end,
              case when coalesce(s.null_frac, 0) > 0
                   then format('; ANALYZE saw it NULL in %s%% of the rows', round(100 * s.null_frac::numeric, 1))
                   else '' end) as message,
       json_build_object('columns', s.key_cols, 'null_columns', s.null_columns, 'null_frac', s.null_frac,
                         'constraint', s.conname, 'deferrable', coalesce(s.condeferrable, false),
                         'table_bytes', s.table_bytes) as evidence,
       case when s.advice_only is not null then
         concat_ws(E'\n',
           format('-- not swapped: %s.', s.advice_only),
           case when s.nulls_not_distinct
                then format('-- Rebuild it NULLS NOT DISTINCT by hand once rows no longer repeat with a NULL in (%s).',
                            array_to_string(s.null_columns, ', '))
                else format('-- Before PostgreSQL 15, a partial unique index on the other key columns where %s closes the gap.',
                            s.any_null) end)
       else concat_ws(E'\n',
         'set lock_timeout = ''5s'';',
         format('-- 1. stop here if rows repeat with a NULL in (%s): NULLS NOT DISTINCT would refuse them', array_to_string(s.null_columns, ', ')),
         s.stop,
         case when coalesce(s.condeferrable, false)
              then concat_ws(E'\n',
                     '-- 2. deferrable: an index built beside it would check each row at once and break the deferred moves the',
                     '-- constraint is there for, so it is dropped and added again NULLS NOT DISTINCT in one transaction, which',
                     format('-- blocks writes to %s while it builds (%s of table)', s.tbl, pg_catalog.pg_size_pretty(s.table_bytes)),
                     rb.script)
              else concat_ws(E'\n',
                     format('-- 2. its twin, built concurrently, then in one transaction %s dropped and the twin named %I', s.idx, s.index_name),
                     format('-- (%s), with its comments; a failed build is dropped and %s stays',
                            case when s.conname is not null then 'a unique constraint again, ADD CONSTRAINT ... USING INDEX' else 'the same index' end, s.idx),
                     sw.script) end)
       end as remediation,
       case when s.advice_only is not null then '-- nothing was changed'
       else concat_ws(E'\n',
         'set lock_timeout = ''5s'';',
         format('-- %s back to NULLS DISTINCT, under the same name, with its comments', s.idx),
         case when coalesce(s.condeferrable, false) then rbu.script else swu.script end)
       end as undo,
       s.idx as identity
from scripts s
left join swaps sw on sw.indexrelid = s.indexrelid and sw.forward
left join swaps swu on swu.indexrelid = s.indexrelid and not swu.forward
left join rebuilds rb on rb.indexrelid = s.indexrelid and rb.forward
left join rebuilds rbu on rbu.indexrelid = s.indexrelid and not rbu.forward
order by s.nspname, s.relname, s.index_name
