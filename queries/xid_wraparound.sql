-- id: xid_wraparound
-- category: xid_wraparound
-- area: bloat
-- title: Transaction IDs running toward wraparound
-- severity: low..critical, default medium
-- effort: low
-- params: high_age=1000000000, critical_age=1500000000, projection_high_days=120, projection_critical_days=30
-- grading: a table past its effective freeze age (its autovacuum_freeze_max_age or
--   autovacuum_multixact_freeze_max_age, the table's reloption before the server's setting) is
--   medium, twice past it high; any table or the database from high_age (a billion) high, from
--   critical_age (1.5 billion) critical; the database past the server's freeze age, with no table
--   of its own past it, low. With a previous audit in the history, the transaction IDs consumed
--   per day since then project the date the age reaches the server's stop limit (2^31 minus 3
--   million) if nothing freezes it: within projection_high_days (120, past the next quarterly
--   audit) at least high, within projection_critical_days (30) critical.
-- rationale: PostgreSQL's transaction and multixact IDs are 32-bit counters. Before one wraps
--   around, every row older than about 2 billion transactions must be frozen; past 2^31 - 3
--   million the server stops taking writes until a VACUUM has done it. Autovacuum starts an
--   anti-wraparound VACUUM when a table's age passes its freeze age; a table far past it means
--   that vacuum cannot finish: a long transaction, a prepared transaction or a replication slot
--   holds the horizon back (see xmin_horizon), or autovacuum is starved. VACUUM (FREEZE) the
--   table once what holds it back is gone: it takes no lock that blocks reads or writes.
--
-- Tables (and materialized views, TOAST tables counted with their table) whose
-- age(relfrozenxid) or mxid_age(relminmxid) is past their effective freeze age (reloptions read
-- per table, else the server setting), and the database whose datfrozenxid or datminmxid age is
-- past the server's. The database-level finding's object is the database name. Returns the fixed
-- finding aliases (queries/README.md), and for the C++ logic (src/audit/checks/xid_wraparound.cpp)
-- the server's next transaction ID (next_xid, as metrics_database stores it) and the two
-- projection params.
with settings as (
  select pg_catalog.current_setting('autovacuum_freeze_max_age')::bigint as freeze_max,
         pg_catalog.current_setting('autovacuum_multixact_freeze_max_age')::bigint as mxid_freeze_max
),
-- include: table_autovacuum
tables as (
  select t.oid, n.nspname, t.relname, t.relkind,
         greatest(pg_catalog.age(t.relfrozenxid),
                  coalesce((select pg_catalog.age(tt.relfrozenxid) from pg_catalog.pg_class tt where tt.oid = t.reltoastrelid), 0)) as xid_age,
         greatest(pg_catalog.mxid_age(t.relminmxid),
                  coalesce((select pg_catalog.mxid_age(tt.relminmxid) from pg_catalog.pg_class tt where tt.oid = t.reltoastrelid), 0)) as mxid_age,
         av.freeze_max, av.mxid_freeze_max
  from pg_catalog.pg_class t
  join pg_catalog.pg_namespace n on n.oid = t.relnamespace
  join table_autovacuum av on av.oid = t.oid
  where t.relkind in ('r', 'm')
    and n.nspname not in ('information_schema')
    and n.nspname !~ '^pg_(toast|temp_)'
),
past as (
  select t.*, greatest(t.xid_age::numeric / t.freeze_max, t.mxid_age::numeric / t.mxid_freeze_max) as ratio
  from tables t
  where t.xid_age > t.freeze_max or t.mxid_age > t.mxid_freeze_max
)
select p.nspname as schema_name,
       p.relname as table_name,
       format('%I.%I', p.nspname, p.relname) as object,
       case when p.relkind = 'm' then 'materialized view' else 'table' end as object_type,
       case when greatest(p.xid_age, p.mxid_age) >= $2::bigint then 'critical'
            when greatest(p.xid_age, p.mxid_age) >= $1::bigint or p.ratio >= 2 then 'high'
            else 'medium' end as severity,
       format('%I.%I is %s transactions old (its freeze age is %s) and %s multixacts old (of %s): autovacuum''s anti-wraparound vacuum %s',
              p.nspname, p.relname, p.xid_age, p.freeze_max, p.mxid_age, p.mxid_freeze_max,
              case when p.ratio >= 2 then 'has not finished for long: something holds the horizon back or autovacuum is starved'
                   else 'is due or running' end) as message,
       json_build_object('xid_age', p.xid_age, 'freeze_max_age', p.freeze_max, 'mxid_age', p.mxid_age,
                         'multixact_freeze_max_age', p.mxid_freeze_max, 'xids_to_wraparound', 2147483647 - p.xid_age) as evidence,
       concat_ws(E'\n',
         '-- first end what holds the horizon back (xmin_horizon lists long transactions, prepared transactions, slots),',
         '-- then freeze the table (SHARE UPDATE EXCLUSIVE: reads and writes go on; one autovacuum on it at a time)',
         format('vacuum (freeze, verbose) %I.%I;', p.nspname, p.relname)) as remediation,
       '-- nothing to undo: freezing only marks old rows as visible to every transaction' as undo,
       pg_catalog.pg_snapshot_xmax(pg_catalog.pg_current_snapshot())::text::bigint as next_xid,
       $3::int as projection_high_days,
       $4::int as projection_critical_days
from past p
union all
select null, null, d.datname::text, 'database',
       case when greatest(pg_catalog.age(d.datfrozenxid), pg_catalog.mxid_age(d.datminmxid)) >= $2::bigint then 'critical'
            when greatest(pg_catalog.age(d.datfrozenxid), pg_catalog.mxid_age(d.datminmxid)) >= $1::bigint then 'high'
            else 'low' end,
       format('database %s is %s transactions and %s multixacts old (2^31 is %s): its oldest table decides, and those past their freeze age are listed',
              d.datname, pg_catalog.age(d.datfrozenxid), pg_catalog.mxid_age(d.datminmxid), 2147483648),
       json_build_object('xid_age', pg_catalog.age(d.datfrozenxid), 'mxid_age', pg_catalog.mxid_age(d.datminmxid),
                         'freeze_max_age', s.freeze_max, 'xids_to_wraparound', 2147483647 - pg_catalog.age(d.datfrozenxid)),
       concat_ws(E'\n',
         '-- the database''s age is its oldest table''s: freeze the tables listed for it (and any system catalog autovacuum has',
         '-- not reached); vacuumdb --all --freeze --jobs=N does every table, outside a transaction'),
       '-- nothing to undo',
       pg_catalog.pg_snapshot_xmax(pg_catalog.pg_current_snapshot())::text::bigint,
       $3::int,
       $4::int
from pg_catalog.pg_database d
cross join settings s
where d.datname = pg_catalog.current_database()
  and (pg_catalog.age(d.datfrozenxid) > s.freeze_max or pg_catalog.mxid_age(d.datminmxid) > s.mxid_freeze_max)
order by 1 nulls first, 2
