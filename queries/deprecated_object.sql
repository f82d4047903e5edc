-- id: deprecated_object
-- category: deprecated_object
-- area: cleanup
-- title: Deprecated objects awaiting their drop
-- severity: info..low
-- effort: low
-- report: deprecation_board
-- params: deprecation_patterns={deprecated_*,dropped_*}, grace_days=(config)
-- input: sequence_values
-- rationale: Renaming a table, column or index to deprecated_<name> (expand-contract) makes a
--   forgotten user fail loudly while the data stays. The rename only helps if the drop follows:
--   once the grace period has passed without complaints, drop the object (indexes
--   concurrently), so the schema does not fill up with dead weight.
--
-- Finds tables, indexes, columns, views, materialized views and sequences whose names match a
-- deprecation pattern ($1: globs with * and ?, from [deprecation] patterns; converted to one
-- regular expression). Partitions, partition child indexes, the columns and indexes of tables
-- that match themselves (the table's DROP takes them along), indexes over a matching column (its
-- DROP takes them along) and sequences a column owns or an
-- identity uses (they go with their column) are left out. The undo of a view or materialized
-- view recreates it from its definition (a materialized view's indexes too, then its data); of a
-- sequence, recreates it at its type, bounds and next value (its last value from the input
-- sequence_values, $3, read once per audit under ACCESS SHARE; pg_sequences would take ROW
-- EXCLUSIVE).
-- audit/checks/deprecated_object.cpp adds the age: first seen in the history (else now), days
-- left of the grace period ($2, [deprecation] grace_days), and once it is over raises the
-- severity and gives the drop as the remediation.
-- Columns: the fixed aliases (message completed by the C++ logic), pattern, drop_sql, undo, grace_days.
with sequence_values as materialized (
  select jsonb_object_agg(v.seqrelid, v.last_value) as by_oid
  from jsonb_to_recordset($3::jsonb) as v(seqrelid oid, last_value bigint)
), pattern as (
  select p as glob,
         '^' || replace(replace(regexp_replace(p, '([^[:alnum:]_*?])', '\\\1', 'g'), '*', '.*'), '?', '.') || '$' as re,
         -- the same glob as a LIKE pattern (\, % and _ escaped), which the names of every relation and
         -- column are matched with: a regular expression per name cost more than the rest of the check
         replace(replace(replace(replace(replace(p, '\', '\\'), '%', '\%'), '_', '\_'), '*', '%'), '?', '_') as like_pattern
  from unnest($1::text[]) p
), any_pattern as (
  select string_agg(re, '|') as re,
         array_agg(like_pattern) filter (where like_pattern is not null) as like_patterns
  from pattern
), matching_columns as materialized (
  -- the columns whose names match, read in one pass: few, where looking up the columns of every
  -- table that does not match took a lookup per table
  select a.attrelid, a.attnum, a.attname
  from pg_catalog.pg_attribute a
  cross join any_pattern
  where a.attnum > 0 and not a.attisdropped
    and a.attname like any (any_pattern.like_patterns)
), rel as (
  select c.oid, c.relname, c.relkind, n.nspname, c.relname like any (any_pattern.like_patterns) as matches
  from pg_catalog.pg_class c
  join pg_catalog.pg_namespace n on n.oid = c.relnamespace
  cross join any_pattern
  where c.relkind in ('r', 'p', 'i', 'I', 'v', 'm', 'S')
    and not c.relispartition
    and n.nspname not in ('pg_catalog', 'information_schema')
    and n.nspname !~ '^pg_(toast|temp_)'
    and c.oid not in (
      -- include: extension_relations
    )
    -- only the relations a branch below can report: matching ones, and tables with a matching column
    and (c.relname like any (any_pattern.like_patterns) or c.oid in (select m.attrelid from matching_columns m))
), objects as (
  select r.nspname as schema_name, r.relname as table_name, r.relname as name,
         format('%I.%I', r.nspname, r.relname) as object, 'table' as object_type,
         format('drop table if exists %I.%I;', r.nspname, r.relname) as drop_sql,
         '-- a dropped table cannot be brought back without a backup taken before the drop (pg_dump --table)' as undo,
         format('%I.%I', r.nspname, r.relname) as identity
  from rel r
  where r.matches and r.relkind in ('r', 'p')
  union all
  select r.nspname, t.relname, r.relname,
         format('%I.%I', r.nspname, r.relname), 'index',
         case when con.conname is not null
                then format('alter table %I.%I drop constraint if exists %I;', r.nspname, t.relname, con.conname)
              when r.relkind = 'I'
                then format('drop index if exists %I.%I; -- partitioned: no concurrently', r.nspname, r.relname)
              else format('drop index concurrently if exists %I.%I;', r.nspname, r.relname)
         end,
         concat_ws(E'\n',
           'set lock_timeout = ''5s'';',
           case when r.relkind = 'I' then pg_catalog.pg_get_indexdef(r.oid) || ';'
                else regexp_replace(regexp_replace(pg_catalog.pg_get_indexdef(r.oid),
                                    '^CREATE UNIQUE INDEX ', 'create unique index concurrently if not exists '),
                                    '^CREATE INDEX ', 'create index concurrently if not exists ') || ';' end,
           case when con.contype in ('p', 'u')
                  then format('alter table %I.%I add constraint %I %s using index %I;', r.nspname, t.relname, con.conname,
                              case con.contype when 'p' then 'primary key' else 'unique' end, r.relname)
                when con.contype = 'x'
                  then format('-- then the exclusion constraint: alter table %I.%I add constraint %I %s;', r.nspname, t.relname,
                              con.conname, pg_catalog.pg_get_constraintdef(con.oid))
           end),
         format('%I.%I', r.nspname, r.relname)
  from rel r
  join pg_catalog.pg_index x on x.indexrelid = r.oid
  join pg_catalog.pg_class t on t.oid = x.indrelid
  left join pg_catalog.pg_constraint con on con.conindid = r.oid and con.conrelid = x.indrelid
                                         and con.contype in ('p', 'u', 'x')
  cross join any_pattern
  where r.matches and r.relkind in ('i', 'I')
    and not t.relname like any (any_pattern.like_patterns)
    -- an index over a matching column goes with that column's drop (an expand-contract move's
    -- deprecated_<index> on its deprecated_<column>): the column is the one entry
    and not exists (select from pg_catalog.pg_depend d
                    join matching_columns m on m.attrelid = d.refobjid and m.attnum = d.refobjsubid
                    where d.classid = 'pg_catalog.pg_class'::regclass and d.objid = r.oid
                      and d.refclassid = 'pg_catalog.pg_class'::regclass)
  union all
  select r.nspname, r.relname, a.attname,
         format('%I.%I.%I', r.nspname, r.relname, a.attname), 'column',
         format('alter table %I.%I drop column if exists %I;', r.nspname, r.relname, a.attname),
         '-- a dropped column cannot be brought back without a backup taken before the drop',
         format('%I.%I.%I', r.nspname, r.relname, a.attname)
  from rel r
  join matching_columns a on a.attrelid = r.oid
  where r.relkind in ('r', 'p') and not r.matches
  union all
  select r.nspname, r.relname, r.relname, format('%I.%I', r.nspname, r.relname), k.kind,
         format('drop %s if exists %I.%I;', k.kind, r.nspname, r.relname),
         case r.relkind
           when 'v' then concat_ws(E'\n',
             format('create view %I.%I as', r.nspname, r.relname),
             rtrim(pg_catalog.pg_get_viewdef(r.oid), ';') || ';',
             '-- then its grants and comments, as they were')
           when 'm' then concat_ws(E'\n',
             format('create materialized view %I.%I as', r.nspname, r.relname),
             rtrim(pg_catalog.pg_get_viewdef(r.oid), ';'),
             'with no data;',
             (select string_agg(pg_catalog.pg_get_indexdef(x.indexrelid) || ';', E'\n' order by x.indexrelid)
              from pg_catalog.pg_index x where x.indrelid = r.oid),
             format('refresh materialized view %I.%I;', r.nspname, r.relname),
             '-- then its grants and comments, as they were')
           else concat_ws(E'\n',
             format('create sequence if not exists %I.%I as %s increment by %s minvalue %s maxvalue %s start with %s cache %s%s;',
                    r.nspname, r.relname, q.seqtypid::regtype, q.seqincrement, q.seqmin, q.seqmax,
                    coalesce(((select v.by_oid from sequence_values v) ->> r.oid::text)::bigint + q.seqincrement, q.seqstart), q.seqcache,
                    case when q.seqcycle then ' cycle' else '' end),
             '-- then its grants, as they were')
         end,
         format('%I.%I', r.nspname, r.relname)
  from rel r
  cross join lateral (select case r.relkind when 'v' then 'view' when 'm' then 'materialized view'
                                            else 'sequence' end as kind) k
  left join pg_catalog.pg_sequence q on q.seqrelid = r.oid
  where r.matches and r.relkind in ('v', 'm', 'S')
    and not exists (select from pg_catalog.pg_depend d
                    where d.classid = 'pg_catalog.pg_class'::regclass and d.objid = r.oid
                      and d.refclassid = 'pg_catalog.pg_class'::regclass and d.deptype in ('a', 'i'))
)
select o.schema_name,
       o.table_name,
       o.object,
       o.object_type,
       format('%s %s is deprecated (its name matches %s)', o.object_type, o.object, m.glob) as message,
       m.glob as pattern,
       format(E'set lock_timeout = ''5s'';\n%s', o.drop_sql) as drop_sql,
       o.undo,
       $2::int as grace_days,
       o.identity
from objects o
cross join lateral (select p.glob from pattern p where o.name ~ p.re limit 1) m
order by o.schema_name, o.object
