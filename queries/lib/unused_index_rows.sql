-- The CTE candidate and the final select of unused_index.sql and unused_index.pg16.sql, over
-- idx, redundant_partials and last_scans (indexrelid, last_scan: timestamp in UTC or null);
-- their params: $1..$6 the check's, $7 the input replica_usage.
candidate as (
  select c.*, pg_catalog.pg_stat_get_numscans(c.indexrelid) + r.idx_scan as idx_scan, r.idx_scan as replica_idx_scan,
         r.table_reads as replica_table_reads, ls.last_scan
  from idx c
  left join last_scans ls on ls.indexrelid = c.indexrelid
  cross join lateral (
    select coalesce(($7::jsonb #>> array[c.schema_name::text, c.index_name::text, '1'])::bigint, 0) as idx_scan,
           coalesce(($7::jsonb #>> array[c.schema_name::text, c.table_name::text, '0'])::bigint, 0)
             + coalesce(($7::jsonb #>> array[c.schema_name::text, c.table_name::text, '1'])::bigint, 0) as table_reads) r
  where not c.indisunique
    and not c.backs_constraint
    and not c.supports_fk
    and c.relkind = 'i'
    and not c.relispartition
    and c.twins = 1
    -- a partial index that only repeats NOT NULL beside its whole twin is redundant_predicate's
    and c.indexrelid not in (select rp.indexrelid from redundant_partials rp where rp.twin is not null)
    -- judged once redundant_index's drop of its scanned prefix moved the queries to it
    and c.indexrelid not in (select w.indexrelid from wider_of_scanned w)
)
select c.schema_name,
       c.table_name,
       format('%I.%I', c.schema_name, c.table_name) as table_label,
       c.index_name,
       format('%I.%I', c.schema_name, c.index_name) as object,
       'index' as object_type,
       case when c.idx_scan = 0
         then format('index %I on %I.%I has not been scanned since statistics began',
                     c.index_name, c.schema_name, c.table_name)
       end as message,
       c.idx_scan,
       c.replica_idx_scan,
       pg_catalog.pg_stat_get_numscans(c.indrelid) + c.table_idx_scans + c.replica_table_reads as table_reads,
       -- the table's inserts and non-HOT updates; for a partial index, those times the share of the
       -- table's rows it holds (all of them when the table was not analyzed)
       round((pg_catalog.pg_stat_get_tuples_inserted(c.indrelid) + pg_catalog.pg_stat_get_tuples_updated(c.indrelid)
              - pg_catalog.pg_stat_get_tuples_hot_updated(c.indrelid)) * coalesce(sh.share, 1))::bigint as index_writes,
       c.predicate,
       round(100 * sh.share, 1) as partial_share_pct,
       c.relpages::bigint * pg_catalog.current_setting('block_size')::bigint as size_bytes,
       to_char(c.last_scan, 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as last_scan,
       case when c.idx_scan = 0 or c.last_scan <= pg_catalog.now() at time zone 'UTC' - make_interval(days => $5::int)
         then pg_catalog.pg_get_indexdef(c.indexrelid) end as definition,
       -- its COMMENT (often why it was kept): shown before a drop, set again by the undo
       (select dsc.description from pg_catalog.pg_description dsc where dsc.objoid = c.indexrelid and dsc.classoid = 'pg_catalog.pg_class'::pg_catalog.regclass and dsc.objsubid = 0) as index_comment,
       $1::bigint as min_size_bytes,
       $2::bigint as high_size_bytes,
       $3::bigint as rare_scans,
       $4::bigint as busy_writes_per_day,
       $5::bigint as last_scan_days,
       format('%I.%I', c.schema_name, c.index_name) as identity
from candidate c
cross join lateral (
  select case when c.predicate is not null and c.table_rows > 0
              then least(1.0, greatest(c.index_rows, 0)::numeric / c.table_rows::numeric) end as share) sh
order by c.schema_name, c.index_name
