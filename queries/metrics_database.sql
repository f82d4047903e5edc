-- id: metrics_database
-- title: Database metrics
-- kind: metrics
-- rationale: The database's size, kept in the history for the growth trend.
--
-- One row: size_bytes (pg_database_size of the current database). Object: the database name.
-- Columns: object_type, object, metric, value.
select 'database' as object_type,
       pg_catalog.current_database()::text as object,
       'size_bytes' as metric,
       pg_catalog.pg_database_size(pg_catalog.current_database()) as value
order by 2, 3
