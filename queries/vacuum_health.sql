-- id: vacuum_health
-- category: table_bloat
-- area: bloat
-- title: Dead tuples and autovacuum health
-- severity: low..high
-- effort: low
-- params: min_dead_tup=10000, min_dead_pct=20, max_vacuum_age_days=7
-- grading: high when autovacuum is off for the table or half its rows are dead, else medium; low
--   when autovacuum is on and past its threshold for the table, and the table's last vacuum is
--   not max_vacuum_age_days old: dead rows of a bulk delete or update that autovacuum is due to
--   remove (OpenFGA: 70% dead, vacuumed seconds after the audit).
-- rationale: Dead row versions stay in a table until VACUUM removes them: they make scans
--   read more pages, keep index entries alive and, left long enough, become bloat that only a
--   rewrite returns. A table with autovacuum switched off (autovacuum_enabled = false) also
--   risks transaction ID wraparound. VACUUM (ANALYZE) the table now, and reset the storage
--   parameter so autovacuum looks after it again.
--
-- Finds tables (any schema) with autovacuum_enabled=false (or toast.autovacuum_enabled=false)
-- in their reloptions, or with at least min_dead_tup dead tuples that are at least min_dead_pct
-- percent of all tuples, or with min_dead_tup dead tuples, more than autovacuum's threshold for the
-- table (lib/table_autovacuum.sql: threshold + scale factor x rows), and no (auto)vacuum in
-- max_vacuum_age_days days (never, in as many days of statistics). One finding per table listing
-- every reason.
-- Columns: the fixed finding aliases; evidence has n_live_tup, n_dead_tup, dead_pct,
-- autovacuum_enabled, last_vacuum, last_autovacuum, vacuum_age_days, vacuum_threshold.
with
-- include: table_autovacuum
-- include: stats_window
tables as (
  -- the tables pg_stat_user_tables shows (relkind r, m, and p from PostgreSQL 14, as its view has
  -- it), with the four counters read from its pg_stat_get_* functions directly: the view calls
  -- some twenty per table and groups its join to pg_index
  select c.oid as relid, n.nspname as schemaname, c.relname, c.reltuples, s.n_live_tup, s.n_dead_tup,
         round(100.0 * s.n_dead_tup / greatest(s.n_live_tup + s.n_dead_tup, 1), 1) as dead_pct,
         s.last_vacuum, s.last_autovacuum,
         extract(epoch from pg_catalog.now()
                 - greatest(s.last_vacuum, s.last_autovacuum)) / 86400 as vacuum_age_days,
         exists (select 1 from pg_catalog.unnest(c.reloptions || t.reloptions) o
                 where o in ('autovacuum_enabled=false', 'autovacuum_enabled=off',
                             'autovacuum_enabled=0', 'autovacuum_enabled=no')) as autovacuum_off
  from pg_catalog.pg_class c
  join pg_catalog.pg_namespace n on n.oid = c.relnamespace
  cross join lateral (select pg_catalog.pg_stat_get_live_tuples(c.oid) as n_live_tup,
                             pg_catalog.pg_stat_get_dead_tuples(c.oid) as n_dead_tup,
                             pg_catalog.pg_stat_get_last_vacuum_time(c.oid) as last_vacuum,
                             pg_catalog.pg_stat_get_last_autovacuum_time(c.oid) as last_autovacuum
                      offset 0) s
  left join pg_catalog.pg_class t on t.oid = c.reltoastrelid
  where (c.relkind in ('r', 'm')
         or (c.relkind = 'p' and pg_catalog.current_setting('server_version_num')::int >= 140000))
    and n.nspname not in ('pg_catalog', 'information_schema')
    and n.nspname !~ '^pg_(toast|temp_)'
    -- an extension's member: its 'e' dependency references the extension (pg_depend's reference index)
    and c.oid not in (
      -- include: extension_relations
    )
),
flagged as (
  select t.*, w.vacuum_threshold,
         t.n_dead_tup >= $1::bigint and t.dead_pct >= $2::numeric as many_dead,
         -- past the table's own autovacuum threshold (threshold + scale factor x rows, its storage
         -- parameters before the server's) and not vacuumed for max_vacuum_age_days, or never in
         -- as many days of statistics: autovacuum is not keeping up. Under the threshold it has
         -- not been due yet (listmonk's link_clicks: 20,500 dead of 100,000, vacuumed a second
         -- after the audit)
         t.n_dead_tup >= $1::bigint
           and t.n_dead_tup > w.vacuum_threshold
           and coalesce(t.vacuum_age_days, (select days from stats_window)) >= $3::numeric as stale_vacuum,
         exists (select from pg_catalog.pg_stat_progress_vacuum p where p.relid = t.relid) as vacuum_running
  from tables t
  left join table_autovacuum av on av.oid = t.relid
  cross join lateral (select round(coalesce(av.vacuum_threshold, 0) + coalesce(av.vacuum_scale_factor, 0) * greatest(t.reltuples, 0))::bigint
                               as vacuum_threshold) w
),
judged as (
  -- autovacuum is on, past the threshold that starts it, and has not fallen behind on the table
  -- (stale_vacuum): it is due to remove them
  select f.*, not f.autovacuum_off and f.n_dead_tup > f.vacuum_threshold and not f.stale_vacuum as vacuum_due
  from flagged f
)
select f.schemaname as schema_name,
       f.relname as table_name,
       format('%I.%I', f.schemaname, f.relname) as object,
       'table' as object_type,
       case when f.autovacuum_off then 'high'
            when f.vacuum_due then 'low'
            when f.dead_pct >= 50 then 'high' end as severity,
       format('table %I.%I: %s%s',
              f.schemaname, f.relname,
              pg_catalog.concat_ws('; ',
                case when f.autovacuum_off then 'autovacuum is disabled for it (autovacuum_enabled = false)' end,
                case when f.many_dead then format('%s%% of its tuples are dead (%s dead, %s live)',
                                                  f.dead_pct, f.n_dead_tup, f.n_live_tup) end,
                case when f.stale_vacuum and f.vacuum_age_days is null then
                       format('never vacuumed, with %s dead tuples, past autovacuum''s threshold for it (%s)',
                              f.n_dead_tup, f.vacuum_threshold)
                     when f.stale_vacuum then
                       format('last vacuumed %s days ago, with %s dead tuples, past autovacuum''s threshold for it (%s)',
                              floor(f.vacuum_age_days), f.n_dead_tup, f.vacuum_threshold) end,
                case when f.vacuum_due then
                       format('autovacuum is due to remove them (past its threshold for it, %s; %s): likely a bulk delete '
                              'or update of the last minutes, and if the next audit still finds them, autovacuum is not keeping up',
                              f.vacuum_threshold,
                              case when f.vacuum_running then 'a vacuum of it is running now'
                                   when f.vacuum_age_days is null then 'not vacuumed yet in these statistics'
                                   when f.vacuum_age_days < 1.0 / 24 then 'last vacuumed less than an hour ago'
                                   else format('last vacuumed %s hour(s) ago', round(f.vacuum_age_days * 24)) end) end),
              case when f.vacuum_due then ''
                   when f.autovacuum_off then '; vacuum it and re-enable autovacuum' else '; vacuum it' end) as message,
       json_build_object('n_live_tup', f.n_live_tup, 'n_dead_tup', f.n_dead_tup,
                         'dead_pct', f.dead_pct, 'autovacuum_enabled', not f.autovacuum_off,
                         'last_vacuum', f.last_vacuum, 'last_autovacuum', f.last_autovacuum,
                         'vacuum_age_days', round(f.vacuum_age_days::numeric, 1),
                         'vacuum_threshold', f.vacuum_threshold, 'vacuum_due', f.vacuum_due) as evidence,
       pg_catalog.concat_ws(E'\n',
         'set lock_timeout = ''5s'';',
         case when f.autovacuum_off then
           format(E'alter table %I.%I reset (autovacuum_enabled, toast.autovacuum_enabled);',
                  f.schemaname, f.relname) end,
         format('vacuum (analyze) %I.%I;', f.schemaname, f.relname)) as remediation,
       concat_ws(E'\n',
         '-- vacuum changes no data: nothing to undo',
         case when f.autovacuum_off then
           format(E'set lock_timeout = ''5s'';\nalter table %I.%I set (autovacuum_enabled = false);', f.schemaname, f.relname) end) as undo,
       format('%I.%I', f.schemaname, f.relname) as identity
from judged f
where f.autovacuum_off or f.many_dead or f.stale_vacuum
order by f.autovacuum_off desc, f.n_dead_tup desc, f.schemaname, f.relname
