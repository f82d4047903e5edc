-- id: collation_version
-- category: collation_version
--
-- From PostgreSQL 15 the database's default collation records its version too
-- (pg_database.datcollversion): the base query (collation_version.sql, whose header is the
-- check's) with that branch added. Object: the database name.
with
-- include: drifted_collations
drifted as (
  select 'database'::text as kind, d.datname::text as object, 100::oid as coll_oid, d.datcollversion as recorded,
         pg_catalog.pg_database_collation_actual_version(d.oid) as actual,
         format('alter database %I refresh collation version;', d.datname) as refresh_sql
  from pg_catalog.pg_database d
  where d.datname = pg_catalog.current_database()
    and d.datcollversion is not null
    and d.datcollversion is distinct from pg_catalog.pg_database_collation_actual_version(d.oid)
  union all
  select * from drifted_collations
),
-- include: collation_drift_findings
