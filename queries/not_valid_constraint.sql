-- id: not_valid_constraint
-- category: not_valid_constraint
-- area: integrity
-- title: Constraints left NOT VALID
-- severity: low
-- effort: low
-- group: check
-- rationale: A CHECK, foreign key or (PostgreSQL 18) NOT NULL constraint added NOT VALID is enforced for new rows only;
--   existing rows were never checked, the planner cannot rely on it, and SET NOT NULL cannot
--   use it. It is usually a migration that stopped halfway. VALIDATE CONSTRAINT scans the table
--   under SHARE UPDATE EXCLUSIVE, which blocks neither reads nor writes.
--
-- Finds CHECK, foreign key and NOT NULL constraints on tables with pg_constraint.convalidated = false.
-- The remediation first counts the rows that break the constraint (a CHECK whose expression is
-- false; a foreign key whose columns reference no row, by its MATCH type) in a DO block that
-- raises with the count and the query that lists them; VALIDATE then fails harmlessly on such
-- rows too. Returns the fixed finding aliases (queries/README.md) and `undo`.
with candidates as (
  select k.oid, k.conname, k.contype, k.confmatchtype, k.conbin, t.oid as table_oid, n.nspname, t.relname
  from pg_catalog.pg_constraint k
  join pg_catalog.pg_class t on t.oid = k.conrelid
  join pg_catalog.pg_namespace n on n.oid = t.relnamespace
  where k.contype in ('c', 'f', 'n')
    and not k.convalidated
    and n.nspname not in ('pg_catalog', 'information_schema')
    and n.nspname !~ '^pg_(toast|temp_)'
    and not exists (select 1 from pg_catalog.pg_depend d
                    where d.classid = 'pg_catalog.pg_class'::regclass and d.objid = t.oid and d.deptype = 'e')
),
-- the rows that break each constraint, as "<table> c where <condition>"
violations as (
  select c.oid,
         case when c.contype = 'c'
           then format('%I.%I c where not (%s)', c.nspname, c.relname, pg_catalog.pg_get_expr(c.conbin, c.table_oid))
              when c.contype = 'n'
           then format('%I.%I c where c.%I is null', c.nspname, c.relname,
                       (select a.attname from pg_catalog.pg_attribute a where a.attrelid = c.table_oid and a.attnum = k.conkey[1]))
           else format('%I.%I c where %s', c.nspname, c.relname,
                       case when c.confmatchtype = 'f' and cardinality(k.conkey) > 1
                            then format('(%s) or (num_nulls(%s) = 0 and not exists (select 1 from %I.%I p where %s))',
                                        format('num_nulls(%s) between 1 and %s', cols.child_list, cardinality(k.conkey) - 1),
                                        cols.child_list, pn.nspname, p.relname, cols.pairs)
                            else format('num_nulls(%s) = 0 and not exists (select 1 from %I.%I p where %s)',
                                        cols.child_list, pn.nspname, p.relname, cols.pairs) end)
         end as rows
  from candidates c
  join pg_catalog.pg_constraint k on k.oid = c.oid
  left join pg_catalog.pg_class p on p.oid = k.confrelid
  left join pg_catalog.pg_namespace pn on pn.oid = p.relnamespace
  cross join lateral (
    select string_agg(format('c.%I', ca.attname), ', ' order by o.ord) as child_list,
           string_agg(format('p.%I = c.%I', pa.attname, ca.attname), ' and ' order by o.ord) as pairs
    from unnest(k.conkey, k.confkey) with ordinality o(child_attnum, parent_attnum, ord)
    join pg_catalog.pg_attribute ca on ca.attrelid = k.conrelid and ca.attnum = o.child_attnum
    join pg_catalog.pg_attribute pa on pa.attrelid = k.confrelid and pa.attnum = o.parent_attnum
    where k.contype = 'f'
  ) cols
),
steps as (
  select c.*, v.rows,
         format(E'declare\n  violating bigint;\nbegin\n'
                '  select count(*) into violating from %s;\n'
                '  if violating > 0 then\n'
                '    raise exception ''%% rows of %% break constraint %%; fix or delete them before it is validated, list them with: %%'',\n'
                '      violating, %L, %L, %L;\n'
                '  end if;\nend',
                v.rows, format('%I.%I', c.nspname, c.relname), c.conname, 'select c.* from ' || v.rows) as precondition
  from candidates c
  join violations v on v.oid = c.oid
)
select s.nspname as schema_name,
       s.relname as table_name,
       format('%I.%I.%I', s.nspname, s.relname, s.conname) as object,
       'constraint' as object_type,
       format('%s constraint %I on %I.%I is not valid: existing rows were never checked against it; validate it',
              case s.contype when 'f' then 'foreign key' when 'n' then 'not null' else 'check' end, s.conname, s.nspname, s.relname) as message,
       json_build_object('table', format('%I.%I', s.nspname, s.relname),
                         'type', case s.contype when 'f' then 'foreign key' when 'n' then 'not null' else 'check' end,
                         'definition', pg_catalog.pg_get_constraintdef(s.oid),
                         'size_bytes', pg_catalog.pg_relation_size(s.table_oid)) as evidence,
       concat_ws(E'\n',
         'set lock_timeout = ''5s'';',
         '-- stop if rows break the constraint:',
         case when strpos(s.precondition, '$$') = 0 then format(E'do $$\n%s\n$$;', s.precondition)
              else format('do %L;', s.precondition) end,
         format('alter table %I.%I validate constraint %I;', s.nspname, s.relname, s.conname)) as remediation,
       '-- nothing to undo: VALIDATE changes no row and no definition, it only records that the existing rows were checked' as undo,
       format('%I.%I.%I', s.nspname, s.relname, s.conname) as identity
from steps s
order by s.nspname, s.relname, s.conname
