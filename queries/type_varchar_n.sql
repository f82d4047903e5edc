-- id: type_varchar_n
-- category: type_varchar_n
-- title: varchar(n) columns
-- severity: info
-- effort: low
-- rationale: In PostgreSQL varchar(n) stores exactly like text; the length limit is a constraint
--   in disguise that can only be raised by ALTER COLUMN TYPE, and often just rejects real data
--   (long names, emails). Changing varchar(n) to text is binary-coercible: a catalog change
--   with no rewrite and no index rebuild, under a brief ACCESS EXCLUSIVE lock. Where the limit
--   matters, keep it as CHECK (length(col) <= n) added NOT VALID and validated separately.
--
-- Finds columns declared varchar(n) on tables (partitions left out: the parent's column is the
-- one to change). Returns the fixed finding aliases (docs/contributing.md).
select n.nspname as schema_name,
       t.relname as table_name,
       format('%s.%s.%s', n.nspname, t.relname, a.attname) as object,
       'column' as object_type,
       format('column %s.%s.%s is %s: a length limit hidden in the type; text with a check constraint, if the limit matters, is easier to change',
              n.nspname, t.relname, a.attname, format_type(a.atttypid, a.atttypmod)) as message,
       json_build_object('column_type', format_type(a.atttypid, a.atttypmod), 'max_length', a.atttypmod - 4) as evidence,
       concat_ws(E'\n',
         '-- varchar(n) to text is binary-coercible: a catalog change, no table rewrite, no index rebuild',
         'set lock_timeout = ''5s'';',
         format('alter table %I.%I alter column %I type text;', n.nspname, t.relname, a.attname),
         '-- only if the limit matters:',
         format('alter table %I.%I add constraint %I check (pg_catalog.length(%I) <= %s) not valid;',
                n.nspname, t.relname, t.relname || '_' || a.attname || '_length', a.attname, a.atttypmod - 4),
         format('alter table %I.%I validate constraint %I;', n.nspname, t.relname, t.relname || '_' || a.attname || '_length')) as remediation,
       format('%I.%I.%I', n.nspname, t.relname, a.attname) as identity
from pg_catalog.pg_attribute a
join pg_catalog.pg_class t on t.oid = a.attrelid
join pg_catalog.pg_namespace n on n.oid = t.relnamespace
where a.atttypid = 'varchar'::regtype
  and a.atttypmod > 0
  and a.attnum > 0
  and not a.attisdropped
  and t.relkind in ('r', 'p')
  and not t.relispartition
  and n.nspname not in ('pg_catalog', 'information_schema')
  and n.nspname !~ '^pg_(toast|temp_)'
  and not exists (select 1 from pg_catalog.pg_depend d
                  where d.classid = 'pg_catalog.pg_class'::regclass and d.objid = t.oid and d.deptype = 'e')
order by n.nspname, t.relname, a.attnum
