-- id: fk_type_mismatch
-- category: fk_type_mismatch
-- title: Foreign key columns whose type differs from the referenced column
-- severity: medium
-- effort: medium
-- rationale: A foreign key column narrower than the key it references (integer referencing
--   bigint) breaks the day the parent's ids pass the narrower type's limit, and any type
--   difference makes joins compare through casts. Change the child column to the parent's type
--   by expand-contract (new column, batched backfill, swap), not ALTER COLUMN TYPE in place,
--   which rewrites the table under an ACCESS EXCLUSIVE lock.
--
-- Finds every column of a foreign key whose type (with typmod) differs from the referenced
-- column's. Severity high when an integer column references a wider integer. Returns the fixed
-- finding aliases (docs/contributing.md).
with pairs as (
  select n.nspname, t.relname, k.conname, a.attname, a.atttypid,
         format_type(a.atttypid, a.atttypmod) as column_type,
         pn.nspname as parent_schema, p.relname as parent_table, pa.attname as parent_column, pa.atttypid as parent_typid,
         format_type(pa.atttypid, pa.atttypmod) as parent_type,
         -- an integer referencing a wider integer
         coalesce(array_position(array['int2', 'int4', 'int8']::regtype[]::oid[], a.atttypid)
                  < array_position(array['int2', 'int4', 'int8']::regtype[]::oid[], pa.atttypid), false) as narrower
  from pg_catalog.pg_constraint k
  cross join lateral unnest(k.conkey, k.confkey) as pair(child_attnum, parent_attnum)
  join pg_catalog.pg_class t on t.oid = k.conrelid
  join pg_catalog.pg_namespace n on n.oid = t.relnamespace
  join pg_catalog.pg_attribute a on a.attrelid = t.oid and a.attnum = pair.child_attnum
  join pg_catalog.pg_class p on p.oid = k.confrelid
  join pg_catalog.pg_namespace pn on pn.oid = p.relnamespace
  join pg_catalog.pg_attribute pa on pa.attrelid = p.oid and pa.attnum = pair.parent_attnum
  where k.contype = 'f'
    and not t.relispartition
    and k.conparentid = 0
    and (a.atttypid, a.atttypmod) <> (pa.atttypid, pa.atttypmod)
    and n.nspname not in ('pg_catalog', 'information_schema')
    and n.nspname !~ '^pg_(toast|temp_)'
    and not exists (select 1 from pg_catalog.pg_depend d
                    where d.classid = 'pg_catalog.pg_class'::regclass and d.objid = t.oid and d.deptype = 'e')
)
select distinct on (p.nspname, p.relname, p.attname)
       p.nspname as schema_name,
       p.relname as table_name,
       format('%s.%s.%s', p.nspname, p.relname, p.attname) as object,
       'column' as object_type,
       case when p.narrower then 'high' end as severity,
       format('column %s.%s.%s (%s) of foreign key %s references %s.%s.%s (%s): %s',
              p.nspname, p.relname, p.attname, p.column_type, p.conname,
              p.parent_schema, p.parent_table, p.parent_column, p.parent_type,
              case when p.narrower then 'it overflows once the parent''s ids pass its limit'
                   else 'comparisons go through casts' end) as message,
       json_build_object('column_type', p.column_type, 'referenced_type', p.parent_type, 'constraint', p.conname,
                         'references', format('%s.%s.%s', p.parent_schema, p.parent_table, p.parent_column)) as evidence,
       concat_ws(E'\n',
         regexp_replace(format('-- change %I to %s by expand-contract, not alter column type (a table rewrite under an exclusive lock):', p.attname, p.parent_type), '[\r\n]+', E'\n-- ', 'g'),
         'set lock_timeout = ''5s'';',
         format('alter table %I.%I add column if not exists %I %s;', p.nspname, p.relname, p.attname || '_new', p.parent_type),
         regexp_replace(format('-- keep %I in sync with a before insert or update trigger (new.%I := new.%I), then backfill; repeat until it updates no row:',
                p.attname || '_new', p.attname || '_new', p.attname), '[\r\n]+', E'\n-- ', 'g'),
         format('update %I.%I set %I = %I where ctid = any (array(select ctid from %I.%I where %I is null and %I is not null limit 10000));',
                p.nspname, p.relname, p.attname || '_new', p.attname, p.nspname, p.relname, p.attname || '_new', p.attname),
         format('alter table %I.%I add constraint %I foreign key (%I) references %I.%I (%I) not valid;',
                p.nspname, p.relname, p.conname || '_new', p.attname || '_new', p.parent_schema, p.parent_table, p.parent_column),
         format('alter table %I.%I validate constraint %I;', p.nspname, p.relname, p.conname || '_new'),
         regexp_replace(format('-- then build its indexes concurrently, and in one short transaction rename %I to %I and %I to %I',
                p.attname, 'deprecated_' || p.attname, p.attname || '_new', p.attname), '[\r\n]+', E'\n-- ', 'g'),
         regexp_replace(format('-- and drop constraint %I; drop the old column after the grace period.', p.conname), '[\r\n]+', E'\n-- ', 'g')) as remediation,
       format('%I.%I.%I', p.nspname, p.relname, p.attname) as identity
from pairs p
order by p.nspname, p.relname, p.attname, p.conname
