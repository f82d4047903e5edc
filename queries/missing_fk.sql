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
-- the same schema wins over one elsewhere.
-- The remediation first counts the orphans in a DO block that raises (with the count and the
-- query that lists them); the ADD runs in a DO block that looks for orphans again, so nothing
-- is added when the script was stopped. A partitioned child cannot take a NOT VALID foreign key
-- before PostgreSQL 18: its ADD checks every partition at once, with the lock spelled out.
-- The constraint is named <table>_<column>_fkey when that is at most 63 bytes and free on the
-- table, else its first 54 bytes (on a character boundary), "_" and 8 hex digits of its md5.
-- Returns the fixed finding aliases (queries/README.md) and `undo`.
with tables as (
  select t.oid, n.nspname, t.relname, t.relkind
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
  select c.oid, c.nspname, c.relname, c.relkind, a.attnum, a.attname, a.atttypid, a.atttypmod
  from tables c
  join pg_catalog.pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
  where a.attname ~ '_id$'
    and not exists (select 1 from pg_catalog.pg_constraint f
                    where f.conrelid = c.oid and f.contype = 'f' and a.attnum = any (f.conkey))
),
candidates as (
  select distinct on (c.oid, c.attnum)
         c.oid, c.nspname, c.relname, c.relkind, c.attnum, c.attname, p.nspname as parent_schema, p.relname as parent_table,
         p.attname as parent_column, format_type(c.atttypid, c.atttypmod) as column_type
  from child_columns c
  join parent_keys p on p.column_name = c.attname and p.atttypid = c.atttypid and p.oid <> c.oid
  order by c.oid, c.attnum, (p.nspname = c.nspname) desc, p.nspname, p.relname
),
named as (
  select c.*,
         case when octet_length(b.base) <= 63
                   and not exists (select 1 from pg_catalog.pg_constraint k where k.conrelid = c.oid and k.conname = b.base)
              then b.base
              else (select left(b.base, k) from generate_series(54, 1, -1) k where octet_length(left(b.base, k)) <= 54 limit 1)
                   || '_' || left(pg_catalog.md5(b.base), 8)
         end as fkey,
         format('%I.%I c where c.%I is not null and not exists (select 1 from %I.%I p where p.%I = c.%I)',
                c.nspname, c.relname, c.attname, c.parent_schema, c.parent_table, c.parent_column, c.attname) as orphans
  from candidates c
  cross join lateral (select c.relname || '_' || c.attname || '_fkey' as base) b
),
steps as (
  select n.*,
         format(E'declare\n  orphans bigint;\nbegin\n'
                '  select count(*) into orphans from %s;\n'
                '  if orphans > 0 then\n'
                '    raise exception ''%% rows of %% reference no row of %%; delete them or set %% to NULL before the '
                'foreign key is added, list them with: %%'',\n'
                '      orphans, %L, %L, %L, %L;\n'
                '  end if;\nend',
                n.orphans, format('%I.%I', n.nspname, n.relname), format('%I.%I', n.parent_schema, n.parent_table),
                n.attname, 'select c.* from ' || n.orphans) as precondition,
         format(E'begin\n'
                '  if exists (select 1 from %s) then\n'
                '    raise exception ''foreign key %% is not added: %% has orphans (see above)'', %L, %L;\n'
                '  end if;\n'
                '  if not exists (select 1 from pg_catalog.pg_constraint where conrelid = %L::regclass and conname = %L) then\n'
                '%s'
                '    alter table %I.%I add constraint %I foreign key (%I) references %I.%I (%I)%s;\n'
                '  end if;\nend',
                n.orphans, n.fkey, format('%I.%I', n.nspname, n.relname),
                format('%I.%I', n.nspname, n.relname), n.fkey,
                case when n.relkind = 'p'
                     then E'    -- partitioned table: before PostgreSQL 18 the key cannot be NOT VALID; this ADD checks every\n'
                          '    -- partition under a SHARE ROW EXCLUSIVE lock on the table and its partitions (blocks writes, not reads)\n'
                     else '' end,
                n.nspname, n.relname, n.fkey, n.attname, n.parent_schema, n.parent_table, n.parent_column,
                case when n.relkind = 'p' then '' else ' not valid' end) as add_fkey
  from named n
)
select c.nspname as schema_name,
       c.relname as table_name,
       format('%I.%I.%I', c.nspname, c.relname, c.attname) as object,
       'column' as object_type,
       format('column %s.%s.%s looks like a reference to %s.%s.%s but has no foreign key; orphan rows '
              'may already exist and would make the validation fail: check for them before validating',
              c.nspname, c.relname, c.attname, c.parent_schema, c.parent_table, c.parent_column) as message,
       json_build_object('references', format('%I.%I.%I', c.parent_schema, c.parent_table, c.parent_column),
                         'column_type', c.column_type) as evidence,
       concat_ws(E'\n',
         'set lock_timeout = ''5s'';',
         '-- 1. stop if orphans exist:',
         case when strpos(c.precondition, '$$') = 0 then format(E'do $$\n%s\n$$;', c.precondition)
              else format('do %L;', c.precondition) end,
         '-- 2. the foreign key, checked separately:',
         case when strpos(c.add_fkey, '$$') = 0 then format(E'do $$\n%s\n$$;', c.add_fkey)
              else format('do %L;', c.add_fkey) end,
         format('alter table %I.%I validate constraint %I;', c.nspname, c.relname, c.fkey)) as remediation,
       format(E'set lock_timeout = ''5s'';\nalter table %I.%I drop constraint if exists %I;', c.nspname, c.relname, c.fkey) as undo,
       format('%I.%I.%I', c.nspname, c.relname, c.attname) as identity
from steps c
order by c.nspname, c.relname, c.attname
