-- One CTE for the checks that weigh what the statistics counters saw against how long they have
-- counted (fk_without_index's deletes a day, unused_column's young statistics, vacuum_health's
-- table never vacuumed): stats_window.days, the days since the counters began (the database's
-- stats_reset, else the server's start).
stats_window as (
  select extract(epoch from pg_catalog.now() - coalesce(d.stats_reset, pg_catalog.pg_postmaster_start_time())) / 86400 as days
  from pg_catalog.pg_stat_database d
  where d.datname = pg_catalog.current_database()
),
