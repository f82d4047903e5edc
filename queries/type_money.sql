-- id: type_money
-- category: type_money
-- area: types
-- title: money columns
-- severity: low
-- effort: medium
-- group: check
-- rationale: money has a fixed number of fractional digits taken from lc_monetary, so the same
--   data reads and restores differently on servers with another locale, holds no currency, and
--   rounds in division. numeric stores amounts exactly. The conversion rewrites the table: do
--   it by expand-contract (add a numeric column, keep it in sync, backfill in batches, swap),
--   not by ALTER COLUMN TYPE in place under an ACCESS EXCLUSIVE lock.
--
-- Finds columns of type money on tables, partitions left out. Returns the fixed
-- finding aliases (queries/README.md).
select n.nspname as schema_name,
       t.relname as table_name,
       format('%I.%I.%I', n.nspname, t.relname, a.attname) as object,
       'column' as object_type,
       format('column %I.%I.%I is %s: its precision depends on lc_monetary and it holds no currency; use numeric',
              n.nspname, t.relname, a.attname, format_type(a.atttypid, a.atttypmod)) || case when rd.names is not null then format('; %s read it: %s', rd.names, case when us.names is null then 'the swap drops and recreates them over the new column' else 'they need dropping and recreating over the new column' end) else '' end as message,
       json_build_object('dependent_views', rd.names, 'column_used_by', us.names, 'column_type', format_type(a.atttypid, a.atttypmod)) as evidence,
       ec.remediation,
       ec.undo,
       format('%I.%I.%I', n.nspname, t.relname, a.attname) as identity
from pg_catalog.pg_attribute a
join pg_catalog.pg_class t on t.oid = a.attrelid
join pg_catalog.pg_namespace n on n.oid = t.relnamespace
cross join lateral (select 'numeric' as new_type, 'numeric' as suffix) tc
-- include: expand_contract_column
where a.atttypid = 'money'::regtype
  and a.attnum > 0
  -- a column an inheritance child has from its parent (Concourse's pipeline_build_events_N () INHERITS
  -- (build_events)): PostgreSQL refuses to alter it there ("cannot alter inherited column"), and
  -- the parent's change reaches it
  and a.attinhcount = 0
  and not a.attisdropped
  -- the old column an expand-contract move of this tool left for its grace period (deprecated_object's)
  and a.attname not like 'deprecated\_%'
  and t.relkind in ('r', 'p')
  and not t.relispartition
  and n.nspname not in ('pg_catalog', 'information_schema')
  and n.nspname !~ '^pg_(toast|temp_)'
  and not exists (select 1 from pg_catalog.pg_depend d
                  where d.classid = 'pg_catalog.pg_class'::regclass and d.objid = t.oid and d.deptype = 'e')
order by n.nspname, t.relname, a.attnum
