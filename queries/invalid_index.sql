-- id: invalid_index
-- category: invalid_index
-- title: Invalid indexes
-- severity: high
-- effort: low
-- rationale: An index left invalid by a failed CREATE INDEX CONCURRENTLY or REINDEX CONCURRENTLY
--   is maintained on every write but never used by the planner; an invalid unique index does
--   not even enforce uniqueness. Rebuild it concurrently, or drop it and create it again.
--
-- Finds indexes with pg_index.indisvalid = false on user tables.
-- Returns the fixed finding aliases (docs/contributing.md).
select n.nspname as schema_name,
       t.relname as table_name,
       format('%s.%s', n.nspname, i.relname) as object,
       'index' as object_type,
       case when x.indisunique then 'critical' end as severity,
       format('index %s on %s.%s is invalid%s: it is maintained on every write but never used',
              i.relname, n.nspname, t.relname,
              case when x.indisunique then ' and does not enforce uniqueness' else '' end) as message,
       json_build_object('unique', x.indisunique, 'size_bytes', pg_catalog.pg_relation_size(i.oid)) as evidence,
       format(E'set lock_timeout = ''5s'';\nreindex index concurrently %I.%I;', n.nspname, i.relname) as remediation,
       format('%I.%I', n.nspname, i.relname) as identity
from pg_catalog.pg_index x
join pg_catalog.pg_class i on i.oid = x.indexrelid
join pg_catalog.pg_class t on t.oid = x.indrelid
join pg_catalog.pg_namespace n on n.oid = t.relnamespace
where not x.indisvalid
  and n.nspname not in ('pg_catalog', 'information_schema')
  and n.nspname !~ '^pg_toast'
  and not exists (select 1 from pg_catalog.pg_depend d
                  where d.classid = 'pg_catalog.pg_class'::regclass and d.objid = t.oid and d.deptype = 'e')
order by n.nspname, i.relname
