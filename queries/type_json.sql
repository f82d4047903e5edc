-- id: type_json
-- category: type_json
-- area: types
-- title: json columns
-- severity: info..medium, default low
-- effort: medium
-- group: check
-- params: small_bytes=1048576, large_bytes=1073741824, window_bytes=104857600, deprecation_patterns={deprecated_*,dropped_*}
-- grading: by the table's size with TOAST (partitions summed): info below small_bytes (1 MB: the
--   reparsing costs nothing yet), medium from large_bytes (1 GB), else low.
-- rationale: json stores the text as it came: every ->, ->> or json_* call parses the whole
--   document again, it has no equality operator (no DISTINCT, GROUP BY or UNION over it) and no
--   GIN indexing. jsonb stores it parsed: reads do not reparse, and GIN indexes serve @>, ? and
--   jsonpath. jsonb does not keep the text: key order, whitespace and duplicate keys (the last
--   one wins) are gone, and numbers are stored as numeric (1e2 reads back as 100), so keep json
--   where the exact text matters (a payload whose signature is checked later). Some valid json is
--   no valid jsonb (\u0000 in a string, a number beyond numeric's range): the cast fails on it,
--   and the fix stops before any change. json_* functions called on the column (in functions,
--   constraints, index expressions, application code) need their jsonb_* twins. The change
--   rewrites the table under an ACCESS EXCLUSIVE lock: below window_bytes (100 MB) it is one ALTER
--   COLUMN TYPE under lock_timeout, above it the expand-contract runbook of the other type checks
--   (new column, sync trigger, batched backfill, guarded swap keeping the old column as
--   deprecated_<name>, which still holds the original text until it is dropped).
--
-- Finds columns of type json, and json[] (its elements are reparsed just the same; it becomes
-- jsonb[] by the same element-wise cast), on tables, partitions left out (the ALTER on the root
-- reaches them). Domains over json are left out, and so are columns named by a deprecation
-- pattern ($4: the old column a swap keeps as deprecated_<name> awaits its drop). Evidence: the
-- table's size_bytes and row_estimate, dependent_views (views, materialized views, rules reading
-- the column), blocking (generated columns and policies over it), column_used_by (indexes,
-- constraints, a default, NOT NULL), partition_key. PostgreSQL refuses the ALTER under views,
-- generated columns, policies and a partition key: in a partition key the reason only; under the
-- others, below window_bytes the reason only, above it the runbook without its swap. Params: $1
-- small_bytes, $2 large_bytes, $3 window_bytes. Returns the fixed finding aliases (queries/README.md).
select n.nspname as schema_name,
       t.relname as table_name,
       format('%I.%I.%I', n.nspname, t.relname, a.attname) as object,
       'column' as object_type,
       case when sz.size_bytes >= $2::bigint then 'medium' when sz.size_bytes < $1::bigint then 'info' else 'low' end as severity,
       format('column %I.%I.%I is %s: every read parses the text again, and it has no equality or GIN indexing%s; use %s unless the exact text is needed (%s rows, %s)',
              n.nspname, t.relname, a.attname, format_type(a.atttypid, a.atttypmod),
              -- Harbor's task.extra_attrs: a GIN index through a cast to jsonb, which the message denied
              case when xi.names is not null
                   then format(' of its own (%s %s it through an expression)', xi.names,
                               case when strpos(xi.names, ', ') > 0 then 'index' else 'indexes' end) else '' end,
              tc.new_type, sz.row_estimate, pg_catalog.pg_size_pretty(sz.size_bytes))
         || case when pk.is_key then format('; it is in the partition key of %I.%I, whose type PostgreSQL refuses to change', n.nspname, t.relname)
                 when rd.names is not null or bl.names is not null
                   then format('; %s %s it: the change needs %s dropped and recreated around it', concat_ws(', ', rd.names, bl.names),
                               w.use, w.them)
                 else '' end as message,
       json_build_object('column_type', format_type(a.atttypid, a.atttypmod), 'size_bytes', sz.size_bytes,
                         'row_estimate', sz.row_estimate, 'dependent_views', rd.names, 'column_used_by', us.names,
                         'blocking', bl.names, 'partition_key', pk.is_key) as evidence,
       case
       when pk.is_key then concat_ws(E'\n',
         '-- not printed: PostgreSQL refuses to change the type of a column in a partition key. To change it, create',
         '-- a new partitioned table with the new type and a key over it, copy the partitions into it, and swap the',
         '-- names in one short transaction.')
       when a.attgenerated <> '' then concat_ws(E'\n',
         '-- not printed: a generated column takes the type without USING (its expression''s json becomes jsonb as',
         '-- each row is computed); a stored one''s table is rewritten under an ACCESS EXCLUSIVE lock, a virtual one''s not:',
         format('-- alter table %I.%I alter column %I type %s;', n.nspname, t.relname, a.attname, tc.new_type))
       when sz.size_bytes < $3::bigint and (rd.names is not null or bl.names is not null) then
         regexp_replace(format('-- not printed: %s %s the column, and PostgreSQL refuses to change its type under %s; drop %s '
                               '(and what reads %s), then run: alter table %I.%I alter column %I type %s using %I::%s; then recreate '
                               '%s over jsonb as they were',
                               concat_ws(', ', rd.names, bl.names), w.use, w.them, w.them, w.them,
                               n.nspname, t.relname, a.attname, tc.new_type, a.attname, tc.new_type, w.them),
                        '[\r\n]+', E'\n-- ', 'g')
       else concat_ws(E'\n',
         '-- jsonb keeps no key order, whitespace or duplicate keys: keep json where the exact text matters',
         case when sz.size_bytes < $3::bigint then 'set lock_timeout = ''5s'';' end,
         case when sz.size_bytes < $3::bigint
              then '-- 0. stops here, before any change, when a value is not valid jsonb'
              else '-- 0. stops here, before any change, when a value is not valid jsonb (from step 1 on, the sync trigger refuses a write of such a value; the undo drops it)' end,
         format(E'do $$\nbegin\n  perform count(%I::%s) from %I.%I;\n'
                'exception when data_exception or program_limit_exceeded then\n'
                '  raise exception ''%% holds a value that is not valid jsonb (%%): nothing was changed; correct those rows first (%%)'', %L, sqlerrm, %L;\n'
                'end $$;',
                a.attname, tc.new_type, n.nspname, t.relname,
                format('%I.%I.%I', n.nspname, t.relname, a.attname),
                format('a NUL escape in a string: select ctid from %I.%I where strpos(%I::text, chr(92) || %L) > 0', n.nspname, t.relname, a.attname, 'u0000')),
         case when sz.size_bytes < $3::bigint then concat_ws(E'\n',
           format('-- rewrites the table (%s) and its indexes under an ACCESS EXCLUSIVE lock: short at this size', pg_catalog.pg_size_pretty(sz.size_bytes)),
           case when xi.names is not null then
             regexp_replace(format('-- the expressions of %s over it are rewritten for jsonb (the undo makes them again as they were)', xi.names),
                            '[\r\n]+', E'\n-- ', 'g') end,
           format('alter table %I.%I alter column %I type %s using %I::%s%s;', n.nspname, t.relname, a.attname, tc.new_type, a.attname,
                  tc.new_type, case when df.jsonb_default is not null then format(', alter column %I set default %s', a.attname, df.jsonb_default) end))
         else ec.remediation end)
       end as remediation,
       case
       when pk.is_key or a.attgenerated <> '' or (sz.size_bytes < $3::bigint and (rd.names is not null or bl.names is not null))
         then '-- nothing to undo: the fix changes nothing'
       when sz.size_bytes < $3::bigint then concat_ws(E'\n',
         '-- back to json (a rewrite again): the values come back as jsonb prints them; the original key order, whitespace',
         '-- and duplicate keys are only in a backup taken before the change',
         'set lock_timeout = ''5s'';',
         case when xi.names is not null then concat_ws(E'\n',
           regexp_replace(format('-- in one transaction: %s, whose expressions the fix rewrote for jsonb, dropped and made again as they were', xi.names),
                          '[\r\n]+', E'\n-- ', 'g'),
           'begin;', xi.drops) end,
         format('alter table %I.%I alter column %I type %s using %I::%s%s;', n.nspname, t.relname, a.attname,
                format_type(a.atttypid, a.atttypmod), a.attname, format_type(a.atttypid, a.atttypmod),
                case when df.jsonb_default is not null then format(', alter column %I set default %s', a.attname, df.json_default) end),
         case when xi.names is not null then concat_ws(E'\n', xi.creates, 'commit;') end)
       else ec.undo
       end as undo,
       format('%I.%I.%I', n.nspname, t.relname, a.attname) as identity
from pg_catalog.pg_attribute a
join pg_catalog.pg_class t on t.oid = a.attrelid
join pg_catalog.pg_namespace n on n.oid = t.relnamespace
cross join lateral (select case when a.atttypid = 'json'::regtype then 'jsonb' else 'jsonb[]' end as new_type, 'jsonb' as suffix) tc
-- the table's size with TOAST and its estimated rows, a partitioned table's summed over its partitions
cross join lateral (
  select coalesce(sum(pg_catalog.pg_table_size(p.relid)), 0)::bigint as size_bytes,
         coalesce(sum(greatest(c.reltuples, 0)), 0)::bigint as row_estimate
  from (select t.oid as relid where t.relkind = 'r'
        union all
        select p.relid from pg_catalog.pg_partition_tree(t.oid) p where p.isleaf) p
  join pg_catalog.pg_class c on c.oid = p.relid) sz
-- in the partition key of the table or of a partitioned partition, as a column or in an expression
-- (PostgreSQL 12+ records both as the column's internal dependency on its own table)
cross join lateral (
  select exists (select from pg_catalog.pg_partition_tree(t.oid) p
                 join pg_catalog.pg_partitioned_table pt on pt.partrelid = p.relid
                 join pg_catalog.pg_attribute pa on pa.attrelid = p.relid and pa.attname = a.attname
                 where pa.attnum = any (pt.partattrs::int2[])
                    or exists (select from pg_catalog.pg_depend d
                               where d.classid = 'pg_catalog.pg_class'::regclass and d.objid = p.relid and d.objsubid = pa.attnum
                                 and d.refclassid = 'pg_catalog.pg_class'::regclass and d.refobjid = p.relid
                                 and d.refobjsubid = 0 and d.deptype = 'i')) as is_key) pk
-- what else PostgreSQL refuses to change the column's type under: generated columns, policies and triggers over it
cross join lateral (
  select string_agg(x.name, ', ' order by x.name) as names
  from (select format('generated column %I', g.attname) as name
        from pg_catalog.pg_depend d
        join pg_catalog.pg_attrdef ad on ad.oid = d.objid
        join pg_catalog.pg_attribute g on g.attrelid = ad.adrelid and g.attnum = ad.adnum
        where d.classid = 'pg_catalog.pg_attrdef'::regclass and d.refclassid = 'pg_catalog.pg_class'::regclass
          and d.refobjid = t.oid and d.refobjsubid = a.attnum and g.attgenerated <> '' and g.attnum <> a.attnum
        union all
        -- PostgreSQL 13 and 14 record a generated column's dependency from the column itself
        select format('generated column %I', g.attname)
        from pg_catalog.pg_depend d
        join pg_catalog.pg_attribute g on g.attrelid = d.objid and g.attnum = d.objsubid
        where d.classid = 'pg_catalog.pg_class'::regclass and d.objid = t.oid and d.objsubid > 0
          and d.refclassid = 'pg_catalog.pg_class'::regclass and d.refobjid = t.oid and d.refobjsubid = a.attnum
          and d.deptype = 'a' and g.attgenerated <> ''
        union all
        -- a policy over it, a trigger whose UPDATE OF list or WHEN clause names it
        select pg_catalog.pg_describe_object(d.classid, d.objid, d.objsubid)
        from pg_catalog.pg_depend d
        where d.classid in ('pg_catalog.pg_policy'::regclass, 'pg_catalog.pg_trigger'::regclass)
          and d.refclassid = 'pg_catalog.pg_class'::regclass
          and d.refobjid = t.oid and d.refobjsubid = a.attnum) x) bl
-- include: expand_contract_column
-- the indexes with an expression or a predicate over the column (not a constraint's): the ALTER
-- rewrites their expressions for jsonb (Harbor's gin (((extra_attrs)::jsonb -> 'report_uuids'))
-- becomes gin ((extra_attrs -> 'report_uuids'))), which the ALTER back to json cannot build again
-- (json has no GIN operator class): the undo drops them first and makes them again from their
-- definitions as the audit read them
cross join lateral (
  select string_agg(format('%I.%I', n.nspname, i.relname), ', ' order by i.relname) as names,
         string_agg(format('drop index if exists %I.%I;', n.nspname, i.relname), E'\n' order by i.relname) as drops,
         string_agg(pg_catalog.pg_get_indexdef(i.oid) || ';', E'\n' order by i.relname) as creates
  from pg_catalog.pg_index x
  join pg_catalog.pg_class i on i.oid = x.indexrelid
  where x.indrelid = t.oid and (x.indexprs is not null or x.indpred is not null)
    and not i.relispartition
    and exists (select from pg_catalog.pg_depend d
                where d.classid = 'pg_catalog.pg_class'::regclass and d.objid = x.indexrelid
                  and d.refclassid = 'pg_catalog.pg_class'::regclass and d.refobjid = t.oid and d.refobjsubid = a.attnum)
    and not exists (select from pg_catalog.pg_constraint k where k.conindid = x.indexrelid)) xi
-- a constant default ('{}'::json) is given as jsonb in the same ALTER, and back in the undo: the
-- ALTER keeps it typed json on the jsonb column, cast at every insert (Concourse's builds.public_plan)
cross join lateral (select t.oid as relid, a.attnum) dc
-- include: constant_default
cross join lateral (
  select cdf.expr as json_default,
         case when cdf.expr ~ '^''([^'']|'''')*''::json(\[\])?$' then regexp_replace(cdf.expr, '::json(\[\])?$', '::jsonb\1') end as jsonb_default) df
-- the words that agree with the names of what blocks the change: one uses it, several use them
cross join lateral (select case when strpos(concat_ws(', ', rd.names, bl.names), ', ') > 0 then 'use' else 'uses' end as use,
                           case when strpos(concat_ws(', ', rd.names, bl.names), ', ') > 0 then 'them' else 'it' end as them) w
where a.atttypid in ('json'::regtype, '_json'::regtype)
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
  and not exists (select from unnest($4::text[]) p
                  where a.attname ~ ('^' || replace(replace(regexp_replace(p, '([^[:alnum:]_*?])', '\\\1', 'g'), '*', '.*'), '?', '.') || '$'))
order by n.nspname, t.relname, a.attnum
