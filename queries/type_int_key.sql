-- id: type_int_key
-- category: type_int_key
-- area: limits
-- title: integer primary keys on growing tables
-- severity: low..medium
-- effort: medium
-- params: min_rows=1000000, medium_rows=100000000
-- grading: low; medium from medium_rows rows in the table.
-- rationale: An integer primary key runs out at 2,147,483,647 (smallint at 32,767), and widening
--   it later means widening every foreign key that references it too, on tables that are by
--   then large. Plan the move to bigint while the table is still small enough: expand-contract
--   (add a bigint column, keep it in sync, backfill in batches, swap in one short transaction),
--   never ALTER COLUMN TYPE in place, which rewrites the table under an ACCESS EXCLUSIVE lock.
--
-- Finds single-column int2/int4 primary keys on tables with at least `min_rows` rows (the
-- larger of pg_class.reltuples and the inserts counted since the statistics reset; a
-- partitioned table's, its leaves' summed); medium
-- from `medium_rows`. How close the values are to the limit is int_overflow's and
-- sequence_overflow's business. The fix is the shared expand-contract runbook
-- (queries/lib/expand_contract_column.sql: the new bigint column, its sync trigger, the batched
-- backfill, NOT NULL as a validated check, the unique index the new key will use, built
-- concurrently; the swap moves the primary key to it, with the foreign keys that reference it
-- dropped and added again NOT VALID, then validated). Returns the fixed finding aliases
-- (queries/README.md).
with keys as (
  select n.nspname, t.relname, a.attname, a.attnum, a.atttypid, t.oid,
         greatest(size.rows, size.inserted, 0)::bigint as rows_seen,
         (select format('%I.%I', sn.nspname, s.relname)
          from pg_catalog.pg_depend d
          join pg_catalog.pg_class s on s.oid = d.objid and s.relkind = 'S'
          join pg_catalog.pg_namespace sn on sn.oid = s.relnamespace
          -- refclassid too: the lookup by pg_depend's reference index (without it, a read of every
          -- dependency of a relation per key, three times per key: 30 s for 10,000 keys)
          where d.classid = 'pg_catalog.pg_class'::regclass and d.refclassid = 'pg_catalog.pg_class'::regclass
            and d.refobjid = t.oid and d.refobjsubid = a.attnum and d.deptype in ('a', 'i')
          limit 1) as sequence_name
  from pg_catalog.pg_constraint k
  join pg_catalog.pg_class t on t.oid = k.conrelid
-- include: table_size
  join pg_catalog.pg_namespace n on n.oid = t.relnamespace
  join pg_catalog.pg_attribute a on a.attrelid = t.oid and a.attnum = k.conkey[1]
  where k.contype = 'p'
    and cardinality(k.conkey) = 1
    and a.atttypid in ('int2'::regtype, 'int4'::regtype)
    and t.relkind in ('r', 'p')
    and not t.relispartition
    and n.nspname not in ('pg_catalog', 'information_schema')
    and n.nspname !~ '^pg_(toast|temp_)'
    and not exists (select 1 from pg_catalog.pg_depend e
                    where e.classid = 'pg_catalog.pg_class'::regclass and e.objid = t.oid and e.deptype = 'e')
)
select k.nspname as schema_name,
       k.relname as table_name,
       format('%I.%I.%I', k.nspname, k.relname, k.attname) as object,
       'column' as object_type,
       case when k.rows_seen >= $2::bigint then 'medium' end as severity,
       format('primary key %I.%I.%I is %s on a table of about %s rows: plan the move to bigint while it is cheap',
              k.nspname, k.relname, k.attname, format_type(k.atttypid, null), k.rows_seen) || case when rd.names is not null then format('; %s read it: %s', rd.names, case when us.names is null then 'the swap drops and recreates them over the new column' else 'they need dropping and recreating over the new column' end) else '' end as message,
       json_build_object('dependent_views', rd.names, 'column_used_by', us.names, 'column_type', format_type(k.atttypid, null),
                         'rows_estimate', k.rows_seen, 'sequence', k.sequence_name,
                         'size_bytes', pg_catalog.pg_total_relation_size(k.oid)) as evidence,
       concat_ws(E'\n',
         ec.remediation,
         case when k.sequence_name is not null then format('alter sequence %s as bigint maxvalue 9223372036854775807;', k.sequence_name) end) as remediation,
       ec.undo as undo,
       format('%I.%I.%I', k.nspname, k.relname, k.attname) as identity
from keys k
join pg_catalog.pg_class t on t.oid = k.oid
join pg_catalog.pg_namespace n on n.oid = t.relnamespace
join pg_catalog.pg_attribute a on a.attrelid = t.oid and a.attnum = k.attnum
cross join lateral (select 'bigint' as new_type, 'bigint' as suffix) tc
-- include: expand_contract_column
where k.rows_seen >= $1::bigint
order by k.nspname, k.relname
