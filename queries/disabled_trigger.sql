-- id: disabled_trigger
-- category: disabled_trigger
-- area: integrity
-- title: Tables with disabled triggers
-- severity: low..high
-- effort: low
-- grading: high when a foreign key's own triggers are disabled (the key is no longer enforced:
--   ALTER TABLE ... DISABLE TRIGGER ALL before a bulk load, never undone); low for the table's own
--   triggers only.
-- rationale: PostgreSQL enforces a foreign key with internal triggers on both tables. DISABLE
--   TRIGGER ALL, often run before a bulk load to make it faster, switches them off too, and the
--   key stays marked valid while rows without a parent (or parents deleted from under their
--   children) get in. Look for those orphans first: re-enabling the triggers does not check the
--   rows already there. A disabled trigger of the application's own (auditing, a denormalized
--   count) silently stops its work.
--
-- One row per table with a disabled trigger (pg_trigger.tgenabled = 'D'), outside the system
-- schemas and extensions. For the internal triggers of foreign keys (on the child: the insert and
-- update checks; on the parent: the delete and update actions), the fix counts, for each such
-- key, the child rows whose key has no parent (MATCH SIMPLE: a row with a NULL key column is
-- never an orphan), stops with the count and the query that lists them, and otherwise enables
-- those triggers by name (a superuser's right, as disabling them was). The table's own disabled
-- triggers are enabled by name after it. Returns the fixed finding aliases (queries/README.md).
with disabled as (
  select tg.tgrelid, tg.tgname, tg.tgisinternal, k.oid as fk_oid
  from pg_catalog.pg_trigger tg
  left join pg_catalog.pg_constraint k on k.oid = tg.tgconstraint and k.contype = 'f'
  where tg.tgenabled = 'D'
),
tables as (
  select t.oid, n.nspname, t.relname,
         pg_catalog.array_agg(d.tgname order by d.tgname) filter (where d.fk_oid is not null) as fk_triggers,
         pg_catalog.array_agg(d.tgname order by d.tgname) filter (where d.fk_oid is null) as own_triggers
  from disabled d
  join pg_catalog.pg_class t on t.oid = d.tgrelid
  join pg_catalog.pg_namespace n on n.oid = t.relnamespace
  where n.nspname not in ('pg_catalog', 'information_schema')
    and n.nspname !~ '^pg_(toast|temp_)'
    and not exists (select 1 from pg_catalog.pg_depend dp
                    where dp.classid = 'pg_catalog.pg_class'::regclass and dp.objid = t.oid and dp.deptype = 'e')
  group by t.oid, n.nspname, t.relname
),
-- each foreign key a disabled internal trigger of the table enforces, with its orphan count query
keys as (
  select distinct on (tb.oid, k.oid) tb.oid as tab, k.oid, k.conname,
         format('select count(*) from %I.%I c where %s and not exists (select from %I.%I p where %s)',
                cn.nspname, c.relname,
                (select pg_catalog.string_agg(format('c.%I is not null', a.attname), ' and ' order by u.i)
                 from pg_catalog.unnest(k.conkey) with ordinality u(attnum, i)
                 join pg_catalog.pg_attribute a on a.attrelid = k.conrelid and a.attnum = u.attnum),
                pn.nspname, p.relname,
                (select pg_catalog.string_agg(format('p.%I = c.%I', pa.attname, ca.attname), ' and ' order by u.i)
                 from unnest(k.conkey, k.confkey) with ordinality u(c_att, p_att, i)
                 join pg_catalog.pg_attribute ca on ca.attrelid = k.conrelid and ca.attnum = u.c_att
                 join pg_catalog.pg_attribute pa on pa.attrelid = k.confrelid and pa.attnum = u.p_att)) as orphans_sql
  from tables tb
  join disabled d on d.tgrelid = tb.oid and d.fk_oid is not null
  join pg_catalog.pg_constraint k on k.oid = d.fk_oid
  join pg_catalog.pg_class c on c.oid = k.conrelid
  join pg_catalog.pg_namespace cn on cn.oid = c.relnamespace
  join pg_catalog.pg_class p on p.oid = k.confrelid
  join pg_catalog.pg_namespace pn on pn.oid = p.relnamespace
),
key_lists as (
  select k.tab, pg_catalog.array_agg(k.conname order by k.conname) as names,
         pg_catalog.string_agg(format('(%L, %L)', k.conname, k.orphans_sql), E',\n    ' order by k.conname) as checks
  from keys k
  group by k.tab
)
select tb.nspname as schema_name,
       tb.relname as table_name,
       format('%I.%I', tb.nspname, tb.relname) as object,
       'table' as object_type,
       case when tb.fk_triggers is not null then 'high' else 'low' end as severity,
       format('table %I.%I has disabled triggers: %s',
              tb.nspname, tb.relname,
              concat_ws('; ',
                case when tb.fk_triggers is not null
                     then format('those enforcing foreign key(s) %s are off, so the key(s) no longer stop rows without a parent',
                                 (select string_agg(format('%I', k.name), ', ' order by k.ord)
                                  from unnest(kl.names) with ordinality k(name, ord))) end,
                case when tb.own_triggers is not null
                     then format('its own %s do not fire', pg_catalog.array_to_string(tb.own_triggers, ', ')) end)) as message,
       json_build_object('foreign_keys_unenforced', kl.names, 'internal_triggers', tb.fk_triggers,
                         'own_triggers', tb.own_triggers) as evidence,
       concat_ws(E'\n',
         'set lock_timeout = ''5s'';',
         case when tb.fk_triggers is not null then concat_ws(E'\n',
           '-- the foreign keys'' triggers, only when no row broke a key while they were off (a full scan of each child)',
           format(E'do $$\ndeclare\n  k record;\n  orphans bigint;\nbegin\n'
                  '  for k in select * from (values\n    %s) v(conname, orphans_sql) loop\n'
                  '    execute k.orphans_sql into orphans;\n'
                  '    if orphans > 0 then\n'
                  '      raise exception ''foreign key %%: %% rows have no parent; list them with: %%'', k.conname, orphans, k.orphans_sql;\n'
                  '    end if;\n'
                  '  end loop;\n'
                  '%s\nend $$;',
                  kl.checks,
                  (select pg_catalog.string_agg(format('  alter table %I.%I enable trigger %I;', tb.nspname, tb.relname, g), E'\n' order by g)
                   from pg_catalog.unnest(tb.fk_triggers) g))) end,
         case when tb.own_triggers is not null then concat_ws(E'\n',
           '-- the table''s own triggers (disabled on purpose? then leave this out)',
           (select pg_catalog.string_agg(format('alter table %I.%I enable trigger %I;', tb.nspname, tb.relname, g), E'\n' order by g)
            from pg_catalog.unnest(tb.own_triggers) g)) end) as remediation,
       concat_ws(E'\n',
         'set lock_timeout = ''5s'';',
         case when tb.fk_triggers is not null then
           '-- the foreign keys'' triggers: not undone (switching a key''s enforcement off again lets orphans in)' end,
         (select pg_catalog.string_agg(format('alter table %I.%I disable trigger %I;', tb.nspname, tb.relname, g), E'\n' order by g)
          from pg_catalog.unnest(tb.own_triggers) g)) as undo
from tables tb
left join key_lists kl on kl.tab = tb.oid
order by tb.nspname, tb.relname
