-- id: redundant_index
-- category: redundant_index
-- area: indexes
-- title: Redundant (left-prefix) indexes
-- severity: low..medium, default medium
-- effort: low
-- group: check
-- params: min_size_bytes=1048576
-- grading: low below min_size_bytes (1 MB), else medium, as duplicate_index: the write cost and
--   the space grow with the index (listmonk's 4.4 MB prefix on a written table was low).
-- rationale: An index on (a) is redundant next to an index on (a, b) of the same access method
--   with the same predicate and operator classes: the wider index answers every query the
--   narrow one does. The narrow one still costs writes, WAL and space. Drop it, only while a
--   wider index is there and valid; its CREATE statement is kept in a comment and in the undo.
--
-- Pairs the valid indexes of each table: the redundant one has no INCLUDE columns, is neither
-- unique nor constraint-backing, and its key columns (an expression compared as pg_get_indexdef
-- prints it), operator classes, collations and sort options are a strict left prefix of those of
-- another valid index with the same access method and the same predicate. Exact duplicates are left to duplicate_index.
-- The cover named is the widest such index (a scanned one first), so that in a chain of prefixes
-- every finding names one no fix of the entry drops; the fix's guard accepts any valid index the
-- dropped one is a left prefix of when it runs.
-- Partition child indexes are skipped. Definitions are read for the reported rows only;
-- size_bytes is relpages x block_size (as of the last CREATE INDEX, VACUUM or ANALYZE).
-- Columns: the fixed finding aliases.
with con as (
  select distinct c.conindid
  from pg_catalog.pg_constraint c
  where c.contype in ('p', 'u', 'x') and c.conindid <> 0
), idx as (
  select x.indexrelid, x.indrelid, i.relam, i.relkind, i.relpages, x.indnkeyatts,
         x.indkey::text as keys, x.indclass::text as classes,
         x.indcollation::text as collations, x.indoption::text as options,
         pg_catalog.pg_get_expr(x.indpred, x.indrelid) as predicate,
         x.indnatts = x.indnkeyatts and not x.indisunique and con.conindid is null as droppable,
         x.indexprs is not null as has_exprs,
         i.relname as index_name, t.relname as table_name, n.nspname as schema_name
  from pg_catalog.pg_index x
  join pg_catalog.pg_class i on i.oid = x.indexrelid
  join pg_catalog.pg_class t on t.oid = x.indrelid
  join pg_catalog.pg_namespace n on n.oid = t.relnamespace
  left join con on con.conindid = x.indexrelid
  where x.indisvalid
    and not i.relispartition
    and n.nspname not in ('pg_catalog', 'information_schema')
    and n.nspname !~ '^pg_(toast|temp_)'
    and t.oid not in (
      -- include: extension_relations
    )
), pairs as (
  select distinct on (a.indexrelid) a.*, b.index_name as wider_name, b.indexrelid as wider_oid
  from idx a
  join idx b on b.indrelid = a.indrelid
  where a.droppable
    -- include: left_prefix
-- include: prefix_cover
)
select p.schema_name,
       p.table_name,
       format('%I.%I', p.schema_name, p.index_name) as object,
       'index' as object_type,
       case when p.relpages::bigint * pg_catalog.current_setting('block_size')::bigint < $1::bigint then 'low' end as severity,
       format('index %I on %I.%I is a left prefix of %I: the wider index answers the same queries; '
              'drop %I after checking that %I stays',
              p.index_name, p.schema_name, p.table_name, p.wider_name, p.index_name, p.wider_name)
         || case when def.comment is not null then format(' (its comment says: %s)', def.comment) else '' end as message,
       json_build_object('size_bytes', p.relpages::bigint * pg_catalog.current_setting('block_size')::bigint,
                         'idx_scan', pg_catalog.pg_stat_get_numscans(p.indexrelid),
                         'wider_index', p.wider_name,
                         'definition', def.definition,
                         'wider_definition', def.wider_definition, 'comment', def.comment) as evidence,
       concat_ws(E'\n',
         -- names and definitions may hold line breaks: keep every line of the comment a comment
         regexp_replace(format('-- covered by %I; to recreate it: %s;', p.wider_name, def.definition),
                        '[\r\n]+', E'\n-- ', 'g'),
         'set lock_timeout = ''5s'';',
         '-- dropped only while the wider index is there and valid (drop index concurrently cannot run in this',
         '-- guard: the plain drop takes a brief exclusive lock on the table, bounded by lock_timeout)',
         -- any valid index the dropped one is a left prefix of (lib/left_prefix.sql's test, on the
         -- catalog as it is when the step runs): the one named may have been renamed by another fix
         -- (no_primary_key's key made from it takes the key's name) or dropped by one of its own
         -- entry (a chain of prefixes), while another still covers it
         format(E'do $$\nbegin\n'
                '  if pg_catalog.to_regclass(%L) is null then\n'
                '    raise notice ''%% is gone already: nothing to do'', %L;\n'
                '    return;\n'
                '  end if;\n'
                '  if not exists (select from pg_catalog.pg_index d\n'
                '                 join pg_catalog.pg_class di on di.oid = d.indexrelid\n'
                '                 join pg_catalog.pg_index x on x.indrelid = d.indrelid and x.indexrelid <> d.indexrelid and x.indisvalid\n'
                '                 join pg_catalog.pg_class i on i.oid = x.indexrelid and i.relam = di.relam\n'
                '                 where d.indexrelid = pg_catalog.to_regclass(%L) and x.indnkeyatts > d.indnkeyatts\n'
                '                   and x.indkey::text like d.indkey::text || '' %%'' and x.indclass::text like d.indclass::text || '' %%''\n'
                '                   and x.indcollation::text like d.indcollation::text || '' %%'' and x.indoption::text like d.indoption::text || '' %%''\n'
                '                   and pg_catalog.pg_get_expr(x.indpred, x.indrelid) is not distinct from pg_catalog.pg_get_expr(d.indpred, d.indrelid)\n'
                '                   and (d.indexprs is null or not exists (select from pg_catalog.generate_series(1, d.indnkeyatts) k\n'
                '                        where pg_catalog.pg_get_indexdef(d.indexrelid, k, true) is distinct from pg_catalog.pg_get_indexdef(x.indexrelid, k, true)))) then\n'
                '    raise exception ''%% is missing or invalid: keep %%, audit again (no other valid index has it as a left prefix)'', %L, %L;\n'
                '  end if;\n'
                '  drop index if exists %I.%I;\nend $$;',
                format('%I.%I', p.schema_name, p.index_name), format('%I.%I', p.schema_name, p.index_name),
                format('%I.%I', p.schema_name, p.index_name),
                format('%I.%I', p.schema_name, p.wider_name), format('%I.%I', p.schema_name, p.index_name),
                p.schema_name, p.index_name)) as remediation,
       concat_ws(E'\n',
         'set lock_timeout = ''5s'';',
         case when p.relkind = 'I'
           -- a partitioned table's index, built on the table and its partitions (not ON ONLY, which
           -- would leave it invalid on the parent alone); no CONCURRENTLY on a partitioned table
           then E'-- partitioned table: no CONCURRENTLY; this blocks writes to it (SHARE lock) while it builds\n'
                || regexp_replace(def.definition, '^(CREATE (UNIQUE )?INDEX ("([^"]|"")*"|\S+) ON) ONLY ', '\1 ') || ';'
              else regexp_replace(def.definition, '^CREATE INDEX ',
                                  'create index concurrently if not exists ') || ';' end,
         case when def.comment is not null then format('comment on index %I.%I is %L;', p.schema_name, p.index_name, def.comment) end)
         as undo,
       format('%I.%I', p.schema_name, p.index_name) as identity
from pairs p
-- each definition read once, not once per use (offset 0 keeps the subquery from being pulled up
-- into the select list, where each use would call pg_get_indexdef again)
cross join lateral (select pg_catalog.pg_get_indexdef(p.indexrelid) as definition,
                           -- its COMMENT (often why it was kept): shown, and set again by the undo
                           (select dsc.description from pg_catalog.pg_description dsc where dsc.objoid = p.indexrelid and dsc.classoid = 'pg_catalog.pg_class'::pg_catalog.regclass and dsc.objsubid = 0) as comment,
                           pg_catalog.pg_get_indexdef(p.wider_oid) as wider_definition offset 0) def
order by p.schema_name, p.table_name, p.index_name
