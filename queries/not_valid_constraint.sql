-- id: not_valid_constraint
-- category: not_valid_constraint
-- title: Constraints left NOT VALID
-- severity: low
-- effort: low
-- rationale: A CHECK or foreign key constraint added NOT VALID is enforced for new rows only;
--   existing rows were never checked, the planner cannot rely on it, and SET NOT NULL cannot
--   use it. It is usually a migration that stopped halfway. VALIDATE CONSTRAINT scans the table
--   under SHARE UPDATE EXCLUSIVE, which blocks neither reads nor writes.
--
-- Finds CHECK and foreign key constraints on tables with pg_constraint.convalidated = false.
-- Returns the fixed finding aliases (docs/contributing.md).
select n.nspname as schema_name,
       t.relname as table_name,
       format('%s.%s', n.nspname, k.conname) as object,
       'constraint' as object_type,
       format('%s constraint %s on %s.%s is not valid: existing rows were never checked against it; validate it',
              case k.contype when 'f' then 'foreign key' else 'check' end, k.conname, n.nspname, t.relname) as message,
       json_build_object('table', format('%s.%s', n.nspname, t.relname),
                         'type', case k.contype when 'f' then 'foreign key' else 'check' end,
                         'definition', pg_catalog.pg_get_constraintdef(k.oid),
                         'size_bytes', pg_catalog.pg_relation_size(t.oid)) as evidence,
       format(E'set lock_timeout = ''5s'';\nalter table %I.%I validate constraint %I;', n.nspname, t.relname, k.conname) as remediation,
       format('%I.%I.%I', n.nspname, t.relname, k.conname) as identity
from pg_catalog.pg_constraint k
join pg_catalog.pg_class t on t.oid = k.conrelid
join pg_catalog.pg_namespace n on n.oid = t.relnamespace
where k.contype in ('c', 'f')
  and not k.convalidated
  and n.nspname not in ('pg_catalog', 'information_schema')
  and n.nspname !~ '^pg_(toast|temp_)'
  and not exists (select 1 from pg_catalog.pg_depend d
                  where d.classid = 'pg_catalog.pg_class'::regclass and d.objid = t.oid and d.deptype = 'e')
order by n.nspname, t.relname, k.conname
