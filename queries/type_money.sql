-- id: type_money
-- category: type_money
-- area: types
-- title: money columns
-- severity: low
-- effort: medium
-- group: check
-- rationale: money has a fixed number of fractional digits taken from lc_monetary, so the same
--   data reads and restores differently on servers with another locale, holds no currency, and
--   rounds in division. numeric stores amounts exactly. The conversion rewrites the table: do
--   it by expand-contract (add a numeric column, keep it in sync, backfill in batches, swap),
--   not by ALTER COLUMN TYPE in place under an ACCESS EXCLUSIVE lock.
--
-- Finds columns of type money on tables, partitions left out. Returns the fixed
-- finding aliases (queries/README.md).
with readers as materialized (
  -- the views, materialized views and rules that read a column: they keep reading the old
  -- column after the renames of the swap, and block its drop, so the swap needs them dropped
  -- and recreated over the new column in its transaction
  select d.refobjid as relid, d.refobjsubid as attnum,
         string_agg(distinct format('%s %I.%I', case when r.ev_class = d.refobjid then 'rule ' || r.rulename || ' on'
                                                      when v.relkind = 'm' then 'materialized view' else 'view' end,
                                    vn.nspname, v.relname), ', ') as names
  from pg_catalog.pg_depend d
  join pg_catalog.pg_rewrite r on r.oid = d.objid
  join pg_catalog.pg_class v on v.oid = r.ev_class
  join pg_catalog.pg_namespace vn on vn.oid = v.relnamespace
  where d.classid = 'pg_catalog.pg_rewrite'::regclass and d.refclassid = 'pg_catalog.pg_class'::regclass
    and d.refobjsubid > 0
  group by d.refobjid, d.refobjsubid
)
select n.nspname as schema_name,
       t.relname as table_name,
       format('%I.%I.%I', n.nspname, t.relname, a.attname) as object,
       'column' as object_type,
       format('column %s.%s.%s is %s: its precision depends on lc_monetary and it holds no currency; use numeric',
              n.nspname, t.relname, a.attname, format_type(a.atttypid, a.atttypmod)) || case when rd.names is not null then format('; %s read it: the swap needs them dropped and recreated over the new column', rd.names) else '' end as message,
       json_build_object('dependent_views', rd.names, 'column_used_by', us.names, 'column_type', format_type(a.atttypid, a.atttypmod)) as evidence,
       concat_ws(E'\n',
         case when rd.names is not null then regexp_replace(format('-- %s read the column: in the swap''s transaction, drop them first and recreate them after the renames (definitions from pg_get_viewdef; materialized views refilled)', rd.names), '[\r\n]+', E'\n-- ', 'g') end,
         regexp_replace(format('-- move %I to numeric by expand-contract, not alter column type (a table rewrite under an exclusive lock):', a.attname), '[\r\n]+', E'\n-- ', 'g'),
         'set lock_timeout = ''5s'';',
         '-- 1. the new column, kept in sync by a trigger while the backfill runs',
         format('alter table %I.%I add column if not exists %I numeric;', n.nspname, t.relname, a.attname || '_numeric'),
         format(E'create or replace function %I.%I() returns trigger language plpgsql as $$\nbegin\n  new.%I := new.%I::numeric;\n  return new;\nend $$;',
                n.nspname, nm.sync_name, a.attname || '_numeric', a.attname),
         (select case when strpos(tr.body, '$$') = 0 then format(E'do $$\n%s\n$$;', tr.body) else format('do %L;', tr.body) end
                 from (select format(E'begin\n  if not exists (select from pg_catalog.pg_trigger where tgrelid = %L::regclass and tgname = %L) then\n    %s;\n  end if;\nend', format('%I.%I', n.nspname, t.relname), nm.sync_name,
                              format('create trigger %I before insert or update on %I.%I for each row execute function %I.%I()', nm.sync_name, n.nspname, t.relname, n.nspname, nm.sync_name)) as body) tr),
         '-- 2. backfill in batches; repeat until it updates no row:',
         format('update %I.%I set %I = %I::numeric where ctid = any (array(select ctid from %I.%I where %I is null and %I is not null limit 10000));',
                n.nspname, t.relname, a.attname || '_numeric', a.attname, n.nspname, t.relname, a.attname || '_numeric', a.attname),
         case when us.names is null then concat_ws(E'\n',
         '-- 3. the swap, only once no row differs and nothing else (index, constraint, default, NOT NULL, view) uses the old column',
           format(E'do $$\ndeclare\n  differing bigint;\n  users text;\nbegin\n'
                  '  select count(*) into differing from %I.%I where %I is distinct from %I::numeric;\n'
                  '  if differing > 0 then\n'
                  '    raise exception ''%%: %% rows differ from %%: run the backfill until it updates no row, then this step again'', %L, differing, %L;\n'
                  '  end if;\n'
                  '  select string_agg(u, '', '') into users from (\n'
                  '    select pg_catalog.pg_describe_object(d.classid, d.objid, d.objsubid) as u from pg_catalog.pg_depend d\n'
                  '    join pg_catalog.pg_attribute a on a.attrelid = d.refobjid and a.attnum = d.refobjsubid\n'
                  '    where d.refclassid = ''pg_catalog.pg_class''::regclass and d.refobjid = %L::regclass and a.attname = %L\n'
                  '      and d.deptype in (''n'', ''a'')\n'
                  '    union all\n'
                  '    select ''not null'' from pg_catalog.pg_attribute a where a.attrelid = %L::regclass and a.attname = %L and a.attnotnull) x;\n'
                  '  if users is not null then\n'
                  '    raise exception ''%% is still used by %%: move them to %% by hand, then run this step again'', %L, users, %L;\n'
                  '  end if;\n'
                  '  alter table %I.%I rename column %I to %I;\n'
                  '  alter table %I.%I rename column %I to %I;\n'
                  '  drop trigger if exists %I on %I.%I;\n'
                  '  drop function if exists %I.%I();\nend $$;',
                  n.nspname, t.relname, a.attname || '_numeric', a.attname,
                  format('%I.%I.%I', n.nspname, t.relname, a.attname || '_numeric'), format('%I.%I.%I', n.nspname, t.relname, a.attname),
                  format('%I.%I', n.nspname, t.relname), a.attname, format('%I.%I', n.nspname, t.relname), a.attname,
                  format('%I.%I.%I', n.nspname, t.relname, a.attname), a.attname || '_numeric',
                  n.nspname, t.relname, a.attname, nm.old_name,
                  n.nspname, t.relname, a.attname || '_numeric', a.attname,
                  nm.sync_name, n.nspname, t.relname, n.nspname, nm.sync_name))
         else regexp_replace(format('-- 3. the swap is not printed: %s still use %I; move them to %I by hand (indexes built concurrently, constraints NOT VALID then validated, the default, NOT NULL through a validated check, views recreated), then audit again', us.names, a.attname, a.attname || '_numeric'), '[\r\n]+', E'\n-- ', 'g')
         end,
         regexp_replace(format('-- 4. after the grace period, drop %I (its data cannot be brought back without a backup)', nm.old_name),
                        '[\r\n]+', E'\n-- ', 'g')) as remediation,
       concat_ws(E'\n',
         'set lock_timeout = ''5s'';',
         '-- before the swap: drop the trigger, its function and the new column (it only holds copies):',
         format('drop trigger if exists %I on %I.%I;', nm.sync_name, n.nspname, t.relname),
         format('drop function if exists %I.%I();', n.nspname, nm.sync_name),
         format('alter table %I.%I drop column if exists %I;', n.nspname, t.relname, a.attname || '_numeric'),
         regexp_replace(format('-- after it, in one transaction: alter table %I.%I rename column %I to %I; alter table %I.%I rename column %I to %I;',
                               n.nspname, t.relname, a.attname, a.attname || '_numeric', n.nspname, t.relname, nm.old_name, a.attname),
                        '[\r\n]+', E'\n-- ', 'g')) as undo,
       format('%I.%I.%I', n.nspname, t.relname, a.attname) as identity
from pg_catalog.pg_attribute a
join pg_catalog.pg_class t on t.oid = a.attrelid
join pg_catalog.pg_namespace n on n.oid = t.relnamespace
left join readers rd on rd.relid = t.oid and rd.attnum = a.attnum
-- generated names, at most 63 bytes (the old column's also free among the table's columns; the
-- sync function and trigger are created or replaced, so a second run reuses them), else cut to
-- 54 bytes on a character boundary plus 8 hex digits of their md5
-- what else uses the column and must move to the new one before the swap: indexes, constraints,
-- a default, views, NOT NULL
cross join lateral (
  select string_agg(u, ', ') as names
  from (select pg_catalog.pg_describe_object(d.classid, d.objid, d.objsubid) as u
        from pg_catalog.pg_depend d
        where d.refclassid = 'pg_catalog.pg_class'::regclass and d.refobjid = t.oid and d.refobjsubid = a.attnum
          and d.deptype in ('n', 'a')
        union all
        select 'not null' where a.attnotnull) x) us
cross join lateral (select 'deprecated_' || a.attname as old_base, t.relname || '_' || a.attname || '_sync' as sync_base) b
cross join lateral (
  select case when octet_length(b.old_base) <= 63
               and not exists (select from pg_catalog.pg_attribute o where o.attrelid = t.oid and o.attname = b.old_base)
              then b.old_base
              else (select left(b.old_base, l) from generate_series(54, 1, -1) l where octet_length(left(b.old_base, l)) <= 54 limit 1)
                   || '_' || left(md5(b.old_base), 8) end as old_name,
         case when octet_length(b.sync_base) <= 63 then b.sync_base
              else (select left(b.sync_base, l) from generate_series(54, 1, -1) l where octet_length(left(b.sync_base, l)) <= 54 limit 1)
                   || '_' || left(md5(b.sync_base), 8) end as sync_name) nm
where a.atttypid = 'money'::regtype
  and a.attnum > 0
  and not a.attisdropped
  and t.relkind in ('r', 'p')
  and not t.relispartition
  and n.nspname not in ('pg_catalog', 'information_schema')
  and n.nspname !~ '^pg_(toast|temp_)'
  and not exists (select 1 from pg_catalog.pg_depend d
                  where d.classid = 'pg_catalog.pg_class'::regclass and d.objid = t.oid and d.deptype = 'e')
order by n.nspname, t.relname, a.attnum
