-- id: unused_column
-- category: unused_column
-- area: cleanup
-- title: Columns that are always NULL
-- severity: info..low, default low
-- effort: low
-- group: table
-- params: min_rows=10000, max_stats_age_days=7, tenant_keys={}, deprecation_patterns={}, grace_days=(config), stats_min_age_days=(config)
-- grading: info with low confidence and the rename as advice ("not enough evidence yet") while the
--   statistics counters began under stats_min_age_days (30) days ago: on a young database a column
--   NULL until an event happens (finished_at, erased_by_id) looks the same; else low.
-- rationale: A column that is NULL in every row carries no information: it is usually left over
--   from a feature that was removed or never shipped, yet it confuses readers. Retire it in two
--   steps: once the application no longer names it (an ORM that lists every column in its
--   INSERTs fails on a renamed one), rename it to deprecated_<name> (a brief lock, taken with
--   lock_timeout) so any remaining reader fails loudly and can be fixed, then drop it after the
--   grace period.
--
-- From pg_stats (null_frac = 1) on
-- ordinary tables of at least min_rows rows whose statistics are fresh: analyzed within
-- max_stats_age_days days and less than 10% of rows modified since; and on partitioned tables,
-- by their leaf partitions (each holding rows NULL in every row, analyzed with less than 10% of
-- its rows modified since; rows summed; not the partition key). Skips partitions (a partition
-- key is constant in each partition; their table is judged), columns used by an index (key, expression or
-- predicate; not a whole unique index on the column alone, which checks nothing on NULLs: the
-- message names it, and it goes with the column), a constraint or a view, tenant keys (tenant_keys) and columns already named for
-- deprecation (deprecation_patterns, globs). A column holding one value in every row is not
-- flagged: on real schemas those were states nobody has left yet (a soft-delete 0, a format
-- version, a flag not yet set), written by every insert, and not_null_candidate's to declare.
-- confidence: high when ANALYZE's sample covered every row (300 x the table's largest
-- statistics target, 30,000 rows by default, at least reltuples), else medium: a value in rows
-- outside the sample would not show; low while the statistics counters (the database's
-- stats_reset, else the server's start) began under $6 (stats_min_age_days) days ago: the
-- finding is then info and its rename is advice (Gisia, minutes after loading: ci_builds'
-- finished_at and erased_by_id, NULL until a build finishes or is erased). The reasons are in
-- evidence.confidence_basis, the window in evidence.stats_days.
-- Columns: the fixed finding aliases and confidence; evidence has null_frac, n_distinct,
-- reltuples, last_analyzed, sample_rows, confidence_basis.
with
-- include: stats_window
patterns as (
  select pg_catalog.replace(pg_catalog.replace(pg_catalog.replace(p, '\', '\\'), '_', '\_'), '*', '%') as pattern
  from pg_catalog.unnest($4::text[]) p
),
tables as (
  -- The pg_stat_get_* functions behind pg_stat_user_tables, without its per-table index join.
  select c.oid, n.nspname, c.relname, c.reltuples,
         greatest(pg_catalog.pg_stat_get_last_analyze_time(c.oid),
                  pg_catalog.pg_stat_get_last_autoanalyze_time(c.oid)) as last_analyzed
  from pg_catalog.pg_class c
  join pg_catalog.pg_namespace n on n.oid = c.relnamespace
  where c.relkind = 'r'
    and not c.relispartition
    and c.reltuples >= $1::numeric
    and greatest(pg_catalog.pg_stat_get_last_analyze_time(c.oid),
                 pg_catalog.pg_stat_get_last_autoanalyze_time(c.oid))
          >= pg_catalog.now() - pg_catalog.make_interval(days => $2::int)
    and pg_catalog.pg_stat_get_mod_since_analyze(c.oid) < c.reltuples / 10
    and n.nspname not in ('pg_catalog', 'information_schema')
    and n.nspname !~ '^pg_(toast|temp_)'
    and not exists (select 1 from pg_catalog.pg_depend d
                    where d.classid = 'pg_catalog.pg_class'::regclass and d.objid = c.oid
                      and d.deptype = 'e')
),
-- pg_stats read once (materialized) and only for the candidate values; joined by name below.
stats as materialized (
  select s.schemaname, s.tablename, s.attname, s.null_frac, s.n_distinct
  from pg_catalog.pg_stats s
  where not s.inherited
    and s.null_frac = 1
    and s.schemaname not in ('pg_catalog', 'information_schema')
    and s.schemaname !~ '^pg_(toast|temp_)'
),
own_unique_indexes as (
  -- unique indexes on one column alone, whole: on a column NULL in every row they check nothing
  -- and only cost every insert, so they are no use of it (Rallly's polls.event_id and its
  -- polls_event_id_key); the finding names them, and they go with the column
  select x.indexrelid, x.indrelid, x.indkey[0] as attnum
  from pg_catalog.pg_index x
  where x.indisunique and not x.indisprimary and x.indnatts = 1 and x.indexprs is null and x.indpred is null
),
used as (
  -- Per table, the columns an index, a constraint or a view uses: one row per table, so the
  -- join below is a hash join on the table alone.
  select u.relid, pg_catalog.array_agg(u.attnum) as attnums
  from (
    select x.indrelid as relid, k.attnum
    from pg_catalog.pg_index x
    cross join lateral pg_catalog.unnest(x.indkey::int2[]) as k(attnum)
    where x.indexrelid not in (select o.indexrelid from own_unique_indexes o)
    union
    select co.conrelid, k.attnum
    from pg_catalog.pg_constraint co
    cross join lateral pg_catalog.unnest(co.conkey) as k(attnum)
    where co.conrelid <> 0 and not (co.contype = 'u' and co.conindid in (select o.indexrelid from own_unique_indexes o))
    union
    -- columns in index expressions and predicates (a soft-delete deleted_at in "where deleted_at
    -- is null" is NULL everywhere and in use) and columns views read, from their dependencies
    select d.refobjid, d.refobjsubid
    from pg_catalog.pg_depend d
    where d.classid in ('pg_catalog.pg_class'::regclass, 'pg_catalog.pg_rewrite'::regclass)
      and d.refclassid = 'pg_catalog.pg_class'::regclass
      and d.refobjsubid > 0
      and d.deptype in ('a', 'n')
      and d.objid not in (select o.indexrelid from own_unique_indexes o)
  ) u(relid, attnum)
  group by u.relid
),
-- The columns NULL in every row, with the figures they are judged by: a table's own statistics,
-- or a partitioned table's from its leaf partitions (PostgreSQL never analyzes a partitioned table
-- on its own: Gisia's notes and activities were never judged). There every leaf that holds rows
-- is NULL in every row of the column, its statistics taken with fewer than 10% of its rows
-- changed since (an old partition nobody writes keeps its statistics for months), rows summed;
-- the partition key's columns are the partitioning's own.
-- include: partition_leaves
judged as (
  select t.oid, t.nspname, t.relname, t.reltuples, t.last_analyzed, a.attnum, s.null_frac, s.n_distinct, null::bigint as leaves
  from tables t
  join pg_catalog.pg_attribute a on a.attrelid = t.oid and a.attnum > 0 and not a.attisdropped
  join stats s on s.schemaname = t.nspname and s.tablename = t.relname and s.attname = a.attname
  union all
  select pl.root, pl.root_schema, pl.root_name, sum(pl.reltuples), min(pl.last_analyzed), pa.attnum, max(s.null_frac),
         max(s.n_distinct), count(*)
  from partition_leaves pl
  join pg_catalog.pg_attribute pa on pa.attrelid = pl.root and pa.attnum > 0 and not pa.attisdropped
  left join stats s on s.schemaname = pl.leaf_schema and s.tablename = pl.leaf_name and s.attname = pa.attname
  where pa.attnum <> all (coalesce((select pp.partattrs::int2[] from pg_catalog.pg_partitioned_table pp
                                    where pp.partrelid = pl.root), '{}'))
  group by pl.root, pl.root_schema, pl.root_name, pa.attnum
  having count(s.null_frac) = count(*)
     and bool_and(pl.last_analyzed is not null and pl.n_mod_since_analyze < greatest(pl.reltuples, 0) / 10)
     and sum(pl.reltuples) >= $1::numeric
)
select t.nspname as schema_name,
       t.relname as table_name,
       format('%I.%I.%I', t.nspname, t.relname, a.attname) as object,
       'column' as object_type,
       case when w.young
            then format('column %I of %I.%I is NULL in every row (about %s rows, analyzed %s), but not enough evidence yet: '
                        'the statistics began %s day(s) ago (under stats_min_age_days, %s), and a column NULL until an '
                        'event happens (finished_at) looks the same on a young database; audit again after %s',
                        a.attname, t.nspname, t.relname,
                        t.reltuples::bigint, pg_catalog.to_char(t.last_analyzed, 'YYYY-MM-DD'),
                        round(w.days::numeric, 1), $6::int,
                        pg_catalog.to_char(pg_catalog.now() + pg_catalog.make_interval(days => ceil($6::int - w.days)::int), 'YYYY-MM-DD'))
            else format('column %I of %I.%I is NULL in every row (about %s rows, analyzed %s); it carries no information: '
                        'once the application no longer names it, rename it to deprecated_%s, then drop it after %s days',
                        a.attname, t.nspname, t.relname,
                        t.reltuples::bigint, pg_catalog.to_char(t.last_analyzed, 'YYYY-MM-DD'),
                        a.attname, $5::int) end
         || case when oui.names is not null
                 then format('; its unique index %s checks nothing on NULLs and only costs every insert: it goes with the column', oui.names)
                 else '' end as message,
       case when w.young then 'info' end as severity,
       json_build_object('null_frac', t.null_frac, 'n_distinct', t.n_distinct, 'partitions', t.leaves,
                         'reltuples', t.reltuples::bigint, 'last_analyzed', t.last_analyzed,
                         'always_null', t.null_frac = 1, 'sample_rows', sm.sample_rows, 'own_unique_indexes', oui.names,
                         'stats_days', round(w.days::numeric, 1),
                         'confidence_basis',
                         (select coalesce(json_agg(r), '[]') from unnest(array[
                            case when w.young
                                 then format('the statistics counters began %s day(s) ago, under stats_min_age_days (%s)',
                                             round(w.days::numeric, 1), $6::int) end,
                            case when sm.sample_rows < t.reltuples
                                 then format('the statistics sampled about %s of %s rows: a value in '
                                             'the rows outside the sample would not show',
                                             sm.sample_rows, t.reltuples::bigint) end]) r
                          where r is not null)) as evidence,
       case when w.young then 'low' when sm.sample_rows >= t.reltuples then 'high' else 'medium' end as confidence,
       -- young: the same steps, as comments (advice: nothing runs)
       case when w.young then E'-- not enough evidence yet; when a later audit still finds it NULL in every row:\n' else '' end
       -- run again once renamed, it says so and changes nothing
       || regexp_replace(format(E'-- first make the application stop naming %I (Rails: ignored_columns; an ORM that lists every column\n'
                                '-- in its INSERTs fails on a renamed one), then:\n'
                                'set lock_timeout = ''5s'';\n'
                                'do $$\nbegin\n'
                                '  if exists (select from pg_catalog.pg_attribute where attrelid = %L::regclass and attname = %L and not attisdropped) then\n'
                                '    alter table %I.%I rename column %I to %I;\n'
                                '  else\n'
                                '    raise notice ''%%: no column %% (renamed already, or gone): nothing to do'', %L, %L;\n'
                                '  end if;\nend $$;\n'
                                '-- after %s days without errors, drop the renamed column (alter table ... drop column)',
                                a.attname, format('%I.%I', t.nspname, t.relname), a.attname,
                                t.nspname, t.relname, a.attname, fitted.names[1],
                                format('%I.%I', t.nspname, t.relname), a.attname, $5::int),
                         E'\n(?!--)', case when w.young then E'\n-- ' else E'\n' end, 'g') as remediation,
       case when w.young then '-- nothing to undo: the advice runs nothing'
            else format(E'set lock_timeout = ''5s'';\nalter table %I.%I rename column %I to %I;\n'
                        '-- once dropped, its values cannot be brought back without a backup taken before the drop',
                        t.nspname, t.relname, fitted.names[1], a.attname) end as undo,
       format('%I.%I.%I', t.nspname, t.relname, a.attname) as identity
from judged t
-- the statistics' days: the window a column had to take a value in
cross join (select c.days, c.days < $6::int as young from stats_window c) w
join pg_catalog.pg_attribute a on a.attrelid = t.oid and a.attnum = t.attnum
left join used u on u.relid = t.oid
cross join lateral (select string_agg(format('%I.%I', t.nspname, i.relname), ', ' order by i.relname) as names
                    from own_unique_indexes o join pg_catalog.pg_class i on i.oid = o.indexrelid
                    where o.indrelid = t.oid and o.attnum = a.attnum) oui
-- ANALYZE samples 300 rows per unit of the table's largest column statistics target (-1, or
-- null from PostgreSQL 17, is default_statistics_target)
cross join lateral (
  select 300 * max(coalesce(nullif(o.attstattarget::int, -1),
                            pg_catalog.current_setting('default_statistics_target')::int))::bigint as sample_rows
  from pg_catalog.pg_attribute o
  where o.attrelid = t.oid and o.attnum > 0 and not o.attisdropped) sm
cross join lateral (select array['deprecated_' || a.attname] as bases,
                           array[exists (select from pg_catalog.pg_attribute o
                                   where o.attrelid = t.oid and o.attname = 'deprecated_' || a.attname)] as taken) fit
-- include: fitted_names
where a.attgenerated = ''
  and a.attnum <> all (coalesce(u.attnums, '{}'))
  and a.attname <> all ($3::text[])
  and not exists (select 1 from patterns p where a.attname like p.pattern)
order by t.nspname, t.relname, a.attnum
