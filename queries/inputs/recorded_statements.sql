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
-- public by default). The audit's own reads are left out: a check's rows come through a cursor
-- named sa_<check> (pg/session.cpp), whose DECLARE holds the check's whole query, some 50 KB; two
-- checks parsed some fifty of them, the previous audits', each time (1.2 s of a 2.3 s audit of the
-- planted lint database run twice); the savepoints around each statement, the timeouts set in
-- them and the snapshot each worker imports go too (those vary: new texts in every audit, and no
-- table in them). The few checks read whole stay (one entry each, naming catalog tables only).
-- Columns: queryid, query, calls, total_ms, mean_ms.
select s.queryid::text as queryid,
       s.query,
       s.calls,
       round(s.total_exec_time::numeric, 1) as total_ms,
       round(s.mean_exec_time::numeric, 3) as mean_ms
from pg_stat_statements s
where s.dbid = (select d.oid from pg_catalog.pg_database d
                where d.datname = pg_catalog.current_database())
  and s.query !~ '^(declare sa_\w+ no scroll cursor for |fetch forward \S+ from sa_\w+$|close sa_\w+$|(release )?savepoint sa_\w+$|set local statement_timeout = \d+$|set transaction snapshot ''[^'']*''$)'
order by s.total_exec_time desc, s.queryid
