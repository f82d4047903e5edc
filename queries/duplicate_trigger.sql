-- id: duplicate_trigger
-- category: duplicate_trigger
-- area: integrity
-- title: Triggers that repeat another trigger of the same table
-- severity: low..medium
-- effort: low
-- grading: medium for a trigger that fires after the row's change (its function's side effects,
--   an audit row or a counter, happen twice for every write); low for one that fires before it (it
--   sets the row's values twice, the same ones).
-- rationale: Two triggers of one table with the same timing, events, level, columns, condition,
--   function and arguments run that function twice for every write. A migration copied for
--   another table that kept this table's name is the usual cause (Ente: three identical
--   updated_at triggers on families, two of them named for emergency_contact and
--   emergency_recovery, whose own updated_at nobody maintains since). Drop the repeat, and create
--   the trigger on the table it was meant for, if its name says one.
--
-- One row per trigger that repeats another enabled trigger of its table (pg_trigger: the same
-- tgtype, tgfoid, tgargs, tgattr, WHEN condition and transition tables, both enabled the same
-- way), not the first of them by name, which stays: user triggers only (not a constraint's or a
-- partition's clone), outside the system schemas and extensions. The fix drops it while the one
-- it repeats is still there, enabled the same way; the undo creates it again from its definition,
-- with its comment.
-- Returns the fixed finding aliases (queries/README.md).
with triggers as (
  select tg.oid, tg.tgrelid, tg.tgname, tg.tgtype, n.nspname, t.relname,
         pg_catalog.pg_get_triggerdef(tg.oid) as definition,
         (select d.description from pg_catalog.pg_description d
          where d.classoid = 'pg_catalog.pg_trigger'::regclass and d.objoid = tg.oid and d.objsubid = 0) as comment,
         first_value(tg.tgname) over same as kept,
         row_number() over same as position
  from pg_catalog.pg_trigger tg
  join pg_catalog.pg_class t on t.oid = tg.tgrelid
  join pg_catalog.pg_namespace n on n.oid = t.relnamespace
  where not tg.tgisinternal and tg.tgconstraint = 0 and tg.tgparentid = 0 and tg.tgenabled <> 'D'
    and n.nspname not in ('pg_catalog', 'information_schema')
    and n.nspname !~ '^pg_(toast|temp_)'
    and not exists (select 1 from pg_catalog.pg_depend d
                    where d.classid = 'pg_catalog.pg_class'::regclass and d.objid = t.oid and d.deptype = 'e')
  window same as (partition by tg.tgrelid, tg.tgtype, tg.tgfoid, tg.tgargs, tg.tgattr::text, tg.tgqual::text,
                               tg.tgoldtable, tg.tgnewtable, tg.tgenabled
                  order by tg.tgname)
)
select r.nspname as schema_name,
       r.relname as table_name,
       format('%I.%I.%I', r.nspname, r.relname, r.tgname) as object,
       'trigger' as object_type,
       -- tgtype bit 1 (2): BEFORE; bit 6 (64): INSTEAD OF; neither: AFTER
       case when r.tgtype & 66 = 0 then 'medium' else 'low' end as severity,
       format('trigger %I on %I.%I repeats %s (the same timing, events, columns, condition, function and arguments): '
              'its function runs twice for every write%s; if it was meant for another table (its name may say which), '
              'create it there',
              r.tgname, r.nspname, r.relname, r.kept,
              case when r.tgtype & 66 = 0 then ', and its side effects (an audit row, a counter) happen twice' else '' end)
         as message,
       json_build_object('repeats', r.kept, 'definition', r.definition,
                         'timing', case when r.tgtype & 2 <> 0 then 'before' when r.tgtype & 64 <> 0 then 'instead of' else 'after' end)
         as evidence,
       concat_ws(E'\n',
         'set lock_timeout = ''5s'';',
         format('-- dropped while %s, which it repeats, is still there and enabled (run again, nothing to do)', r.kept),
         format(E'do $$\nbegin\n'
                '  if exists (select from pg_catalog.pg_trigger k where k.tgrelid = %1$L::regclass and k.tgname = %2$L and k.tgenabled <> ''D'') then\n'
                '    drop trigger if exists %3$I on %4$I.%5$I;\n'
                '  else\n'
                '    raise notice ''%%: %% is gone or disabled: %% stays'', %1$L, %2$L, %6$L;\n'
                '  end if;\nend $$;',
                format('%I.%I', r.nspname, r.relname), r.kept, r.tgname, r.nspname, r.relname, r.tgname)) as remediation,
       concat_ws(E'\n',
         'set lock_timeout = ''5s'';',
         format(E'do $$\nbegin\n'
                '  if not exists (select from pg_catalog.pg_trigger k where k.tgrelid = %L::regclass and k.tgname = %L) then\n'
                '    execute %L;\n%s'
                '  end if;\nend $$;',
                format('%I.%I', r.nspname, r.relname), r.tgname, r.definition,
                case when r.comment is not null
                     then format(E'    execute %L;\n', format('comment on trigger %I on %I.%I is %L', r.tgname, r.nspname, r.relname, r.comment))
                     else '' end)) as undo,
       format('%I.%I.%I', r.nspname, r.relname, r.tgname) as identity
from triggers r
where r.position > 1
order by r.nspname, r.relname, r.tgname
