-- id: recorded_statements
-- kind: input
-- title: The statements pg_stat_statements recorded for this database
-- rationale: The statement-driven checks (missing_index_statements, unused_column_statements)
--   parse the statements a server ran. pg_stat_statements is one source; the server's query logs
--   (--query-log) are the other, and a check whose database lacks the extension runs on the
--   logs alone.
--
-- Read once per audit when the pg_stat_statements extension is in the database; without it the
-- audit provides it as no rows (audit/runner.cpp), so that a check declaring it runs on the
-- query logs. pg_stat_statements is cluster-wide: rows are filtered to the current database.
-- The view is read unqualified: the extension's schema must be on the search_path (it is in
-- public by default). Columns: queryid, query, calls, total_ms, mean_ms.
select s.queryid::text as queryid,
       s.query,
       s.calls,
       round(s.total_exec_time::numeric, 1) as total_ms,
       round(s.mean_exec_time::numeric, 3) as mean_ms
from pg_stat_statements s
where s.dbid = (select d.oid from pg_catalog.pg_database d
                where d.datname = pg_catalog.current_database())
order by s.total_exec_time desc, s.queryid
