-- id: type_timestamp_no_tz
-- category: type_timestamp_no_tz
-- title: timestamp without time zone columns
-- severity: low
-- effort: low
-- rationale: timestamp without time zone stores a wall-clock reading with no zone: the same
--   value means different instants to clients in different zones, and daylight-saving changes
--   make it ambiguous. timestamptz stores an instant. On PostgreSQL 12+ the change is a
--   catalog-only ALTER COLUMN TYPE when the session time zone is UTC and the stored values are
--   UTC; indexes on the column are still rebuilt under the lock, so for a large indexed column
--   use expand-contract instead.
--
-- Finds columns of type timestamp without time zone on tables, partitions left out. Returns
-- the fixed finding aliases (docs/contributing.md).
with indexed as (
  select distinct x.indrelid, k.attnum
  from pg_catalog.pg_index x
  cross join lateral unnest(x.indkey::int2[]) k(attnum)
)
select n.nspname as schema_name,
       t.relname as table_name,
       format('%s.%s.%s', n.nspname, t.relname, a.attname) as object,
       'column' as object_type,
       format('column %s.%s.%s is timestamp without time zone: its values name no instant; use timestamptz',
              n.nspname, t.relname, a.attname) as message,
       json_build_object('column_type', format_type(a.atttypid, a.atttypmod), 'indexed', i.indrelid is not null) as evidence,
       concat_ws(E'\n',
         '-- catalog-only when the values are UTC and the session time zone is UTC (PostgreSQL 12+);',
         '-- values written in another zone need "using <col> at time zone ''<zone>''", which rewrites the table',
         case when i.indrelid is not null then
           '-- indexes on the column are rebuilt under the lock: for a large table use expand-contract instead' end,
         'set timezone = ''UTC'';',
         'set lock_timeout = ''5s'';',
         format('alter table %I.%I alter column %I type timestamptz;', n.nspname, t.relname, a.attname)) as remediation,
       format('%I.%I.%I', n.nspname, t.relname, a.attname) as identity
from pg_catalog.pg_attribute a
join pg_catalog.pg_class t on t.oid = a.attrelid
join pg_catalog.pg_namespace n on n.oid = t.relnamespace
left join indexed i on i.indrelid = t.oid and i.attnum = a.attnum
where a.atttypid = 'timestamp'::regtype
  and a.attnum > 0
  and not a.attisdropped
  and t.relkind in ('r', 'p')
  and not t.relispartition
  and n.nspname not in ('pg_catalog', 'information_schema')
  and n.nspname !~ '^pg_(toast|temp_)'
  and not exists (select 1 from pg_catalog.pg_depend d
                  where d.classid = 'pg_catalog.pg_class'::regclass and d.objid = t.oid and d.deptype = 'e')
order by n.nspname, t.relname, a.attnum
