-- id: int_overflow
-- category: int_overflow
-- area: limits
-- title: Integer columns close to their type's limit
-- severity: info..critical, default medium
-- effort: medium
-- cost: high
-- params: medium_pct=50, high_pct=75, critical_pct=90, exact_read_pct=25, read_scanned_within_days=7
-- input: sequence_values
-- grading: by how close the values are to the type's limit: critical from critical_pct, high from
--   high_pct, else medium; low when the largest value is the column's constant default (a
--   sentinel or a bit mask every row takes: no insert pushes it further); info, with the move as
--   advice, when ANALYZE saw its values reach as far below zero as medium_pct of the limit too (a
--   signed measure spread over its domain, such as OpenStreetMap's longitudes in 1e-7 degrees at
--   84% of the limit, or Lemmy's random smallint sort key: not a count that inserts push up).
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
-- pg_stats upper bound already reaches `exact_read_pct` percent, whose leading btree indexes
-- were all scanned within `read_scanned_within_days` days (the server counts the audit's read as
-- a scan: it must not make an unused index look used), and that the auditing role may read;
-- other columns use the pg_stats upper bound, labelled as an estimate, with the reason an
-- indexed one was not read (evidence.exact_read_skipped). Foreign key columns inherit the risk of the key they
-- reference (sequence-fed keys included) and are reported with the parent's usage. Returns the
-- fixed finding aliases (queries/README.md).
with sequence_values as materialized (
  -- every sequence's last value by oid (the input sequence_values, queries/inputs/, read once per
  -- audit), built once and looked up by key through a scalar subquery: a join to its rows, which
  -- the planner estimates at 100, became a nested loop over all of them for every sequence, and a
  -- join to this one row copied it into a hash table once per schema
  select jsonb_object_agg(v.seqrelid, v.last_value) as by_oid
  from jsonb_to_recordset($6::jsonb) as v(seqrelid oid, last_value bigint)
),
-- every integer column's pg_stats upper bound by "relid.attnum", built once and looked up by key in
-- cols (as sequence_values is); pg_stats rows find their column by name through the catalog's name
-- indexes. A join of pg_stats to cols by names, estimated at one row, could become a nested loop
-- over all of them for every column. Only rows of avg_width 2 or 4 are read: ANALYZE records a
-- fixed-width type's length as its avg_width, and this filter on pg_statistic's own column runs
-- before the view's joins and per-column privilege test (which took every column's statistics)
stats as materialized (
  select jsonb_object_agg(t.oid::text || '.' || a.attnum::text,
         -- the case keeps the casts on integer columns only, whatever the plan
         case when a.atttypid in ('int2'::regtype, 'int4'::regtype) then
           -- histogram bounds are sorted: the last one is the largest
           greatest((s.histogram_bounds::text::bigint[])[cardinality(s.histogram_bounds::text::bigint[])],
                    (select max(v) from unnest(s.most_common_vals::text::bigint[]) v)) end) as by_column
  from pg_catalog.pg_stats s
  join pg_catalog.pg_namespace n on n.nspname = s.schemaname
  join pg_catalog.pg_class t on t.relnamespace = n.oid and t.relname = s.tablename
  join pg_catalog.pg_attribute a on a.attrelid = t.oid and a.attname = s.attname
  where s.avg_width in (2, 4)
    and s.schemaname not in ('pg_catalog', 'information_schema')
    and s.inherited = (t.relkind = 'p')
    and a.atttypid in ('int2'::regtype, 'int4'::regtype)
),
cols as (
  select t.oid as relid, t.relkind, n.nspname, t.relname, a.attnum, a.attname, a.atttypid,
         case a.atttypid when 'int2'::regtype then 32767 else 2147483647 end as type_max,
         ((select st.by_column from stats st) ->> (t.oid::text || '.' || a.attnum::text))::bigint as upper_bound
  from pg_catalog.pg_class t
  join pg_catalog.pg_namespace n on n.oid = t.relnamespace
  join pg_catalog.pg_attribute a on a.attrelid = t.oid and a.attnum > 0 and not a.attisdropped
  where t.relkind in ('r', 'p')
    and not t.relispartition
    and a.atttypid in ('int2'::regtype, 'int4'::regtype)
    -- the old column of this tool's expand-contract move: writers no longer fill it
    and a.attname not like 'deprecated\_%'
    and n.nspname not in ('pg_catalog', 'information_schema')
    and n.nspname !~ '^pg_(toast|temp_)'
    -- extension members (deptype 'e' always references pg_extension) as one hashed list read
    -- through pg_depend's reference index: a not exists probed the depender index once per column
    and t.oid not in (
      -- include: extension_relations
    )
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
measured as (
  select c.*, q.value, q.source, e.exact_read_skipped
  from cols c
  left join seq_fed f on f.relid = c.relid and f.attnum = c.attnum
  cross join lateral (
    -- the leading btree indexes are looked up (by indrelid) only for the columns whose upper bound
    -- is high enough: joining every index of the database cost more than the rest of the check.
    -- max() reads through one of them, and the server counts that read as the index's scan (and,
    -- on 16+, its last scan): read only when each of them was scanned within
    -- read_scanned_within_days anyway, so that the audit never makes an unused or dormant index
    -- look used (unused_index's verdict, at the next audit)
    select ix.all_scanned and pg_catalog.has_column_privilege(c.relid, c.attnum, 'select') as exact,
           case when not ix.indexed then null
                when not ix.all_scanned
                  then format('an index on the column was not scanned in the last %s day(s), and reading through it would count as its scan', $5::int)
                when not pg_catalog.has_column_privilege(c.relid, c.attnum, 'select')
                  then 'the auditing role may not read the column' end as exact_read_skipped
    from (select count(*) > 0 as indexed,
                 coalesce(bool_and(pg_catalog.pg_stat_get_numscans(x.indexrelid) > 0
                                   and coalesce((select (pg_catalog.to_jsonb(s) ->> 'last_idx_scan')::timestamptz
                                                 from pg_catalog.pg_stat_all_indexes s where s.indexrelid = x.indexrelid)
                                                >= pg_catalog.now() - pg_catalog.make_interval(days => $5::int), true)),
                          false) as all_scanned
          from pg_catalog.pg_index x
          join pg_catalog.pg_class i on i.oid = x.indexrelid
          join pg_catalog.pg_am am on am.oid = i.relam
          where c.upper_bound >= c.type_max * $4::numeric / 100 and f.relid is null
            and x.indrelid = c.relid and x.indkey[0] = c.attnum and x.indisvalid
            and am.amname = 'btree' and x.indpred is null) ix
  ) e
  cross join lateral (
    select case when f.relid is not null then f.last_value
                when e.exact then
                  ((xpath('/row/m/text()',
                          pg_catalog.query_to_xml(format('select max(%I) as m from %I.%I', c.attname, c.nspname, c.relname),
                                                  false, true, '')))[1])::text::bigint
                else c.upper_bound end as value,
           case when f.relid is not null then 'sequence'
                when e.exact then 'max() via index'
                else 'pg_stats upper bound (estimate)' end as source
  ) q
),
risks as (
  -- the column's own values (sequence-fed columns are sequence_overflow's)
  select m.relid, m.nspname, m.relname, m.attnum, m.attname, m.atttypid, m.type_max, m.value, m.source, m.exact_read_skipped,
         null::text as referenced
  from measured m
  where m.source <> 'sequence' and m.value is not null
  union all
  -- foreign key columns inherit the values of the key they reference
  select c.relid, c.nspname, c.relname, c.attnum, c.attname, c.atttypid, c.type_max, p.value, p.source, p.exact_read_skipped,
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
       case when sm.signed_measure and not dv.is_default then 'info'
            when dv.is_default then 'low'
            when w.usage_pct >= $3::numeric then 'critical'
            when w.usage_pct >= $2::numeric then 'high' end as severity,
       format('column %I.%I.%I (%s) %s at %s%% of the type''s limit %s (%s%s)',
              w.nspname, w.relname, w.attname, w.column_type,
              case when w.referenced is null then 'is' else format('references %s, whose values are', w.referenced) end,
              w.usage_pct, w.type_max,
              case when w.source like '%estimate%' then 'estimated from ' else 'from ' end,
              replace(w.source, ' (estimate)', ''))
       || case when dv.is_default then ': inserts fail once values pass it; widen it to bigint; but that value is the column''s default, a constant each new row takes (a sentinel or a bit mask): inserts do not push it further'
               when sm.signed_measure then format(', but its values reach %s too, as far below zero: a signed measure spread over its domain (a coordinate, an offset, a random number), which inserts do not push further; nothing to widen unless the domain grows', sm.lowest)
               else ': inserts fail once values pass it; widen it to bigint' end
       || case when rd.names is not null then format('; %s read it: the swap needs them dropped and recreated over the new column', rd.names) else '' end as message,
       json_build_object('dependent_views', rd.names, 'column_used_by', us.names, 'max_value', w.value, 'type_max', w.type_max, 'usage_pct', w.usage_pct,
                         'source', w.source, 'estimate', w.source like '%estimate%', 'exact_read_skipped', w.exact_read_skipped,
                         'column_type', w.column_type, 'referenced', w.referenced,
                         'max_is_default', dv.is_default, 'min_estimate', sm.lowest) as evidence,
       -- a signed measure: the move as advice, for a domain that grows (Lemmy's random sort key)
       case when sm.signed_measure and not dv.is_default
            then '-- nothing to run: inserts do not push these values further. Should the domain grow, the move to bigint would be:'
                 || E'\n' || regexp_replace(ec.remediation, '^(?!--)|(\n)(?!--)', '\1-- ', 'g')
            else ec.remediation end as remediation,
       case when sm.signed_measure and not dv.is_default then '-- nothing to undo: the advice runs nothing' else ec.undo end as undo,
       format('%I.%I.%I', w.nspname, w.relname, w.attname) as identity
from worst w
join pg_catalog.pg_class t on t.oid = w.relid
join pg_catalog.pg_namespace n on n.oid = t.relnamespace
join pg_catalog.pg_attribute a on a.attrelid = w.relid and a.attnum = w.attnum
-- the column's own largest value is its constant default: every row takes it, no count grows
cross join lateral (
  select coalesce((select (regexp_match(pg_catalog.pg_get_expr(d.adbin, d.adrelid), '^\(?(-?[0-9]+)\)?$'))[1]::bigint = w.value
                   from pg_catalog.pg_attrdef d
                   where d.adrelid = w.relid and d.adnum = w.attnum and w.referenced is null), false) as is_default
) dv
-- the column's own lowest value as ANALYZE saw it (a histogram's first bound, the most common
-- values' least): far below zero too, the values are a signed measure spread over a domain
cross join lateral (
  select lo.lowest, coalesce(lo.lowest <= -w.type_max * $1::numeric / 100, false) as signed_measure
  from (select case when w.referenced is null then
                 (select least((s.histogram_bounds::text::bigint[])[1],
                               (select min(v) from unnest(s.most_common_vals::text::bigint[]) v))
                  from pg_catalog.pg_stats s
                  where s.schemaname = w.nspname and s.tablename = w.relname and s.attname = w.attname
                    and s.inherited = (t.relkind = 'p'))
               end as lowest) lo
) sm
cross join lateral (select 'bigint' as new_type, 'bigint' as suffix) tc
-- include: expand_contract_column
where w.usage_pct >= $1::numeric
order by w.usage_pct desc, w.nspname, w.relname, w.attname
