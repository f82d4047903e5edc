-- id: fk_set_null_not_null
-- category: fk_set_null_not_null
-- area: integrity
-- title: Foreign keys that set NOT NULL columns to NULL
-- severity: low..high, default high
-- effort: low
-- group: check
-- grading: high; low on an empty child (analyzed empty, or an empty file never analyzed: no row
--   to set yet).
-- rationale: ON DELETE SET NULL (or ON UPDATE, or SET DEFAULT on a column without a default) asks
--   PostgreSQL to clear the reference when the parent row goes; on a NOT NULL column it cannot,
--   so the parent's DELETE fails with "null value in column ... violates not-null constraint"
--   whenever a child row references it: the action the schema declares never happens, and the
--   application's delete path is broken. Either the column may be NULL (drop NOT NULL) or the
--   reference must not outlive its parent (ON DELETE CASCADE, or NO ACTION so that deleting a
--   referenced parent is refused plainly): the application's choice, so the steps are advice.
--
-- Finds foreign keys (not a partition's clone) whose ON DELETE or ON UPDATE action is SET NULL,
-- or SET DEFAULT where the column has no default, on columns that are NOT NULL (attnotnull, or
-- a validated CHECK (col IS NOT NULL) is not read: the catalog flag only). PostgreSQL 15's
-- column list (ON DELETE SET NULL (col)) sets only those columns: read from confdelsetcols
-- through to_jsonb, null before 15. Returns the fixed finding aliases (queries/README.md).
with keys as (
  select k.oid, k.conname, k.conrelid, k.confrelid, k.conkey, k.confdeltype, k.confupdtype,
         -- the columns ON DELETE SET NULL/DEFAULT sets (PostgreSQL 15+: a list, else all)
         coalesce((select array_agg(x::int2) from pg_catalog.jsonb_array_elements_text(nullif(pg_catalog.to_jsonb(k) -> 'confdelsetcols', 'null'::jsonb)) x),
                  k.conkey) as delete_sets,
         n.nspname, t.relname, pn.nspname as parent_schema, p.relname as parent_table
  -- include: user_foreign_keys
    and (k.confdeltype in ('n', 'd') or k.confupdtype in ('n', 'd'))
),
-- per key and action, the NOT NULL columns it would set to NULL
conflicts as (
  select k.*, act.action, act.verb,
         (select pg_catalog.array_agg(a.attname::text order by a.attnum)
          from pg_catalog.pg_attribute a
          where a.attrelid = k.conrelid and a.attnum = any (case when act.action = 'delete' then k.delete_sets else k.conkey end)
            and a.attnotnull
            and (act.kind = 'n' or not a.atthasdef)) as columns
  from keys k
  cross join lateral (values ('delete', 'ON DELETE', k.confdeltype), ('update', 'ON UPDATE', k.confupdtype)) act(action, verb, kind)
  where act.kind in ('n', 'd')
),
flagged as (
  select c.oid, c.conname, c.conrelid, c.nspname, c.relname, c.parent_schema, c.parent_table,
         pg_catalog.string_agg(format('%s %s', c.verb, case when c.action = 'delete' and c.confdeltype = 'd' or c.action = 'update' and c.confupdtype = 'd'
                                                          then 'SET DEFAULT' else 'SET NULL' end), ' and ' order by c.action) as actions,
         array(select distinct x.name from conflicts c2 cross join pg_catalog.unnest(c2.columns) x(name)
               where c2.oid = c.oid order by x.name) as columns,
         bool_or(c.action = 'delete') as on_delete
  from conflicts c
  where c.columns is not null
  group by c.oid, c.conname, c.conrelid, c.nspname, c.relname, c.parent_schema, c.parent_table
)
select f.nspname as schema_name,
       f.relname as table_name,
       format('%I.%I.%I', f.nspname, f.relname, f.conname) as object,
       'constraint' as object_type,
       case when size.rows_at_most = 0 then 'low' end as severity,
       format('foreign key %I on %I.%I is %s, but %s %s NOT NULL: %s a referenced row of %I.%I fails ("null value in column ... violates not-null constraint") whenever a row here references it, so the action never happens%s',
              f.conname, f.nspname, f.relname, f.actions,
              (select string_agg(format('%I', c.name), ', ' order by c.ord) from unnest(f.columns) with ordinality c(name, ord)),
              case when cardinality(f.columns) = 1 then 'is' else 'are' end,
              case when f.on_delete then 'deleting' else 'updating the key of' end, f.parent_schema, f.parent_table,
              case when size.rows_at_most = 0 then '; the table is empty: nothing fails yet' else '' end) as message,
       json_build_object('actions', f.actions, 'not_null_columns', f.columns, 'parent', format('%I.%I', f.parent_schema, f.parent_table),
                         'rows_estimate', greatest(size.rows, 0)::bigint) as evidence,
       regexp_replace(concat_ws(E'\n',
         '-- not printed as a script: the application decides which is meant. Either the column may be NULL once its parent goes:',
         format('alter table %I.%I %s;', f.nspname, f.relname,
                (select string_agg(format('alter column %I drop not null', c), ', ') from unnest(f.columns) c)),
         '-- or the reference must not outlive its parent: the key again with ON DELETE CASCADE (or NO ACTION, so that deleting',
         '-- a referenced parent is refused plainly), added NOT VALID and validated, then the old key dropped and its name',
         '-- given to the new one (the name the application and the migrations know):',
         format('alter table %I.%I add constraint <new_name> %s not valid;', f.nspname, f.relname,
                regexp_replace(pg_catalog.pg_get_constraintdef(f.oid), 'ON (DELETE|UPDATE) SET (NULL|DEFAULT)( \([^)]*\))?', 'ON \1 CASCADE', 'g')),
         format('alter table %I.%I validate constraint <new_name>;', f.nspname, f.relname),
         format('alter table %I.%I drop constraint %I;', f.nspname, f.relname, f.conname),
         format('alter table %I.%I rename constraint <new_name> to %I;', f.nspname, f.relname, f.conname)),
         '(^|\n)(?!--)', '\1-- ', 'g') as remediation,
       '-- nothing to undo: the advice runs nothing' as undo,
       format('%I.%I.%I', f.nspname, f.relname, f.conname) as identity
from flagged f
join pg_catalog.pg_class t on t.oid = f.conrelid
-- include: table_size
order by f.nspname, f.relname, f.conname
