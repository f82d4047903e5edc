-- id: missing_index_statements
-- category: missing_index
-- area: indexes
-- title: Indexes proposed from the statements that filter seq-scanned tables
-- severity: info..medium, default medium
-- effort: low
-- needs: pg_stat_statements|query_log
-- params: top_statements=200, min_rows=10000, min_seq_scan=50
-- input: recorded_statements, logged_seq_scans
-- rationale: pg_stat_statements knows which statements take the most time and run most often;
--   their WHERE and JOIN conditions name the columns an index should lead with. For a table
--   that these statements scan sequentially, an index on the columns they compare with
--   constants (equality first, then one range) turns each full scan into a few page reads.
--   Create it with CREATE INDEX CONCURRENTLY, which does not block writes. The server's query
--   logs (--query-log: log_min_duration_statement, auto_explain) serve where
--   pg_stat_statements is missing or was reset, over the period they cover.
--
-- Two kinds of rows for the C++ logic in src/audit/checks/missing_index_statements.cpp:
-- row_kind 'statement': the top_statements statements of this database by total time and the
-- top_statements by calls (queryid, query, calls, total_ms, mean_ms), from pg_stat_statements
-- (the input recorded_statements, $4; no rows without the extension: the statements of the
-- query logs are added by the C++ logic); row_kind 'table': tables
-- with at least min_seq_scan sequential scans, min_rows live rows and more rows read by them
-- than index scans fetched (as missing_index), and tables of min_rows rows (live, or as last analyzed) that auto_explain's logged
-- plans scan sequentially (the input logged_seq_scans, $5: no rows without query logs), with
-- their columns and the leading columns of their valid indexes (and the
-- identifiers quoted by quote_ident for the remediation).
with statements as (
  select s.queryid, s.query, s.calls::bigint as calls, s.total_ms::numeric as total_ms,
         s.mean_ms::numeric as mean_ms,
         row_number() over (order by s.total_ms::numeric desc) as by_time,
         row_number() over (order by s.calls::bigint desc) as by_calls
  from pg_catalog.json_to_recordset($4::json) as s(queryid text, query text, calls text, total_ms text, mean_ms text)
),
tables as (
  select s.relid, s.schemaname, s.relname, s.seq_scan, s.seq_tup_read,
         coalesce(s.idx_scan, 0) as idx_scan, s.n_live_tup
  from pg_catalog.pg_stat_user_tables s
  join pg_catalog.pg_class c on c.oid = s.relid
  where ((s.seq_scan >= $3::bigint
          and s.n_live_tup >= $2::bigint
          and s.seq_tup_read > coalesce(s.idx_tup_fetch, 0))
         or (greatest(s.n_live_tup, c.reltuples::bigint) >= $2::bigint
             and exists (select from pg_catalog.json_to_recordset($5::json) as l(schema_name text, table_name text)
                         where l.table_name = s.relname and coalesce(l.schema_name, s.schemaname) = s.schemaname)))
    and s.schemaname not in ('pg_catalog', 'information_schema')
    and s.schemaname !~ '^pg_(toast|temp_)'
    and not exists (select 1 from pg_catalog.pg_depend d
                    where d.classid = 'pg_catalog.pg_class'::regclass and d.objid = s.relid
                      and d.deptype = 'e')
),
columns as (
  select a.attrelid, json_agg(json_build_array(a.attname, pg_catalog.quote_ident(a.attname))
                              order by a.attnum) as columns
  from pg_catalog.pg_attribute a
  join tables t on t.relid = a.attrelid
  where a.attnum > 0 and not a.attisdropped
  group by a.attrelid
),
index_keys as (
  select x.indrelid, x.indexrelid,
         json_agg(a.attname order by k.pos) as keys
  from pg_catalog.pg_index x
  join tables t on t.relid = x.indrelid
  cross join lateral pg_catalog.unnest(x.indkey::int2[]) with ordinality as k(attnum, pos)
  left join pg_catalog.pg_attribute a on a.attrelid = x.indrelid and a.attnum = k.attnum
  where x.indisvalid and x.indpred is null and k.pos <= x.indnkeyatts
  group by x.indrelid, x.indexrelid
),
indexes as (
  select i.indrelid, json_agg(i.keys) as indexes
  from index_keys i
  group by i.indrelid
)
select 'statement' as row_kind,
       pg_catalog.lpad(s.by_time::text, 10, '0') as sort_key,
       json_build_object('queryid', s.queryid, 'query', s.query, 'calls', s.calls,
                         'total_ms', s.total_ms, 'mean_ms', s.mean_ms) as data
from statements s
where s.by_time <= $1::bigint or s.by_calls <= $1::bigint
union all
select 'table',
       format('%I.%I', t.schemaname, t.relname),
       json_build_object('schema', t.schemaname, 'table', t.relname,
                         'quoted', format('%I.%I', t.schemaname, t.relname),
                         'quoted_schema', format('%I', t.schemaname),
                         'seq_scan', t.seq_scan, 'seq_tup_read', t.seq_tup_read,
                         'idx_scan', t.idx_scan, 'n_live_tup', t.n_live_tup,
                         'size_bytes', pg_catalog.pg_table_size(t.relid),
                         'columns', c.columns,
                         'indexes', coalesce(i.indexes, '[]'::json))
from tables t
join columns c on c.attrelid = t.relid
left join indexes i on i.indrelid = t.relid
order by 1, 2
