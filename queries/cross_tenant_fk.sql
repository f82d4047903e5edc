-- id: cross_tenant_fk
-- category: cross_tenant_fk
-- title: Foreign keys that can cross tenants
-- severity: medium
-- effort: low
-- params: tenant_keys={tenant_id,org_id,organization_id,account_id,workspace_id}
-- rationale: When both tables of a foreign key carry a tenant key but the key does not include
--   it, a row of one tenant can reference a row of another, and nothing but application code
--   stops it. Make the tenant part of the reference: build a unique index on the parent's
--   (tenant key, key) concurrently, add the composite foreign key NOT VALID, VALIDATE it
--   separately (SHARE UPDATE EXCLUSIVE), then drop the single-column one.
--
-- Finds foreign keys whose child and parent tables both have a column named in `tenant_keys`
-- (the global tenant_keys of the config, a text[]; see README) while the key's columns include
-- none of the child's tenant columns (a key on (organization_id, account_id) is tenant-scoped
-- even though account_id is also a tenant key name). Returns the fixed finding aliases (docs/contributing.md).
with fks as (
  select k.oid, k.conname, k.conkey, k.confkey, k.conrelid, k.confrelid,
         n.nspname, t.relname, pn.nspname as parent_schema, p.relname as parent_table
  from pg_catalog.pg_constraint k
  join pg_catalog.pg_class t on t.oid = k.conrelid
  join pg_catalog.pg_namespace n on n.oid = t.relnamespace
  join pg_catalog.pg_class p on p.oid = k.confrelid
  join pg_catalog.pg_namespace pn on pn.oid = p.relnamespace
  where k.contype = 'f'
    and k.conparentid = 0
    and not t.relispartition
    and n.nspname not in ('pg_catalog', 'information_schema')
    and n.nspname !~ '^pg_(toast|temp_)'
    and not exists (select 1 from pg_catalog.pg_depend d
                    where d.classid = 'pg_catalog.pg_class'::regclass and d.objid = t.oid and d.deptype = 'e')
),
tenant_columns as (
  select a.attrelid, a.attnum, a.attname, array_position($1::text[], a.attname::text) as rank
  from pg_catalog.pg_attribute a
  where a.attname = any ($1::text[]) and a.attnum > 0 and not a.attisdropped
),
crossing as (
  -- the child's tenant column, and the parent's: the same name when both have it
  select distinct on (f.oid) f.*, ct.attname as child_tenant, pt.attname as parent_tenant,
         (select string_agg(format('%I', a.attname), ', ' order by o.ord)
          from unnest(f.conkey) with ordinality o(attnum, ord)
          join pg_catalog.pg_attribute a on a.attrelid = f.conrelid and a.attnum = o.attnum) as child_columns,
         (select string_agg(format('%I', a.attname), ', ' order by o.ord)
          from unnest(f.confkey) with ordinality o(attnum, ord)
          join pg_catalog.pg_attribute a on a.attrelid = f.confrelid and a.attnum = o.attnum) as parent_columns,
         (select string_agg(a.attname, '_' order by o.ord)
          from unnest(f.confkey) with ordinality o(attnum, ord)
          join pg_catalog.pg_attribute a on a.attrelid = f.confrelid and a.attnum = o.attnum) as parent_names,
         (select string_agg(a.attname, '_' order by o.ord)
          from unnest(f.conkey) with ordinality o(attnum, ord)
          join pg_catalog.pg_attribute a on a.attrelid = f.conrelid and a.attnum = o.attnum) as child_names
  from fks f
  join tenant_columns ct on ct.attrelid = f.conrelid
  join tenant_columns pt on pt.attrelid = f.confrelid
  where not ct.attnum = any (f.conkey)
    -- a key that carries one of the child's tenant columns is tenant-scoped already: a second
    -- tenant-named column (crm.contacts.account_id, a customer account next to organization_id)
    -- is then an ordinary reference, not the tenant
    and not exists (select 1 from tenant_columns k where k.attrelid = f.conrelid and k.attnum = any (f.conkey))
  order by f.oid, (ct.attname = pt.attname) desc, ct.rank, pt.rank
)
select c.nspname as schema_name,
       c.relname as table_name,
       format('%s.%s', c.nspname, c.conname) as object,
       'constraint' as object_type,
       format('foreign key %s on %s.%s references %s.%s without its tenant key %s: a row of one tenant can '
              'reference a row of another; rows that already do would make the validation of the fix fail', c.conname, c.nspname, c.relname, c.parent_schema, c.parent_table,
              c.child_tenant) as message,
       json_build_object('table', format('%s.%s', c.nspname, c.relname),
                         'references', format('%s.%s', c.parent_schema, c.parent_table),
                         'tenant_column', c.child_tenant, 'parent_tenant_column', c.parent_tenant) as evidence,
       concat_ws(E'\n',
         '-- rows that already cross tenants make the validation fail; look for them first:',
         regexp_replace(format('-- select count(*) from %I.%I c join %I.%I p on (%s) = (%s) where c.%I is distinct from p.%I;',
                c.nspname, c.relname, c.parent_schema, c.parent_table,
                (select string_agg(format('c.%I', a.attname), ', ' order by o.ord)
                 from unnest(c.conkey) with ordinality o(attnum, ord)
                 join pg_catalog.pg_attribute a on a.attrelid = c.conrelid and a.attnum = o.attnum),
                (select string_agg(format('p.%I', a.attname), ', ' order by o.ord)
                 from unnest(c.confkey) with ordinality o(attnum, ord)
                 join pg_catalog.pg_attribute a on a.attrelid = c.confrelid and a.attnum = o.attnum),
                c.child_tenant, c.parent_tenant), '[\r\n]+', E'\n-- ', 'g'),
         'set lock_timeout = ''5s'';',
         format('create unique index concurrently if not exists %I on %I.%I (%I, %s);',
                c.parent_table || '_' || c.parent_tenant || '_' || c.parent_names || '_key',
                c.parent_schema, c.parent_table, c.parent_tenant, c.parent_columns),
         format('alter table %I.%I add constraint %I foreign key (%I, %s) references %I.%I (%I, %s) not valid;',
                c.nspname, c.relname, c.relname || '_' || c.child_tenant || '_' || c.child_names || '_fkey',
                c.child_tenant, c.child_columns, c.parent_schema, c.parent_table, c.parent_tenant, c.parent_columns),
         format('alter table %I.%I validate constraint %I;', c.nspname, c.relname,
                c.relname || '_' || c.child_tenant || '_' || c.child_names || '_fkey'),
         format('alter table %I.%I drop constraint if exists %I;', c.nspname, c.relname, c.conname)) as remediation,
       format('%I.%I.%I', c.nspname, c.relname, c.conname) as identity
from crossing c
order by c.nspname, c.relname, c.conname
