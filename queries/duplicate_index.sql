-- id: duplicate_index
-- category: duplicate_index
-- area: indexes
-- title: Duplicate indexes
-- severity: low..medium, default medium
-- effort: low
-- group: check
-- params: min_size_bytes=1048576
-- grading: low below min_size_bytes (1 MB), else medium.
-- rationale: Two indexes on the same columns, with the same predicate, expressions, operator
--   classes, collations and sort options, answer exactly the same queries. The second one only
--   doubles the write cost, the WAL volume and the space. Keep the one that backs a constraint
--   (or is unique) and drop the other, only while the kept one is there and valid; its CREATE
--   statement is kept in a comment and in the undo.
--
-- Groups the valid indexes of each table by access method, key and INCLUDE columns (indkey,
-- indnkeyatts), operator classes (indclass), collations (indcollation), options (indoption),
-- expressions and predicate (deparsed with pg_get_expr, so whitespace in the original DDL does
-- not matter). In each group the primary key, then a constraint-backing index, then a unique one,
-- then one whose name starts with its table's (as PostgreSQL and ORMs name them; a name left from
-- before a table's rename goes), then the first by name is kept (after a primary key, one a foreign key references its parent
-- through goes first); every other member is reported, naming the kept twin, and when a foreign
-- key uses it too the remediation is advice (PostgreSQL refuses the drop).
-- Partition child indexes are skipped (their parent index is reported). Definitions are read for
-- the reported rows only; size_bytes is relpages x block_size (as of the last CREATE INDEX,
-- VACUUM or ANALYZE), which needs no opening of the index; below $1 (min_size_bytes) the twin
-- costs little yet and the finding is low, else medium. Columns: the fixed finding aliases.
with con as (
  select c.conindid, bool_or(c.contype = 'p') as is_primary, min(c.conname) as conname,
         min(c.contype) as contype, min(c.oid) as conoid
  from pg_catalog.pg_constraint c
  where c.contype in ('p', 'u', 'x') and c.conindid <> 0
  group by c.conindid
), referenced as (
  -- the indexes foreign keys reference their parent through: PostgreSQL refuses to drop one while
  -- they do
  select f.conindid, string_agg(format('%I', f.conname), ', ' order by f.conname) as fk_names
  from pg_catalog.pg_constraint f
  where f.contype = 'f'
  group by f.conindid
), idx as (
  select x.indexrelid, x.indrelid, x.indisunique, i.relname as index_name, i.relkind, i.relpages,
         t.relname as table_name, n.nspname as schema_name,
         coalesce(con.is_primary, false) as is_primary, con.conname, con.contype, con.conoid, rf.fk_names,
         row_number() over w as rank,
         first_value(i.relname) over w as kept_name,
         first_value(con.conname) over w as kept_constraint,
         first_value(x.indisunique) over w as kept_unique
  from pg_catalog.pg_index x
  join pg_catalog.pg_class i on i.oid = x.indexrelid
  join pg_catalog.pg_class t on t.oid = x.indrelid
  join pg_catalog.pg_namespace n on n.oid = t.relnamespace
  left join con on con.conindid = x.indexrelid
  left join referenced rf on rf.conindid = x.indexrelid
  where x.indisvalid
    and not i.relispartition
    and n.nspname not in ('pg_catalog', 'information_schema')
    and n.nspname !~ '^pg_(toast|temp_)'
    and t.oid not in (
      -- include: extension_relations
    )
  window w as (partition by x.indrelid, i.relam, x.indnkeyatts, x.indkey::text, x.indclass::text,
                            x.indcollation::text, x.indoption::text,
                            pg_catalog.pg_get_expr(x.indexprs, x.indrelid),
                            pg_catalog.pg_get_expr(x.indpred, x.indrelid)
               order by coalesce(con.is_primary, false) desc, rf.fk_names is not null desc, con.conindid is not null desc,
                        x.indisunique desc,
                        -- a name that starts with the table's, as PostgreSQL and ORMs name indexes: a
                        -- name left from before a rename (Rallly's "User_email_key" beside
                        -- users_email_key, which Prisma's schema names and would add again) goes
                        left(i.relname, length(t.relname) + 1) = t.relname || '_' desc,
                        i.relname)
)
select d.schema_name,
       d.table_name,
       format('%I.%I', d.schema_name, d.index_name) as object,
       'index' as object_type,
       case when d.relpages::bigint * pg_catalog.current_setting('block_size')::bigint < $1::bigint then 'low' end as severity,
       format('index %I on %I.%I duplicates %I (same columns, predicate and operator classes): it doubles '
              'the write cost and the space; %s',
              d.index_name, d.schema_name, d.table_name, d.kept_name,
              -- Hydra's hydra_client_idx_id_uq: the message said to drop it beside the advice that
              -- nine foreign keys go through it, which PostgreSQL refuses
              case when d.fk_names is not null
                   then format('the foreign keys %s go through it, so they move to %I first, then it can go', d.fk_names, d.kept_name)
                   else format('drop it and keep %I', d.kept_name) end)
         || case when def.comment is not null then format(' (its comment says: %s)', def.comment) else '' end as message,
       json_build_object('size_bytes', d.relpages::bigint * pg_catalog.current_setting('block_size')::bigint,
                         'idx_scan', pg_catalog.pg_stat_get_numscans(d.indexrelid),
                         'kept_index', d.kept_name,
                         'kept_constraint', d.kept_constraint,
                         'kept_unique', d.kept_unique,
                         'constraint', d.conname,
                         'definition', def.definition, 'comment', def.comment) as evidence,
       case when d.fk_names is not null then
         -- Concourse's workers: adding the keys again beside this index bound them to it again, for
         -- PostgreSQL takes the first matching unique index by OID and this one was older than
         -- the twin: the keys move in the transaction that drops it
         regexp_replace(format('-- not printed: foreign keys %s reference %I.%I through this index, and PostgreSQL refuses to drop '
                               'an index a foreign key uses; a key added again beside it binds to the first matching unique '
                               'index by OID, which may be this one again. In one transaction under lock_timeout (brief locks on '
                               'both tables): drop each of those foreign keys, %s, add each key again NOT VALID (it binds to %I); '
                               'after the commit, VALIDATE each (no lock that blocks writes), then audit again.',
                               d.fk_names, d.schema_name, d.table_name,
                               case when d.conname is not null
                                    then format('alter table %I.%I drop constraint %I (the index goes with it)', d.schema_name, d.table_name, d.conname)
                                    else format('drop index %I.%I', d.schema_name, d.index_name) end,
                               d.kept_name),
                        '[\r\n]+', E'\n-- ', 'g')
       else concat_ws(E'\n',
         -- names and definitions may hold line breaks: keep every line of the comment a comment
         regexp_replace(format('-- duplicate of %I; to recreate it: %s;', d.kept_name, def.definition),
                        '[\r\n]+', E'\n-- ', 'g'),
         'set lock_timeout = ''5s'';',
         '-- dropped only while its twin is there and valid (drop index concurrently cannot run in this guard:',
         '-- the plain drop takes a brief exclusive lock on the table, bounded by lock_timeout)',
         -- the twin found by its definition less its name too: another fix may have renamed it
         -- (no_primary_key's key made from it takes the key's name); a unique index's twin must be
         -- unique (the definition less its name leaves UNIQUE out: a plain index with the same
         -- columns would pass, and the drop would take the uniqueness with it)
         format(E'do $$\nbegin\n'
                '  if not exists (select from pg_catalog.pg_index x where x.indrelid = %L::regclass and x.indisvalid\n'
                '                 and x.indexrelid is distinct from pg_catalog.to_regclass(%L)%s\n'
                '                 and (x.indexrelid = pg_catalog.to_regclass(%L)\n'
                '                      or pg_catalog.regexp_replace(pg_catalog.pg_get_indexdef(x.indexrelid), %L, '''') = %L)) then\n'
                '    raise exception ''%% is missing or invalid: keep %%, audit again'', %L, %L;\n'
                '  end if;\n'
                '  %s\nend $$;',
                format('%I.%I', d.schema_name, d.table_name), format('%I.%I', d.schema_name, d.index_name),
                case when d.indisunique then ' and x.indisunique' else '' end,
                format('%I.%I', d.schema_name, d.kept_name),
                k_index_name.pattern, regexp_replace(def.definition, k_index_name.pattern, ''),
                format('%I.%I', d.schema_name, d.kept_name),
                format('%I.%I', d.schema_name, d.index_name),
                case when d.conname is not null
                       then format('alter table %I.%I drop constraint if exists %I;', d.schema_name, d.table_name, d.conname)
                     else format('drop index if exists %I.%I;', d.schema_name, d.index_name)
                end)) end as remediation,
       case when d.fk_names is not null then '-- nothing to undo: the advice runs nothing'
       else concat_ws(E'\n',
         'set lock_timeout = ''5s'';',
         case when d.relkind = 'I'
           -- a partitioned table's index, built on the table and its partitions (not ON ONLY, which
           -- would leave it invalid on the parent alone); no CONCURRENTLY on a partitioned table
           then E'-- partitioned table: no CONCURRENTLY; this blocks writes to it (SHARE lock) while it builds\n'
                || regexp_replace(def.definition, '^(CREATE (UNIQUE )?INDEX ("([^"]|"")*"|\S+) ON) ONLY ', '\1 ') || ';'
              else regexp_replace(regexp_replace(def.definition,
                                  '^CREATE UNIQUE INDEX ', 'create unique index concurrently if not exists '),
                                  '^CREATE INDEX ', 'create index concurrently if not exists ') || ';' end,
         case when d.contype in ('p', 'u')
                then format('alter table %I.%I add constraint %I %s using index %I;', d.schema_name, d.table_name, d.conname,
                            case d.contype when 'p' then 'primary key' else 'unique' end, d.index_name)
              when d.contype = 'x'
                then format('-- then the exclusion constraint: alter table %I.%I add constraint %I %s;', d.schema_name, d.table_name,
                            d.conname, pg_catalog.pg_get_constraintdef(d.conoid))
         end,
         case when def.comment is not null then format('comment on index %I.%I is %L;', d.schema_name, d.index_name, def.comment) end)
       end as undo,
       format('%I.%I', d.schema_name, d.index_name) as identity
from idx d
-- the definition read once, not once per use (offset 0 keeps the subquery from being pulled up
-- into the select list, where each use would call pg_get_indexdef again)
cross join lateral (select pg_catalog.pg_get_indexdef(d.indexrelid) as definition,
                           -- its COMMENT (often why it was kept): shown, and set again by the undo
                           (select dsc.description from pg_catalog.pg_description dsc where dsc.objoid = d.indexrelid and dsc.classoid = 'pg_catalog.pg_class'::pg_catalog.regclass and dsc.objsubid = 0) as comment offset 0) def
-- what a definition is without its index's name (a quoted name may hold spaces)
cross join lateral (select '^CREATE (UNIQUE )?INDEX ("([^"]|"")*"|\S+) ON ' as pattern) k_index_name
where d.rank > 1
order by d.schema_name, d.table_name, d.index_name
