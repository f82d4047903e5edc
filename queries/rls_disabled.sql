-- id: rls_disabled
-- category: rls_disabled
-- area: security
-- title: Tenant tables without row level security where the others have it
-- severity: high
-- effort: low
-- group: check
-- params: tenant_keys=(config)
-- rationale: A database that isolates tenants with row level security relies on every tenant
--   table having it: one table left out (added by a later migration, recreated by a tool) returns
--   every tenant's rows to a query that forgets its WHERE clause, and lets any tenant write rows
--   for another. Give it the policy its sibling tables use, and enable row level security in the
--   same transaction: enabling it without a policy would hide every row from every role but the
--   owner.
--
-- Only in a database where some table with a tenant column (tenant_keys) has row level security:
-- the ordinary and partitioned tables (partitions counted with their parent) with a tenant
-- column, without it, outside the system schemas and extensions. The policy to copy is the one
-- most of the tables that have it use on the same tenant column (same command, roles, USING and
-- WITH CHECK expressions, which name the tenant column as it is named here), and FORCE is copied
-- when that table forces it. Without such a policy only the reason is printed. Returns the fixed
-- finding aliases (queries/README.md).
with tenant_tables as (
  select t.oid, n.nspname, t.relname, t.relrowsecurity, t.relforcerowsecurity, tc.attname as tenant_column
  from pg_catalog.pg_class t
  join pg_catalog.pg_namespace n on n.oid = t.relnamespace
  cross join lateral (select a.attname from pg_catalog.pg_attribute a
                      where a.attrelid = t.oid and a.attname = any ($1::text[]) and a.attnum > 0 and not a.attisdropped
                      order by pg_catalog.array_position($1::text[], a.attname::text) limit 1) tc
  where t.relkind in ('r', 'p') and not t.relispartition
    and n.nspname not in ('pg_catalog', 'information_schema')
    and n.nspname !~ '^pg_(toast|temp_)'
    and not exists (select 1 from pg_catalog.pg_depend d
                    where d.classid = 'pg_catalog.pg_class'::regclass and d.objid = t.oid and d.deptype = 'e')
),
-- the policies of the tables that have row level security, each with its roles by name
policies as (
  select r.tenant_column, r.nspname, r.relname, r.relforcerowsecurity, p.polcmd, p.polpermissive,
         (select coalesce(pg_catalog.string_agg(case when ro = 0 then 'public' else pg_catalog.quote_ident(a.rolname) end,
                                                ', ' order by ro), 'public')
          from pg_catalog.unnest(p.polroles) ro left join pg_catalog.pg_roles a on a.oid = ro) as roles,
         pg_catalog.pg_get_expr(p.polqual, p.polrelid) as qual,
         pg_catalog.pg_get_expr(p.polwithcheck, p.polrelid) as with_check
  from tenant_tables r
  join pg_catalog.pg_policy p on p.polrelid = r.oid
  where r.relrowsecurity
),
-- per tenant column, the policy most of them use, with one table that has it
model_policy as (
  select distinct on (m.tenant_column) m.*
  from (select pp.tenant_column, pp.polcmd, pp.polpermissive, pp.roles, pp.qual, pp.with_check, count(*) as uses,
               min(format('%I.%I', pp.nspname, pp.relname)) as example, bool_or(pp.relforcerowsecurity) as forced
        from policies pp
        group by pp.tenant_column, pp.polcmd, pp.polpermissive, pp.roles, pp.qual, pp.with_check) m
  order by m.tenant_column, m.uses desc, m.example
)
select t.nspname as schema_name,
       t.relname as table_name,
       format('%I.%I', t.nspname, t.relname) as object,
       'table' as object_type,
       format('table %s.%s has tenant column %s but no row level security, which %s other tenant table(s) of this database have: a query without its tenant filter sees every tenant''s rows%s',
              t.nspname, t.relname, t.tenant_column,
              (select count(*) from tenant_tables o where o.relrowsecurity),
              case when m.example is not null then format(' (%s has the policy to copy)', m.example) else '' end) as message,
       json_build_object('tenant_column', t.tenant_column, 'policy_from', m.example, 'using', m.qual, 'with_check', m.with_check,
                         'force', m.forced) as evidence,
       case when m.qual is not null or m.with_check is not null then concat_ws(E'\n',
         'set lock_timeout = ''5s'';',
         regexp_replace(format('-- the policy %s uses, then row level security on, in one transaction (on without a policy would hide every row)',
                               m.example), '[\r\n]+', E'\n-- ', 'g'),
         format(E'do $$\nbegin\n'
                '  if not exists (select from pg_catalog.pg_policy p where p.polrelid = %L::regclass and p.polname = %L) then\n'
                '    create policy %I on %I.%I as %s for %s to %s%s%s;\n'
                '  end if;\n'
                '  alter table %I.%I enable row level security;\n%s'
                'end $$;',
                format('%I.%I', t.nspname, t.relname), pn.policy_name,
                pn.policy_name, t.nspname, t.relname,
                case when m.polpermissive then 'permissive' else 'restrictive' end,
                case m.polcmd when 'r' then 'select' when 'a' then 'insert' when 'w' then 'update' when 'd' then 'delete' else 'all' end,
                m.roles,
                case when m.qual is not null then format(' using (%s)', m.qual) else '' end,
                case when m.with_check is not null then format(' with check (%s)', m.with_check) else '' end,
                t.nspname, t.relname,
                case when m.forced then format(E'  alter table %I.%I force row level security;\n', t.nspname, t.relname) else '' end))
       else '-- no policy on this tenant column to copy: write one (USING the tenant column), create it and enable row level security in one transaction'
       end as remediation,
       concat_ws(E'\n',
         'set lock_timeout = ''5s'';',
         format('alter table %I.%I no force row level security;', t.nspname, t.relname),
         format('alter table %I.%I disable row level security;', t.nspname, t.relname),
         format('drop policy if exists %I on %I.%I;', pn.policy_name, t.nspname, t.relname)) as undo
from tenant_tables t
left join model_policy m on m.tenant_column = t.tenant_column
-- at most 63 bytes: the table's name cut to 46 bytes on a character boundary, and a suffix
cross join lateral (select (select left(t.relname, l) from generate_series(46, 1, -1) l
                            where octet_length(left(t.relname, l)) <= 46 limit 1) || '_tenant_isolation' as policy_name) pn
where not t.relrowsecurity
  and exists (select from tenant_tables o where o.relrowsecurity)
order by t.nspname, t.relname
