-- id: unlisted_tenant_key
-- category: unlisted_tenant_key
-- area: integrity
-- title: Tenant columns missing from tenant_keys
-- severity: info..low, default low
-- effort: low
-- group: check
-- params: tenant_keys={tenant_id,org_id,organization_id,account_id,workspace_id}, min_keys=3
-- grading: low while foreign keys between tables that have the column leave it out (what
--   cross_tenant_fk would check once the name is listed), info when every such key carries it.
-- rationale: Several checks know tenancy only by the column names in tenant_keys: cross_tenant_fk
--   (keys that let a row of one tenant reference another's), unique_candidate (a key unique
--   within each tenant, not across them), missing_fk and fk_without_index (the composite key and
--   the index it needs) and rls_disabled. A schema that scopes its keys by a tenant column of
--   another name (Kong's ws_id) is checked as if it had no tenants: a key that skips the tenant
--   goes unreported and a unique key across every tenant is proposed. Add the name to
--   tenant_keys in the config; nothing in the database changes.
--
-- Finds column names, not in tenant_keys (camelCase forms included), that composite foreign keys
-- carry from child to parent under the same name beside a column that changes its name
-- ((service_id, ws_id) -> (id, ws_id)): at least min_keys (3) such keys, from two child tables
-- or more to two parent tables or more, the column an integer, numeric, uuid or string (not a
-- date or time: a partitioned parent's key carries its partition column, (event_id, created_at)
-- -> (id, created_at)). Keys of partitions (cloned from their parent's) and of extensions'
-- tables are left out; a key whose columns all keep their names (a composite natural key) shows
-- no tenant. evidence: tables (tables with a column of the name), scoped_keys and examples (up
-- to five of them), unscoped_keys (foreign keys between two tables that both have the column,
-- not carrying it: the ones cross_tenant_fk would judge) and their examples. One finding per
-- name, no remediation: the change is to the config. Returns the fixed finding aliases
-- (queries/README.md).
with fk_columns as (
  -- the column pairs of composite foreign keys, with their names on both sides
  select k.oid, format('%I.%I.%I', n.nspname, t.relname, k.conname) as label, k.conrelid, k.confrelid,
         ca.attname as child_name, pa.attname as parent_name, ca.atttypid
  from pg_catalog.pg_constraint k
  join pg_catalog.pg_class t on t.oid = k.conrelid
  join pg_catalog.pg_namespace n on n.oid = t.relnamespace
  cross join lateral rows from (pg_catalog.unnest(k.conkey), pg_catalog.unnest(k.confkey)) as u(child_attnum, parent_attnum)
  join pg_catalog.pg_attribute ca on ca.attrelid = k.conrelid and ca.attnum = u.child_attnum
  join pg_catalog.pg_attribute pa on pa.attrelid = k.confrelid and pa.attnum = u.parent_attnum
  where k.contype = 'f'
    and k.conparentid = 0
    and pg_catalog.array_length(k.conkey, 1) > 1
    and not t.relispartition
    and n.nspname not in ('pg_catalog', 'information_schema')
    and n.nspname !~ '^pg_(toast|temp_)'
    and not exists (select 1 from pg_catalog.pg_depend d
                    where d.classid = 'pg_catalog.pg_class'::regclass and d.objid = t.oid and d.deptype = 'e')
),
scoped as (
  -- keys that carry a column under its own name beside one that changes name
  select f.child_name as name, f.oid, f.label, f.conrelid, f.confrelid
  from fk_columns f
  where f.child_name = f.parent_name
    and not (f.child_name::text = any ($1::text[]))
    and f.atttypid in ('int2'::regtype, 'int4'::regtype, 'int8'::regtype, 'numeric'::regtype, 'uuid'::regtype,
                       'text'::regtype, 'varchar'::regtype, 'bpchar'::regtype)
    and exists (select from fk_columns o where o.oid = f.oid and o.child_name <> o.parent_name)
),
candidates as (
  select s.name, count(*) as scoped_keys,
         (pg_catalog.array_agg(s.label order by s.label))[1:5] as examples
  from scoped s
  group by s.name
  having count(*) >= $2::integer
     and count(distinct s.conrelid) > 1
     and count(distinct s.confrelid) > 1
),
holders as (
  -- the tables (not partitions, not extensions') with a column of each candidate name
  select c.name, a.attrelid
  from candidates c
  join pg_catalog.pg_attribute a on a.attname = c.name and a.attnum > 0 and not a.attisdropped
  join pg_catalog.pg_class r on r.oid = a.attrelid and r.relkind in ('r', 'p') and not r.relispartition
  join pg_catalog.pg_namespace rn on rn.oid = r.relnamespace
  where rn.nspname not in ('pg_catalog', 'information_schema')
    and rn.nspname !~ '^pg_(toast|temp_)'
),
unscoped as (
  -- foreign keys between two holders of a name that do not carry it
  select h.name, count(*) as keys,
         (pg_catalog.array_agg(format('%I.%I.%I', kn.nspname, kt.relname, k.conname)
                               order by kn.nspname, kt.relname, k.conname))[1:5] as examples
  from holders h
  join pg_catalog.pg_constraint k on k.conrelid = h.attrelid and k.contype = 'f' and k.conparentid = 0
  join pg_catalog.pg_class kt on kt.oid = k.conrelid
  join pg_catalog.pg_namespace kn on kn.oid = kt.relnamespace
  join holders p on p.name = h.name and p.attrelid = k.confrelid
  where not exists (select from pg_catalog.unnest(k.conkey) ck(attnum)
                    join pg_catalog.pg_attribute a on a.attrelid = k.conrelid and a.attnum = ck.attnum
                    where a.attname = h.name)
  group by h.name
)
select null::text as schema_name,
       null::text as table_name,
       c.name::text as object,
       'column name' as object_type,
       case when coalesce(u.keys, 0) = 0 then 'info' end as severity,
       format('%s looks like a tenant key (%s composite foreign keys carry it to their parent beside their own columns, such as %s; %s tables have it) but is not in tenant_keys, so the checks that know tenancy (cross_tenant_fk, unique_candidate, missing_fk, fk_without_index, rls_disabled) see no tenant here%s; add %s to tenant_keys in the config',
              c.name, c.scoped_keys, c.examples[1], h.tables,
              case when u.keys = 1 then format('; a foreign key between these tables leaves it out (%s): cross_tenant_fk would judge it', u.examples[1])
                   when u.keys > 1 then format('; %s foreign keys between these tables leave it out (such as %s): cross_tenant_fk would judge them', u.keys, u.examples[1])
                   else '' end,
              pg_catalog.to_json(c.name::text)) as message,
       json_build_object('tables', h.tables,
                         'scoped_keys', c.scoped_keys, 'scoped_key_examples', c.examples,
                         'unscoped_keys', coalesce(u.keys, 0), 'unscoped_key_examples', coalesce(u.examples, '{}')) as evidence,
       format('column name %I', c.name) as identity
from candidates c
join (select name, count(*) as tables from holders group by name) h on h.name = c.name
left join unscoped u on u.name = c.name
order by c.name
