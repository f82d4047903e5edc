-- id: missing_fk
-- category: missing_fk
-- title: Columns that look like references but have no foreign key
-- severity: low
-- effort: low
-- rationale: A column named after another table (orders.customer_id next to customers.id) with
--   no foreign key lets orphan rows in: deletes leave dangling ids and joins silently lose rows.
--   Add the constraint NOT VALID (a brief lock, no scan), then VALIDATE CONSTRAINT separately,
--   which scans under SHARE UPDATE EXCLUSIVE and so does not block reads or writes. Orphans
--   already present make the validation fail: find and fix them first.
--
-- Finds columns named <table>_id or <singular of table>_id (singular: trailing "ies" -> "y",
-- else without a trailing "es" or "s") whose type equals that of the other table's
-- single-column primary key or unique constraint, and that are in no foreign key. A parent in
-- the same schema wins over one elsewhere. Returns the fixed finding aliases
-- (docs/contributing.md).
with tables as (
  select t.oid, n.nspname, t.relname
  from pg_catalog.pg_class t
  join pg_catalog.pg_namespace n on n.oid = t.relnamespace
  where t.relkind in ('r', 'p')
    and not t.relispartition
    and n.nspname not in ('pg_catalog', 'information_schema')
    and n.nspname !~ '^pg_(toast|temp_)'
    and not exists (select 1 from pg_catalog.pg_depend d
                    where d.classid = 'pg_catalog.pg_class'::regclass and d.objid = t.oid and d.deptype = 'e')
),
-- materialized: the name join below must be a hash join whatever the catalog statistics say
parent_keys as materialized (
  select t.oid, t.nspname, t.relname, a.attname, a.atttypid, names.column_name
  from tables t
  join pg_catalog.pg_constraint k on k.conrelid = t.oid and k.contype in ('p', 'u') and cardinality(k.conkey) = 1
  join pg_catalog.pg_attribute a on a.attrelid = t.oid and a.attnum = k.conkey[1]
  cross join lateral (
    select distinct s || '_id' as column_name
    from unnest(array[t.relname,
                      case when t.relname ~ 'ies$' then regexp_replace(t.relname, 'ies$', 'y') end,
                      case when t.relname ~ 'es$' then regexp_replace(t.relname, 'es$', '') end,
                      case when t.relname ~ 's$' then regexp_replace(t.relname, 's$', '') end]) s
    where s is not null
  ) names
),
child_columns as materialized (
  select c.oid, c.nspname, c.relname, a.attnum, a.attname, a.atttypid, a.atttypmod
  from tables c
  join pg_catalog.pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
  where a.attname ~ '_id$'
    and not exists (select 1 from pg_catalog.pg_constraint f
                    where f.conrelid = c.oid and f.contype = 'f' and a.attnum = any (f.conkey))
),
candidates as (
  select distinct on (c.oid, c.attnum)
         c.oid, c.nspname, c.relname, c.attnum, c.attname, p.nspname as parent_schema, p.relname as parent_table,
         p.attname as parent_column, format_type(c.atttypid, c.atttypmod) as column_type
  from child_columns c
  join parent_keys p on p.column_name = c.attname and p.atttypid = c.atttypid and p.oid <> c.oid
  order by c.oid, c.attnum, (p.nspname = c.nspname) desc, p.nspname, p.relname
)
select c.nspname as schema_name,
       c.relname as table_name,
       format('%s.%s.%s', c.nspname, c.relname, c.attname) as object,
       'column' as object_type,
       format('column %s.%s.%s looks like a reference to %s.%s.%s but has no foreign key; orphan rows '
              'may already exist and would make the validation fail: check for them before validating',
              c.nspname, c.relname, c.attname, c.parent_schema, c.parent_table, c.parent_column) as message,
       json_build_object('references', format('%s.%s.%s', c.parent_schema, c.parent_table, c.parent_column),
                         'column_type', c.column_type) as evidence,
       concat_ws(E'\n',
         '-- orphans make the validation fail; look for them first:',
         regexp_replace(format('-- select count(*) from %I.%I c where c.%I is not null and not exists (select 1 from %I.%I p where p.%I = c.%I);',
                c.nspname, c.relname, c.attname, c.parent_schema, c.parent_table, c.parent_column, c.attname), '[\r\n]+', E'\n-- ', 'g'),
         'set lock_timeout = ''5s'';',
         format('alter table %I.%I add constraint %I foreign key (%I) references %I.%I (%I) not valid;',
                c.nspname, c.relname, c.relname || '_' || c.attname || '_fkey', c.attname,
                c.parent_schema, c.parent_table, c.parent_column),
         format('alter table %I.%I validate constraint %I;', c.nspname, c.relname, c.relname || '_' || c.attname || '_fkey')) as remediation,
       format('%I.%I.%I', c.nspname, c.relname, c.attname) as identity
from candidates c
order by c.nspname, c.relname, c.attname
