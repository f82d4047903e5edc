-- Two CTEs for the queries that know tenancy (cross_tenant_fk, missing_fk), whose $1 is the
-- tenant_keys param: tenant_columns, every column named as a tenant key (rank: its place in
-- tenant_keys), and global_rows, the tenant columns that hold NULLs (global rows shared by every
-- tenant), by the statistics of the last ANALYZE. A name names no tenant when only one table
-- has it (a billing transfer's account_id, its reverse on the other party's account), or when
-- its column is unique on its own in every table that has it (a tenant owns many rows
-- somewhere: travis-ci keeps each row's id in the other of its two databases in a unique org_id
-- on every table).
tenant_columns as (
  select c.attrelid, c.attnum, c.attname, c.attnotnull, c.rank
  from (select a.attrelid, a.attnum, a.attname, a.attnotnull, array_position($1::text[], a.attname::text) as rank,
               bool_and(exists (select from pg_catalog.pg_index x
                                where x.indrelid = a.attrelid and x.indisunique and x.indnkeyatts = 1
                                  and x.indkey[0] = a.attnum and x.indpred is null))
                 over (partition by a.attname) as unique_everywhere,
               count(*) over (partition by a.attname) as tables
        from pg_catalog.pg_attribute a
        join pg_catalog.pg_class r on r.oid = a.attrelid and r.relkind in ('r', 'p')
        where a.attname = any ($1::text[]) and a.attnum > 0 and not a.attisdropped) c
  where not c.unique_everywhere and c.tables > 1
),
global_rows as (
  select c.oid as attrelid, s.attname
  from pg_catalog.pg_stats s
  join pg_catalog.pg_namespace n on n.nspname = s.schemaname
  join pg_catalog.pg_class c on c.relnamespace = n.oid and c.relname = s.tablename
  where s.attname = any ($1::text[]) and s.null_frac > 0
),
