-- id: public_schema_create
-- category: public_schema_create
-- area: security
-- title: Schemas where every role may create objects
-- severity: medium..high
-- effort: low
-- grading: high for a schema on the database's default search_path (what every session resolves
--   unqualified names through), medium otherwise.
-- rationale: CREATE granted to PUBLIC on a schema lets every role that can log in create tables,
--   functions and operators there. In a schema on the default search_path, such an object can
--   take the place of one another role's queries name without a schema, and run with that role's rights
--   (CVE-2018-1058). PostgreSQL 15 stopped granting it on public for new databases; databases
--   created or upgraded from older versions keep it. Revoke it, and grant CREATE to the roles that
--   own objects in the schema, so migrations that create there keep working.
--
-- Schemas (system and extension schemas left out) whose ACL gives PUBLIC (grantee 0) CREATE.
-- The roles that own objects in the schema, other than its owner and the superusers, and have no
-- CREATE of their own are granted it first. Returns the fixed finding aliases (queries/README.md).
with
-- include: default_search_path
open_schemas as (
  select n.oid, n.nspname, o.rolname as owner
  from pg_catalog.pg_namespace n
  join pg_catalog.pg_roles o on o.oid = n.nspowner
  where exists (select from pg_catalog.aclexplode(n.nspacl) a where a.grantee = 0 and a.privilege_type = 'CREATE')
    and n.nspname not in ('pg_catalog', 'information_schema')
    and n.nspname !~ '^pg_(toast|temp_)'
    and not exists (select 1 from pg_catalog.pg_depend d
                    where d.classid = 'pg_catalog.pg_namespace'::regclass and d.objid = n.oid and d.deptype = 'e')
),
creators as (
  -- owners of relations and functions in the schema who would lose the right to create there
  select s.oid, pg_catalog.array_agg(distinct r.rolname order by r.rolname) as roles
  from open_schemas s
  join (select c.relnamespace as nsp, c.relowner as owner from pg_catalog.pg_class c
        union all select p.pronamespace, p.proowner from pg_catalog.pg_proc p) x on x.nsp = s.oid
  join pg_catalog.pg_roles r on r.oid = x.owner
  where r.rolname <> s.owner and not r.rolsuper
    and not exists (select from pg_catalog.pg_namespace n, pg_catalog.aclexplode(n.nspacl) a
                    where n.oid = s.oid and a.grantee = r.oid and a.privilege_type = 'CREATE')
  group by s.oid
)
select s.nspname as schema_name,
       null::text as table_name,
       s.nspname::text as object,
       'schema' as object_type,
       case when s.nspname::text = any (dp.schemas) then 'high' else 'medium' end as severity,
       format('every role may create objects in schema %s%s', s.nspname,
              case when s.nspname::text = any (dp.schemas)
                   then ', which is on the default search_path: a function or table a role plants there can take the place of one another role''s queries name without a schema, and runs with that role''s rights'
                   else '' end) as message,
       json_build_object('owner', s.owner, 'on_default_search_path', s.nspname::text = any (dp.schemas),
                         'creators_granted', c.roles) as evidence,
       concat_ws(E'\n',
         'set lock_timeout = ''5s'';',
         case when c.roles is not null then concat_ws(E'\n',
           '-- the roles that own objects here keep the right to create (a migration role, say):',
           (select pg_catalog.string_agg(format('grant create on schema %I to %I;', s.nspname, r), E'\n' order by r)
            from pg_catalog.unnest(c.roles) r)) end,
         format('revoke create on schema %I from public;', s.nspname)) as remediation,
       concat_ws(E'\n',
         'set lock_timeout = ''5s'';',
         format('grant create on schema %I to public;', s.nspname),
         (select pg_catalog.string_agg(format('revoke create on schema %I from %I;', s.nspname, r), E'\n' order by r)
          from pg_catalog.unnest(c.roles) r)) as undo,
       pg_catalog.quote_ident(s.nspname) as identity
from open_schemas s
cross join default_path dp
left join creators c on c.oid = s.oid
order by s.nspname
