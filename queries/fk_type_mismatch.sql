-- id: fk_type_mismatch
-- category: fk_type_mismatch
-- area: integrity
-- title: Foreign key columns whose type differs from the referenced column
-- severity: low..high
-- effort: medium
-- params: high_pct=50
-- input: sequence_values
-- grading: high when the referencing column is narrower than the key it references (inserts fail
--   once keys pass its range) and the parent's keys already reach high_pct percent of that range
--   (by pg_stats, else the last value of the sequence feeding the key, else none on a parent
--   whose file is empty; high when nothing says); medium when the key compares the column as
--   another type than its own (a character(36) column with a character varying(40) key: as text),
--   which no index on the column answers, so every delete of a parent row scans the table
--   (Vaultwarden's uuid columns); else low: a narrower column whose parent's keys are far from its
--   limit (Sourcegraph's, at 0.00002% of the integer range) is a limit to plan for, not harm yet.
-- rationale: A foreign key column narrower than the key it references (integer referencing
--   bigint) breaks the day the parent's ids pass the narrower type's limit, and any type
--   difference makes joins compare through casts. Change the child column to the parent's type
--   by expand-contract (new column, batched backfill, swap), not ALTER COLUMN TYPE in place,
--   which rewrites the table under an ACCESS EXCLUSIVE lock (and is refused while views use
--   the column).
--
-- Finds every column of a foreign key whose type (with typmod) differs from the referenced
-- column's, but a wider integer referencing a narrower one and text and varchar of any length
-- (binary-coercible: no cast in the comparison; a limit is type_varchar_n's). Severity high when an integer column
-- references a wider integer.
-- The finding names what depends on the column (evidence `views`, `indexes`, `blockers`): views
-- and materialized views (through pg_depend on pg_rewrite), indexes that use it (as a key,
-- in an expression or in a predicate), and what a column swap cannot carry: a partition key, a
-- primary key / unique / exclusion constraint, a foreign key of another table referencing it,
-- an identity or generated column, a rule, a partitioned table, and what the swap would leave
-- reading the old column: a CHECK constraint, a policy, a generated column. Without blockers the
-- remediation runs end to end: new column, trigger that keeps it in sync, batched backfill
-- (a DO block that commits each batch), the foreign keys (with their actions) and the indexes
-- rebuilt on the new column (CONCURRENTLY, checked valid), then one short transaction in a DO
-- block that first checks the backfill, the new keys and indexes, then drops the dependent
-- views, swaps the columns (the old one stays as deprecated_<column>, without NOT NULL or
-- default), drops the old keys and indexes, gives their names to the new ones, and makes the
-- views again as they were (lib/view_create.sql: options, owner, grants, comment). With blockers the remediation says which and that the
-- change needs them rebuilt. Generated names follow the rule of the other checks: <base> if
-- at most 63 bytes and free, else its first 54 bytes, "_" and 8 hex digits of md5(<base>).
-- Returns the fixed finding aliases (queries/README.md) and `undo`.
with sequence_values as materialized (
  -- every sequence's last value by oid (the input sequence_values, read once per audit), looked up
  -- by key as int_overflow looks it up (a join to its rows became a nested loop there)
  select jsonb_object_agg(v.seqrelid, v.last_value) as by_oid
  from jsonb_to_recordset($2::jsonb) as v(seqrelid oid, last_value bigint)
),
pairs as (
  select t.oid as table_oid, n.oid as schema_oid, n.nspname, t.relname, t.relkind, k.conname, a.attnum, a.attname, a.atttypid,
         a.attnotnull, a.attidentity, a.attgenerated,
         format_type(a.atttypid, a.atttypmod) as column_type,
         pn.nspname as parent_schema, p.relname as parent_table, pa.attname as parent_column, pa.atttypid as parent_typid,
         k.confrelid as parent_oid, pair.parent_attnum, p.relkind as parent_kind,
         format_type(pa.atttypid, pa.atttypmod) as parent_type,
         -- an integer referencing a wider integer
         coalesce(array_position(array['int2', 'int4', 'int8']::regtype[]::oid[], a.atttypid)
                  < array_position(array['int2', 'int4', 'int8']::regtype[]::oid[], pa.atttypid), false) as narrower,
         -- the type the key compares the column as, when another than its own: no index on the
         -- column answers the key's lookups
         (
-- include: key_compared_as
         ) as compared_as
  from pg_catalog.pg_constraint k
  cross join lateral unnest(k.conkey, k.confkey, k.conpfeqop) as pair(child_attnum, parent_attnum, key_op)
  join pg_catalog.pg_class t on t.oid = k.conrelid
  join pg_catalog.pg_namespace n on n.oid = t.relnamespace
  -- each column looked up by its key (offset 0): joined freely, every column of both tables was
  -- read and hashed for each foreign key
  cross join lateral (select a.attnum, a.attname, a.atttypid, a.atttypmod, a.attnotnull, a.attidentity, a.attgenerated
                      from pg_catalog.pg_attribute a
                      where a.attrelid = k.conrelid and a.attnum = pair.child_attnum offset 0) a
  join pg_catalog.pg_class p on p.oid = k.confrelid
  join pg_catalog.pg_namespace pn on pn.oid = p.relnamespace
  cross join lateral (select pa.attname, pa.atttypid, pa.atttypmod from pg_catalog.pg_attribute pa
                      where pa.attrelid = k.confrelid and pa.attnum = pair.parent_attnum offset 0) pa
  where k.contype = 'f'
    and not t.relispartition
    and k.conparentid = 0
    and (a.atttypid, a.atttypmod) <> (pa.atttypid, pa.atttypmod)
    -- a wider integer referencing a narrower one (bigint referencing an integer key, the usual
    -- way to make new references ready for the key's widening) is no mismatch to fix: PostgreSQL
    -- compares the integer types with the cross-type operators of one btree family, no cast, the
    -- indexes used; narrowing the column would only bring the overflow back. The key is what
    -- can run out (type_int_key, int_overflow, sequence_overflow).
    and not coalesce(array_position(array['int2', 'int4', 'int8']::regtype[]::oid[], a.atttypid)
                     > array_position(array['int2', 'int4', 'int8']::regtype[]::oid[], pa.atttypid), false)
    -- nor are text and varchar of any length, either way round (Harbor's report_uuid text
    -- referencing scan_report.uuid varchar(64); Hydra's client_id varchar(255) columns referencing
    -- hydra_client.id once type_varchar_n's fix made it text): varchar is binary-coercible to
    -- text, so the comparison is text's with no cast call and both indexes serve it. A length
    -- limit is type_varchar_n's finding on its own column (text, the limit kept as a check),
    -- not a reason for a column swap here.
    and not (a.atttypid in ('pg_catalog.text'::regtype, 'pg_catalog.varchar'::regtype)
             and pa.atttypid in ('pg_catalog.text'::regtype, 'pg_catalog.varchar'::regtype))
    and n.nspname not in ('pg_catalog', 'information_schema')
    and n.nspname !~ '^pg_(toast|temp_)'
    and not exists (select 1 from pg_catalog.pg_depend d
                    where d.classid = 'pg_catalog.pg_class'::regclass and d.objid = t.oid and d.deptype = 'e')
),
columns as (
  select distinct on (p.nspname, p.relname, p.attname) p.*,
         p.attname || '_new' as new_base, 'deprecated_' || p.attname as old_base
  from pairs p
  order by p.nspname, p.relname, p.attname, p.conname
),
-- views, materialized views and rules that read the column
rewrites as (
  select c.table_oid, c.attnum, v.oid as view_oid, v.relkind, r.rulename, vn.nspname as view_schema, v.relname as view_name
  from columns c
  join pg_catalog.pg_depend d on d.refclassid = 'pg_catalog.pg_class'::regclass and d.refobjid = c.table_oid
                              and d.refobjsubid = c.attnum and d.classid = 'pg_catalog.pg_rewrite'::regclass
  join pg_catalog.pg_rewrite r on r.oid = d.objid
  join pg_catalog.pg_class v on v.oid = r.ev_class
  join pg_catalog.pg_namespace vn on vn.oid = v.relnamespace
  where v.oid <> c.table_oid
  group by c.table_oid, c.attnum, v.oid, v.relkind, r.rulename, vn.nspname, v.relname
),
-- indexes that use the column (key, expression or predicate), with the index they get on the new column
indexes as (
  select c.table_oid, c.attnum, i.oid as index_oid, i.relname as index_name, x.indisunique,
         exists (select 1 from pg_catalog.pg_constraint k where k.conindid = i.oid and k.conrelid = c.table_oid) as backs_constraint,
         fitted.names[1] as new_index,
         pg_catalog.pg_get_indexdef(i.oid) as definition,
         format('CREATE %sINDEX %I ON %I.%I ', case when x.indisunique then 'UNIQUE ' end, i.relname, c.nspname, c.relname) as prefix
  from columns c
  join pg_catalog.pg_depend d on d.refclassid = 'pg_catalog.pg_class'::regclass and d.refobjid = c.table_oid
                              and d.refobjsubid = c.attnum and d.classid = 'pg_catalog.pg_class'::regclass
  join pg_catalog.pg_class i on i.oid = d.objid and i.relkind in ('i', 'I')
  join pg_catalog.pg_index x on x.indexrelid = i.oid
  cross join lateral (select array[i.relname || '_new'] as bases,
                             array[exists (select 1 from pg_catalog.pg_class r
                                           where r.relnamespace = c.schema_oid and r.relname = i.relname || '_new')] as taken) fit
-- include: fitted_names
  group by c.table_oid, c.attnum, c.schema_oid, c.nspname, c.relname, i.oid, i.relname, x.indisunique, fitted.names
),
-- the foreign keys on the column, with the constraint each gets on the new column
fkeys as (
  select c.table_oid, c.attnum, k.oid as fkey_oid, k.conname,
         -- the referenced table schema-qualified, whatever the search_path of the session that runs it
         split_part(pg_catalog.pg_get_constraintdef(k.oid), ' REFERENCES ', 1) || ' REFERENCES '
           || format('%I.%I', rn.nspname, r.relname)
           || substr(pg_catalog.pg_get_constraintdef(k.oid),
                     strpos(pg_catalog.pg_get_constraintdef(k.oid), ' REFERENCES ') + 12
                     + length(case when starts_with(substr(pg_catalog.pg_get_constraintdef(k.oid),
                                                          strpos(pg_catalog.pg_get_constraintdef(k.oid), ' REFERENCES ') + 12),
                                                   format('%I.%I(', rn.nspname, r.relname))
                                   then format('%I.%I', rn.nspname, r.relname) else format('%I', r.relname) end)) as definition,
         fitted.names[1] as new_fkey
  from columns c
  join pg_catalog.pg_constraint k on k.conrelid = c.table_oid and k.contype = 'f' and c.attnum = any (k.conkey)
  join pg_catalog.pg_class r on r.oid = k.confrelid
  join pg_catalog.pg_namespace rn on rn.oid = r.relnamespace
  cross join lateral (select array[k.conname || '_new'] as bases,
                             array[exists (select 1 from pg_catalog.pg_constraint r
                                           where r.conrelid = c.table_oid and r.conname = k.conname || '_new')] as taken) fit
-- include: fitted_names
),
named as (
  select c.*,
         -- the column's name as a regular expression matching it as an identifier in SQL text
         '(?<![[:alnum:]_$".])' || regexp_replace(format('%I', c.attname), '([.^$*+?()\[\]{}|\\])', '\\\1', 'g')
           || '(?![[:alnum:]_$"])' as column_pattern,
         fitted.names[1] as new_column, fitted.names[2] as old_column,
         (select left(c.relname || '_' || c.attname, k) from generate_series(45, 1, -1) k
          where octet_length(left(c.relname || '_' || c.attname, k)) <= 45 limit 1)
           || '_' || left(pg_catalog.md5(c.relname || '_' || c.attname), 8) || '_sync' as sync_name,
         (select pg_catalog.pg_get_expr(d.adbin, d.adrelid) from pg_catalog.pg_attrdef d
          where d.adrelid = c.table_oid and d.adnum = c.attnum) as default_expr,
         array_remove(array[
           case when c.relkind = 'p' then 'a partitioned table (its partitions)' end,
           case when exists (select 1 from pg_catalog.pg_partitioned_table pt
                             join pg_catalog.pg_partition_tree(c.table_oid) tree on tree.relid = pt.partrelid
                             where c.attnum = any (pt.partattrs::int2[]))
                then 'a partition key (it needs a new table)' end,
           case when exists (select 1 from pg_catalog.pg_constraint k
                             where k.conrelid = c.table_oid and k.contype in ('p', 'u', 'x') and c.attnum = any (k.conkey))
                then 'its primary key, unique or exclusion constraint' end,
           -- uncorrelated IN: one hashed pass over pg_constraint, not one scan per column
           case when (c.table_oid, c.attnum) in (select k.confrelid, unnest(k.confkey) from pg_catalog.pg_constraint k
                                                 where k.contype = 'f')
                then 'the foreign keys of other tables that reference it' end,
           case when c.attidentity <> '' or c.attgenerated <> '' then 'an identity or generated column' end,
           case when (c.table_oid, c.attnum) in (select w.table_oid, w.attnum from rewrites w
                                                 where w.rulename <> '_RETURN' or w.relkind not in ('v', 'm'))
                then 'the rules that use it' end,
           case when (c.table_oid, c.attnum) in (select i.table_oid, i.attnum from indexes i where i.backs_constraint)
                then 'the constraint an index on it backs' end,
           case when exists (select 1 from pg_catalog.pg_trigger g
                             where g.tgrelid = c.table_oid and not g.tgisinternal and c.attnum = any (g.tgattr::int2[]))
                then 'the triggers on it' end,
           -- a trigger for each row on any UPDATE that fires whatever the session (ENABLE ALWAYS or
           -- REPLICA): the backfill would fire it on every row (ordinary ones are kept from firing, step 3)
           ut.always,
           -- what the swap would leave reading the old column, deprecated_<column>, no longer filled:
           -- a CHECK constraint, a row-level security policy, another column's generation expression, a
           -- NOT NULL added NOT VALID (PostgreSQL 18: the swap would validate it on the new column)
           -- (PostgreSQL 13 records that dependency from the generated column itself)
           (select 'what else reads it, which the swap would leave on the old column: '
                     || string_agg(pg_catalog.pg_describe_object(d.classid, d.objid, d.objsubid), ', '
                                   order by pg_catalog.pg_describe_object(d.classid, d.objid, d.objsubid))
            from pg_catalog.pg_depend d
            where d.refclassid = 'pg_catalog.pg_class'::regclass and d.refobjid = c.table_oid and d.refobjsubid = c.attnum
              and d.deptype in ('n', 'a')
              and (d.classid = 'pg_catalog.pg_policy'::regclass
                   or (d.classid = 'pg_catalog.pg_constraint'::regclass
                       and exists (select from pg_catalog.pg_constraint k where k.oid = d.objid
                                   and (k.contype = 'c' or (k.contype = 'n' and not k.convalidated))))
                   or (d.classid = 'pg_catalog.pg_attrdef'::regclass
                       and exists (select from pg_catalog.pg_attrdef x where x.oid = d.objid and x.adnum <> c.attnum))
                   or (d.classid = 'pg_catalog.pg_class'::regclass and d.objid = c.table_oid and d.objsubid not in (0, c.attnum)))
            having count(*) > 0)
         ], null) as blockers,
         -- the table's triggers for each row on any UPDATE that its session can keep from firing (step 3)
         ut.names as update_triggers, bf.script as backfill
  from columns c
  cross join lateral (
    select array[c.new_base, c.old_base] as bases,
           array[exists (select 1 from pg_catalog.pg_attribute a where a.attrelid = c.table_oid and a.attname = c.new_base),
                 exists (select 1 from pg_catalog.pg_attribute a where a.attrelid = c.table_oid and a.attname = c.old_base)] as taken) fit
-- include: fitted_names
  cross join lateral (select c.table_oid as relid, c.nspname, c.relname) rt
-- include: update_triggers
  -- step 3: the backfill (lib/batched_backfill.sql), in that session
  cross join lateral (select c.nspname, c.relname, format('%I = %I', fitted.names[1], c.attname) as assignment,
                             format('%I is distinct from %I', fitted.names[1], c.attname) as pending) bfi
-- include: batched_backfill
),
described as (
  select n.*,
         (select string_agg(format('%I.%I', w.view_schema, w.view_name), ', ' order by w.view_schema, w.view_name)
          from rewrites w where w.table_oid = n.table_oid and w.attnum = n.attnum and w.rulename = '_RETURN') as views,
         (select string_agg(i.index_name, ', ' order by i.index_name)
          from indexes i where i.table_oid = n.table_oid and i.attnum = n.attnum) as index_names
  from named n
),
steps as (
  select d.*,
         format('%I.%I', d.nspname, d.relname) as qualified,
         -- step 4: the new foreign keys, NOT VALID, with the originals' actions
         (select string_agg(format('alter table %I.%I add constraint %I %s not valid;', d.nspname, d.relname, f.new_fkey,
                                   regexp_replace(split_part(f.definition, ' REFERENCES ', 1), d.column_pattern, format('%I', d.new_column), 'g')
                                   || ' REFERENCES ' || substr(f.definition, strpos(f.definition, ' REFERENCES ') + 12))
                            || E'\n' || format('alter table %I.%I validate constraint %I;', d.nspname, d.relname, f.new_fkey),
                           E'\n' order by f.conname)
          from fkeys f where f.table_oid = d.table_oid and f.attnum = d.attnum) as add_fkeys,
         -- step 5: the indexes, rebuilt on the new column
         (select string_agg(format('create %sindex concurrently if not exists %I on %I.%I %s;',
                                   case when i.indisunique then 'unique ' end, i.new_index, d.nspname, d.relname,
                                   regexp_replace(substr(i.definition, length(i.prefix) + 1), d.column_pattern,
                                                  format('%I', d.new_column), 'g')),
                           E'\n' order by i.index_name)
          from indexes i where i.table_oid = d.table_oid and i.attnum = d.attnum) as add_indexes
  from described d
),
swaps as (
  select s.*,
         concat_ws(E'\n',
           'begin',
           -- with the trigger in place no write can make the columns differ after this check
           format('  if not exists (select 1 from pg_catalog.pg_trigger where tgrelid = %L::regclass and tgname = %L) then', s.qualified, s.sync_name),
           format('    raise exception ''trigger %% on %% is missing: run step 2 and 3 again, then this one'', %L, %L;', s.sync_name, s.qualified),
           '  end if;',
           format('  if exists (select 1 from %s where %I is distinct from %I) then', s.qualified, s.new_column, s.attname),
           format('    raise exception ''the backfill of %%.%% is not complete: run step 3 again, then this one'', %L, %L;', s.qualified, s.new_column),
           '  end if;',
           (select string_agg(format(E'  if not exists (select 1 from pg_catalog.pg_constraint where conrelid = %L::regclass and conname = %L and convalidated) then\n'
                                     '    raise exception ''foreign key %% is missing or not validated: run step 4 again, then this one'', %L;\n  end if;',
                                     s.qualified, f.new_fkey, f.new_fkey), E'\n' order by f.conname)
            from fkeys f where f.table_oid = s.table_oid and f.attnum = s.attnum),
           (select string_agg(format(E'  if not exists (select 1 from pg_catalog.pg_index where indexrelid = to_regclass(%L) and indisvalid) then\n'
                                     '    raise exception ''index %% is missing or invalid: drop it, run step 5 again, then this one'', %L;\n  end if;',
                                     format('%I.%I', s.nspname, i.new_index), format('%I.%I', s.nspname, i.new_index)), E'\n' order by i.index_name)
            from indexes i where i.table_oid = s.table_oid and i.attnum = s.attnum),
           -- the definitions below name objects as seen from the audit's search_path: use that path
           format('  perform pg_catalog.set_config(''search_path'', %L, true);', pg_catalog.current_setting('search_path')),
           (select string_agg(format('  drop %sview %I.%I;', case when w.relkind = 'm' then 'materialized ' end, w.view_schema, w.view_name),
                              E'\n' order by w.view_schema, w.view_name)
            from rewrites w where w.table_oid = s.table_oid and w.attnum = s.attnum),
           (select string_agg(format('  alter table %s drop constraint %I;', s.qualified, f.conname), E'\n' order by f.conname)
            from fkeys f where f.table_oid = s.table_oid and f.attnum = s.attnum),
           (select string_agg(format('  drop index %I.%I;', s.nspname, i.index_name), E'\n' order by i.index_name)
            from indexes i where i.table_oid = s.table_oid and i.attnum = s.attnum),
           format('  drop trigger %I on %s;', s.sync_name, s.qualified),
           format('  drop function %I.%I();', s.nspname, s.sync_name),
           format('  alter table %s rename column %I to %I;', s.qualified, s.attname, s.old_column),
           format('  alter table %s rename column %I to %I;', s.qualified, s.new_column, s.attname),
           case when s.attnotnull then format(E'  alter table %s alter column %I drop not null;\n'
                                               '  alter table %s alter column %I set not null;\n'
                                               '  alter table %s drop constraint %I;',
                                               s.qualified, s.old_column, s.qualified, s.attname, s.qualified, s.sync_name) end,
           case when s.default_expr is not null then format(E'  alter table %s alter column %I drop default;\n'
                                                            '  alter table %s alter column %I set default %s;',
                                                            s.qualified, s.old_column, s.qualified, s.attname, s.default_expr) end,
           (select string_agg(format('  alter table %s rename constraint %I to %I;', s.qualified, f.new_fkey, f.conname), E'\n' order by f.conname)
            from fkeys f where f.table_oid = s.table_oid and f.attnum = s.attnum),
           (select string_agg(format('  alter index %I.%I rename to %I;', s.nspname, i.new_index, i.index_name), E'\n' order by i.index_name)
            from indexes i where i.table_oid = s.table_oid and i.attnum = s.attnum),
           -- the views again as they are (options such as security_invoker, owner, grants, comment, a
           -- materialized view's indexes): made without security_invoker, Sourcegraph's tenant views
           -- ran as their owner and bypassed the caller's row-level security
           (select string_agg(regexp_replace(vc.create_sql, '^', '  ', 'gn'), E'\n' order by w.view_schema, w.view_name)
            from rewrites w
            cross join lateral (
              select (
-- include: view_create
                     ) as create_sql
              from pg_catalog.pg_class v join pg_catalog.pg_namespace vn on vn.oid = v.relnamespace
              where v.oid = w.view_oid) vc
            where w.table_oid = s.table_oid and w.attnum = s.attnum),
           'end') as swap
  from steps s
)
select s.nspname as schema_name,
       s.relname as table_name,
       format('%I.%I.%I', s.nspname, s.relname, s.attname) as object,
       'column' as object_type,
       case when nl.near_limit then 'high'
            when s.compared_as is not null then 'medium'
            else 'low' end as severity,
       -- one decision for every column of one type referencing keys of one type (Vaultwarden's
       -- character(36) columns, Sourcegraph's integer ones): one entry; a column near its limit is
       -- an entry of its own
       case when not nl.near_limit
            then format('%s -> %s', s.column_type, s.parent_type) end as entry,
       format('column %I.%I.%I (%s) of foreign key %I references %I.%I.%I (%s): %s%s%s',
              s.nspname, s.relname, s.attname, s.column_type, s.conname,
              s.parent_schema, s.parent_table, s.parent_column, s.parent_type,
              case when s.narrower and hv.parent_max is not null
                     then format('it overflows once the parent''s ids pass its limit (they reach %s of %s, by pg_stats)', hv.parent_max, hv.child_max)
                   when s.narrower then 'it overflows once the parent''s ids pass its limit'
                   when s.compared_as is not null
                     then format('the key compares it as %s, which no index on the column answers: every delete or key update '
                                 'of a parent row scans the table', s.compared_as)
                   else 'comparisons go through casts' end,
              case when s.views is not null then format('; views that use it: %s', s.views) end,
              case when cardinality(s.blockers) > 0
                   then format('; a column swap cannot carry %s: the change needs them rebuilt', array_to_string(s.blockers, ', ')) end) as message,
       json_build_object('column_type', s.column_type, 'referenced_type', s.parent_type, 'constraint', s.conname,
                         'references', format('%I.%I.%I', s.parent_schema, s.parent_table, s.parent_column),
                         'views', s.views, 'indexes', s.index_names, 'blockers', s.blockers,
                         'parent_max_estimate', hv.parent_max, 'column_max', hv.child_max, 'compared_as', s.compared_as) as evidence,
       case when cardinality(s.blockers) > 0 then concat_ws(E'\n',
         regexp_replace(format('-- %s cannot be swapped for a %s column: a swap cannot carry %s.', s.attname, s.parent_type,
                               array_to_string(s.blockers, ', ')), '[\r\n]+', E'\n-- ', 'g'),
         '-- The change needs those objects rebuilt around a new column (or a new table for a partition key),',
         '-- and ALTER COLUMN TYPE rewrites the table under an ACCESS EXCLUSIVE lock: plan it as a migration.')
       else concat_ws(E'\n',
         'set lock_timeout = ''5s'';',
         '-- 1. the new column (no default: no rewrite) and its sync function, added only while the column is still what the audit saw: run',
         '--    again after the swap (the column already of the new type), the script stops here',
         (select case when strpos(ad.body, '$$') = 0 then format(E'do $$\n%s\n$$;', ad.body) else format('do %L;', ad.body) end
                 from (select format(E'begin\n'
                                     '  if (select pg_catalog.format_type(c.atttypid, c.atttypmod) from pg_catalog.pg_attribute c\n'
                                     '      where c.attrelid = %L::regclass and c.attname = %L and not c.attisdropped) is distinct from %L then\n'
                                     '    raise exception ''%%: it is no longer %s (the swap has run, or the column changed since the audit): nothing to do; audit again'', %L;\n'
                                     '  end if;\n'
                                     '  alter table %s add column if not exists %I %s;\n'
                                     '  create or replace function %I.%I() returns trigger language plpgsql as %L;\nend',
                                     s.qualified, s.attname, s.column_type, replace(s.column_type, '''', ''''''),
                                     format('%s.%I', s.qualified, s.attname), s.qualified, s.new_column, s.parent_type,
                                     s.nspname, s.sync_name, format('begin new.%I := new.%I; return new; end', s.new_column, s.attname)) as body) ad),
         '-- 2. keep it in sync with every write (the function of step 1):',
         (select case when strpos(tr.body, '$$') = 0 then format(E'do $$\n%s\n$$;', tr.body) else format('do %L;', tr.body) end
                 -- only on the new column of step 1: a trigger that sets a column not there fails every write
                 from (select format(E'begin\n  if not exists (select from pg_catalog.pg_trigger where tgrelid = %L::regclass and tgname = %L)\n'
                                     '     and exists (select from pg_catalog.pg_attribute c where c.attrelid = %L::regclass and c.attname = %L and not c.attisdropped) then\n    %s;\n  end if;\nend',
                                     s.qualified, s.sync_name, s.qualified, s.new_column,
                              format('create trigger %I before insert or update on %s for each row execute function %I.%I()', s.sync_name, s.qualified, s.nspname, s.sync_name)) as body) tr),
         '-- 3. backfill, 10000 rows per committed batch:',
         s.backfill,
         case when s.attnotnull then format(E'alter table %s add constraint %I check (%I is not null) not valid;\n'
                                             'alter table %s validate constraint %I;',
                                             s.qualified, s.sync_name, s.new_column, s.qualified, s.sync_name) end,
         '-- 4. the foreign keys on the new column, with the originals'' actions:',
         s.add_fkeys,
         case when s.add_indexes is not null then '-- 5. the indexes on the new column:' end,
         s.add_indexes,
         regexp_replace(format('-- 6. the swap, in one short transaction (ACCESS EXCLUSIVE on %s%s): it checks the steps above first; '
                               'the views are made again as they are (options, owner, grants, comment); the column keeps its name '
                               'but not its place: it is last in the table after it (a SELECT * or an INSERT without a column list '
                               'sees another order)',
                               s.qualified, case when s.views is not null then ' and ' || s.views end), '[\r\n]+', E'\n-- ', 'g'),
         case when strpos(s.swap, '$$') = 0 then format(E'do $$\n%s\n$$;', s.swap) else format('do %L;', s.swap) end,
         regexp_replace(format('-- after the grace period: alter table %s drop column %I;', s.qualified, s.old_column), '[\r\n]+', E'\n-- ', 'g'))
       end as remediation,
       case when cardinality(s.blockers) = 0 then concat_ws(E'\n',
         'set lock_timeout = ''5s'';',
         -- once the swap has run, what follows would find nothing to drop and undo nothing: stop and say so
         format(E'do $$\nbegin\n'
                '  if exists (select from pg_catalog.pg_attribute a where a.attrelid = %L::regclass and a.attname = %L and not a.attisdropped) then\n'
                '    raise exception ''%%: the swap (step 6) has run, %% holds the old values: the statements below only undo steps 1-5; swap back as the comment at the end says'', %L, %L;\n'
                '  end if;\nend $$;',
                s.qualified, s.old_column, format('%s.%I', s.qualified, s.attname), s.old_column),
         regexp_replace(format('-- before the swap (step 6): remove what steps 1-5 added (the new column takes its keys and indexes with it)'), '[\r\n]+', E'\n-- ', 'g'),
         format('drop trigger if exists %I on %s;', s.sync_name, s.qualified),
         format('drop function if exists %I.%I();', s.nspname, s.sync_name),
         format('alter table %s drop column if exists %I;', s.qualified, s.new_column),
         regexp_replace(format('-- after the swap: %I keeps the old values until it is dropped; swap back the same way (rename %I to %I, '
                               '%I to %I, with the old foreign keys: %s), re-creating the views', s.old_column, s.attname, s.new_column,
                               s.old_column, s.attname,
                               (select string_agg(f.definition, '; ' order by f.conname) from fkeys f
                                where f.table_oid = s.table_oid and f.attnum = s.attnum)), '[\r\n]+', E'\n-- ', 'g'))
       end as undo,
       format('%I.%I.%I', s.nspname, s.relname, s.attname) as identity
from swaps s
-- how far the parent's keys are into the narrower column's range: the largest value ANALYZE saw
-- (histogram and most common values; the parent's own rows, else a partitioned parent's), else
-- the last value of the sequence that feeds the key (serial or identity; the input
-- sequence_values, read without a lock above ACCESS SHARE), else 0 for a parent whose file is
-- empty: an empty parent whose statistics say nothing is no key about to overflow (Danbooru's
-- user_sessions, empty, graded high beside a parent of 100,000 rows graded medium)
cross join lateral (
  select case when s.narrower then
           coalesce(
             (select greatest((st.histogram_bounds::text::numeric[])[cardinality(st.histogram_bounds::text::numeric[])],
                              (select max(v) from unnest(st.most_common_vals::text::numeric[]) v))
              from pg_catalog.pg_stats st
              where st.schemaname = s.parent_schema and st.tablename = s.parent_table and st.attname = s.parent_column
              order by st.inherited
              limit 1),
             (select max(((select v.by_oid from sequence_values v) ->> d.objid::text)::numeric)
              from pg_catalog.pg_depend d
              where d.classid = 'pg_catalog.pg_class'::regclass and d.refclassid = 'pg_catalog.pg_class'::regclass
                and d.refobjid = s.parent_oid and d.refobjsubid = s.parent_attnum and d.deptype in ('a', 'i')),
             case when s.parent_kind = 'r' and pg_catalog.pg_relation_size(s.parent_oid) = 0 then 0 end) end as parent_max,
         case s.atttypid when 'int2'::regtype then 32767 when 'int4'::regtype then 2147483647 end as child_max
) hv
-- a narrower column whose parent's keys reach high_pct of its range, or nothing says how far they are
cross join lateral (
  select s.narrower and (hv.parent_max is null or hv.parent_max >= hv.child_max * $1::numeric / 100) as near_limit
) nl
order by s.nspname, s.relname, s.attname
