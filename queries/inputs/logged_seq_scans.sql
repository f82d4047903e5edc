-- id: logged_seq_scans
-- kind: input
-- title: The tables auto_explain's logged plans scan sequentially
-- rationale: A plan in the query logs that scans a table sequentially is evidence of a missing
--   index that the statistics may not show: their counters were reset, or the scans are few but
--   slow. missing_index_statements looks at the statements that filter such a table as it does
--   for a table the counters show as seq-scan heavy.
--
-- Provided by the audit from the query logs (--query-log: audit/runner.cpp), never read from the
-- server: without query logs this query runs and gives no rows. Rows: the relations of the
-- audited database (and of log lines that name no database) with at least one Seq Scan node in
-- a logged plan; schema_name is null unless the plans name it (auto_explain.log_verbose), and
-- plans counts the plans that scan it. Columns: schema_name, table_name, plans.
select null::text as schema_name, null::text as table_name, null::bigint as plans
where false
