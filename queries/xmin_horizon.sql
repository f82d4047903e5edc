-- id: xmin_horizon
-- category: xmin_horizon
-- area: bloat
-- title: What holds vacuum's xmin horizon back
-- severity: low..high, default medium
-- effort: low
-- needs: read_all_stats
-- params: min_age_seconds=300, high_age_seconds=86400, slot_medium_bytes=1073741824, slot_high_bytes=10737418240
-- grading: transactions (open and prepared) older than min_age_seconds are medium, high from
--   high_age_seconds; inactive replication slots are low, medium from slot_medium_bytes of WAL
--   retained, high from slot_high_bytes; a slot in use is reported from slot_medium_bytes (its
--   consumer lags), graded the same.
-- rationale: VACUUM can remove a dead row, and freeze an old one, only once no transaction could
--   still see it. One long transaction, a session idle in transaction, a prepared transaction
--   nobody committed, or a replication slot whose standby or subscriber is gone holds that
--   horizon back for the whole cluster: tables and indexes bloat, and wraparound gets closer
--   (an inactive slot also keeps every WAL file since its position, until the disk fills). End
--   the session, commit or roll back the prepared transaction, drop the slot nobody will use.
--
-- Cluster-wide, as the horizon is: client sessions other than this audit's with a transaction
-- holding a snapshot or a transaction id (backend_xmin or backend_xid) for longer than
-- $1 (min_age_seconds); prepared transactions older than that (object: the gid); inactive
-- replication slots with a restart position, and slots in use that retain $3
-- (slot_medium_bytes) or more (object: the slot name; no statement for those, only where to
-- look: the consumer is connected), with the WAL they retain
-- (pg_current_wal_lsn() - restart_lsn; 0 on a standby, which has no current WAL position of its
-- own) and their xmin and catalog_xmin. Ending a session is guarded by its start time (a pid is
-- reused), dropping a slot by it being inactive still. Returns the fixed finding aliases
-- (queries/README.md).
with holders as (
  select 'session' as object_type,
         format('pid %s (%s@%s%s)', a.pid, a.usename, a.datname,
                case when a.application_name <> '' then ', ' || a.application_name else '' end) as object,
         extract(epoch from now() - a.xact_start) as age_seconds,
         pg_catalog.age(coalesce(a.backend_xid, a.backend_xmin)) as xid_age,
         null::numeric as retained_bytes,
         json_build_object('pid', a.pid, 'user', a.usename, 'database', a.datname, 'application', a.application_name,
                           'state', a.state, 'xact_start', a.xact_start, 'backend_start', a.backend_start,
                           'query', left(a.query, 200)) as detail,
         concat_ws(E'\n',
           regexp_replace(format('-- ask its owner first: ending the session rolls back its open transaction (%s, since %s)',
                                 a.state, a.xact_start), '[\r\n]+', E'\n-- ', 'g'),
           format(E'do $$\nbegin\n'
                  '  if exists (select from pg_catalog.pg_stat_activity where pid = %s and backend_start = %L::timestamptz) then\n'
                  '    perform pg_catalog.pg_terminate_backend(%s);\n'
                  '  end if;\nend $$;', a.pid, a.backend_start, a.pid)) as remediation,
         '-- nothing to undo: the session''s transaction was rolled back; its client reconnects' as undo,
         format('session:%s:%s', a.pid, a.backend_start) as identity
  from pg_catalog.pg_stat_activity a
  where a.backend_type = 'client backend'
    and a.pid <> pg_catalog.pg_backend_pid()
    and a.application_name not like 'schema-audit%'
    and (a.backend_xmin is not null or a.backend_xid is not null)
    and a.xact_start < now() - make_interval(secs => $1::int)
  union all
  select 'prepared_transaction', p.gid,
         extract(epoch from now() - p.prepared),
         pg_catalog.age(p.transaction),
         null,
         json_build_object('database', p.database, 'owner', p.owner, 'prepared', p.prepared),
         concat_ws(E'\n',
           regexp_replace(format('-- in database %s (it runs in the transaction''s own database): rolling back loses its changes; commit prepared %L keeps them',
                                 p.database, p.gid), '[\r\n]+', E'\n-- ', 'g'),
           format('rollback prepared %L;', p.gid)),
         '-- cannot be undone: the prepared transaction''s changes are gone',
         'prepared:' || p.gid
  from pg_catalog.pg_prepared_xacts p
  where p.prepared < now() - make_interval(secs => $1::int)
  union all
  select 'replication_slot', s.slot_name::text,
         null,
         pg_catalog.age(coalesce(s.xmin, s.catalog_xmin)),
         case when pg_catalog.pg_is_in_recovery() then 0
              else pg_catalog.pg_wal_lsn_diff(pg_catalog.pg_current_wal_lsn(), s.restart_lsn) end,
         json_build_object('slot_type', s.slot_type, 'database', s.database, 'plugin', s.plugin, 'xmin', s.xmin,
                           'catalog_xmin', s.catalog_xmin, 'wal_status', s.wal_status, 'active', s.active,
                           'active_pid', s.active_pid),
         case when s.active then concat_ws(E'\n',
           regexp_replace(format('-- slot %s is in use (pid %s): its %s confirms WAL far behind the server. Do not drop it;', s.slot_name,
                                 s.active_pid, case when s.slot_type = 'physical' then 'standby' else 'subscriber' end),
                          '[\r\n]+', E'\n-- ', 'g'),
           '-- look at the consumer (pg_stat_replication: write_lag, flush_lag, replay_lag; a subscriber''s apply errors),',
           '-- and bound what a slot may retain with max_slot_wal_keep_size (a slot past it is invalidated, not the disk filled).')
         else concat_ws(E'\n',
           regexp_replace(format('-- drop slot %s only if no %s will come back for it (it would need a new %s)', s.slot_name,
                                 case when s.slot_type = 'physical' then 'standby' else 'subscriber' end,
                                 case when s.slot_type = 'physical' then 'base backup' else 'initial copy' end),
                          '[\r\n]+', E'\n-- ', 'g'),
           format(E'do $$\nbegin\n'
                  '  if exists (select from pg_catalog.pg_replication_slots where slot_name = %L and not active) then\n'
                  '    perform pg_catalog.pg_drop_replication_slot(%L);\n'
                  '  end if;\nend $$;', s.slot_name, s.slot_name)) end,
         case when s.active then null
              when s.slot_type = 'physical'
              then format('select pg_catalog.pg_create_physical_replication_slot(%L, true);', s.slot_name)
              else format('-- a logical slot cannot be made again at the position it had: its subscriber needs a new initial copy (plugin %s)', s.plugin)
         end,
         'slot:' || s.slot_name
  from pg_catalog.pg_replication_slots s
  where s.restart_lsn is not null
    and (not s.active
         or (not pg_catalog.pg_is_in_recovery()
             and pg_catalog.pg_wal_lsn_diff(pg_catalog.pg_current_wal_lsn(), s.restart_lsn) >= $3::numeric))
)
select null::text as schema_name,
       null::text as table_name,
       h.object,
       h.object_type,
       case when h.object_type = 'replication_slot'
            then case when h.retained_bytes >= $4::numeric then 'high' when h.retained_bytes >= $3::numeric then 'medium' else 'low' end
            when h.age_seconds >= $2::int then 'high' else 'medium' end as severity,
       case h.object_type
         when 'session' then format('%s has held a transaction open for %s: vacuum cannot remove rows that died since, anywhere in the cluster (xid age %s)',
                                    h.object, pg_catalog.justify_interval(make_interval(secs => h.age_seconds::int)), h.xid_age)
         when 'prepared_transaction' then format('prepared transaction %s was left uncommitted %s ago: it holds its locks and vacuum''s horizon until committed or rolled back (xid age %s)',
                                                 h.object, pg_catalog.justify_interval(make_interval(secs => h.age_seconds::int)), h.xid_age)
         else format('replication slot %s %s %s of WAL%s', h.object,
                     case when (h.detail->>'active')::boolean then 'is in use, but its consumer lags: it retains' else 'is inactive and retains' end,
                     pg_catalog.pg_size_pretty(h.retained_bytes),
                     case when h.xid_age is not null then format(', and holds vacuum''s horizon (xid age %s)', h.xid_age) else '' end)
       end as message,
       (json_build_object('age_seconds', round(h.age_seconds), 'xid_age', h.xid_age, 'retained_wal_bytes', h.retained_bytes)::jsonb
        || h.detail::jsonb)::json as evidence,
       h.remediation,
       h.undo,
       h.identity
from holders h
order by h.object_type, h.object
