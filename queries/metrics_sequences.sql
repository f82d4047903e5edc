-- id: metrics_sequences
-- title: Sequence metrics
-- kind: metrics
-- input: sequence_values
-- rationale: How far each sequence has come towards the largest value its column can hold,
--   kept in the history so trends show how fast it gets there.
--
-- One pass over pg_sequence: last_value (from the input sequence_values, read once per audit
-- under ACCESS SHARE; null, and so no row, when the sequence was never used or the role
-- may not select from it), max_value (the limit the sequence runs
-- into: the smaller of its own MAXVALUE and the maximum of the type of the column that owns it,
-- serial or identity; for a descending sequence the larger of MINVALUE and the type's minimum)
-- and usage_pct (last_value / max_value x 100). Extension-owned sequences and system schemas
-- are left out. Object: schema.sequence. Columns: schema_name, object_type, object, metric, value.
with sequence_values as materialized (
  -- every sequence's last value by oid (the input sequence_values, queries/inputs/, read once per
  -- audit), built once and looked up by key through a scalar subquery: a join to its rows, which
  -- the planner estimates at 100, became a nested loop over all of them for every sequence, and a
  -- join to this one row copied it into a hash table once per schema
  select jsonb_object_agg(v.seqrelid, v.last_value) as by_oid
  from jsonb_to_recordset($1::jsonb) as v(seqrelid oid, last_value bigint)
),
seq as materialized (
  -- materialized, as it was while it read the sequences itself (a volatile CTE is never
  -- inlined): inlined into its one reader, it left the planner a nested loop that took minutes
  -- over 3,000 freshly created tables whose catalog statistics were stale
  select n.nspname, c.relname, s.seqincrement, ((select v.by_oid from sequence_values v) ->> s.seqrelid::text)::bigint as last_value,
         case when s.seqincrement > 0
              then least(s.seqmax, case a.atttypid when 'pg_catalog.int2'::regtype then 32767
                                                   when 'pg_catalog.int4'::regtype then 2147483647
                                                   else 9223372036854775807 end)
              else greatest(s.seqmin, case a.atttypid when 'pg_catalog.int2'::regtype then -32768
                                                      when 'pg_catalog.int4'::regtype then -2147483648
                                                      else -9223372036854775808 end)
         end as max_value
  from pg_catalog.pg_sequence s
  join pg_catalog.pg_class c on c.oid = s.seqrelid
  join pg_catalog.pg_namespace n on n.oid = c.relnamespace
  left join lateral (
    select a.atttypid
    from pg_catalog.pg_depend d
    join pg_catalog.pg_attribute a on a.attrelid = d.refobjid and a.attnum = d.refobjsubid
    where d.classid = 'pg_catalog.pg_class'::regclass and d.objid = c.oid
      and d.refclassid = 'pg_catalog.pg_class'::regclass and d.refobjsubid > 0 and d.deptype in ('a', 'i')
    limit 1
  ) a on true
  where n.nspname not in ('pg_catalog', 'information_schema')
    and n.nspname !~ '^pg_(toast|temp_)'
    and c.oid not in (
      -- include: extension_relations
    )
)
select s.nspname as schema_name,
       'sequence' as object_type,
       format('%I.%I', s.nspname, s.relname) as object,
       m.metric,
       m.value
from seq s
cross join lateral (values ('last_value', s.last_value::numeric),
                           ('max_value', s.max_value::numeric),
                           ('usage_pct', 100.0 * s.last_value / s.max_value)) m(metric, value)
order by 3, 4
