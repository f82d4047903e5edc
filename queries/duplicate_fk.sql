-- id: duplicate_fk
-- category: duplicate_fk
-- area: integrity
-- title: Foreign keys declared twice
-- severity: low
-- effort: low
-- rationale: Two foreign keys with the same columns, parent columns, actions, match type and
--   deferrability enforce the same rule twice: every insert and update of the child, and every
--   delete and key update of the parent, runs both sets of triggers and checks. It usually comes
--   from a migration that added the key under another name. Drop the extra one, keeping a
--   validated twin: the rule stays enforced throughout.
--
-- Pairs of foreign keys equal in conrelid, conkey, confrelid, confkey, confupdtype, confdeltype,
-- confmatchtype, condeferrable and condeferred. The one kept is validated if either is, then the
-- oldest (lowest OID); each other one is a finding. The drop runs in a guard that first checks
-- the kept twin is still there and validated. Returns the fixed finding aliases (queries/README.md).
with fks as (
  select k.oid, k.conname, k.conrelid, k.convalidated, n.nspname, t.relname,
         pg_catalog.row_number() over (
           partition by k.conrelid, k.conkey, k.confrelid, k.confkey, k.confupdtype, k.confdeltype, k.confmatchtype,
                        k.condeferrable, k.condeferred
           order by k.convalidated desc, k.oid) as rank,
         pg_catalog.first_value(k.conname) over (
           partition by k.conrelid, k.conkey, k.confrelid, k.confkey, k.confupdtype, k.confdeltype, k.confmatchtype,
                        k.condeferrable, k.condeferred
           order by k.convalidated desc, k.oid) as kept,
         -- the kept one's validation is the first in that order: any twin validated
         pg_catalog.bool_or(k.convalidated) over (
           partition by k.conrelid, k.conkey, k.confrelid, k.confkey, k.confupdtype, k.confdeltype, k.confmatchtype,
                        k.condeferrable, k.condeferred) as kept_validated
  from pg_catalog.pg_constraint k
  join pg_catalog.pg_class t on t.oid = k.conrelid
  join pg_catalog.pg_namespace n on n.oid = t.relnamespace
  where k.contype = 'f'
    and k.conparentid = 0 -- a partition's copy of its parent's key goes with the parent's
    and n.nspname not in ('pg_catalog', 'information_schema')
    and n.nspname !~ '^pg_(toast|temp_)'
    and not exists (select 1 from pg_catalog.pg_depend d
                    where d.classid = 'pg_catalog.pg_class'::regclass and d.objid = t.oid and d.deptype = 'e')
)
select f.nspname as schema_name,
       f.relname as table_name,
       format('%I.%I.%I', f.nspname, f.relname, f.conname) as object,
       'constraint' as object_type,
       format('foreign key %s on %s.%s repeats %s (%s): every write checks the rule twice',
              f.conname, f.nspname, f.relname, f.kept, d.definition) as message,
       json_build_object('kept', f.kept, 'definition', d.definition, 'validated', f.convalidated,
                         'kept_validated', f.kept_validated) as evidence,
       concat_ws(E'\n',
         'set lock_timeout = ''5s'';',
         format('-- drop %I, only while its twin %I is there and validated', f.conname, f.kept),
         format(E'do $$\nbegin\n'
                '  if not exists (select from pg_catalog.pg_constraint k where k.conrelid = %L::regclass and k.conname = %L and k.convalidated) then\n'
                '    raise exception ''%%: its twin %% is gone or not validated: keep it'', %L, %L;\n'
                '  end if;\n'
                '  alter table %I.%I drop constraint if exists %I;\nend $$;',
                format('%I.%I', f.nspname, f.relname), f.kept, f.conname, f.kept,
                f.nspname, f.relname, f.conname)) as remediation,
       concat_ws(E'\n',
         'set lock_timeout = ''5s'';',
         format('alter table %I.%I add constraint %I %s not valid;', f.nspname, f.relname, f.conname,
                regexp_replace(d.definition, ' NOT VALID$', '')),
         format('alter table %I.%I validate constraint %I;', f.nspname, f.relname, f.conname)) as undo
from fks f
-- the definition (pg_get_constraintdef, costly) is read here, for the extra keys only: in fks it
-- was read for every foreign key of the database
cross join lateral (select pg_catalog.pg_get_constraintdef(f.oid) as definition) d
where f.rank > 1
order by f.nspname, f.relname, f.conname
