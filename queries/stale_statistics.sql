-- id: stale_statistics
-- category: stale_statistics
-- area: bloat
-- title: Tables whose planner statistics are missing or stale
-- severity: low..medium, default medium
-- effort: low
-- params: min_changes=1000, stale_factor=2, min_age_hours=24
-- grading: medium, low below 10,000 changed rows.
-- rationale: The planner estimates rows from the statistics ANALYZE gathers. A table never
--   analyzed, or one that has changed far beyond the threshold at which autovacuum would analyze
--   it again, gets estimates from defaults or from another era: wrong join orders, sequential
--   scans of large tables, nested loops over millions of rows. ANALYZE reads a sample (30,000
--   rows at the default statistics target) and takes no lock that blocks reads or writes. When
--   autovacuum keeps missing the table, look at what holds it back: autovacuum switched off for
--   the table, or its thresholds raised in the table's storage parameters.
--
-- Ordinary and partitioned-leaf tables with at least min_changes rows inserted, updated or
-- deleted since the last (auto)analyze (pg_stat_user_tables.n_mod_since_analyze), more than
-- stale_factor times the table's own analyze threshold (autovacuum_analyze_threshold +
-- autovacuum_analyze_scale_factor x reltuples, each from the table's reloptions before the
-- server's setting), that autovacuum will not analyze soon by itself: autovacuum is off for the
-- server, or the table's last analyze is older than min_age_hours (autovacuum had the time and did
-- not). A table just written (a load, a fix's backfill) is autovacuum's to analyze within a
-- minute, not a finding; a table with autovacuum_enabled = false is vacuum_health's. Returns the
-- fixed finding aliases (queries/README.md).
with
-- include: table_autovacuum
tables as (
  select t.oid as relid, n.nspname as schemaname, t.relname, s.n_mod_since_analyze, s.n_live_tup,
         coalesce(s.last_analyze, s.last_autoanalyze) as analyzed_at,
         greatest(t.reltuples, 0) as reltuples,
         av.analyze_threshold as threshold, av.analyze_scale_factor as scale_factor,
         (select pg_catalog.string_agg(o.option_name || '=' || o.option_value, ', ' order by o.option_name)
          from pg_catalog.pg_options_to_table(t.reloptions) o
          where o.option_name in ('autovacuum_enabled', 'autovacuum_analyze_threshold', 'autovacuum_analyze_scale_factor')) as holding
  -- the tables pg_stat_user_tables shows, with the four counters read from the pg_stat_get_*
  -- functions its columns are made of (the view calls some twenty per table, grouped over
  -- pg_index); not fenced with offset 0, so the min_changes test comes first, as with the view
  from pg_catalog.pg_class t
  join pg_catalog.pg_namespace n on n.oid = t.relnamespace
  cross join lateral (select pg_catalog.pg_stat_get_mod_since_analyze(t.oid) as n_mod_since_analyze,
                             pg_catalog.pg_stat_get_live_tuples(t.oid) as n_live_tup,
                             pg_catalog.pg_stat_get_last_analyze_time(t.oid) as last_analyze,
                             pg_catalog.pg_stat_get_last_autoanalyze_time(t.oid) as last_autoanalyze) s
  join table_autovacuum av on av.oid = t.oid
  where t.relkind = 'r'
    and n.nspname not in ('pg_catalog', 'information_schema')
    and n.nspname !~ '^pg_toast'
    and s.n_mod_since_analyze >= $1::bigint
    and not exists (select 1 from pg_catalog.pg_depend d
                    where d.classid = 'pg_catalog.pg_class'::regclass and d.objid = t.oid and d.deptype = 'e')
),
stale as (
  select t.*, t.threshold + t.scale_factor * t.reltuples as analyze_at
  from tables t
  where t.n_mod_since_analyze > $2::float8 * (t.threshold + t.scale_factor * t.reltuples)
    and (not pg_catalog.current_setting('autovacuum')::boolean
         or t.analyzed_at < pg_catalog.now() - make_interval(hours => $3::int))
    and coalesce(t.holding, '') not like '%autovacuum_enabled=false%'
)
select s.schemaname as schema_name,
       s.relname as table_name,
       format('%I.%I', s.schemaname, s.relname) as object,
       'table' as object_type,
       case when s.n_mod_since_analyze >= 10000 then 'medium' else 'low' end as severity,
       format('%I.%I %s: %s rows changed since, and the planner estimates from %s%s',
              s.schemaname, s.relname,
              case when s.analyzed_at is null then 'was never analyzed'
                   else format('was last analyzed %s', pg_catalog.to_char(s.analyzed_at, 'YYYY-MM-DD')) end,
              s.n_mod_since_analyze,
              case when s.analyzed_at is null then 'defaults' else 'what the table was then' end,
              case when s.holding is not null then format(' (storage parameters %s hold autovacuum back)', s.holding) else '' end) as message,
       json_build_object('changed_since_analyze', s.n_mod_since_analyze, 'live_rows', s.n_live_tup,
                         'analyzed_at', s.analyzed_at, 'analyze_threshold', round(s.analyze_at),
                         'holding_reloptions', s.holding) as evidence,
       concat_ws(E'\n',
         '-- reads a sample of the table; reads and writes go on (SHARE UPDATE EXCLUSIVE, one ANALYZE or VACUUM at a time)',
         'set lock_timeout = ''5s'';',
         format('analyze %I.%I;', s.schemaname, s.relname),
         case when s.holding is not null then regexp_replace(format(
           '-- then let autovacuum keep it fresh: alter table %I.%I reset (autovacuum_enabled, autovacuum_analyze_threshold, autovacuum_analyze_scale_factor); -- if those were not set on purpose',
           s.schemaname, s.relname), '[\r\n]+', E'\n-- ', 'g') end) as remediation,
       '-- nothing to undo: ANALYZE only replaces the statistics (the next ANALYZE replaces them again)' as undo
from stale s
order by s.schemaname, s.relname
