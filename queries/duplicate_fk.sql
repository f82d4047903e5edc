-- id: duplicate_fk
-- category: duplicate_fk
-- area: integrity
-- title: Foreign keys declared twice, or implied by a wider one
-- severity: low
-- effort: low
-- rationale: Two foreign keys with the same columns, parent columns, actions, match type and
--   deferrability enforce the same rule twice: every insert and update of the child, and every
--   delete and key update of the parent, runs both sets of triggers and checks. It usually comes
--   from a migration that added the key under another name. So does a key a wider one implies
--   (the tenant's composite key beside the original: every row the narrow key checks, the wider
--   one checks with the tenant too). Drop the extra one, keeping a validated twin or wider key:
--   the rule stays enforced throughout.
--
-- Pairs of foreign keys equal in conrelid, conkey, confrelid, confkey, confupdtype, confdeltype,
-- confmatchtype, condeferrable and condeferred. The one kept is validated if either is, then the
-- oldest (lowest OID); each other one is a finding. So is a key that a validated wider key of the
-- same table to the same parent implies (Logto's organization_user_relations: (user_id) ->
-- users(id) beside (tenant_id, user_id) -> users(tenant_id, id)): each of its (column, parent
-- column) pairs is one of the wider key's, the same actions (neither SET NULL nor SET DEFAULT, which
-- on the wider key would clear its other columns too), match type and deferrability, and the wider
-- key's other columns are NOT NULL (lib/proven_not_null.sql: MATCH SIMPLE checks no row with a
-- NULL in them, which the narrow key does check). The drop runs in a guard that first checks the
-- kept key is still there and validated. Returns the fixed finding aliases (queries/README.md).
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
                        k.condeferrable, k.condeferred) as kept_validated,
         -- keys of the table to the same parent: a wider one is looked for only where there are two
         pg_catalog.count(*) over (partition by k.conrelid, k.confrelid) as to_parent,
         k.conkey, k.confkey, k.confrelid, k.confupdtype, k.confdeltype, k.confmatchtype, k.condeferrable, k.condeferred
  from pg_catalog.pg_constraint k
  join pg_catalog.pg_class t on t.oid = k.conrelid
  join pg_catalog.pg_namespace n on n.oid = t.relnamespace
  where k.contype = 'f'
    and k.conparentid = 0 -- a partition's copy of its parent's key goes with the parent's
    and n.nspname not in ('pg_catalog', 'information_schema')
    and n.nspname !~ '^pg_(toast|temp_)'
    and not exists (select 1 from pg_catalog.pg_depend d
                    where d.classid = 'pg_catalog.pg_class'::regclass and d.objid = t.oid and d.deptype = 'e')
),
-- the extra keys: a twin's, and those a wider key implies
extra as (
  select f.oid, f.conname, f.conrelid, f.convalidated, f.nspname, f.relname, f.kept, f.kept_validated, null::text as wider_definition
  from fks f
  where f.rank > 1
  union all
  select f.oid, f.conname, f.conrelid, f.convalidated, f.nspname, f.relname, w.conname, true, pg_catalog.pg_get_constraintdef(w.oid)
  from fks f
  cross join lateral (
    select w.oid, w.conname
    from pg_catalog.pg_constraint w
    where w.conrelid = f.conrelid and w.contype = 'f' and w.confrelid = f.confrelid and w.oid <> f.oid and w.convalidated
      and cardinality(w.conkey) > cardinality(f.conkey)
      and (w.confupdtype, w.confdeltype, w.confmatchtype, w.condeferrable, w.condeferred)
          = (f.confupdtype, f.confdeltype, f.confmatchtype, f.condeferrable, f.condeferred)
      and f.confupdtype not in ('n', 'd') and f.confdeltype not in ('n', 'd')
      -- each (column, parent column) pair of the narrow key is one of the wider key's
      and not exists (select from unnest(f.conkey, f.confkey) p(c, pc)
                      where not exists (select from unnest(w.conkey, w.confkey) q(c, pc) where q.c = p.c and q.pc = p.pc))
      -- and the wider key's other columns hold no NULL
      and not exists (select from unnest(w.conkey) e(attnum)
                      join pg_catalog.pg_attribute a on a.attrelid = w.conrelid and a.attnum = e.attnum
                      where not (e.attnum = any (f.conkey)) and not (
                        -- include: proven_not_null
                      ))
    order by w.oid
    limit 1) w
  where f.to_parent > 1 and f.rank = 1
)
select f.nspname as schema_name,
       f.relname as table_name,
       format('%I.%I.%I', f.nspname, f.relname, f.conname) as object,
       'constraint' as object_type,
       case when f.wider_definition is null
            then format('foreign key %I on %I.%I repeats %s (%s): every write checks the rule twice',
                        f.conname, f.nspname, f.relname, f.kept, d.definition)
            else format('foreign key %I on %I.%I (%s) is implied by %s (%s), whose other columns are NOT NULL: every row it '
                        'checks, %s checks too, and every write checks the rule twice',
                        f.conname, f.nspname, f.relname, d.definition, f.kept, f.wider_definition, f.kept) end as message,
       json_build_object('kept', f.kept, 'definition', d.definition, 'validated', f.convalidated,
                         'kept_validated', f.kept_validated, 'implied_by', f.wider_definition) as evidence,
       concat_ws(E'\n',
         'set lock_timeout = ''5s'';',
         format('-- drop %I, only while %s %I is there and validated', f.conname,
                case when f.wider_definition is null then 'its twin' else 'the wider key' end, f.kept),
         format(E'do $$\nbegin\n'
                '  if not exists (select from pg_catalog.pg_constraint k where k.conrelid = %L::regclass and k.conname = %L and k.convalidated) then\n'
                '    raise exception ''%%: %s %% is gone or not validated: keep it'', %L, %L;\n'
                '  end if;\n'
                '  alter table %I.%I drop constraint if exists %I;\nend $$;',
                format('%I.%I', f.nspname, f.relname), f.kept,
                case when f.wider_definition is null then 'its twin' else 'the wider key' end, f.conname, f.kept,
                f.nspname, f.relname, f.conname)) as remediation,
       concat_ws(E'\n',
         'set lock_timeout = ''5s'';',
         format('alter table %I.%I add constraint %I %s not valid;', f.nspname, f.relname, f.conname,
                regexp_replace(d.definition, ' NOT VALID$', '')),
         format('alter table %I.%I validate constraint %I;', f.nspname, f.relname, f.conname)) as undo
from extra f
-- the definition (pg_get_constraintdef, costly) is read here, for the extra keys only: in fks it
-- was read for every foreign key of the database
cross join lateral (select pg_catalog.pg_get_constraintdef(f.oid) as definition) d
order by f.nspname, f.relname, f.conname
