-- id: fk_without_index
-- category: fk_without_index
-- area: indexes
-- title: Foreign keys without an index on the referencing columns
-- severity: info..high, default medium
-- effort: low
-- params: large_rows=1000000, small_rows=1000, busy_deletes_per_day=1000, tenant_keys=(config), tiny_parent_rows=100, rate_min_days=1, quiet_days=7
-- grading: by the child table's rows and the parent's delete rate: info below small_rows (1,000;
--   an empty or tiny child, or a child never analyzed whose file cannot hold that many rows), high
--   from large_rows (1,000,000) or when the parent deletes busy_deletes_per_day rows a day (1,000;
--   each delete scans the child; a rate from rate_min_days (1) of counters or more), else medium; a child never analyzed whose file could hold more
--   stays medium. Low, whatever the child's rows from small_rows up (a smaller child is info), while
--   the parent is empty (analyzed empty, or its file empty) and deleted nothing: no parent row to
--   delete or re-key, no lookup yet. Info,
--   whatever the child's rows, when the parent holds at most tiny_parent_rows rows (100, analyzed,
--   or live since when more) and deleted nothing: a key of so few values (Hydra's networks, 3 rows,
--   referenced by nid from every table; Cal.com's App, 20 rows) needs the index only for deleting a
--   parent row, and none was deleted. Info too for a key of several columns one of which, not a
--   tenant's, leads a whole B-tree or hash index and has as many distinct values as half the
--   parent's rows or more by ANALYZE's sample (Langfuse's hash index on dataset_id beside the key
--   (dataset_id, project_id)): a parent's delete finds its rows through it. Low, below large_rows,
--   when the parent deleted no row in quiet_days (7) of counters or more on a primary: no delete has
--   scanned the child yet (Trigger.dev's OrgMember, 3,000 rows, was medium with no delete of a
--   user). The message of an info or low finding says why.
-- rationale: Deleting or updating a referenced row makes PostgreSQL look for referencing rows in
--   the child table. Without an index whose leading columns are the foreign key's columns, each
--   such lookup scans the whole child table, under a lock, and joins on the key are slow too.
--   Create the index concurrently; it does not block writes.
--
-- Finds foreign keys (top-level constraints; partitions inherit them) whose columns are not the
-- leading key columns, in any order, of a valid index on the child table (partial only when its
-- predicate says no more than that the key's columns are not null). $1
-- (large_rows): from this estimated row count (pg_class.reltuples; a partitioned child's is the
-- sum of its leaves') on the child, severity high;
-- $2 (small_rows): below it (an empty or tiny child, whose scan costs little), info. A child
-- never analyzed (reltuples -1; before 14, 0 on relpages 0) has at most as many rows as its file
-- can hold (lib/table_size.sql's rows_at_most: none when it is empty, a schema just migrated);
-- below small_rows that way it is info too, else it has no estimate and stays medium
-- (evidence: rows_estimate null, never_analyzed, rows_at_most, the file's size). $3
-- (busy_deletes_per_day): a child of small_rows or more is high too when its parent deletes this
-- many rows a day: pg_stat n_tup_del (summed over the parent's partitions) divided by the days
-- since the counters began (the database's stats_reset, else the server's start; at least an
-- hour), since every one of those deletes scans the child. A standby counts no deletes of its
-- own: there the rows alone decide.
-- The suggested index is named <table>_<columns>_idx when that is at most 63 bytes and no
-- relation of the schema has that name, else its first 54 bytes (cut on a character boundary),
-- "_" and 8 hex digits of its md5, so two long names stay distinct. The step after the build
-- checks in a DO block that the index is valid (a failed concurrent build leaves an invalid one,
-- which it drops). A partitioned table cannot be indexed CONCURRENTLY: the remediation creates
-- the index ON ONLY the parent (invalid, no scan), builds one concurrently on each leaf
-- partition, attaches them bottom-up, and the parent's index turns valid once all are attached.
-- table_size_bytes is the heap's relpages x block_size (as of the last VACUUM or ANALYZE).
-- Columns: the fixed finding aliases and `undo`.
with
-- include: stats_window
mostly_null as materialized (
  -- the columns ANALYZE saw NULL in half the rows or more, read once: the filter on pg_statistic's
  -- own column runs before the view's joins and privilege test (looked up in pg_stats per finding,
  -- the check took 3.3 s instead of 0.34 s at 1,000 schemas)
  select jsonb_object_agg(format('%I.%I.%I', s.schemaname, s.tablename, s.attname), s.null_frac) as by_column
  from pg_catalog.pg_stats s
  where s.null_frac >= 0.5 and not s.inherited
), tenant_key_names as (
  -- the tenant columns' names ($4, tenant_keys), for lib/fk_serving_index.sql ($5, tiny_parent_rows,
  -- grades below)
  select $4::text[] as names
), fk as materialized (
  -- materialized: the index test runs first, so the lookups below (names, tables, schemas) are
  -- made only for the keys it keeps (inlined, the plan read the columns of every foreign key)
  select k.oid, k.conname, k.conrelid, k.confrelid, k.conkey, k.conpfeqop
  from pg_catalog.pg_constraint k
  where k.contype = 'f'
    and k.conparentid = 0
    and not exists (select 1 from pg_catalog.pg_index x
                    where x.indrelid = k.conrelid
                      and x.indisvalid
                      -- include: fk_serving_index
                   )
), missing as (
  select fk.*, n.oid as schema_oid, n.nspname as schema_name, t.relname as table_name, t.relkind,
         -- (lib/table_size.sql: -1 without an estimate, a partitioned table's its leaves')
         size.rows as reltuples, size.pages as relpages, size.rows_at_most,
         rn.nspname as ref_schema, rt.relname as ref_table,
         -- an ordinary parent whose file is empty, or analyzed empty: no parent row to delete or
         -- re-key, so no lookup yet (Lago's cached_aggregations.group_id); before 14 a table never
         -- analyzed reads reltuples 0 too, hence the analyze time
         rt.relkind = 'r' and rt.reltuples <= 0
           and (pg_catalog.pg_relation_size(rt.oid) = 0
                or (rt.reltuples = 0 and greatest(pg_catalog.pg_stat_get_last_analyze_time(rt.oid),
                                                  pg_catalog.pg_stat_get_last_autoanalyze_time(rt.oid)) is not null))
           as parent_empty,
         -- an ordinary parent analyzed with a handful of rows: its estimate, or the live rows the
         -- counters saw since when more (rows inserted after the last analyze: 3 analyzed, 20,000 now)
         case when rt.relkind = 'r' and rt.reltuples > 0
              then greatest(rt.reltuples, pg_catalog.pg_stat_get_live_tuples(rt.oid))::bigint end as parent_rows,
         case when rt.relkind = 'p'
           then (select sum(pg_catalog.pg_stat_get_tuples_deleted(p.relid))::bigint
                 from pg_catalog.pg_partition_tree(fk.confrelid) p)
           else pg_catalog.pg_stat_get_tuples_deleted(fk.confrelid)
         end as parent_deletes,
         cols.names, cols.quoted, cols.joined as column_names, t.relname || '_' || cols.joined as joined,
         -- the key's columns it compares as another type than their own (a character(36) column with
         -- a character varying(40) key: as text), which no index on the column itself answers
         (select string_agg(format('%I as %s', a.attname, ca.type_name), ', ' order by u.ord)
          from unnest(fk.conkey, fk.conpfeqop) with ordinality u(attnum, key_op, ord)
          join pg_catalog.pg_attribute a on a.attrelid = fk.conrelid and a.attnum = u.attnum
          cross join lateral (select (
-- include: key_compared_as
                             ) as type_name) ca
          where ca.type_name is not null) as compared_as
  from fk
  cross join lateral (
    select string_agg(a.attname, ', ' order by k.ord) as names,
           string_agg(format('%I', a.attname), ', ' order by k.ord) as quoted,
           string_agg(a.attname, '_' order by k.ord) as joined
    from unnest(fk.conkey) with ordinality k(attnum, ord)
    join pg_catalog.pg_attribute a on a.attrelid = fk.conrelid and a.attnum = k.attnum
  ) cols
  join pg_catalog.pg_class t on t.oid = fk.conrelid
-- include: table_size
  join pg_catalog.pg_namespace n on n.oid = t.relnamespace
  join pg_catalog.pg_class rt on rt.oid = fk.confrelid
  join pg_catalog.pg_namespace rn on rn.oid = rt.relnamespace
  where n.nspname not in ('pg_catalog', 'information_schema')
    and n.nspname !~ '^pg_(toast|temp_)'
    and t.oid not in (
      -- include: extension_relations
    )
), based as (
  select m.*, m.joined || '_idx' as base
  from missing m
), named as (
  select b.*, fitted.names[1] as index_name
  from based b
  cross join lateral (select array[b.base] as bases,
                             array[exists (select 1 from pg_catalog.pg_class r
                                           where r.relnamespace = b.schema_oid and r.relname = b.base)] as taken) fit
-- include: fitted_names
), partitions as (
  -- every partition below a partitioned table, with the index it gets (same naming rule)
  select n.oid as fk_oid, tree.relid, tree.parentrelid, tree.isleaf, tree.level, pn.nspname, pc.relname,
         fitted.names[1] as index_name
  from named n
  cross join lateral pg_catalog.pg_partition_tree(n.conrelid) tree
  join pg_catalog.pg_class pc on pc.oid = tree.relid
  join pg_catalog.pg_namespace pn on pn.oid = pc.relnamespace
  cross join lateral (select array[pc.relname || '_' || n.column_names || '_idx'] as bases,
                             array[exists (select 1 from pg_catalog.pg_class r
                                           where r.relnamespace = pc.relnamespace
                                             and r.relname = pc.relname || '_' || n.column_names || '_idx')] as taken) fit
-- include: fitted_names
  where n.relkind = 'p' and tree.level > 0 and pc.relkind in ('r', 'p')
), procedures as materialized (
  -- materialized: the final select's left join to it read the 6,000 keys of named for each key
  -- (a nested loop, 3 s on the 1,000-schema benchmark) once a plan change elsewhere tipped it
  select n.oid as fk_oid,
         concat_ws(E'\n',
           '-- partitioned table: no CONCURRENTLY on it; instead, an invalid index on the parent alone (brief SHARE',
           '-- lock, no scan), one built concurrently on each partition (SHARE UPDATE EXCLUSIVE: reads and writes',
           '-- go on), then each attached (brief locks); the parent''s index turns valid once all are attached.',
           format('create index if not exists %I on only %I.%I (%s);', n.index_name, n.schema_name, n.table_name, n.quoted),
           (select string_agg(format('create index if not exists %I on only %I.%I (%s);', p.index_name, p.nspname, p.relname, n.quoted),
                              E'\n' order by p.level, p.nspname, p.relname)
            from partitions p where p.fk_oid = n.oid and not p.isleaf),
           (select string_agg(format('create index concurrently if not exists %I on %I.%I (%s);', p.index_name, p.nspname, p.relname, n.quoted),
                              E'\n' order by p.nspname, p.relname)
            from partitions p where p.fk_oid = n.oid and p.isleaf),
           (select string_agg(format('alter index %I.%I attach partition %I.%I;',
                                     coalesce(parent.nspname, n.schema_name), coalesce(parent.index_name, n.index_name),
                                     p.nspname, p.index_name),
                              E'\n' order by p.level desc, p.nspname, p.relname)
            from partitions p left join partitions parent on parent.fk_oid = p.fk_oid and parent.relid = p.parentrelid
            where p.fk_oid = n.oid)) as steps
  from named n
  where n.relkind = 'p'
)
select m.schema_name,
       m.table_name,
       format('%I.%I.%I', m.schema_name, m.table_name, m.conname) as object,
       'constraint' as object_type,
       case when g.tiny_parent then 'info'
            when sel.index_name is not null then 'info'
            when m.parent_empty and m.parent_deletes = 0 and m.rows_at_most >= $2::bigint then 'low'
            when m.reltuples >= $1::bigint then 'high'
            -- a delete rate made from under a day of counters is one cleanup run, not a rate (Supabase
            -- Auth: 2,010 deletes in minutes read as 48,240 a day)
            when m.reltuples >= $2::bigint and w.rate_known and m.parent_deletes / w.days >= $3::bigint then 'high'
            -- the estimate, or, never analyzed, as many rows as the file can hold (Documenso's seeded
            -- one-page tables, never analyzed, were medium)
            when m.rows_at_most < $2::bigint then 'info'
            when g.quiet_parent then 'low'
       end as severity,
       case when sel.index_name is not null and not g.tiny_parent then format(
         'foreign key %I on %I.%I (%s) has no index with those leading columns, but %s (%s) leads with %s, which ANALYZE saw '
         'at about %s row(s) a value: a delete or key update on %I.%I finds the rows it looks up through it; the index below '
         'serves the whole key, should those rows grow',
         m.conname, m.schema_name, m.table_name, m.names, sel.index_name, sel.method, sel.column_name,
         round(sel.rows_per_value::numeric, 1), m.ref_schema, m.ref_table)
       when g.tiny_parent then format(
         'foreign key %I on %I.%I (%s) has no index with those leading columns%s, but %I.%I holds %s row(s) and deleted none: '
         'a key of so few values needs the index only for deletes of a parent row that few rows of %I.%I reference, and none '
         'was deleted since the statistics began; the index below is for when that changes',
         m.conname, m.schema_name, m.table_name, m.names,
         partial.phrase,
         m.ref_schema, m.ref_table, m.parent_rows, m.schema_name, m.table_name)
       else format('foreign key %I on %I.%I (%s) has no index with those leading columns%s: every delete or '
              'key update on %I.%I%s scans %I.%I%s',
              m.conname, m.schema_name, m.table_name, m.names,
              partial.phrase,
              m.ref_schema, m.ref_table,
              case when w.rate_known and m.parent_deletes / w.days >= 1
                then format(' (about %s rows deleted a day)', round(m.parent_deletes / w.days))
                when m.parent_deletes > 0 then format(' (%s rows deleted since the statistics began, %s day(s) ago: too short for a rate)',
                                                      m.parent_deletes, round(w.days::numeric, 2))
                else '' end,
              m.schema_name, m.table_name, case when m.compared_as is null then '; create the index concurrently' else '' end)
         -- why an info or low one is so (listmonk, Cal.com: "create the index" with no reason)
         || case when m.parent_empty and m.parent_deletes = 0 and m.rows_at_most >= $2::bigint
                 then format('; but %I.%I is empty and deleted nothing: no parent row to delete or re-key yet', m.ref_schema, m.ref_table)
                 when m.rows_at_most < $2::bigint
                 then format('; but %I.%I holds %s: a scan of it costs little until it grows', m.schema_name, m.table_name,
                             case when m.rows_at_most <= 0 then 'no row'
                                  when m.reltuples >= 0 then format('about %s row(s)', m.reltuples::bigint)
                                  else format('at most %s row(s), never analyzed', m.rows_at_most::bigint) end)
                 when g.quiet_parent and m.reltuples < $1::bigint
                 then format('; but %I.%I deleted no row in the %s days the statistics cover: no delete has scanned it yet',
                             m.ref_schema, m.ref_table, floor(w.days))
                 else '' end end
         || case when m.compared_as is not null
                 then format('; and the key compares %s, which no index on the column''s own type answers: make it the type of '
                             '%I.%I''s key first (fk_type_mismatch)', m.compared_as, m.ref_schema, m.ref_table)
                 else '' end as message,
       json_build_object('columns', m.names,
                         'references', format('%I.%I', m.ref_schema, m.ref_table),
                         'rows_estimate', case when m.reltuples >= 0 then m.reltuples::bigint end,
                         'never_analyzed', m.reltuples < 0,
                         'rows_at_most', m.rows_at_most::bigint,
                         'parent_deletes', m.parent_deletes,
                         'parent_empty', m.parent_empty,
                         'parent_rows', m.parent_rows,
                         -- a rate only from rate_min_days of counters: minutes of one cleanup are no rate
                         'parent_deletes_per_day', case when w.rate_known then round(m.parent_deletes / w.days)::bigint end,
                         'table_size_bytes', case when m.reltuples < 0 and m.relkind = 'r' then pg_catalog.pg_relation_size(m.conrelid)
                                                  else m.relpages::bigint * pg_catalog.current_setting('block_size')::bigint end,
                         'null_frac', pp.null_frac,
                         'compared_as', m.compared_as,
                         'selective_index', sel.index_name, 'rows_per_value', round(sel.rows_per_value::numeric, 1)) as evidence,
       case when m.compared_as is not null then regexp_replace(format(
         '-- not printed: the key compares %s (the type of %I.%I''s key), which an index on the column''s own type does not '
         'answer: a lookup would still scan the table. Make the column the type of the parent''s key (fk_type_mismatch '
         'prints how), then index it.', m.compared_as, m.ref_schema, m.ref_table), '[\r\n]+', E'\n-- ', 'g')
       else concat_ws(E'\n',
         'set lock_timeout = ''5s'';',
         case when m.relkind = 'p' then pr.steps
              else concat_ws(E'\n',
                     case when pp.predicate <> '' then
                       format('-- %s%% of the rows hold NULL in the key, which no lookup of the key reads: the index holds the others only',
                              round(100 * pp.null_frac::numeric, 1)) end,
                     format('create index concurrently if not exists %I on %I.%I (%s)%s;',
                            m.index_name, m.schema_name, m.table_name, m.quoted, pp.predicate)) end,
         case when strpos(v.body, '$$') = 0 then format(E'do $$\n%s\n$$;', v.body) else format('do %L;', v.body) end) end as remediation,
       case when m.compared_as is not null then '-- nothing was changed'
       when m.relkind = 'p'
         then format(E'set lock_timeout = ''5s'';\n-- drops the index of every partition with it (ACCESS EXCLUSIVE on the table and its partitions, briefly)\n'
                     'drop index if exists %I.%I;', m.schema_name, m.index_name)
         else format(E'set lock_timeout = ''5s'';\ndrop index concurrently if exists %I.%I;', m.schema_name, m.index_name)
       end as undo,
       format('%I.%I.%I', m.schema_name, m.table_name, m.conname) as identity
from named m
-- the statistics' days (at least an hour: a fresh start is no spike), and whether they are long enough for a rate
cross join (select greatest(sw.days, 1.0 / 24) as days, sw.days >= $6::numeric as rate_known from stats_window sw) w
-- a parent of a handful of rows that deleted none: its key is graded and worded as one (info)
-- a parent that deleted nothing in quiet_days of counters (a standby counts no deletes of its own)
cross join lateral (select coalesce(m.parent_rows <= $5::bigint and m.parent_deletes = 0, false) as tiny_parent,
                           coalesce(m.parent_deletes = 0, false) and w.days >= $7::numeric
                             and not pg_catalog.pg_is_in_recovery() as quiet_parent) g
left join procedures pr on pr.fk_oid = m.oid
-- a key of several columns one of which, not a tenant's, leads a valid whole B-tree or hash index
-- and tells the parent's rows apart by ANALYZE's sample (as many distinct values as half the
-- parent's rows or more: Langfuse's dataset_items, a hash index on dataset_id beside the key
-- (dataset_id, project_id)): a parent's delete finds its rows through that index, not by a scan
-- (info, the message naming it)
cross join lateral (
  -- a scalar subquery under a case: looked up for keys of several columns only (as a lateral join it
  -- was entered for each of the 6,000 keys of the 1,000-schema benchmark, 30 ms)
  select f[1] as index_name, f[2] as method, f[3] as column_name, f[4]::float8 as rows_per_value
  from (select case when cardinality(m.conkey) > 1 then (
          select array[i.relname::text, am.amname::text, a.attname::text, st.rows_per_value::text]
          from pg_catalog.pg_index x
          join pg_catalog.pg_class i on i.oid = x.indexrelid
          join pg_catalog.pg_am am on am.oid = i.relam and am.amname in ('btree', 'hash')
          join pg_catalog.pg_attribute a on a.attrelid = x.indrelid and a.attnum = x.indkey[0]
          cross join lateral (
            select case when s.n_distinct < 0 then -1 / s.n_distinct
                        when s.n_distinct > 0 then greatest(m.reltuples, 0) / s.n_distinct end as rows_per_value,
                   case when s.n_distinct < 0 then -s.n_distinct * greatest(m.reltuples, 0) else s.n_distinct end as distinct_values
            from pg_catalog.pg_stats s
            where s.schemaname = m.schema_name and s.tablename = m.table_name and s.attname = a.attname and not s.inherited) st
          where x.indrelid = m.conrelid and x.indisvalid and x.indpred is null
            and x.indkey[0] = any (m.conkey)
            -- not a tenant's column (a tenant owns ever more rows), and one whose values tell the
            -- parent's rows apart: at least half as many as the parent has rows
            and not (a.attname::text = any ($4::text[]))
            and st.distinct_values >= 0.5 * m.parent_rows
          order by st.rows_per_value, i.relname
          limit 1) end as f) found
) sel
-- a key NULL in most rows (an optional reference, such as OpenStreetMap's redaction_id on nodes):
-- the index of its non-NULL rows serves every lookup of the key (col = $1 implies col is not
-- null, and the check above counts such a partial index) at a fraction of the size
cross join lateral (
  select max(n.null_frac) as null_frac,
         case when m.relkind <> 'p' and max(n.null_frac) >= 0.5
              then ' where ' || string_agg(format('%I is not null', a.attname), ' and ' order by k.ord) else '' end as predicate
  from unnest(m.conkey) with ordinality k(attnum, ord)
  join pg_catalog.pg_attribute a on a.attrelid = m.conrelid and a.attnum = k.attnum
  cross join lateral (select ((select mn.by_column from mostly_null mn)
                              ->> format('%I.%I.%I', m.schema_name, m.table_name, a.attname))::real as null_frac) n
) pp
cross join lateral (
  select case when m.relkind = 'p'
    then format(E'begin\n'
                '  if not exists (select 1 from pg_catalog.pg_index where indexrelid = to_regclass(%L) and indisvalid) then\n'
                '    raise exception ''index %% is not valid yet: a partition''''s index failed to build or is not attached; '
                'build and attach it as above'', %L;\n'
                '  end if;\nend',
                format('%I.%I', m.schema_name, m.index_name), format('%I.%I', m.schema_name, m.index_name))
    else format(E'begin\n'
                '  if to_regclass(%L) is null then\n'
                '    raise exception ''index %% was not built: run its create index again'', %L;\n'
                '  end if;\n'
                '  if exists (select 1 from pg_catalog.pg_index where indexrelid = to_regclass(%L) and not indisvalid) then\n'
                '    drop index %I.%I;\n'
                '    raise warning ''index %% was left invalid by a failed build and is dropped: run the script again'', %L;\n'
                '  end if;\nend',
                format('%I.%I', m.schema_name, m.index_name), format('%I.%I', m.schema_name, m.index_name),
                format('%I.%I', m.schema_name, m.index_name), m.schema_name, m.index_name,
                format('%I.%I', m.schema_name, m.index_name))
  end as body
) v
-- partial indexes led by the key's columns whose predicate its lookups do not imply (a soft-delete
-- WHERE deleted_at IS NULL): the message names them, so the key does not read as never indexed
-- (Lago's membership_roles)
cross join lateral (
  select case when count(*) > 0
              then format(', only %s (%s) whose predicate its lookups do not imply',
                          case when count(*) > 1 then 'partial ones' else 'a partial one' end,
                          string_agg(i.relname, ', ' order by i.relname)) else '' end as phrase
  from pg_catalog.pg_index x
  join pg_catalog.pg_class i on i.oid = x.indexrelid
  where x.indrelid = m.conrelid and x.indisvalid and x.indpred is not null
    and x.indnkeyatts >= cardinality(m.conkey)
    and (x.indkey::int2[])[0:cardinality(m.conkey) - 1] operator(pg_catalog.@>) m.conkey
    and (x.indkey::int2[])[0:cardinality(m.conkey) - 1] operator(pg_catalog.<@) m.conkey
) partial
order by m.schema_name, m.table_name, m.conname
