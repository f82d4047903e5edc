-- id: unused_column_statements
-- category: unused_column
-- area: cleanup
-- title: Columns no recorded statement references
-- severity: info..low, default low
-- effort: low
-- group: table
-- needs: pg_stat_statements|query_log
-- params: min_rows=10000, min_statements=100, tenant_keys={}, deprecation_patterns={}, grace_days=(config)
-- input: recorded_statements
-- rationale: A column that none of the statements pg_stat_statements recorded ever reads or
--   writes, on a table those statements do use, is most likely dead: left behind by a removed
--   feature, it still costs space in every row and confuses readers. Retire it in two steps:
--   rename it to deprecated_<name> (a brief lock, taken with lock_timeout) so any remaining
--   reader fails loudly and can be fixed, then drop it after the grace period. The server's
--   query logs (--query-log) count as recorded statements, over the period they cover.
--
-- Rows for the C++ logic in src/audit/checks/unused_column_statements.cpp, which parses every
-- statement with libpg_query, resolves each column reference to its table (aliases, schema
-- qualification, search_path = public) and flags the columns no statement references on tables
-- that some statement references (a * references every column). row_kind 'statement': every
-- statement pg_stat_statements recorded for this database (the input recorded_statements, $6;
-- no rows without the extension: the statements of the query logs are added by the C++ logic,
-- which also adds their number to the meta row's); row_kind
-- 'table': ordinary tables of at least min_rows rows with their candidate columns. Not
-- candidates: columns used by an index, a constraint or a view, columns whose name appears in
-- the source of a user function (statements inside functions are not recorded at the default
-- pg_stat_statements.track = top), tenant keys and columns already named for deprecation.
-- row_kind 'meta': the number of statements; the check is skipped while fewer than
-- min_statements are recorded (too few to tell unused from merely not yet seen).
with statements as (
  select s.queryid, s.query
  from pg_catalog.json_to_recordset($6::json) as s(queryid text, query text)
),
patterns as (
  select pg_catalog.replace(pg_catalog.replace(pg_catalog.replace(p, '\', '\\'), '_', '\_'), '*', '%') as pattern
  from pg_catalog.unnest($4::text[]) p
),
function_words as (
  select distinct w.word
  from pg_catalog.pg_proc p
  join pg_catalog.pg_namespace n on n.oid = p.pronamespace
  cross join lateral pg_catalog.regexp_split_to_table(pg_catalog.lower(p.prosrc), '[^a-z0-9_$]+') as w(word)
  where n.nspname not in ('pg_catalog', 'information_schema')
    and p.prolang not in (select l.oid from pg_catalog.pg_language l where l.lanname in ('c', 'internal'))
),
tables as (
  select c.oid, n.nspname, c.relname, c.reltuples
  from pg_catalog.pg_class c
  join pg_catalog.pg_namespace n on n.oid = c.relnamespace
  where c.relkind = 'r'
    and not c.relispartition
    and c.reltuples >= $1::numeric
    and n.nspname not in ('pg_catalog', 'information_schema')
    and n.nspname !~ '^pg_(toast|temp_)'
    and not exists (select 1 from pg_catalog.pg_depend d
                    where d.classid = 'pg_catalog.pg_class'::regclass and d.objid = c.oid
                      and d.deptype = 'e')
),
used as (
  -- Per table, the columns an index, a constraint or a view uses: one row per table, so the
  -- join below is a hash join on the table alone.
  select u.relid, pg_catalog.array_agg(u.attnum) as attnums
  from (
    select x.indrelid as relid, k.attnum
    from pg_catalog.pg_index x
    cross join lateral pg_catalog.unnest(x.indkey::int2[]) as k(attnum)
    union
    select co.conrelid, k.attnum
    from pg_catalog.pg_constraint co
    cross join lateral pg_catalog.unnest(co.conkey) as k(attnum)
    where co.conrelid <> 0
    union
    select d.refobjid, d.refobjsubid
    from pg_catalog.pg_depend d
    where d.classid = 'pg_catalog.pg_rewrite'::regclass
      and d.refclassid = 'pg_catalog.pg_class'::regclass
      and d.refobjsubid > 0
  ) u(relid, attnum)
  group by u.relid
),
columns as (
  -- Left joins, not per-column subqueries: one hash lookup per column.
  select a.attrelid,
         json_agg(json_build_array(a.attname, pg_catalog.quote_ident(a.attname),
                                   pg_catalog.quote_ident(fitted.names[1]),
                                   a.attnum <> all (coalesce(u.attnums, '{}'))
                                     and w.word is null
                                     and a.attname <> all ($3::text[])
                                     and not exists (select 1 from patterns p where a.attname like p.pattern))
                  order by a.attnum) as columns
  from pg_catalog.pg_attribute a
  join tables t on t.oid = a.attrelid
  cross join lateral (select array['deprecated_' || a.attname] as bases,
                             array[exists (select from pg_catalog.pg_attribute o
                                     where o.attrelid = t.oid and o.attname = 'deprecated_' || a.attname)] as taken) fit
-- include: fitted_names
  left join used u on u.relid = a.attrelid
  left join function_words w on w.word = pg_catalog.lower(a.attname)
  where a.attnum > 0 and not a.attisdropped
  group by a.attrelid
)
select 'statement' as row_kind,
       s.queryid as sort_key,
       json_build_object('queryid', s.queryid, 'query', s.query) as data
from statements s
union all
select 'meta', '',
       json_build_object('statements', (select count(*) from statements), 'min_statements', $2::bigint)
union all
select 'table',
       format('%I.%I', t.nspname, t.relname),
       json_build_object('schema', t.nspname, 'table', t.relname,
                         'quoted', format('%I.%I', t.nspname, t.relname),
                         'reltuples', t.reltuples::bigint,
                         'grace_days', $5::int,
                         'columns', c.columns)
from tables t
join columns c on c.attrelid = t.oid
order by 1, 2
