-- The expand-contract move of one column to another type, as lateral joins: a new column kept in
-- sync by a trigger, a batched backfill, a guarded swap that keeps the old column as
-- deprecated_<name>, and its undo. Included by type_money, type_char_n, type_json and int_overflow after
-- n (pg_namespace), t (pg_class), a (pg_attribute: the column) and tc (new_type: the type it
-- moves to, as SQL; suffix: the new column is <column>_<suffix>). Yields:
--   rd.names  the views, materialized views and rules that read the column (they keep reading
--             the old column after the renames of the swap and block its drop, so the swap
--             needs them dropped and recreated over the new column in its transaction)
--   us.names  what else uses the column and must move to the new one before the swap: indexes,
--             constraints, a default, views (NOT NULL moves with the swap: the new column gets a
--             validated CHECK first, then SET NOT NULL in the swap uses it and skips the scan)
--   nm        old_name (deprecated_<column>), sync_name (<table>_<column>_sync) and check_name
--             (<table>_<new column>_not_null), fitted to 63 bytes (fitted_names; the old column's
--             also free among the table's columns; the sync function is created or replaced, and
--             the trigger and the check created where missing, so a second run reuses them);
--             key_index (<table>_<new column>_key, free among the schema's relations: for a
--             caller that moves a key); new_column (<column>_<suffix>)
--   ec.remediation, ec.undo  the runbook and how to roll it back
cross join lateral (
  select string_agg(distinct format('%s %I.%I', case when r.ev_class = d.refobjid then 'rule ' || r.rulename || ' on'
                                                      when v.relkind = 'm' then 'materialized view' else 'view' end,
                                    vn.nspname, v.relname), ', ') as names
  from pg_catalog.pg_depend d
  join pg_catalog.pg_rewrite r on r.oid = d.objid
  join pg_catalog.pg_class v on v.oid = r.ev_class
  join pg_catalog.pg_namespace vn on vn.oid = v.relnamespace
  where d.classid = 'pg_catalog.pg_rewrite'::regclass and d.refclassid = 'pg_catalog.pg_class'::regclass
    and d.refobjid = t.oid and d.refobjsubid = a.attnum) rd
cross join lateral (
  select string_agg(u, ', ') as names
  from (select pg_catalog.pg_describe_object(d.classid, d.objid, d.objsubid) as u
        from pg_catalog.pg_depend d
        where d.refclassid = 'pg_catalog.pg_class'::regclass and d.refobjid = t.oid and d.refobjsubid = a.attnum
          and d.deptype in ('n', 'a')
          -- a NOT NULL constraint (PostgreSQL 18 records them) moves with the swap
          and not exists (select from pg_catalog.pg_constraint k
                          where d.classid = 'pg_catalog.pg_constraint'::regclass and k.oid = d.objid and k.contype = 'n')) x) us
cross join lateral (select array['deprecated_' || a.attname, t.relname || '_' || a.attname || '_sync',
                                 t.relname || '_' || a.attname || '_' || tc.suffix || '_not_null',
                                 t.relname || '_' || a.attname || '_' || tc.suffix || '_key'] as bases,
                           array[exists (select from pg_catalog.pg_attribute o
                                         where o.attrelid = t.oid and o.attname = 'deprecated_' || a.attname),
                                 false,
                                 false,
                                 exists (select from pg_catalog.pg_class o where o.relnamespace = t.relnamespace
                                         and o.relname = t.relname || '_' || a.attname || '_' || tc.suffix || '_key')] as taken) fit
-- include: fitted_names
cross join lateral (select fitted.names[1] as old_name, fitted.names[2] as sync_name, fitted.names[3] as check_name,
                           fitted.names[4] as key_index, a.attname || '_' || tc.suffix as new_column) nm
cross join lateral (
  select concat_ws(E'\n',
           case when rd.names is not null then regexp_replace(format('-- %s read the column: in the swap''s transaction, drop them first and recreate them after the renames (definitions from pg_get_viewdef; materialized views refilled)', rd.names), '[\r\n]+', E'\n-- ', 'g') end,
           regexp_replace(format('-- move %I to %s by expand-contract, not alter column type (a table rewrite under an exclusive lock):', a.attname, tc.new_type), '[\r\n]+', E'\n-- ', 'g'),
           'set lock_timeout = ''5s'';',
           '-- 1. the new column, kept in sync by a trigger while the backfill runs',
           format('alter table %I.%I add column if not exists %I %s;', n.nspname, t.relname, nm.new_column, tc.new_type),
           format(E'create or replace function %I.%I() returns trigger language plpgsql as $$\nbegin\n  new.%I := new.%I::%s;\n  return new;\nend $$;',
                  n.nspname, nm.sync_name, nm.new_column, a.attname, tc.new_type),
           -- created where missing rather than CREATE OR REPLACE TRIGGER, which PostgreSQL 13 lacks
           -- (a second run keeps the trigger: no write goes unsynced meanwhile)
           (select case when strpos(tr.body, '$$') = 0 then format(E'do $$\n%s\n$$;', tr.body) else format('do %L;', tr.body) end
            from (select format(E'begin\n  if not exists (select from pg_catalog.pg_trigger where tgrelid = %L::regclass and tgname = %L) then\n    %s;\n  end if;\nend',
                                format('%I.%I', n.nspname, t.relname), nm.sync_name,
                                format('create trigger %I before insert or update on %I.%I for each row execute function %I.%I()',
                                       nm.sync_name, n.nspname, t.relname, n.nspname, nm.sync_name)) as body) tr),
           '-- 2. backfill in batches; repeat until it updates no row:',
           format('update %I.%I set %I = %I::%s where ctid = any (array(select ctid from %I.%I where %I is null and %I is not null limit 10000));',
                  n.nspname, t.relname, nm.new_column, a.attname, tc.new_type, n.nspname, t.relname, nm.new_column, a.attname),
           case when a.attnotnull then concat_ws(E'\n',
             format('-- 2b. %I is NOT NULL: once the backfill is done, the same rule on %I as a check validated without blocking writes', a.attname, nm.new_column),
             format(E'do $$\nbegin\n  if not exists (select from pg_catalog.pg_constraint where conrelid = %L::regclass and conname = %L) then\n'
                    '    alter table %I.%I add constraint %I check (%I is not null) not valid;\n  end if;\nend $$;',
                    format('%I.%I', n.nspname, t.relname), nm.check_name, n.nspname, t.relname, nm.check_name, nm.new_column),
             format('alter table %I.%I validate constraint %I;', n.nspname, t.relname, nm.check_name)) end,
           case when us.names is null then concat_ws(E'\n',
           '-- 3. the swap, only once no row differs and nothing else (index, constraint, default, view) uses the old column',
             format(E'do $$\ndeclare\n  differing bigint;\n  users text;\nbegin\n'
                    '  select count(*) into differing from %I.%I where %I is distinct from %I::%s;\n'
                    '  if differing > 0 then\n'
                    '    raise exception ''%%: %% rows differ from %%: run the backfill until it updates no row, then this step again'', %L, differing, %L;\n'
                    '  end if;\n'
                    '  select string_agg(u, '', '') into users from (\n'
                    '    select pg_catalog.pg_describe_object(d.classid, d.objid, d.objsubid) as u from pg_catalog.pg_depend d\n'
                    '    join pg_catalog.pg_attribute a on a.attrelid = d.refobjid and a.attnum = d.refobjsubid\n'
                    '    where d.refclassid = ''pg_catalog.pg_class''::regclass and d.refobjid = %L::regclass and a.attname = %L\n'
                    '      and d.deptype in (''n'', ''a'')\n'
                    '      and not exists (select from pg_catalog.pg_constraint k\n'
                    '                      where d.classid = ''pg_catalog.pg_constraint''::regclass and k.oid = d.objid and k.contype = ''n'')) x;\n'
                    '  if users is not null then\n'
                    '    raise exception ''%% is still used by %%: move them to %% by hand, then run this step again'', %L, users, %L;\n'
                    '  end if;\n'
                    '  -- NOT NULL moves to the new column through its validated check (no scan), and leaves the old one\n'
                    '  if exists (select from pg_catalog.pg_attribute where attrelid = %L::regclass and attname = %L and attnotnull) then\n'
                    '    if not exists (select from pg_catalog.pg_constraint where conrelid = %L::regclass and conname = %L and convalidated) then\n'
                    '      raise exception ''%% is NOT NULL: the check %% must be validated on %% first (step 2b; audit again if it is not printed)'', %L, %L, %L;\n'
                    '    end if;\n'
                    '    alter table %I.%I alter column %I set not null;\n'
                    '    alter table %I.%I drop constraint %I;\n'
                    '    alter table %I.%I alter column %I drop not null;\n'
                    '  end if;\n'
                    '  alter table %I.%I rename column %I to %I;\n'
                    '  alter table %I.%I rename column %I to %I;\n'
                    '  drop trigger if exists %I on %I.%I;\n'
                    '  drop function if exists %I.%I();\nend $$;',
                    n.nspname, t.relname, nm.new_column, a.attname, tc.new_type,
                    format('%I.%I.%I', n.nspname, t.relname, nm.new_column), format('%I.%I.%I', n.nspname, t.relname, a.attname),
                    format('%I.%I', n.nspname, t.relname), a.attname,
                    format('%I.%I.%I', n.nspname, t.relname, a.attname), nm.new_column,
                    format('%I.%I', n.nspname, t.relname), a.attname,
                    format('%I.%I', n.nspname, t.relname), nm.check_name,
                    format('%I.%I.%I', n.nspname, t.relname, a.attname), nm.check_name, nm.new_column,
                    n.nspname, t.relname, nm.new_column,
                    n.nspname, t.relname, nm.check_name,
                    n.nspname, t.relname, a.attname,
                    n.nspname, t.relname, a.attname, nm.old_name,
                    n.nspname, t.relname, nm.new_column, a.attname,
                    nm.sync_name, n.nspname, t.relname, n.nspname, nm.sync_name))
           else regexp_replace(format('-- 3. the swap is not printed: %s still use %I; move them to %I by hand (indexes built concurrently, constraints NOT VALID then validated, the default, views recreated), then audit again', us.names, a.attname, nm.new_column), '[\r\n]+', E'\n-- ', 'g')
           end,
           regexp_replace(format('-- 4. after the grace period, drop %I (its data cannot be brought back without a backup)', nm.old_name),
                          '[\r\n]+', E'\n-- ', 'g')) as remediation,
         concat_ws(E'\n',
           'set lock_timeout = ''5s'';',
           '-- before the swap: drop the trigger, its function and the new column (it only holds copies):',
           format('drop trigger if exists %I on %I.%I;', nm.sync_name, n.nspname, t.relname),
           format('drop function if exists %I.%I();', n.nspname, nm.sync_name),
           format('alter table %I.%I drop column if exists %I;', n.nspname, t.relname, nm.new_column),
           regexp_replace(format('-- after it, in one transaction: alter table %I.%I rename column %I to %I; alter table %I.%I rename column %I to %I;%s',
                                 n.nspname, t.relname, a.attname, nm.new_column, n.nspname, t.relname, nm.old_name, a.attname,
                                 case when a.attnotnull
                                      then format(' then alter table %I.%I alter column %I set not null (it scans the table under its lock)',
                                                  n.nspname, t.relname, a.attname) else '' end),
                          '[\r\n]+', E'\n-- ', 'g')) as undo) ec
