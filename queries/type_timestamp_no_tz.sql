-- id: type_timestamp_no_tz
-- category: type_timestamp_no_tz
-- area: types
-- title: timestamp without time zone columns
-- severity: low
-- effort: low
-- group: check
-- params: window_index_bytes=104857600
-- grading: low; the effort medium when the column is indexed: the ALTER rebuilds those indexes
--   under its ACCESS EXCLUSIVE lock.
-- rationale: timestamp without time zone stores a wall-clock reading with no zone: the same
--   value means different instants to clients in different zones, and daylight-saving changes
--   make it ambiguous. timestamptz stores an instant. On PostgreSQL 12+ the change is a
--   catalog-only ALTER COLUMN TYPE when the session time zone is UTC and the stored values are
--   UTC; indexes on the column are still rebuilt under the lock, so for a large indexed column
--   use expand-contract instead (from window_index_bytes, 100 MB of such indexes, the steps are
--   advice). Views over the column block the change: views and materialized
--   views are dropped and recreated around it in one transaction (a materialized view filled
--   again under the lock), rules and views read by other views are named and left to do by hand.
--   No ALTER is printed for a partition key column (PostgreSQL refuses it) nor under an index
--   whose expression or predicate uses the column other than as "col IS [NOT] NULL" (its rebuild
--   fails), nor under a CHECK that reads it through a function, a cast or a literal (on timestamptz
--   it would read each writer's time zone): the finding gives advice. So it does when the database's time zone (the audit
--   session's TimeZone) is not UTC all year: the stored values may be wall-clock times of that
--   zone (a now() default) or UTC (most frameworks), and the change reads them in the session's
--   zone, catalog-only in UTC (shifting local values), a rewrite in that zone.
--
-- Finds columns of type timestamp without time zone on tables, partitions left out. Returns
-- the fixed finding aliases (queries/README.md).
with
-- include: column_dependents
, expression_indexes as (
  -- indexes with an expression or a predicate over a timestamp column: rebuilt for timestamptz,
  -- what was IMMUTABLE for timestamp (date(col), col::date, col > a timestamp literal) no longer
  -- is, and the rebuild fails
  select d.refobjid as table_oid, d.refobjsubid as attnum,
         -- "index a has", "indexes a, b have"
         case when count(distinct x.indexrelid) = 1 then 'index ' else 'indexes ' end
           || string_agg(distinct format('%I.%I', n.nspname, i.relname), ', ')
           || case when count(distinct x.indexrelid) = 1 then ' has' else ' have' end as names_have,
         string_agg(distinct format('%I.%I', n.nspname, i.relname), ', ') as names,
         case when count(distinct x.indexrelid) = 1 then 'it' else 'them' end as them
  from pg_catalog.pg_index x
  join pg_catalog.pg_class i on i.oid = x.indexrelid
  join pg_catalog.pg_namespace n on n.oid = i.relnamespace
  join pg_catalog.pg_depend d on d.classid = 'pg_catalog.pg_class'::regclass and d.objid = x.indexrelid
                             and d.refclassid = 'pg_catalog.pg_class'::regclass and d.refobjid = x.indrelid
                             and d.refobjsubid > 0
  join pg_catalog.pg_attribute c on c.attrelid = x.indrelid and c.attnum = d.refobjsubid
                                and c.atttypid = 'pg_catalog.timestamp'::pg_catalog.regtype
  -- the column in the expressions or the predicate, other than in "col IS [NOT] NULL" (which holds
  -- for timestamptz as it is): a key column beside a predicate on other columns (WHERE active) or
  -- a soft-delete predicate (WHERE deleted_at IS NULL) rebuilds as it is
  cross join lateral (
    select pg_catalog.replace(pg_catalog.replace(
             concat_ws(' ', pg_catalog.pg_get_expr(x.indexprs, x.indrelid), pg_catalog.pg_get_expr(x.indpred, x.indrelid)),
             pg_catalog.quote_ident(c.attname) || ' IS NOT NULL', ''), pg_catalog.quote_ident(c.attname) || ' IS NULL', '')
             as rest) e
  where (x.indexprs is not null or x.indpred is not null)
    and e.rest ~ ('(^|[^[:alnum:]_$"])'
                  || pg_catalog.regexp_replace(pg_catalog.quote_ident(c.attname), '([.^$*+?()[\]{}|\\])', '\\\1', 'g')
                  || '($|[^[:alnum:]_$"])')
  group by d.refobjid, d.refobjsubid
), zone_checks as (
  -- CHECK constraints that read a timestamp column through a function, a cast or a literal
  -- (date_trunc('day', start) = start, start::date, start > '2020-01-01'): on timestamptz these
  -- read the writing session's time zone, so a write from outside UTC fails the check or passes
  -- what it refused (Rallly's all_day_is_utc_midnight); a comparison of columns alone ("end" >
  -- start) means the same once both are changed
  select c.conrelid as table_oid, a.attnum,
         string_agg(format('%I', c.conname), ', ' order by c.conname) as names,
         case when count(*) = 1 then 'it' else 'them' end as them
  from pg_catalog.pg_constraint c
  cross join lateral unnest(c.conkey) k(attnum)
  join pg_catalog.pg_attribute a on a.attrelid = c.conrelid and a.attnum = k.attnum
                                and a.atttypid = 'pg_catalog.timestamp'::pg_catalog.regtype
  -- the column as a function's argument, cast, or compared with a literal (a literal elsewhere in
  -- the check, status <> 'done' OR completed_at IS NOT NULL, reads no zone)
  cross join lateral (select pg_catalog.regexp_replace(pg_catalog.quote_ident(a.attname), '([.^$*+?()[\]{}|\\])', '\\\1', 'g') as q) e
  where c.contype = 'c'
    and pg_catalog.pg_get_constraintdef(c.oid)
          ~ ('[[:alnum:]_]\([^()]*(^|[^[:alnum:]_$"])' || e.q || '($|[^[:alnum:]_$"])'
             || '|(^|[^[:alnum:]_$"])' || e.q || '\)?::'
             || '|(^|[^[:alnum:]_$"])' || e.q || ' [<>=!]+ '''
             || '|''::[[:alpha:] ]+ [<>=!]+ ' || e.q || '($|[^[:alnum:]_$"])')
  group by c.conrelid, a.attnum
)
select n.nspname as schema_name,
       t.relname as table_name,
       format('%I.%I.%I', n.nspname, t.relname, a.attname) as object,
       'column' as object_type,
       format('column %I.%I.%I is timestamp without time zone: its values name no instant; use timestamptz%s',
              n.nspname, t.relname, a.attname,
              case when change.partition_key or change.invalid_indexes is not null then coalesce(change.key_clause, change.invalid_clause)
                   when a.attgenerated <> '' then '; it is a generated column: its expression makes the timestamp, which a timestamptz column would read in the writing session''s time zone, so the expression is what to change'
                   when ei.names is not null then format('; %s an expression or predicate over it that fails to rebuild for timestamptz: recreate %s with an explicit time zone', ei.names_have, ei.them)
                   when zc.names is not null then format('; CHECK %s %s it through a function, a cast or a literal, which on timestamptz reads the writing session''s time zone: rewrite %s with an explicit zone first', zc.names, case when zc.them = 'it' then 'reads' else 'read' end, zc.them)
                   else coalesce(change.dependents_clause, '') end)
         || case when not tz.utc
                 then format('; the database''s time zone is %s, not UTC: its values may be wall-clock times there (what now() '
                             'writes into the column) or UTC (what most frameworks write), and the change reads them in the '
                             'session''s zone, so the steps are advice until someone says which', tz.zone)
                 when df.foreign_zone is not null
                 then format('; its default %s writes wall-clock times of %s, so its values are most likely those, which a change '
                             'that reads them as UTC would shift: the steps are advice until someone says which', df.old_default, df.foreign_zone)
                 else '' end as message,
       json_build_object('column_type', format_type(a.atttypid, a.atttypmod), 'indexed', i.indexed,
                         'rebuilt_indexes', i.index_names, 'rebuilt_index_bytes', case when i.indexed then i.index_bytes end,
                         'dependent_views', dep.names, 'expression_indexes', ei.names, 'zone_checks', zc.names, 'partition_key', change.partition_key,
                         'database_timezone', tz.zone, 'default_zone', df.foreign_zone) as evidence,
       -- the ALTER rebuilds every index with the column under its ACCESS EXCLUSIVE lock
       case when i.indexed then 'medium' end as effort,
       case when not tz.utc then regexp_replace(format(
         '-- not printed as a script: the database''s time zone is %s, and ALTER COLUMN ... TYPE timestamptz reads each value in the '
         'session''s zone. In UTC the change is catalog-only but shifts values written as wall-clock times of %s (a now() '
         'default, a session in that zone) by its offset; in %s those are converted right, but the table is rewritten under an '
         'ACCESS EXCLUSIVE lock (for a large table, expand-contract). Decide which the values are, then in a window: '
         'set timezone = %L; (or %L) alter table %I.%I alter column %I type %s;',
         tz.zone, tz.zone, tz.zone, tz.zone, 'UTC', n.nspname, t.relname, a.attname, tc.new_type), '[\r\n]+', E'\n-- ', 'g')
       -- Temporal's recheck: default (now() at time zone 'Europe/Paris') became now() while the rows
       -- were read as UTC: an hour off for every row written before
       when df.foreign_zone is not null then regexp_replace(format(
         '-- not printed as a script: the default %s writes wall-clock times of %s, so the values are most likely those. '
         'If they all are, in a window (a rewrite under an ACCESS EXCLUSIVE lock; for a large table, expand-contract): '
         'alter table %I.%I alter column %I type %s using %I at time zone %L, alter column %I set default now();',
         df.old_default, df.foreign_zone, n.nspname, t.relname, a.attname, tc.new_type, a.attname, df.foreign_zone, a.attname), '[\r\n]+', E'\n-- ', 'g')
       else concat_ws(E'\n',
         '-- no table rewrite when the values are UTC and the session time zone is UTC (PostgreSQL 12+);',
         '-- values written in another zone need "using <col> at time zone ''<zone>''", which rewrites the table',
         case when i.indexed then regexp_replace(format(
           '-- the ALTER rebuilds %s under its lock: %s (%s as of %s last build); on a large table, time it on a copy or use expand-contract instead',
           case when i.index_count = 1 then 'the index with the column' else i.index_count || ' indexes with the column' end, i.index_names,
           pg_catalog.pg_size_pretty(i.index_bytes), case when i.index_count = 1 then 'its' else 'their' end), '[\r\n]+', E'\n-- ', 'g') end,
         case
         when change.partition_key or change.invalid_indexes is not null then coalesce(change.key_advice, change.invalid_advice)
         when a.attgenerated <> '' then concat_ws(E'\n',
           '-- not printed: a generated column takes what its expression returns, and a timestamp becomes a timestamptz in the',
           '-- session''s time zone of each write. Make the expression return timestamptz with an explicit zone (e.g.',
           '-- "<expression> at time zone ''UTC''"): ALTER COLUMN ... SET EXPRESSION on PostgreSQL 17+, else a new generated',
           '-- column swapped in by expand-contract.')
         when ei.names is not null then
           regexp_replace(format('-- not printed: %s an expression or predicate over the column whose functions or casts are not '
                                 'IMMUTABLE for timestamptz, so rebuilding %s fails. Drop %s, run: alter table %I.%I alter column %I '
                                 'type %s; then recreate %s with an explicit zone, e.g. ((%I at time zone ''UTC'')::date)',
                                 ei.names_have, ei.them, ei.them, n.nspname, t.relname, a.attname, tc.new_type, ei.them, a.attname),
                          '[\r\n]+', E'\n-- ', 'g')
         when zc.names is not null then
           regexp_replace(format('-- not printed: CHECK %s %s the column through a function, a cast or a literal (date_trunc, '
                                 '::date, a timestamp literal), which on timestamptz reads the time zone of each writing session: '
                                 'from outside UTC a write would fail it, or pass what it refuses today. Rewrite %s with an explicit '
                                 'zone first (date_trunc(''day'', %I, ''UTC''), (%I at time zone ''UTC'')::date; added NOT VALID, '
                                 'then validated), then run: set timezone = ''UTC''; alter table %I.%I alter column %I type %s;',
                                 zc.names, case when zc.them = 'it' then 'reads' else 'read' end, zc.them, a.attname, a.attname,
                                 n.nspname, t.relname, a.attname, tc.new_type),
                          '[\r\n]+', E'\n-- ', 'g')
         when dep.names is not null and not dep.recreatable then change.dependents_advice
         -- the indexes the ALTER rebuilds under its ACCESS EXCLUSIVE lock reach window_index_bytes ($1,
         -- 100 MB): Temporal's start_time, 299 MB in 59 indexes, held it 2 s on 15,000 rows; more at
         -- size. A window, or a new column by expand-contract, as type_json's large tables
         when i.index_bytes >= $1::bigint then regexp_replace(format(
           '-- not printed as a script: the ALTER rebuilds %s of indexes with the column under an ACCESS EXCLUSIVE lock, '
           'which blocks reads and writes for as long. In a window: set timezone = ''UTC''; alter table %I.%I alter column %I '
           'type %s; or move it by expand-contract (a timestamptz column kept in sync by a trigger, a batched backfill, '
           'its indexes built concurrently, a swap).',
           pg_catalog.pg_size_pretty(i.index_bytes), n.nspname, t.relname, a.attname, tc.new_type), '[\r\n]+', E'\n-- ', 'g')
         else concat_ws(E'\n',
           'set timezone = ''UTC'';',
           'set lock_timeout = ''5s'';',
           case when dep.names is not null then concat_ws(E'\n',
             change.dependents_note,
             'begin;', dep.drop_sql) end,
           -- timestamptz(n) below 6 would apply the precision to every row: a rewrite under the lock
           case when tc.drops_precision then format(
             '-- its precision is not kept: timestamptz(%s) would rewrite the table under the lock; round new values in the writer',
             a.atttypmod) end,
           case when df.new_default is not null then regexp_replace(format(
             '-- its default %s is the wall-clock time of a zone, which a timestamptz column would read in each '
             'session''s zone: the change makes it %s', df.old_default, df.new_default), '[\r\n]+', E'\n-- ', 'g') end,
           format('alter table %I.%I alter column %I type %s%s;', n.nspname, t.relname, a.attname, tc.new_type,
                  case when df.new_default is not null then format(', alter column %I set default %s', a.attname, df.new_default) else '' end),
           case when dep.names is not null then concat_ws(E'\n', dep.create_sql, 'commit;') end)
         end) end as remediation,
       -- the change back mirrors the fix (catalog-only in a UTC session, the views dropped and
       -- recreated around it from their definitions as the audit read them)
       case when not tz.utc or df.foreign_zone is not null or i.index_bytes >= $1::bigint or change.partition_key or change.invalid_indexes is not null or a.attgenerated <> '' or ei.names is not null or zc.names is not null or (dep.names is not null and not dep.recreatable) then
         '-- nothing to undo: the advice runs nothing'
       else concat_ws(E'\n',
         'set timezone = ''UTC'';',
         'set lock_timeout = ''5s'';',
         case when dep.names is not null then concat_ws(E'\n', 'begin;', dep.drop_sql) end,
         -- back to timestamp (catalog-only in a UTC session, as the fix), without a precision below
         -- 6: timestamp(n) would round every row, a rewrite under the lock (Plausible's timestamp(0)
         -- columns); the values the fix kept have that precision still. timestamp(6) comes back as it
         -- was (the type's own precision: no rounding)
         format('alter table %I.%I alter column %I type %s%s;', n.nspname, t.relname, a.attname,
                tc.back_type,
                case when df.new_default is not null then format(', alter column %I set default %s', a.attname, df.old_default) else '' end),
         case when dep.names is not null then concat_ws(E'\n', dep.create_sql, 'commit;') end,
         case when tc.drops_precision then format(
           '-- it was %s: to declare that precision again (it rounds every row: a rewrite under an ACCESS EXCLUSIVE lock), in a window: alter table %I.%I alter column %I type %s;',
           format_type(a.atttypid, a.atttypmod), n.nspname, t.relname, a.attname, format_type(a.atttypid, a.atttypmod)) end)
       end as undo,
       format('%I.%I.%I', n.nspname, t.relname, a.attname) as identity
from pg_catalog.pg_attribute a
join pg_catalog.pg_class t on t.oid = a.attrelid
join pg_catalog.pg_namespace n on n.oid = t.relnamespace
-- the indexes that have the column among their columns, which the ALTER rebuilds under its lock
-- (timestamp_ops to timestamptz_ops: Temporal's executions_visibility.start_time is in 59 of its
-- 74 indexes, 2 s of ACCESS EXCLUSIVE on 15,000 rows), named with their size as of their last
-- build, VACUUM or ANALYZE; looked up by the column's table (a set of every index's columns,
-- grouped, took a fifth of the check's time for the 2,000 columns)
cross join lateral (
  select count(*) > 0 as indexed, count(*) as index_count,
         string_agg(format('%I.%I', n.nspname, ic.relname), ', ' order by ic.relname) as index_names,
         coalesce(sum(ic.relpages), 0)::bigint * pg_catalog.current_setting('block_size')::bigint as index_bytes
  from pg_catalog.pg_index x
  join pg_catalog.pg_class ic on ic.oid = x.indexrelid
  where x.indrelid = t.oid and a.attnum = any (x.indkey::int2[])) i
left join dependents dep on dep.table_oid = t.oid and dep.attnum = a.attnum
left join expression_indexes ei on ei.table_oid = t.oid and ei.attnum = a.attnum
left join zone_checks zc on zc.table_oid = t.oid and zc.attnum = a.attnum
-- timestamp(6), Rails' default since 7.0, keeps its declared precision: 6 is the type's own, so
-- PostgreSQL turns the cast to timestamptz(6) into a relabel (no rounding, no rewrite; checked on
-- 13 and 18); a smaller one would round every row (a rewrite under the lock), so it is not kept
-- (new_type for the fix, back_type for its undo, drops_precision for the comments that say so)
cross join lateral (select case when a.atttypmod = 6 then 'timestamptz(6)' else 'timestamptz' end as new_type,
                           pg_catalog.format_type(a.atttypid, case when a.atttypmod = 6 then a.atttypmod end) as back_type,
                           a.atttypmod between 0 and 5 as drops_precision) tc
-- the database's time zone, as the audit's session has it (the database's or role's setting, else
-- the server's): UTC when it is UTC all year (an offset of 0 in January and in July, so not
-- Europe/London); elsewhere the values' zone is unknown (listmonk on Asia/Kolkata: now() wrote
-- local times, which the UTC change moved five and a half hours)
cross join (
  select z.zone, zu.utc
  from (select pg_catalog.current_setting('TimeZone') as zone) z
  -- include: utc_all_year
) tz
-- a default that makes a zone's wall-clock time from the current instant (timezone('UTC', now()),
-- now() at time zone 'UTC'): on a timestamptz column each session would read it in its own zone,
-- so the change sets the instant itself (`new_default`) as the default. A constant (Temporal's
-- cluster_membership DEFAULT '1970-01-01 00:00:01+00:00', kept as a timestamp) would be read in
-- each inserting session's zone just the same: it becomes that wall-clock time read as UTC, as the
-- change reads the rows
left join lateral (
  select d.expr as old_default, nd.new_default, fz.foreign_zone
  from (select pg_catalog.pg_get_expr(ad.adbin, ad.adrelid) as expr
        from pg_catalog.pg_attrdef ad where ad.adrelid = t.oid and ad.adnum = a.attnum) d
  cross join lateral (
    select regexp_match(d.expr, '^\(?(?:timezone\(''([^'']*)''::text, (now\(\)|CURRENT_TIMESTAMP(?:\([0-6]\))?|'
                                'transaction_timestamp\(\)|statement_timestamp\(\)|clock_timestamp\(\))\)|'
                                '(now\(\)|CURRENT_TIMESTAMP(?:\([0-6]\))?|transaction_timestamp\(\)|statement_timestamp\(\)|'
                                'clock_timestamp\(\)) AT TIME ZONE ''([^'']*)''::text|'
                                '(''[^'']*''::timestamp(?:\([0-6]\))? without time zone))\)?$') as parts
  ) m
  -- the zone whose wall-clock time the default writes, when it is not UTC all year (Europe/Paris:
  -- the values are most likely Paris times, which the catalog-only change would read as UTC)
  cross join lateral (
    select case when z.zone is not null and not zu.utc then z.zone end as foreign_zone
    from (select coalesce(m.parts[1], m.parts[4]) as zone) z
    -- include: utc_all_year
  ) fz
  cross join lateral (select case when fz.foreign_zone is null
                                  then coalesce(m.parts[2], m.parts[3], '(' || m.parts[5] || ' AT TIME ZONE ''UTC'')') end as new_default) nd
  where m.parts is not null
) df on true
-- include: column_type_change
where a.atttypid = 'timestamp'::regtype
  and a.attnum > 0
  -- a column an inheritance child has from its parent (Concourse's pipeline_build_events_N () INHERITS
  -- (build_events)): PostgreSQL refuses to alter it there ("cannot alter inherited column"), and
  -- the parent's change reaches it
  and a.attinhcount = 0
  and not a.attisdropped
  -- the old column an expand-contract move of this tool left for its grace period (deprecated_object's)
  and a.attname not like 'deprecated\_%'
  and t.relkind in ('r', 'p')
  and not t.relispartition
  and n.nspname not in ('pg_catalog', 'information_schema')
  and n.nspname !~ '^pg_(toast|temp_)'
  and not exists (select 1 from pg_catalog.pg_depend d
                  where d.classid = 'pg_catalog.pg_class'::regclass and d.objid = t.oid and d.deptype = 'e')
order by n.nspname, t.relname, a.attnum
