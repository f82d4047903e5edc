-- id: int_overflow
-- category: int_overflow
-- area: limits
-- title: Integer columns close to their type's limit
-- severity: medium..critical
-- effort: medium
-- cost: high
-- params: medium_pct=50, high_pct=75, critical_pct=90, exact_read_pct=25
-- input: sequence_values
-- grading: by how close the values are to the type's limit: critical from critical_pct, high from
--   high_pct, else medium.
-- rationale: A smallint or integer column whose values approach 32,767 or 2,147,483,647 makes
--   inserts fail once the next value does not fit, and a foreign key column is only as wide as
--   the key it references. Widen the column to bigint by expand-contract (add a bigint column,
--   keep it in sync with a trigger, backfill in batches, swap in one short transaction), not
--   by ALTER COLUMN TYPE in place, which rewrites the table under an ACCESS EXCLUSIVE lock.
--
-- Finds int2/int4 columns (other than those fed by an owned sequence, which sequence_overflow
-- covers) whose current maximum is at least `medium_pct` percent of the type's limit (high from
-- `high_pct`, critical from `critical_pct`). The maximum is read exactly (max() through the
-- leading btree index, via query_to_xml in this one statement) only for indexed columns whose
-- pg_stats upper bound already reaches `exact_read_pct` percent (and that the auditing role may
-- read); other columns use the pg_stats upper bound, labelled as an estimate. Foreign key columns inherit the risk of the key they
-- reference (sequence-fed keys included) and are reported with the parent's usage. Returns the
-- fixed finding aliases (queries/README.md).
with sequence_values as materialized (
  -- every sequence's last value by oid (the input sequence_values, queries/inputs/, read once per
  -- audit), built once and looked up by key through a scalar subquery: a join to its rows, which
  -- the planner estimates at 100, became a nested loop over all of them for every sequence, and a
  -- join to this one row copied it into a hash table once per schema
  select jsonb_object_agg(v.seqrelid, v.last_value) as by_oid
  from jsonb_to_recordset($5::jsonb) as v(seqrelid oid, last_value bigint)
),
readers as materialized (
  -- the views, materialized views and rules that read a column: they keep reading the old
  -- column after the renames of the swap, and block its drop, so the swap needs them dropped
  -- and recreated over the new column in its transaction
  select d.refobjid as relid, d.refobjsubid as attnum,
         string_agg(distinct format('%s %I.%I', case when r.ev_class = d.refobjid then 'rule ' || r.rulename || ' on'
                                                      when v.relkind = 'm' then 'materialized view' else 'view' end,
                                    vn.nspname, v.relname), ', ') as names
  from pg_catalog.pg_depend d
  join pg_catalog.pg_rewrite r on r.oid = d.objid
  join pg_catalog.pg_class v on v.oid = r.ev_class
  join pg_catalog.pg_namespace vn on vn.oid = v.relnamespace
  where d.classid = 'pg_catalog.pg_rewrite'::regclass and d.refclassid = 'pg_catalog.pg_class'::regclass
    and d.refobjsubid > 0
  group by d.refobjid, d.refobjsubid
),
cols as (
  select t.oid as relid, t.relkind, n.nspname, t.relname, a.attnum, a.attname, a.atttypid,
         case a.atttypid when 'int2'::regtype then 32767 else 2147483647 end as type_max
  from pg_catalog.pg_class t
  join pg_catalog.pg_namespace n on n.oid = t.relnamespace
  join pg_catalog.pg_attribute a on a.attrelid = t.oid and a.attnum > 0 and not a.attisdropped
  where t.relkind in ('r', 'p')
    and not t.relispartition
    and a.atttypid in ('int2'::regtype, 'int4'::regtype)
    and n.nspname not in ('pg_catalog', 'information_schema')
    and n.nspname !~ '^pg_(toast|temp_)'
    and not exists (select 1 from pg_catalog.pg_depend e
                    where e.classid = 'pg_catalog.pg_class'::regclass and e.objid = t.oid and e.deptype = 'e')
),
seq_fed as materialized (
  -- materialized, as it was while it read the sequences itself (a volatile CTE is never
  -- inlined): inlined into its one reader, it left the planner a nested loop that took minutes
  -- over 3,000 freshly created tables whose catalog statistics were stale
  select d.refobjid as relid, d.refobjsubid as attnum, ((select v.by_oid from sequence_values v) ->> s.seqrelid::text)::bigint as last_value
  from pg_catalog.pg_depend d
  join pg_catalog.pg_sequence s on s.seqrelid = d.objid
  join cols c on c.relid = d.refobjid and c.attnum = d.refobjsubid
  where d.classid = 'pg_catalog.pg_class'::regclass and d.refclassid = 'pg_catalog.pg_class'::regclass
    and d.deptype in ('a', 'i')
),
lead_index as (
  select distinct x.indrelid as relid, x.indkey[0] as attnum
  from pg_catalog.pg_index x
  join pg_catalog.pg_class i on i.oid = x.indexrelid
  join pg_catalog.pg_am am on am.oid = i.relam
  where am.amname = 'btree' and x.indpred is null and x.indkey[0] > 0
),
stats as (
  select c.relid, c.attnum,
         -- the case references both sides so that the casts run after the join, on integer columns only
         case when c.atttypid in ('int2'::regtype, 'int4'::regtype) then
           -- histogram bounds are sorted: the last one is the largest
           greatest((s.histogram_bounds::text::bigint[])[cardinality(s.histogram_bounds::text::bigint[])],
                    (select max(v) from unnest(s.most_common_vals::text::bigint[]) v)) end as upper_bound
  from pg_catalog.pg_stats s
  join cols c on c.nspname = s.schemaname and c.relname = s.tablename and c.attname = s.attname
  where s.inherited = (c.relkind = 'p')
),
measured as (
  select c.*, q.value, q.source
  from cols c
  left join seq_fed f on f.relid = c.relid and f.attnum = c.attnum
  left join lead_index l on l.relid = c.relid and l.attnum = c.attnum
  left join stats s on s.relid = c.relid and s.attnum = c.attnum
  cross join lateral (
    select l.relid is not null and s.upper_bound >= c.type_max * $4::numeric / 100
           and pg_catalog.has_column_privilege(c.relid, c.attnum, 'select') as exact
  ) e
  cross join lateral (
    select case when f.relid is not null then f.last_value
                when e.exact then
                  ((xpath('/row/m/text()',
                          pg_catalog.query_to_xml(format('select max(%I) as m from %I.%I', c.attname, c.nspname, c.relname),
                                                  false, true, '')))[1])::text::bigint
                else s.upper_bound end as value,
           case when f.relid is not null then 'sequence'
                when e.exact then 'max() via index'
                else 'pg_stats upper bound (estimate)' end as source
  ) q
),
risks as (
  -- the column's own values (sequence-fed columns are sequence_overflow's)
  select m.relid, m.nspname, m.relname, m.attnum, m.attname, m.atttypid, m.type_max, m.value, m.source,
         null::text as referenced
  from measured m
  where m.source <> 'sequence' and m.value is not null
  union all
  -- foreign key columns inherit the values of the key they reference
  select c.relid, c.nspname, c.relname, c.attnum, c.attname, c.atttypid, c.type_max, p.value, p.source,
         format('%I.%I.%I', p.nspname, p.relname, p.attname)
  from pg_catalog.pg_constraint k
  cross join lateral unnest(k.conkey, k.confkey) as pair(child_attnum, parent_attnum)
  join cols c on c.relid = k.conrelid and c.attnum = pair.child_attnum
  join measured p on p.relid = k.confrelid and p.attnum = pair.parent_attnum
  where k.contype = 'f' and p.value is not null
),
worst as (
  select distinct on (r.relid, r.attnum) r.*, round(100.0 * r.value / r.type_max, 2) as usage_pct,
         format_type(r.atttypid, null) as column_type
  from risks r
  order by r.relid, r.attnum, r.value desc, r.referenced nulls first
)
select w.nspname as schema_name,
       w.relname as table_name,
       format('%I.%I.%I', w.nspname, w.relname, w.attname) as object,
       'column' as object_type,
       case when w.usage_pct >= $3::numeric then 'critical'
            when w.usage_pct >= $2::numeric then 'high' end as severity,
       format('column %s.%s.%s (%s) %s at %s%% of the type''s limit %s (%s%s): inserts fail once values pass it; widen it to bigint',
              w.nspname, w.relname, w.attname, w.column_type,
              case when w.referenced is null then 'is' else format('references %s, whose values are', w.referenced) end,
              w.usage_pct, w.type_max,
              case when w.source like '%estimate%' then 'estimated from ' else 'from ' end,
              replace(w.source, ' (estimate)', '')) || case when rd.names is not null then format('; %s read it: the swap needs them dropped and recreated over the new column', rd.names) else '' end as message,
       json_build_object('dependent_views', rd.names, 'column_used_by', us.names, 'max_value', w.value, 'type_max', w.type_max, 'usage_pct', w.usage_pct,
                         'source', w.source, 'estimate', w.source like '%estimate%',
                         'column_type', w.column_type, 'referenced', w.referenced) as evidence,
       concat_ws(E'\n',
         case when rd.names is not null then regexp_replace(format('-- %s read the column: in the swap''s transaction, drop them first and recreate them after the renames (definitions from pg_get_viewdef; materialized views refilled)', rd.names), '[\r\n]+', E'\n-- ', 'g') end,
         regexp_replace(format('-- widen %I to bigint by expand-contract, not alter column type (a table rewrite under an exclusive lock):', w.attname), '[\r\n]+', E'\n-- ', 'g'),
         'set lock_timeout = ''5s'';',
         '-- 1. the new column, kept in sync by a trigger while the backfill runs',
         format('alter table %I.%I add column if not exists %I bigint;', w.nspname, w.relname, w.attname || '_bigint'),
         format(E'create or replace function %I.%I() returns trigger language plpgsql as $$\nbegin\n  new.%I := new.%I::bigint;\n  return new;\nend $$;',
                w.nspname, nm.sync_name, w.attname || '_bigint', w.attname),
         (select case when strpos(tr.body, '$$') = 0 then format(E'do $$\n%s\n$$;', tr.body) else format('do %L;', tr.body) end
                 from (select format(E'begin\n  if not exists (select from pg_catalog.pg_trigger where tgrelid = %L::regclass and tgname = %L) then\n    %s;\n  end if;\nend', format('%I.%I', w.nspname, w.relname), nm.sync_name,
                              format('create trigger %I before insert or update on %I.%I for each row execute function %I.%I()', nm.sync_name, w.nspname, w.relname, w.nspname, nm.sync_name)) as body) tr),
         '-- 2. backfill in batches; repeat until it updates no row:',
         format('update %I.%I set %I = %I::bigint where ctid = any (array(select ctid from %I.%I where %I is null and %I is not null limit 10000));',
                w.nspname, w.relname, w.attname || '_bigint', w.attname, w.nspname, w.relname, w.attname || '_bigint', w.attname),
         case when us.names is null then concat_ws(E'\n',
         '-- 3. the swap, only once no row differs and nothing else (index, constraint, default, NOT NULL, view) uses the old column',
           format(E'do $$\ndeclare\n  differing bigint;\n  users text;\nbegin\n'
                  '  select count(*) into differing from %I.%I where %I is distinct from %I::bigint;\n'
                  '  if differing > 0 then\n'
                  '    raise exception ''%%: %% rows differ from %%: run the backfill until it updates no row, then this step again'', %L, differing, %L;\n'
                  '  end if;\n'
                  '  select string_agg(u, '', '') into users from (\n'
                  '    select pg_catalog.pg_describe_object(d.classid, d.objid, d.objsubid) as u from pg_catalog.pg_depend d\n'
                  '    join pg_catalog.pg_attribute a on a.attrelid = d.refobjid and a.attnum = d.refobjsubid\n'
                  '    where d.refclassid = ''pg_catalog.pg_class''::regclass and d.refobjid = %L::regclass and a.attname = %L\n'
                  '      and d.deptype in (''n'', ''a'')\n'
                  '    union all\n'
                  '    select ''not null'' from pg_catalog.pg_attribute a where a.attrelid = %L::regclass and a.attname = %L and a.attnotnull) x;\n'
                  '  if users is not null then\n'
                  '    raise exception ''%% is still used by %%: move them to %% by hand, then run this step again'', %L, users, %L;\n'
                  '  end if;\n'
                  '  alter table %I.%I rename column %I to %I;\n'
                  '  alter table %I.%I rename column %I to %I;\n'
                  '  drop trigger if exists %I on %I.%I;\n'
                  '  drop function if exists %I.%I();\nend $$;',
                  w.nspname, w.relname, w.attname || '_bigint', w.attname,
                  format('%I.%I.%I', w.nspname, w.relname, w.attname || '_bigint'), format('%I.%I.%I', w.nspname, w.relname, w.attname),
                  format('%I.%I', w.nspname, w.relname), w.attname, format('%I.%I', w.nspname, w.relname), w.attname,
                  format('%I.%I.%I', w.nspname, w.relname, w.attname), w.attname || '_bigint',
                  w.nspname, w.relname, w.attname, nm.old_name,
                  w.nspname, w.relname, w.attname || '_bigint', w.attname,
                  nm.sync_name, w.nspname, w.relname, w.nspname, nm.sync_name))
         else regexp_replace(format('-- 3. the swap is not printed: %s still use %I; move them to %I by hand (indexes built concurrently, constraints NOT VALID then validated, the default, NOT NULL through a validated check, views recreated), then audit again', us.names, w.attname, w.attname || '_bigint'), '[\r\n]+', E'\n-- ', 'g')
         end,
         regexp_replace(format('-- 4. after the grace period, drop %I (its data cannot be brought back without a backup)', nm.old_name),
                        '[\r\n]+', E'\n-- ', 'g')) as remediation,
       concat_ws(E'\n',
         'set lock_timeout = ''5s'';',
         '-- before the swap: drop the trigger, its function and the new column (it only holds copies):',
         format('drop trigger if exists %I on %I.%I;', nm.sync_name, w.nspname, w.relname),
         format('drop function if exists %I.%I();', w.nspname, nm.sync_name),
         format('alter table %I.%I drop column if exists %I;', w.nspname, w.relname, w.attname || '_bigint'),
         regexp_replace(format('-- after it, in one transaction: alter table %I.%I rename column %I to %I; alter table %I.%I rename column %I to %I;',
                               w.nspname, w.relname, w.attname, w.attname || '_bigint', w.nspname, w.relname, nm.old_name, w.attname),
                        '[\r\n]+', E'\n-- ', 'g')) as undo,
       format('%I.%I.%I', w.nspname, w.relname, w.attname) as identity
from worst w
left join readers rd on rd.relid = w.relid and rd.attnum = w.attnum
-- what else uses the column and must move to the new one before the swap: indexes, constraints,
-- a default, views, NOT NULL
cross join lateral (
  select string_agg(u, ', ') as names
  from (select pg_catalog.pg_describe_object(d.classid, d.objid, d.objsubid) as u
        from pg_catalog.pg_depend d
        where d.refclassid = 'pg_catalog.pg_class'::regclass and d.refobjid = w.relid and d.refobjsubid = w.attnum
          and d.deptype in ('n', 'a')
        union all
        select 'not null' from pg_catalog.pg_attribute na
        where na.attrelid = w.relid and na.attnum = w.attnum and na.attnotnull) x) us
cross join lateral (select 'deprecated_' || w.attname as old_base, w.relname || '_' || w.attname || '_sync' as sync_base) b
cross join lateral (
  select case when octet_length(b.old_base) <= 63
               and not exists (select from pg_catalog.pg_attribute o where o.attrelid = w.relid and o.attname = b.old_base)
              then b.old_base
              else (select left(b.old_base, l) from generate_series(54, 1, -1) l where octet_length(left(b.old_base, l)) <= 54 limit 1)
                   || '_' || left(md5(b.old_base), 8) end as old_name,
         case when octet_length(b.sync_base) <= 63 then b.sync_base
              else (select left(b.sync_base, l) from generate_series(54, 1, -1) l where octet_length(left(b.sync_base, l)) <= 54 limit 1)
                   || '_' || left(md5(b.sync_base), 8) end as sync_name) nm
where w.usage_pct >= $1::numeric
order by w.usage_pct desc, w.nspname, w.relname, w.attname
