-- id: array_btree_index
-- category: array_btree_index
-- area: indexes
-- title: B-tree indexes on array columns
-- severity: low..medium, default low
-- effort: low
-- params: wide_bytes=1000
-- grading: medium when the column's values average wide_bytes (1,000) or more (a B-tree entry
--   cannot exceed about 2,700 bytes: an insert of a longer array fails), else low.
-- rationale: A B-tree on an array column serves only equality and ordering of whole arrays, not
--   the containment and overlap tests (@>, <@, &&) array columns are queried with, and each entry
--   holds the whole array: past about 2,700 bytes an INSERT fails with "index row size exceeds
--   maximum". A GIN index (array_ops) serves @>, <@, && and = and indexes each element. Build it
--   concurrently, and drop the B-tree only once it is valid.
--
-- Valid B-tree indexes (not partitioned parents) outside the system schemas and extensions with
-- an array-typed key column (one that unused_index also flags is one entry, unused_index's:
-- dropping it is the decision; audit/one_entry_per_object.cpp). evidence.avg_width is pg_stats'
-- for the array column (the widest, with several: one finding per index, evidence.array_columns
-- names them all). A single-column, non-unique, non-expression index gets the GIN swap (its
-- predicate kept); any other (unique, several columns, an expression) only the reason, since a
-- GIN index cannot enforce uniqueness or replace the other columns without btree_gin, and only
-- when its arrays average wide_bytes or more (an insert may fail): otherwise nothing is to be
-- done. Returns the fixed finding aliases (queries/README.md).
with array_columns as materialized (
  -- the array columns first (a few among tens of thousands), then their indexes, looked up by
  -- table (below): going from each of 22,000 indexes to its table's attributes cost an index scan
  -- per index. The planner estimates half of all columns to be arrays (half of pg_type is array
  -- types) and would hash every index and relation for them: offset 0 keeps the lookups a nested loop
  select a.attrelid, a.attnum, a.attname, a.atttypid, a.atttypmod
  from pg_catalog.pg_attribute a
  join pg_catalog.pg_type ty on ty.oid = a.atttypid and ty.typcategory = 'A'
  where a.attnum > 0 and not a.attisdropped
),
-- materialized: inlined, its pg_stats lookup was planned once for each of the four places that
-- read avg_width
candidates as materialized (
  select x.indexrelid, x.indrelid, x.indisunique, x.indnkeyatts, x.indexprs is not null as has_expression,
         x.nspname, x.table_name, x.index_name, a.attname,
         pg_catalog.format_type(a.atttypid, a.atttypmod) as column_type,
         pg_catalog.pg_get_expr(x.indpred, x.indrelid) as predicate,
         pg_catalog.pg_stat_get_numscans(x.indexrelid) as scans,
         -- the table's own rows, which its index holds: an inheritance parent also has a row
         -- of statistics over its children (inherited)
         (select s.avg_width from pg_catalog.pg_stats s
          where s.schemaname = x.nspname and s.tablename = x.table_name and s.attname = a.attname
            and not s.inherited) as avg_width
  from array_columns a
  cross join lateral (
    select x.indexrelid, x.indrelid, x.indisunique, x.indnkeyatts, x.indexprs, x.indpred,
           n.nspname, t.relname as table_name, i.relname as index_name
    from pg_catalog.pg_index x
    join pg_catalog.pg_class i on i.oid = x.indexrelid
    join pg_catalog.pg_am am on am.oid = i.relam and am.amname = 'btree'
    join pg_catalog.pg_class t on t.oid = x.indrelid
    join pg_catalog.pg_namespace n on n.oid = t.relnamespace
    where x.indrelid = a.attrelid and a.attnum = any ((x.indkey::int2[])[0:x.indnkeyatts - 1])
      and x.indisvalid and i.relkind = 'i'
      and n.nspname not in ('pg_catalog', 'information_schema')
      and n.nspname !~ '^pg_(toast|temp_)'
      and not exists (select 1 from pg_catalog.pg_depend d
                      where d.classid = 'pg_catalog.pg_class'::regclass and d.objid = t.oid and d.deptype = 'e')
    offset 0
  ) x
),
named as (
  select c.*,
         fitted.names[1] as gin_name,
         not c.indisunique and c.indnkeyatts = 1 and not c.has_expression as swappable
  -- one row per index: its widest array column, which the severity reads, with every array column
  from (select distinct on (c.indexrelid) c.*,
               string_agg(c.attname, ', ') over (partition by c.indexrelid) as array_columns
        from candidates c
        order by c.indexrelid, c.avg_width desc nulls last, c.attname) c
  -- its name: free among the schema's relations
  cross join lateral (
    select array[c.index_name || '_gin'] as bases,
           array[exists (select from pg_catalog.pg_class o join pg_catalog.pg_namespace ns on ns.oid = o.relnamespace
                         where ns.nspname = c.nspname and o.relname = c.index_name || '_gin')] as taken) fit
-- include: fitted_names
)
select n.nspname as schema_name,
       n.table_name,
       format('%I.%I', n.nspname, n.index_name) as object,
       'index' as object_type,
       case when n.avg_width >= $1::int then 'medium' else 'low' end as severity,
       format('index %I.%I is a B-tree on array column %I (%s): it serves no @>, <@ or && query%s',
              n.nspname, n.index_name, n.attname, n.column_type,
              case when n.avg_width >= $1::int
                   then format(', and entries average %s bytes: an array past about 2,700 bytes fails to insert', n.avg_width)
                   else '' end) as message,
       json_build_object('column', n.attname, 'array_columns', n.array_columns, 'column_type', n.column_type, 'avg_width', n.avg_width, 'scans', n.scans,
                         'unique', n.indisunique, 'size_bytes', pg_catalog.pg_relation_size(n.indexrelid)) as evidence,
       case when n.swappable then concat_ws(E'\n',
         '-- a GIN index serves @>, <@, && and = on the array (not < or ORDER BY: keep the B-tree if a query sorts by it)',
         'set lock_timeout = ''5s'';',
         format('create index concurrently if not exists %I on %I.%I using gin (%I)%s;', n.gin_name, n.nspname, n.table_name,
                n.attname, case when n.predicate is not null then ' where ' || n.predicate else '' end),
         '-- the B-tree goes only once the GIN index is valid; a failed build is dropped instead',
         format(E'do $$\nbegin\n'
                '  if exists (select from pg_catalog.pg_index x where x.indexrelid = pg_catalog.to_regclass(%L) and not x.indisvalid) then\n'
                '    drop index %I.%I;\n'
                -- a warning, not an exception: an exception would roll the drop back
                '    raise warning ''%%: the GIN index failed to build and is dropped; the B-tree stays'', %L;\n'
                '    return;\n'
                '  end if;\n'
                '  if pg_catalog.to_regclass(%L) is null then\n'
                '    raise exception ''%%: the GIN index is not there: build it first'', %L;\n'
                '  end if;\n'
                '  drop index if exists %I.%I;\nend $$;',
                format('%I.%I', n.nspname, n.gin_name), n.nspname, n.gin_name, format('%I.%I', n.nspname, n.index_name),
                format('%I.%I', n.nspname, n.gin_name), format('%I.%I', n.nspname, n.index_name),
                n.nspname, n.index_name))
       else regexp_replace(format('-- not swapped for GIN: %s; add a GIN index on %I for @>, <@ and && queries, and keep array values well under 2,700 bytes',
                                  case when n.indisunique then 'it enforces uniqueness, which GIN cannot'
                                       when n.has_expression then 'it indexes an expression'
                                       else 'it has other columns (GIN needs btree_gin for them)' end, n.attname),
                           '[\r\n]+', E'\n-- ', 'g')
       end as remediation,
       case when n.swappable then concat_ws(E'\n',
         'set lock_timeout = ''5s'';',
         format('create index concurrently if not exists %I on %I.%I (%I)%s;', n.index_name, n.nspname, n.table_name, n.attname,
                case when n.predicate is not null then ' where ' || n.predicate else '' end),
         format('drop index concurrently if exists %I.%I;', n.nspname, n.gin_name))
       else '-- nothing was changed' end as undo
from named n
-- an index GIN cannot replace (unique, several columns, an expression: MusicBrainz's sort
-- indexes with an array among their columns) is a finding only when its arrays approach the
-- B-tree entry limit: otherwise it is a deliberate design with nothing to act on
where n.swappable or n.avg_width >= $1::int
order by n.nspname, n.index_name
