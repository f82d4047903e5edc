-- id: fk_without_index
-- category: fk_without_index
-- title: Foreign keys without an index on the referencing columns
-- severity: medium
-- effort: low
-- params: large_rows=1000000
-- rationale: Deleting or updating a referenced row makes PostgreSQL look for referencing rows in
--   the child table. Without an index whose leading columns are the foreign key's columns, each
--   such lookup scans the whole child table, under a lock, and joins on the key are slow too.
--   Create the index concurrently; it does not block writes.
--
-- Finds foreign keys (top-level constraints; partitions inherit them) whose columns are not the
-- leading key columns, in any order, of a valid non-partial index on the child table. $1
-- (large_rows): from this estimated row count (pg_class.reltuples) on the child, severity high.
-- The suggested index is named <table>_<columns>_idx; when that is longer than 63 bytes, the
-- name is cut to 50 bytes (on a character boundary) plus "_" and 8 hex digits of its md5, so two
-- long names stay distinct.
-- table_size_bytes is the heap's relpages x block_size (as of the last VACUUM or ANALYZE).
-- Columns: the fixed finding aliases.
with fk as (
  select c.oid, c.conname, c.conrelid, c.confrelid, c.conkey
  from pg_catalog.pg_constraint c
  where c.contype = 'f'
    and c.conparentid = 0
    and not exists (select 1 from pg_catalog.pg_index x
                    where x.indrelid = c.conrelid
                      and x.indisvalid
                      and x.indpred is null
                      and x.indnkeyatts >= cardinality(c.conkey)
                      and (x.indkey::int2[])[0:cardinality(c.conkey) - 1] @> c.conkey
                      and (x.indkey::int2[])[0:cardinality(c.conkey) - 1] <@ c.conkey)
), missing as (
  select fk.*, n.nspname as schema_name, t.relname as table_name, t.relkind, t.reltuples, t.relpages,
         rn.nspname as ref_schema, rt.relname as ref_table,
         cols.names, cols.quoted, t.relname || '_' || cols.joined as joined
  from fk
  cross join lateral (
    select string_agg(a.attname, ', ' order by array_position(fk.conkey, a.attnum)) as names,
           string_agg(format('%I', a.attname), ', ' order by array_position(fk.conkey, a.attnum)) as quoted,
           string_agg(a.attname, '_' order by array_position(fk.conkey, a.attnum)) as joined
    from pg_catalog.pg_attribute a
    where a.attrelid = fk.conrelid and a.attnum = any(fk.conkey)
  ) cols
  join pg_catalog.pg_class t on t.oid = fk.conrelid
  join pg_catalog.pg_namespace n on n.oid = t.relnamespace
  join pg_catalog.pg_class rt on rt.oid = fk.confrelid
  join pg_catalog.pg_namespace rn on rn.oid = rt.relnamespace
  where n.nspname not in ('pg_catalog', 'information_schema')
    and n.nspname !~ '^pg_(toast|temp_)'
    and t.oid not in (select d.objid from pg_catalog.pg_depend d
                      where d.refclassid = 'pg_catalog.pg_extension'::regclass
                        and d.classid = 'pg_catalog.pg_class'::regclass and d.deptype = 'e')
), named as (
  select m.*,
         case when octet_length(m.joined) <= 59 then m.joined
              else (select left(m.joined, k) from generate_series(50, 1, -1) k
                    where octet_length(left(m.joined, k)) <= 50 limit 1)
                   || '_' || left(pg_catalog.md5(m.joined), 8)
         end || '_idx' as index_name
  from missing m
)
select m.schema_name,
       m.table_name,
       format('%s.%s.%s', m.schema_name, m.table_name, m.conname) as object,
       'constraint' as object_type,
       case when m.reltuples >= $1::bigint then 'high' end as severity,
       format('foreign key %s on %s.%s (%s) has no index with those leading columns: every delete or '
              'key update on %s.%s scans %s.%s; create the index concurrently',
              m.conname, m.schema_name, m.table_name, m.names, m.ref_schema, m.ref_table,
              m.schema_name, m.table_name) as message,
       json_build_object('columns', m.names,
                         'references', format('%s.%s', m.ref_schema, m.ref_table),
                         'rows_estimate', greatest(m.reltuples, 0)::bigint,
                         'table_size_bytes', m.relpages::bigint * pg_catalog.current_setting('block_size')::bigint) as evidence,
       case when m.relkind = 'p'
         then format(E'set lock_timeout = ''5s'';\n-- partitioned table: create the index on each partition '
                     'concurrently first, then this attaches them:\ncreate index if not exists %I on %I.%I (%s);',
                     m.index_name, m.schema_name, m.table_name, m.quoted)
         else format(E'set lock_timeout = ''5s'';\ncreate index concurrently if not exists %I on %I.%I (%s);',
                     m.index_name, m.schema_name, m.table_name, m.quoted)
       end as remediation,
       format('%I.%I.%I', m.schema_name, m.table_name, m.conname) as identity
from named m
order by m.schema_name, m.table_name, m.conname
