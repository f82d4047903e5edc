-- id: security_definer_search_path
-- category: security_definer_search_path
-- area: security
-- title: SECURITY DEFINER functions without a pinned search_path
-- severity: medium..high
-- effort: low
-- group: check
-- grading: high when PUBLIC may execute the function and its owner is a superuser or may
--   bypass row level security (anyone can then reach the owner's powers); medium otherwise.
-- rationale: A SECURITY DEFINER function runs with its owner's privileges, but resolves the
--   names its body leaves unqualified through the caller's search_path, and pg_temp comes first
--   unless the path lists it. A caller who can create a table, function or operator in a schema
--   on that path (or any temporary object) can make the function run their code as the owner.
--   Pin the path on the function: ALTER FUNCTION ... SET search_path = pg_catalog, its own
--   schema, the database's default schemas, pg_temp (last). It is a catalog change, takes no
--   lock on any table, and applies from the next call; the undo resets it.
--
-- Functions and procedures with prosecdef whose proconfig sets no search_path, outside the
-- system schemas and extensions. The pinned path keeps resolving what a default session
-- resolves: the function's schema, then the schemas of the database's default search_path
-- (its reset value, "$user" left out: it is the caller's name, not a fixed schema), with
-- pg_catalog first and pg_temp last, so trusted names win and temporary objects are never
-- searched before them. Returns the fixed finding aliases (queries/README.md).
with
-- include: default_search_path
candidates as (
  select p.oid, n.nspname, p.proname, p.prokind,
         pg_catalog.pg_get_function_identity_arguments(p.oid) as args,
         o.rolname as owner, o.rolsuper or o.rolbypassrls as owner_powerful,
         p.proacl is null or exists (select from pg_catalog.aclexplode(p.proacl) a
                                     where a.grantee = 0 and a.privilege_type = 'EXECUTE') as public_execute
  from pg_catalog.pg_proc p
  join pg_catalog.pg_namespace n on n.oid = p.pronamespace
  join pg_catalog.pg_roles o on o.oid = p.proowner
  where p.prosecdef
    and not exists (select from pg_catalog.unnest(p.proconfig) c where c like 'search_path=%')
    and n.nspname not in ('pg_catalog', 'information_schema')
    and n.nspname !~ '^pg_(toast|temp_)'
    and not exists (select 1 from pg_catalog.pg_depend d
                    where d.classid = 'pg_catalog.pg_proc'::regclass and d.objid = p.oid and d.deptype = 'e')
)
select c.nspname as schema_name,
       null::text as table_name,
       format('%I.%I(%s)', c.nspname, c.proname, c.args) as object,
       case when c.prokind = 'p' then 'procedure' else 'function' end as object_type,
       case when c.public_execute and c.owner_powerful then 'high' else 'medium' end as severity,
       format('%s %I.%I(%s) is SECURITY DEFINER (runs as %s%s) without a pinned search_path: a caller who can create '
              'objects on their search_path can make it run their code with its owner''s rights%s',
              case when c.prokind = 'p' then 'procedure' else 'function' end, c.nspname, c.proname, c.args, c.owner,
              case when c.owner_powerful then ', who is a superuser or bypasses row level security' else '' end,
              case when c.public_execute then '; PUBLIC may execute it' else '' end) as message,
       json_build_object('owner', c.owner, 'owner_superuser_or_bypassrls', c.owner_powerful,
                         'public_execute', c.public_execute, 'pinned_path', path.pinned) as evidence,
       concat_ws(E'\n',
         regexp_replace(format('-- pin the path a default session resolves through (%s), pg_temp last; add any other schema its body names unqualified',
                               path.pinned), '[\r\n]+', E'\n-- ', 'g'),
         'set lock_timeout = ''5s'';',
         format('alter %s %I.%I(%s) set search_path = %s;', case when c.prokind = 'p' then 'procedure' else 'function' end,
                c.nspname, c.proname, c.args, path.pinned)) as remediation,
       concat_ws(E'\n',
         'set lock_timeout = ''5s'';',
         format('alter %s %I.%I(%s) reset search_path;', case when c.prokind = 'p' then 'procedure' else 'function' end,
                c.nspname, c.proname, c.args)) as undo,
       format('%I.%I(%s)', c.nspname, c.proname, c.args) as identity
from candidates c
cross join default_path dp
cross join lateral (
  select pg_catalog.string_agg(pg_catalog.quote_ident(x.schema), ', ' order by x.ord) as pinned
  from (select distinct on (y.schema) y.schema, y.ord
        from (select 'pg_catalog' as schema, 0 as ord
              union all select c.nspname, 1
              union all select s, 1 + o from pg_catalog.unnest(dp.schemas) with ordinality as d(s, o)
              union all select 'pg_temp', 1000000) y
        order by y.schema, y.ord) x
) path
order by c.nspname, c.proname, c.args
