-- id: type_char_n
-- category: type_char_n
-- area: types
-- title: char(n) columns
-- severity: info..low, default low
-- effort: medium
-- group: check
-- params: small_rows=1000
-- grading: info on an empty or tiny table (below small_rows, 1,000 estimated rows; never analyzed, a
--   file too small to hold that many), where the padding costs nothing yet: Synapse's one-row lock tables hold
--   char(1) 'X' by design; else low.
-- rationale: char(n) pads values with spaces to n characters, ignores trailing spaces in
--   comparisons but not in LIKE or regular expressions, and stores no more efficiently than
--   text. The conversion to text strips the padding, so it rewrites the table: do it by
--   expand-contract (add a text column, keep it in sync, backfill in batches, swap), not by
--   ALTER COLUMN TYPE in place under an ACCESS EXCLUSIVE lock.
--
-- Finds columns declared char(n) (bpchar) on tables, partitions left out. Returns the fixed
-- finding aliases (queries/README.md).
select n.nspname as schema_name,
       t.relname as table_name,
       format('%I.%I.%I', n.nspname, t.relname, a.attname) as object,
       'column' as object_type,
       case when size.rows_at_most < $1::bigint then 'info' end as severity,
       format('column %s.%s.%s is %s: values are blank-padded and compare inconsistently; use text (with a length check if needed)',
              n.nspname, t.relname, a.attname, format_type(a.atttypid, a.atttypmod)) || case when rd.names is not null then format('; %s read it: %s', rd.names, case when us.names is null then 'the swap drops and recreates them over the new column' else 'they need dropping and recreating over the new column' end) else '' end as message,
       json_build_object('dependent_views', rd.names, 'column_used_by', us.names, 'column_type', format_type(a.atttypid, a.atttypmod)) as evidence,
       ec.remediation,
       ec.undo,
       format('%I.%I.%I', n.nspname, t.relname, a.attname) as identity
from pg_catalog.pg_attribute a
join pg_catalog.pg_class t on t.oid = a.attrelid
join pg_catalog.pg_namespace n on n.oid = t.relnamespace
-- include: table_size
cross join lateral (select 'text' as new_type, 'text' as suffix) tc
-- include: expand_contract_column
where a.atttypid = 'bpchar'::regtype
  and a.attnum > 0
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
