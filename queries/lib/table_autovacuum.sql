-- One CTE for the queries that judge a table by its own autovacuum settings (xid_wraparound,
-- stale_statistics, vacuum_health): table_autovacuum, per ordinary table and materialized view, each setting as
-- autovacuum applies it: the table's storage parameter (reloptions) before the server's setting.
table_autovacuum as (
  select t.oid,
         coalesce(r.freeze_max_age::bigint, pg_catalog.current_setting('autovacuum_freeze_max_age')::bigint) as freeze_max,
         coalesce(r.multixact_freeze_max_age::bigint,
                  pg_catalog.current_setting('autovacuum_multixact_freeze_max_age')::bigint) as mxid_freeze_max,
         coalesce(r.analyze_threshold::bigint, pg_catalog.current_setting('autovacuum_analyze_threshold')::bigint) as analyze_threshold,
         coalesce(r.analyze_scale_factor::float8,
                  pg_catalog.current_setting('autovacuum_analyze_scale_factor')::float8) as analyze_scale_factor,
         coalesce(r.vacuum_threshold::bigint, pg_catalog.current_setting('autovacuum_vacuum_threshold')::bigint) as vacuum_threshold,
         coalesce(r.vacuum_scale_factor::float8,
                  pg_catalog.current_setting('autovacuum_vacuum_scale_factor')::float8) as vacuum_scale_factor
  from pg_catalog.pg_class t
  cross join lateral (
    select max(o.option_value) filter (where o.option_name = 'autovacuum_freeze_max_age') as freeze_max_age,
           max(o.option_value) filter (where o.option_name = 'autovacuum_multixact_freeze_max_age') as multixact_freeze_max_age,
           max(o.option_value) filter (where o.option_name = 'autovacuum_analyze_threshold') as analyze_threshold,
           max(o.option_value) filter (where o.option_name = 'autovacuum_analyze_scale_factor') as analyze_scale_factor,
           max(o.option_value) filter (where o.option_name = 'autovacuum_vacuum_threshold') as vacuum_threshold,
           max(o.option_value) filter (where o.option_name = 'autovacuum_vacuum_scale_factor') as vacuum_scale_factor
    from pg_catalog.pg_options_to_table(t.reloptions) o) r
  where t.relkind in ('r', 'm')
),
