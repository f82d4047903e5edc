-- id: unique_candidate
-- category: unique_candidate
-- title: Columns that look unique but are not constrained
-- severity: low
-- effort: low
-- params: min_rows=1000, name_distinct_ratio=0.99
-- rationale: A column whose values are all distinct (an email, a slug, an external code) but has
--   no unique index lets the first duplicate in silently, usually through a race between two
--   requests that both checked first. Build a unique index concurrently (it fails, and leaves
--   an invalid index to drop, if duplicates exist already), then optionally attach it as a
--   constraint with ADD CONSTRAINT ... UNIQUE USING INDEX.
--
-- Finds columns on tables of at least `min_rows` estimated rows that no valid unique index
-- involves, and that either are of a text, varchar, char, citext or uuid type with pg_stats
-- n_distinct = -1 (every sampled value distinct) and sampled values without whitespace (keys,
-- not names or prose), or are named *email, *username, *slug, *code or *number (those also of
-- an integer type) with n_distinct at or below -`name_distinct_ratio`.
-- A unique index involves a column as a key column, in an expression or in its predicate: a
-- composite (organization_id, number), an expression (lower(email)) or a partial (where
-- deleted_at is null) unique index is a uniqueness rule someone chose, and a global one on the
-- column alone would contradict it. Integer and timestamp columns are all-distinct too often
-- to be flagged on statistics alone. Returns the fixed finding aliases (docs/contributing.md).
with unique_involved as (
  -- key columns (constraint-backed indexes record no column dependencies of their own)
  select x.indrelid, k.attnum
  from pg_catalog.pg_index x
  cross join lateral unnest((x.indkey::int2[])[0:x.indnkeyatts - 1]) k(attnum)
  where x.indisunique and x.indisvalid and k.attnum > 0
  union
  -- columns in expressions and predicates, through the index's dependencies on them
  select d.refobjid, d.refobjsubid
  from pg_catalog.pg_index x
  join pg_catalog.pg_depend d on d.classid = 'pg_catalog.pg_class'::regclass and d.objid = x.indexrelid
                             and d.refclassid = 'pg_catalog.pg_class'::regclass and d.refobjid = x.indrelid
  where x.indisunique and x.indisvalid and (x.indexprs is not null or x.indpred is not null)
    and d.refobjsubid > 0
)
select n.nspname as schema_name,
       t.relname as table_name,
       format('%s.%s.%s', n.nspname, t.relname, a.attname) as object,
       'column' as object_type,
       format('column %s.%s.%s looks unique (%s of the sampled values are distinct) but no unique index enforces it; '
              'if it is a key, a race can insert a duplicate', n.nspname, t.relname, a.attname,
              case when s.n_distinct = -1 then 'all' else format('%s%%', round((-100 * s.n_distinct)::numeric, 1)) end) as message,
       json_build_object('n_distinct', s.n_distinct, 'rows_estimate', t.reltuples::bigint,
                         'column_type', format_type(a.atttypid, a.atttypmod)) as evidence,
       concat_ws(E'\n',
         'set lock_timeout = ''5s'';',
         format('create unique index concurrently if not exists %I on %I.%I (%I);',
                t.relname || '_' || a.attname || '_key', n.nspname, t.relname, a.attname),
         '-- optionally, as a constraint:',
         format('alter table %I.%I add constraint %I unique using index %I;', n.nspname, t.relname,
                t.relname || '_' || a.attname || '_key', t.relname || '_' || a.attname || '_key')) as remediation,
       format('%I.%I.%I', n.nspname, t.relname, a.attname) as identity
from pg_catalog.pg_stats s
join pg_catalog.pg_namespace n on n.nspname = s.schemaname
join pg_catalog.pg_class t on t.relnamespace = n.oid and t.relname = s.tablename
join pg_catalog.pg_attribute a on a.attrelid = t.oid and a.attname = s.attname
left join unique_involved u on u.indrelid = t.oid and u.attnum = a.attnum
where not s.inherited
  and u.indrelid is null
  and ((s.n_distinct = -1
        -- the text form of the bounds quotes any value holding whitespace: names, titles, prose
        and s.histogram_bounds::text !~ '\s'
        and (a.atttypid in ('text'::regtype, 'varchar'::regtype, 'bpchar'::regtype, 'uuid'::regtype)
             or format_type(a.atttypid, null) = 'citext'))
       or (a.attname ~ '(^|_)(email|username|user_name|slug|code|number)$' and s.n_distinct <= -$2::real
           and (a.atttypid in ('text'::regtype, 'varchar'::regtype, 'bpchar'::regtype, 'uuid'::regtype,
                               'int2'::regtype, 'int4'::regtype, 'int8'::regtype)
                or format_type(a.atttypid, null) = 'citext')))
  and a.attnum > 0
  and not a.attisdropped
  and t.relkind = 'r'
  and not t.relispartition
  and t.reltuples >= $1::bigint
  and n.nspname not in ('pg_catalog', 'information_schema')
  and n.nspname !~ '^pg_(toast|temp_)'
  and not exists (select 1 from pg_catalog.pg_depend d
                  where d.classid = 'pg_catalog.pg_class'::regclass and d.objid = t.oid and d.deptype = 'e')
order by n.nspname, t.relname, a.attnum
