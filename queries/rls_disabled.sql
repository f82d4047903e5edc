-- id: rls_disabled
-- category: rls_disabled
-- area: security
-- title: Tenant tables without row level security where the others have it
-- severity: info..high, default high
-- effort: low
-- group: check
-- params: tenant_keys=(config)
-- grading: high; low on an empty table (analyzed empty, or an empty file never analyzed: no row
--   to show another tenant yet); info, the steps as advice, when none of the roles the model's
--   policies govern (not superuser, BYPASSRLS, its owner or a predefined pg_ role) that may read
--   or write the model may read or write this table: its policies would protect nothing.
-- rationale: A database that isolates tenants with row level security relies on every tenant
--   table having it: one table left out (added by a later migration, recreated by a tool) returns
--   every tenant's rows to a query that forgets its WHERE clause, and lets any tenant write rows
--   for another. Give it the policies its sibling tables use, and enable row level security in the
--   same transaction: enabling it without a policy would hide every row from every role but the
--   owner.
--
-- Only in a database that isolates tenants with row level security: some table with a tenant
-- column (tenant_keys) has it on, with a policy whose USING or WITH CHECK reads that column
-- (pg_depend records the columns a policy's expressions read). Row level security that grants by
-- other means (Windmill's per-user permissions, an admin role's USING (true)) isolates no tenant:
-- copied onto a tenant table, such a policy hid every row from the application's role. Flagged:
-- the ordinary and partitioned tables (partitions counted with their parent) with the same tenant
-- column, without row level security, outside the system schemas and extensions. The model is the
-- table whose tenant policy (command, roles, USING and WITH CHECK) most of them use; every policy
-- of that table is copied under its own name (a policy's name is its table's), with FORCE when the
-- model forces it, and a policy of that name already on the table is kept. Only the reason and
-- the steps as advice, nothing to run: when a policy of the model reads a column the table lacks
-- (the copy would fail), and when the table's tenant column holds NULLs (pg_stats: rows shared by
-- every tenant, which the copied policy would hide from all of them), and when no role the model's
-- policies govern may read or write the table (evidence.out_of_reach). A copied policy whose name
-- starts with the model table's is named after this table instead. Returns the fixed finding
-- aliases (queries/README.md).
with tenant_tables as (
  select t.oid, n.nspname, t.relname, t.relrowsecurity, t.relforcerowsecurity, tc.attname as tenant_column,
         tc.attnum as tenant_attnum
  from pg_catalog.pg_class t
  join pg_catalog.pg_namespace n on n.oid = t.relnamespace
  cross join lateral (select a.attname, a.attnum from pg_catalog.pg_attribute a
                      where a.attrelid = t.oid and a.attname = any ($1::text[]) and a.attnum > 0 and not a.attisdropped
                      order by pg_catalog.array_position($1::text[], a.attname::text) limit 1) tc
  where t.relkind in ('r', 'p') and not t.relispartition
    and n.nspname not in ('pg_catalog', 'information_schema')
    and n.nspname !~ '^pg_(toast|temp_)'
    and not exists (select 1 from pg_catalog.pg_depend d
                    where d.classid = 'pg_catalog.pg_class'::regclass and d.objid = t.oid and d.deptype = 'e')
),
-- the policies of the tenant tables that have row level security, each with its roles by name and
-- the columns its expressions read
policies as (
  select r.oid as relid, r.tenant_column, r.nspname, r.relname, r.relforcerowsecurity, p.polname, p.polcmd,
         p.polpermissive,
         (select coalesce(pg_catalog.string_agg(case when ro = 0 then 'public' else pg_catalog.quote_ident(a.rolname) end,
                                                ', ' order by ro), 'public')
          from pg_catalog.unnest(p.polroles) ro left join pg_catalog.pg_roles a on a.oid = ro) as roles,
         pg_catalog.pg_get_expr(p.polqual, p.polrelid) as qual,
         pg_catalog.pg_get_expr(p.polwithcheck, p.polrelid) as with_check,
         cols.names as columns,
         r.tenant_column = any (cols.names) as reads_tenant
  from tenant_tables r
  join pg_catalog.pg_policy p on p.polrelid = r.oid
  cross join lateral (select coalesce(pg_catalog.array_agg(distinct a.attname::text), '{}') as names
                      from pg_catalog.pg_depend d
                      join pg_catalog.pg_attribute a on a.attrelid = d.refobjid and a.attnum = d.refobjsubid
                      where d.classid = 'pg_catalog.pg_policy'::regclass and d.objid = p.oid
                        and d.refclassid = 'pg_catalog.pg_class'::regclass and d.refobjid = r.oid
                        and d.refobjsubid > 0) cols
  where r.relrowsecurity
),
-- the tables that isolate their tenants: row level security on, a policy on the tenant column
isolated as (
  select distinct pp.relid, pp.tenant_column from policies pp where pp.reads_tenant
),
-- per tenant column, the tenant policy most of them use, and the first table that has it
model_table as (
  select distinct on (m.tenant_column) m.tenant_column, m.relid, m.example, m.forced
  from (select pp.tenant_column, count(*) as uses,
               min(format('%I.%I', pp.nspname, pp.relname)) as example,
               (pg_catalog.array_agg(pp.relid order by format('%I.%I', pp.nspname, pp.relname)))[1] as relid,
               (pg_catalog.array_agg(pp.relforcerowsecurity order by format('%I.%I', pp.nspname, pp.relname)))[1] as forced
        from policies pp
        where pp.reads_tenant
        group by pp.tenant_column, pp.polcmd, pp.polpermissive, pp.roles, pp.qual, pp.with_check) m
  order by m.tenant_column, m.uses desc, m.example
),
flagged as (
  select r.*, m.example, m.relid as model_relid, m.forced,
         -- no rows to show another tenant yet
         coalesce(size.rows_at_most = 0, false) as empty
  from tenant_tables r
  join model_table m on m.tenant_column = r.tenant_column
  join pg_catalog.pg_class t on t.oid = r.oid
-- include: table_size
  where not r.relrowsecurity
)
select f.nspname as schema_name,
       f.relname as table_name,
       format('%I.%I', f.nspname, f.relname) as object,
       'table' as object_type,
       case when rr.out_of_reach then 'info' when f.empty then 'low' end as severity,
       format('table %I.%I has tenant column %s but no row level security, which %s other tenant table(s) of this database have with a policy on that column: a query without its tenant filter sees every tenant''s rows (%s has the policies to copy)%s%s%s',
              f.nspname, f.relname, f.tenant_column,
              (select count(distinct i.relid) from isolated i where i.tenant_column = f.tenant_column), f.example,
              case when f.empty then '; it is empty: no row to show another tenant yet' else '' end,
              case when c.unportable is not null
                   then format('; the policies %s read columns this table lacks (%s): write its policies by hand', f.example, c.unportable)
                   else '' end,
              case when g.shared_rows
                   then format('; its %s holds NULLs, rows shared by every tenant, which %s''s policies would hide from all of them: write a policy that admits them', f.tenant_column, f.example)
                   else '' end)
         || case when rr.out_of_reach
                 then format('; but none of the roles %s''s policies govern (%s) may read or write it: the policies would protect nothing here unless one is granted it (the steps as advice)',
                             f.example, reach.governed) else '' end as message,
       json_build_object('tenant_column', f.tenant_column, 'policy_from', f.example, 'policies', c.names,
                         'unportable_columns', c.unportable, 'tenant_nulls', g.shared_rows, 'empty', f.empty,
                         'force', f.forced, 'governed_roles', reach.governed, 'out_of_reach', rr.out_of_reach) as evidence,
       case when c.unportable is null and not g.shared_rows and not rr.out_of_reach then concat_ws(E'\n',
         'set lock_timeout = ''5s'';',
         regexp_replace(format('-- the policies %s has, then row level security on, in one transaction (on without a policy would hide every row)',
                               f.example), '[\r\n]+', E'\n-- ', 'g'),
         format(E'do $$\nbegin\n%s  alter table %I.%I enable row level security;\n%s'
                'end $$;',
                c.creates, f.nspname, f.relname,
                case when f.forced then format(E'  alter table %I.%I force row level security;\n', f.nspname, f.relname) else '' end))
       else regexp_replace('-- not printed as a script (see above): ' || concat_ws(E'\n',
         format('the policies %s has:', f.example), c.plain,
         format('alter table %I.%I enable row level security;', f.nspname, f.relname)), '[\r\n]+', E'\n-- ', 'g')
       end as remediation,
       case when c.unportable is null and not g.shared_rows and not rr.out_of_reach then concat_ws(E'\n',
         'set lock_timeout = ''5s'';',
         format('alter table %I.%I no force row level security;', f.nspname, f.relname),
         format('alter table %I.%I disable row level security;', f.nspname, f.relname),
         c.drops)
       else '-- nothing to undo: the advice runs nothing' end as undo
from flagged f
-- the model's policies: created when the table has none of that name (the undo drops only those)
cross join lateral (
  select pg_catalog.string_agg(pg_catalog.quote_ident(p.polname), ', ' order by p.polname) as names,
         pg_catalog.string_agg(format(E'  if not exists (select from pg_catalog.pg_policy p where p.polrelid = %L::regclass and p.polname = %L) then\n'
                                      '    %s\n'
                                      '  end if;\n',
                                      format('%I.%I', f.nspname, f.relname), p.polname, p.statement),
                                '' order by p.polname) filter (where not p.exists_here) as creates,
         pg_catalog.string_agg(p.statement, E'\n' order by p.polname) filter (where not p.exists_here) as plain,
         pg_catalog.string_agg(format('drop policy if exists %I on %I.%I;', p.polname, f.nspname, f.relname), E'\n'
                               order by p.polname) filter (where not p.exists_here) as drops,
         (select pg_catalog.string_agg(distinct u.name, ', ')
          from policies q cross join pg_catalog.unnest(q.columns) u(name)
          where q.relid = f.model_relid
            and not exists (select from pg_catalog.pg_attribute a
                            where a.attrelid = f.oid and a.attname = u.name and a.attnum > 0 and not a.attisdropped)) as unportable
  from (select pp.*, exists (select from pg_catalog.pg_policy o where o.polrelid = f.oid and o.polname = pp.polname) as exists_here,
               -- the policy as this table's
               format('create policy %I on %I.%I as %s for %s to %s%s%s;', pp.polname, f.nspname, f.relname,
                      case when pp.polpermissive then 'permissive' else 'restrictive' end,
                      case pp.polcmd when 'r' then 'select' when 'a' then 'insert' when 'w' then 'update'
                                     when 'd' then 'delete' else 'all' end,
                      pp.roles,
                      case when pp.qual is not null then format(' using (%s)', pp.qual) else '' end,
                      case when pp.with_check is not null then format(' with check (%s)', pp.with_check) else '' end) as statement
        from (select q.relid, q.polcmd, q.polpermissive, q.roles, q.qual, q.with_check, q.columns,
                     -- named after this table where the model's name starts with its own (Logto's
                     -- account_centers_tenant_id on service_logs: service_logs_tenant_id), when that fits
                     -- in 63 bytes
                     -- (the name and "_": a model "t" makes no "<table>enant" of "tenant_isolation")
                     case when left(q.polname, length(q.relname) + 1) = q.relname || '_'
                               and octet_length(f.relname || substr(q.polname, length(q.relname) + 1)) <= 63
                          then f.relname || substr(q.polname, length(q.relname) + 1)
                          else q.polname::text end as polname
              from policies q where q.relid = f.model_relid) pp) p
) c
-- rows shared by every tenant: the tenant column's NULLs (pg_stats)
cross join lateral (
  select exists (select from pg_catalog.pg_stats s
                 where s.schemaname = f.nspname and s.tablename = f.relname and s.attname = f.tenant_column
                   and s.null_frac > 0) as shared_rows
) g
-- the roles row level security governs on the model (neither superuser nor BYPASSRLS, not its
-- owner, not a predefined pg_ role) that may read or write it, and whether any may this table:
-- none may (Logto's service_logs, revoked from the tenant role on purpose), and its policies
-- would protect nothing, and hide its rows from whoever writes them should a forced copy
-- govern its owner
cross join lateral (
  select pg_catalog.string_agg(pg_catalog.quote_ident(ro.rolname), ', ' order by ro.rolname) as governed,
         coalesce(bool_or(pg_catalog.has_table_privilege(ro.oid, f.oid, 'select, insert, update, delete')), false) as reaches
  from pg_catalog.pg_roles ro
  where not ro.rolsuper and not ro.rolbypassrls and ro.rolname !~ '^pg_'
    and ro.oid <> (select m.relowner from pg_catalog.pg_class m where m.oid = f.model_relid)
    and pg_catalog.has_table_privilege(ro.oid, f.model_relid, 'select, insert, update, delete')
) reach
cross join lateral (select reach.governed is not null and not reach.reaches as out_of_reach) rr
order by f.nspname, f.relname
