-- The drifted collations of collation_version (its base query and its .pg15 variant):
-- drifted_collations, one row per collation that a valid index uses whose recorded version
-- (pg_collation.collversion) differs from the one its library reports now, with the statement
-- that records the new version. Columns as the drift rows of collation_version: kind, object,
-- coll_oid, recorded, actual, refresh_sql.
drifted_collations as (
  select 'collation'::text as kind, format('%I.%I', n.nspname, c.collname) as object, c.oid as coll_oid,
         c.collversion as recorded, pg_catalog.pg_collation_actual_version(c.oid) as actual,
         format('alter collation %I.%I refresh version;', n.nspname, c.collname) as refresh_sql
  from pg_catalog.pg_collation c
  join pg_catalog.pg_namespace n on n.oid = c.collnamespace
  where c.collversion is not null
    and c.collversion is distinct from pg_catalog.pg_collation_actual_version(c.oid)
    -- a collation no index uses is left to PostgreSQL's warning when it is used
    and exists (select from pg_catalog.pg_index x where c.oid = any (x.indcollation::oid[]))
),
