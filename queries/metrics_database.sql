-- id: metrics_database
-- title: Database metrics
-- kind: metrics
-- rationale: The database's size, kept in the history for the growth trend; how many rows
--   were ever written in it, so the next audit knows whether anything was written in between;
--   and the server's next transaction ID, so the next audit knows how fast IDs are consumed.
--
-- Three rows: size_bytes (pg_database_size of the current database), tuples_written
-- (pg_stat_database tup_inserted + tup_updated + tup_deleted since its stats_reset; the usage
-- checks rate their confidence low when it did not grow) and next_xid (the 64-bit next
-- transaction ID of the server, the xmax of the audit's own snapshot: reading it assigns no ID,
-- so it works in the read-only transaction; xid_wraparound projects the wraparound date from
-- its growth since the previous audit). Object: the database name.
-- Columns: object_type, object, metric, value.
select 'database' as object_type,
       pg_catalog.current_database()::text as object,
       m.metric,
       m.value
from (values ('size_bytes', pg_catalog.pg_database_size(pg_catalog.current_database())),
             ('tuples_written', (select d.tup_inserted + d.tup_updated + d.tup_deleted
                                 from pg_catalog.pg_stat_database d
                                 where d.datname = pg_catalog.current_database())),
             ('next_xid', pg_catalog.pg_snapshot_xmax(pg_catalog.pg_current_snapshot())::text::bigint)) m(metric, value)
where m.value is not null
order by 2, 3
