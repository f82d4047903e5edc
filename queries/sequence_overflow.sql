-- id: sequence_overflow
-- category: int_overflow
-- area: limits
-- title: Sequences close to the limit of their column
-- severity: medium..critical
-- effort: medium
-- params: medium_pct=50, high_pct=75, critical_pct=90
-- input: sequence_values
-- grading: by how close the sequence is to its limit: critical from critical_pct, high from
--   high_pct, else medium.
-- rationale: When a serial or identity sequence passes the maximum of the column that stores its
--   values, every INSERT fails. The limit that matters is the smaller of the sequence's own
--   maximum and the column type's (a bigint sequence feeding an integer column fails at
--   2,147,483,647). Widen the column to bigint by expand-contract (new column, batched backfill,
--   swap), never by ALTER COLUMN TYPE in place, which rewrites the table under an ACCESS
--   EXCLUSIVE lock; then let the sequence grow with ALTER SEQUENCE ... AS bigint.
--
-- Finds ascending sequences owned by a column (serial: pg_depend 'a'; identity: 'i') whose
-- last_value is at least `medium_pct` percent of min(sequence max, column type max); severity
-- high from `high_pct`, critical from `critical_pct`. Evidence: last_value, max_value,
-- usage_pct, the column and its type. A column narrower than bigint moves by the shared
-- expand-contract runbook (queries/lib/expand_contract_column.sql; a key's move by hand), then the
-- sequence is widened. Returns the fixed finding aliases (queries/README.md).
with sequence_values as materialized (
  -- every sequence's last value by oid (the input sequence_values, queries/inputs/, read once per
  -- audit), built once and looked up by key through a scalar subquery: a join to its rows, which
  -- the planner estimates at 100, became a nested loop over all of them for every sequence, and a
  -- join to this one row copied it into a hash table once per schema
  select jsonb_object_agg(v.seqrelid, v.last_value) as by_oid
  from jsonb_to_recordset($4::jsonb) as v(seqrelid oid, last_value bigint)
),
owned as materialized (
  -- materialized, as it was while it read the sequences itself (a volatile CTE is never
  -- inlined): inlined into its one reader, it left the planner a nested loop that took minutes
  -- over 3,000 freshly created tables whose catalog statistics were stale
  select s.seqrelid, sn.nspname as seq_schema, sc.relname as seq_name, s.seqtypid, s.seqmax,
         t.oid as relid, a.attnum, n.nspname, t.relname, a.attname, a.atttypid,
         m.max_value, v.last_value
  from pg_catalog.pg_sequence s
  cross join lateral (select ((select v.by_oid from sequence_values v) ->> s.seqrelid::text)::bigint as last_value) v
  join pg_catalog.pg_class sc on sc.oid = s.seqrelid
  join pg_catalog.pg_namespace sn on sn.oid = sc.relnamespace
  join pg_catalog.pg_depend d on d.classid = 'pg_catalog.pg_class'::regclass and d.objid = s.seqrelid
                             and d.refclassid = 'pg_catalog.pg_class'::regclass and d.deptype in ('a', 'i')
  join pg_catalog.pg_class t on t.oid = d.refobjid
  join pg_catalog.pg_namespace n on n.oid = t.relnamespace
  join pg_catalog.pg_attribute a on a.attrelid = t.oid and a.attnum = d.refobjsubid
  cross join lateral (
    select least(s.seqmax, case a.atttypid when 'int2'::regtype then 32767
                                           when 'int4'::regtype then 2147483647
                                           else 9223372036854775807 end) as max_value
  ) m
  where s.seqincrement > 0
    and a.atttypid in ('int2'::regtype, 'int4'::regtype, 'int8'::regtype)
    -- only the sequences at medium_pct or more (as usage computes it) go on: the names of the
    -- others cost a lookup each in four catalogs, for nothing. An ascending sequence whose
    -- maximum is 0 or less (MAXVALUE 0) has no way up to measure: left out, not divided by
    and v.last_value is not null
    and case when m.max_value > 0 then round(100.0 * v.last_value / m.max_value, 2) end >= $1::numeric
    and n.nspname not in ('pg_catalog', 'information_schema')
    and n.nspname !~ '^pg_(toast|temp_)'
    and not exists (select 1 from pg_catalog.pg_depend e
                    where e.classid = 'pg_catalog.pg_class'::regclass and e.objid = t.oid and e.deptype = 'e')
),
usage as (
  select o.*, round(100.0 * o.last_value / o.max_value, 2) as usage_pct,
         format_type(o.atttypid, null) as column_type
  from owned o
  where o.last_value is not null
)
select u.nspname as schema_name,
       u.relname as table_name,
       format('%I.%I', u.seq_schema, u.seq_name) as object,
       'sequence' as object_type,
       case when u.usage_pct >= $3::numeric then 'critical'
            when u.usage_pct >= $2::numeric then 'high' end as severity,
       format('sequence %I.%I feeding %I.%I.%I (%s) is at %s%% of its limit %s: inserts fail when it is reached',
              u.seq_schema, u.seq_name, u.nspname, u.relname, u.attname, u.column_type, u.usage_pct, u.max_value) || case when rd.names is not null then format('; %s read it: the swap needs them dropped and recreated over the new column', rd.names) else '' end as message,
       json_build_object('dependent_views', rd.names, 'last_value', u.last_value, 'max_value', u.max_value, 'usage_pct', u.usage_pct,
                         'sequence_max', u.seqmax, 'column', format('%I.%I.%I', u.nspname, u.relname, u.attname),
                         'column_type', u.column_type) as evidence,
       concat_ws(E'\n',
         -- a narrower column moves to bigint by the shared expand-contract runbook; its swap is
         -- printed when what uses the column can move with it (queries/lib/expand_contract_column.sql)
         case when u.atttypid <> 'int8'::regtype then ec.remediation else 'set lock_timeout = ''5s'';' end,
         case when u.seqtypid <> 'int8'::regtype or u.seqmax < 9223372036854775807 then
           '-- let the sequence grow past its current limit (after the swap when the column is narrower):' || E'\n' || format('alter sequence %I.%I as bigint maxvalue 9223372036854775807;', u.seq_schema, u.seq_name)
         end) as remediation,
       concat_ws(E'\n',
         case when u.atttypid <> 'int8'::regtype then ec.undo else 'set lock_timeout = ''5s'';' end,
         case when u.seqtypid <> 'int8'::regtype or u.seqmax < 9223372036854775807 then
           -- only while the column has its audit-time type: after the swap (the undo above refused)
           -- a narrower sequence would bring the overflow back on the bigint column
           (select case when strpos(b.body, '$$') = 0 then format(E'do $$\n%s\n$$;', b.body) else format('do %L;', b.body) end
            from (select format(E'begin\n'
                                '  if (select pg_catalog.format_type(c.atttypid, null) from pg_catalog.pg_attribute c\n'
                                '      where c.attrelid = %L::regclass and c.attname = %L and not c.attisdropped) is distinct from %L then\n'
                                '    raise notice ''%%: it is no longer %s (the swap has run): %% stays as it is until the column is swapped back'', %L, %L;\n'
                                '  else\n'
                                '    alter sequence %I.%I as %s maxvalue %s; -- fails once values went past the old limit\n'
                                '  end if;\nend',
                                format('%I.%I', u.nspname, u.relname), u.attname, u.column_type, u.column_type,
                                format('%I.%I.%I', u.nspname, u.relname, u.attname), format('%I.%I', u.seq_schema, u.seq_name),
                                u.seq_schema, u.seq_name, format_type(u.seqtypid, null), u.seqmax) as body) b) end) as undo,
       format('%I.%I', u.seq_schema, u.seq_name) as identity
from usage u
join pg_catalog.pg_class t on t.oid = u.relid
join pg_catalog.pg_namespace n on n.oid = t.relnamespace
join pg_catalog.pg_attribute a on a.attrelid = t.oid and a.attnum = u.attnum
cross join lateral (select 'bigint' as new_type, 'bigint' as suffix) tc
-- include: expand_contract_column
where u.usage_pct >= $1::numeric
order by u.usage_pct desc, u.seq_schema, u.seq_name
