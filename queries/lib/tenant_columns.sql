-- Two CTEs for the queries that know tenancy (cross_tenant_fk, missing_fk), whose $1 is the
-- tenant_keys param: tenant_columns, every column named as a tenant key (rank: its place in
-- tenant_keys), and global_rows, the tenant columns that hold NULLs (global rows shared by every
-- tenant), by the statistics of the last ANALYZE.
tenant_columns as (
  select a.attrelid, a.attnum, a.attname, a.attnotnull, array_position($1::text[], a.attname::text) as rank
  from pg_catalog.pg_attribute a
  where a.attname = any ($1::text[]) and a.attnum > 0 and not a.attisdropped
),
global_rows as (
  select c.oid as attrelid, s.attname
  from pg_catalog.pg_stats s
  join pg_catalog.pg_namespace n on n.nspname = s.schemaname
  join pg_catalog.pg_class c on c.relnamespace = n.oid and c.relname = s.tablename
  where s.attname = any ($1::text[]) and s.null_frac > 0
),
