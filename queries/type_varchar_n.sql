-- id: type_varchar_n
-- category: type_varchar_n
-- area: types
-- title: varchar(n) columns
-- severity: info
-- effort: low
-- grading: info; the effort medium when the change rebuilds indexes under its lock (an expression
--   or a predicate over the column).
-- group: check
-- rationale: In PostgreSQL varchar(n) stores exactly like text; the length limit is a constraint
--   in disguise that can only be raised by ALTER COLUMN TYPE, and often just rejects real data
--   (long names, emails). Changing varchar(n) to text is binary-coercible: a catalog change
--   with no rewrite and no index rebuild, under a brief ACCESS EXCLUSIVE lock. Where the limit
--   matters, keep it as CHECK (length(col) <= n) added NOT VALID and validated separately.
--   Views over the column block the change: views and materialized views are dropped and
--   recreated around it in one transaction (a materialized view filled again under the lock);
--   rules and views read by other views are named, left to do by hand. A partition key column
--   cannot change type at all: no ALTER is printed for it.
--
-- Finds columns declared varchar(n) on tables (partitions left out: the parent's column is the
-- one to change), with the views and rules that read them (pg_depend on pg_rewrite) and whether
-- they are part of the partition key (pg_partitioned_table.partattrs, or in a key expression). Returns the fixed finding aliases (queries/README.md).
with
-- include: column_dependents
select n.nspname as schema_name,
       t.relname as table_name,
       format('%I.%I.%I', n.nspname, t.relname, a.attname) as object,
       'column' as object_type,
       format('column %I.%I.%I is %s: a length limit hidden in the type; text with a check constraint, if the limit matters, is easier to change%s',
              n.nspname, t.relname, a.attname, format_type(a.atttypid, a.atttypmod),
              coalesce(change.key_clause, change.invalid_clause, change.dependents_clause, ''))
         || case when ri.names is not null and not change.partition_key and change.invalid_indexes is null
                 then format('; the change rebuilds %s under its exclusive lock (an expression or a predicate reads the column): time it on a copy and plan a window',
                             ri.names) else '' end as message,
       -- an index rebuilt under ACCESS EXCLUSIVE (Mattermost: a GIN full-text index over posts.message, 3 s
       -- on 200,000 rows) is no catalog-only change
       case when ri.names is not null and not change.partition_key and change.invalid_indexes is null then 'medium' end as effort,
       json_build_object('column_type', format_type(a.atttypid, a.atttypmod), 'max_length', a.atttypmod - 4,
                         'dependent_views', dep.names, 'partition_key', change.partition_key,
                         'rebuilt_indexes', ri.names) as evidence,
       concat_ws(E'\n',
         case when ri.names is null then '-- varchar(n) to text is binary-coercible: a catalog change, no table rewrite, no index rebuild'
              else regexp_replace(format('-- varchar(n) to text is binary-coercible: a catalog change, no table rewrite; but %s, '
                                         'with an expression or a predicate and the column among its columns, %s rebuilt under the lock (time it on a copy)',
                                         ri.names, case when ri.count > 1 then 'are' else 'is' end), '[\r\n]+', E'\n-- ', 'g') end,
         -- (only where something runs: advice sets nothing)
         case when not change.partition_key and change.invalid_indexes is null then 'set lock_timeout = ''5s'';' end,
         case
         when change.partition_key or change.invalid_indexes is not null then coalesce(change.key_advice, change.invalid_advice)
         when dep.names is null then format('alter table %I.%I alter column %I type text;', n.nspname, t.relname, a.attname)
         when dep.recreatable then concat_ws(E'\n',
           change.dependents_note,
           'begin;',
           dep.drop_sql,
           format('alter table %I.%I alter column %I type text;', n.nspname, t.relname, a.attname),
           dep.create_sql,
           'commit;')
         else change.dependents_advice
         end,
         case when not change.partition_key and change.invalid_indexes is null then concat_ws(E'\n',
           '-- only if the limit matters:',
           lc.add_check,
           format('alter table %I.%I validate constraint %I;', n.nspname, t.relname, k.check_name)) end) as remediation,
       case when change.invalid_indexes is not null then '-- nothing to undo: the advice runs nothing'
            when change.partition_key or (dep.names is not null and not dep.recreatable) then
         -- the advice changed no type: only the optional check, if it was added, goes
         concat_ws(E'\n',
           'set lock_timeout = ''5s'';',
           format('alter table %I.%I drop constraint if exists %I;', n.nspname, t.relname, k.check_name))
       else concat_ws(E'\n',
         -- the column stays text, its limit enforced again by the check (the optional step of the fix,
         -- kept if it was run): the type back would be a table scan under an exclusive lock
         format('-- the limit back: a check that enforces what %s did (added NOT VALID, then validated: a scan that lets',
                format_type(a.atttypid, a.atttypmod)),
         format('-- writes go on, and fails on longer values written since: shorten them first)'),
         'set lock_timeout = ''5s'';',
         lc.add_check,
         format('alter table %I.%I validate constraint %I;', n.nspname, t.relname, k.check_name),
         regexp_replace(format('-- the type itself back to %s, only if it matters beyond the limit (a scan under an exclusive lock%s): '
                               'alter table %I.%I alter column %I type %s;',
                               format_type(a.atttypid, a.atttypmod),
                               case when dep.names is not null then format('; and %s dropped and recreated again', dep.names) else '' end,
                               n.nspname, t.relname, a.attname, format_type(a.atttypid, a.atttypmod)),
                        '[\r\n]+', E'\n-- ', 'g'))
       end as undo,
       format('%I.%I.%I', n.nspname, t.relname, a.attname) as identity
from pg_catalog.pg_attribute a
join pg_catalog.pg_class t on t.oid = a.attrelid
join pg_catalog.pg_namespace n on n.oid = t.relnamespace
left join dependents dep on dep.table_oid = t.oid and dep.attnum = a.attnum
cross join lateral (select 'text' as new_type) tc
-- the indexes with an expression or a predicate that read the column: ALTER COLUMN TYPE builds
-- them again (only a plain index over the column is kept as it is)
cross join lateral (
  select string_agg(format('%I.%I', n.nspname, i.relname), ', ' order by i.relname) as names, count(*) as count
  from pg_catalog.pg_index x
  join pg_catalog.pg_class i on i.oid = x.indexrelid
  where x.indrelid = t.oid and (x.indexprs is not null or x.indpred is not null)
    and exists (select from pg_catalog.pg_depend d
                where d.classid = 'pg_catalog.pg_class'::regclass and d.objid = x.indexrelid
                  and d.refclassid = 'pg_catalog.pg_class'::regclass and d.refobjid = t.oid and d.refobjsubid = a.attnum)
) ri
-- include: column_type_change
-- the check's name: at most 63 bytes and free among the schema's relations and the table's
-- constraints, else cut to 54 bytes (on a character boundary) plus 8 hex digits of its md5
cross join lateral (select t.relname || '_' || a.attname || '_length' as base) b
cross join lateral (
  select array[b.base] as bases,
         array[exists (select from pg_catalog.pg_class c where c.relnamespace = n.oid and c.relname = b.base)
               or exists (select from pg_catalog.pg_constraint c where c.conrelid = t.oid and c.conname = b.base)] as taken) fit
-- include: fitted_names
cross join lateral (select fitted.names[1] as check_name) k
-- the length check, added only if it is not there (the fix run again, or after its undo, which
-- keeps it): NOT VALID, validated by the statement after it
cross join lateral (
  select format(E'do $$\nbegin\n'
                '  if not exists (select from pg_catalog.pg_constraint c where c.conrelid = %L::regclass and c.conname = %L) then\n'
                '    alter table %I.%I add constraint %I check (pg_catalog.length(%I) <= %s) not valid;\n'
                '  end if;\nend $$;',
                format('%I.%I', n.nspname, t.relname), k.check_name,
                n.nspname, t.relname, k.check_name, a.attname, a.atttypmod - 4) as add_check
) lc
where a.atttypid = 'varchar'::regtype
  and a.atttypmod > 0
  and a.attnum > 0
  -- a column an inheritance child has from its parent (Concourse's pipeline_build_events_N () INHERITS
  -- (build_events)): PostgreSQL refuses to alter it there ("cannot alter inherited column"), and
  -- the parent's change reaches it
  and a.attinhcount = 0
  and not a.attisdropped
  -- the old column an expand-contract move of this tool left for its grace period (deprecated_object's)
  and a.attname not like 'deprecated\_%'
  and t.relkind in ('r', 'p')
  and not t.relispartition
  and n.nspname not in ('pg_catalog', 'information_schema')
  and n.nspname !~ '^pg_(toast|temp_)'
  and not exists (select 1 from pg_catalog.pg_depend d
                  where d.classid = 'pg_catalog.pg_class'::regclass and d.objid = t.oid and d.deptype = 'e')
order by n.nspname, t.relname, a.attnum
