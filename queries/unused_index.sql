-- id: unused_index
-- category: unused_index
-- area: indexes
-- title: Unused indexes
-- severity: info..high, default low
-- effort: low
-- trend: unused_index_size
-- params: min_size_bytes=8388608, high_size_bytes=1073741824, rare_scans=10, busy_writes_per_day=100000, last_scan_days=90
-- input: replica_usage
-- grading: by the index's size and its table's write rate: low, medium from min_size_bytes or
--   when the table takes busy_writes_per_day index writes a day (100,000 inserts and non-HOT
--   updates, each of which writes the index), high from high_size_bytes; info when the
--   confidence is low (no DROP is proposed).
-- rationale: An index that no query uses still slows every insert and every update of its
--   columns, adds WAL, and takes space and cache. Judge usage over a long enough window (the
--   counters since the last statistics reset, or their growth since the previous audit) before
--   dropping it, drop it concurrently, and keep its CREATE statement so the drop can be undone.
--
-- Candidates: valid, non-unique btree/other indexes that back no primary key, unique or
-- exclusion constraint, are not partition children or partitioned parents, support no foreign
-- key (their leading columns are its columns: a parent's delete needs them even if no query
-- scans them, and fk_without_index would ask for them back), and have no exact duplicate
-- (duplicate_index reports the pair instead; neither twin is called unused), nor a partial index
-- that only repeats NOT NULL beside its whole twin (redundant_predicate drops it). One row
-- per candidate, with its lifetime idx_scan: audit/checks/unused_index.cpp decides from the
-- growth since the previous audit when there is one (stats resets, stats age, rare use), else
-- from idx_scan = 0. The definition (pg_get_indexdef) is read only for never-scanned indexes.
-- size_bytes is relpages x block_size (as of the last CREATE INDEX, VACUUM or ANALYZE): exact
-- sizes would open every candidate index, and metrics_indexes reads them once per audit. $1 (min_size_bytes): medium from this size; $2 (high_size_bytes): high;
-- $3 (rare_scans): up to this many scans since the previous audit is "rare use". $4
-- (busy_writes_per_day): index_writes, the table's inserts plus updates that were not HOT
-- (pg_stat n_tup_ins + n_tup_upd - n_tup_hot_upd, this server's: replicas do not write), over
-- the days since the counters began, from which the index is at least medium. $5
-- (last_scan_days): on PostgreSQL 16 and newer, an index whose last scan on this server
-- (pg_stat_all_indexes.last_idx_scan) is this many days old or older is unused even though it
-- was scanned once, history or not; last_scan is null before 16 (the view's row is read as JSON,
-- so one query serves every major).
-- table_reads: the table's sequential plus index scans (pg_stat_user_tables seq_scan +
-- idx_scan), so the logic can tell an unused index from an unread table (low confidence).
-- idx_scan and table_reads include the scans of the replicas counted ($6, the input
-- replica_usage: {schema: {relation: [seq_scan, idx_scan]}}, summed over --replica servers;
-- {} without); replica_idx_scan is their part of idx_scan.
-- Columns: the fixed aliases (severity and evidence are set by the C++ logic), plus table_label
-- (quoted), index_name, idx_scan, replica_idx_scan, table_reads, index_writes, size_bytes,
-- last_scan (ISO 8601, UTC; null before 16 or never scanned), definition (null unless never
-- scanned or last scanned last_scan_days ago) and the params.
with con as (
  select distinct c.conindid
  from pg_catalog.pg_constraint c
  where c.contype in ('p', 'u', 'x') and c.conindid <> 0
), fk_support as (
  -- indexes whose leading key columns are a foreign key's columns (fk_without_index's test):
  -- deleting or re-keying a parent row looks its children up through them, however rarely
  select distinct x.indexrelid
  from pg_catalog.pg_constraint k
  join pg_catalog.pg_index x on x.indrelid = k.conrelid
  where k.contype = 'f'
    and x.indpred is null
    and x.indnkeyatts >= cardinality(k.conkey)
    and (x.indkey::int2[])[0:cardinality(k.conkey) - 1] @> k.conkey
    and (x.indkey::int2[])[0:cardinality(k.conkey) - 1] <@ k.conkey
), idx as (
  select x.indexrelid, x.indrelid, x.indisunique, con.conindid is not null as backs_constraint,
         fk.indexrelid is not null as supports_fk,
         i.relname as index_name, i.relkind, i.relispartition, i.relpages,
         t.relname as table_name, n.nspname as schema_name,
         count(*) over (partition by x.indrelid, i.relam, x.indnkeyatts, x.indkey::text,
                                     x.indclass::text, x.indcollation::text, x.indoption::text,
                                     pg_catalog.pg_get_expr(x.indexprs, x.indrelid),
                                     pg_catalog.pg_get_expr(x.indpred, x.indrelid)) as twins,
         sum(pg_catalog.pg_stat_get_numscans(x.indexrelid)) over (partition by x.indrelid) as table_idx_scans
  from pg_catalog.pg_index x
  join pg_catalog.pg_class i on i.oid = x.indexrelid
  join pg_catalog.pg_class t on t.oid = x.indrelid
  join pg_catalog.pg_namespace n on n.oid = t.relnamespace
  left join con on con.conindid = x.indexrelid
  left join fk_support fk on fk.indexrelid = x.indexrelid
  where x.indisvalid
    and n.nspname not in ('pg_catalog', 'information_schema')
    and n.nspname !~ '^pg_(toast|temp_)'
    and t.oid not in (select d.objid from pg_catalog.pg_depend d
                      where d.refclassid = 'pg_catalog.pg_extension'::regclass
                        and d.classid = 'pg_catalog.pg_class'::regclass and d.deptype = 'e')
),
-- include: not_null_partials
last_scans as (
  select s.indexrelid,
         ((pg_catalog.to_jsonb(s) ->> 'last_idx_scan')::timestamptz at time zone 'UTC') as last_scan
  from pg_catalog.pg_stat_all_indexes s
),
candidate as (
  select c.*, pg_catalog.pg_stat_get_numscans(c.indexrelid) + r.idx_scan as idx_scan, r.idx_scan as replica_idx_scan,
         r.table_reads as replica_table_reads, ls.last_scan
  from idx c
  left join last_scans ls on ls.indexrelid = c.indexrelid
  cross join lateral (
    select coalesce(($6::jsonb #>> array[c.schema_name::text, c.index_name::text, '1'])::bigint, 0) as idx_scan,
           coalesce(($6::jsonb #>> array[c.schema_name::text, c.table_name::text, '0'])::bigint, 0)
             + coalesce(($6::jsonb #>> array[c.schema_name::text, c.table_name::text, '1'])::bigint, 0) as table_reads) r
  where not c.indisunique
    and not c.backs_constraint
    and not c.supports_fk
    and c.relkind = 'i'
    and not c.relispartition
    and c.twins = 1
    -- a partial index that only repeats NOT NULL beside its whole twin is redundant_predicate's
    and c.indexrelid not in (select rp.indexrelid from redundant_partials rp where rp.twin is not null)
)
select c.schema_name,
       c.table_name,
       format('%I.%I', c.schema_name, c.table_name) as table_label,
       c.index_name,
       format('%I.%I', c.schema_name, c.index_name) as object,
       'index' as object_type,
       case when c.idx_scan = 0
         then format('index %s on %s.%s has not been scanned since statistics began',
                     c.index_name, c.schema_name, c.table_name)
       end as message,
       c.idx_scan,
       c.replica_idx_scan,
       pg_catalog.pg_stat_get_numscans(c.indrelid) + c.table_idx_scans + c.replica_table_reads as table_reads,
       pg_catalog.pg_stat_get_tuples_inserted(c.indrelid) + pg_catalog.pg_stat_get_tuples_updated(c.indrelid)
         - pg_catalog.pg_stat_get_tuples_hot_updated(c.indrelid) as index_writes,
       c.relpages::bigint * pg_catalog.current_setting('block_size')::bigint as size_bytes,
       to_char(c.last_scan, 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as last_scan,
       case when c.idx_scan = 0 or c.last_scan <= pg_catalog.now() at time zone 'UTC' - make_interval(days => $5::int)
         then pg_catalog.pg_get_indexdef(c.indexrelid) end as definition,
       $1::bigint as min_size_bytes,
       $2::bigint as high_size_bytes,
       $3::bigint as rare_scans,
       $4::bigint as busy_writes_per_day,
       $5::bigint as last_scan_days,
       format('%I.%I', c.schema_name, c.index_name) as identity
from candidate c
order by c.schema_name, c.index_name
