-- id: no_primary_key
-- category: no_primary_key
-- title: Tables without a primary key
-- severity: medium
-- effort: medium
-- cost: high
-- rationale: A table without a primary key cannot be replicated logically with UPDATE or DELETE
--   (no replica identity), makes duplicate rows impossible to tell apart and leaves ORMs and
--   tooling guessing. Add one without blocking writes: build a unique index concurrently on a
--   NOT NULL key, then attach it with ADD CONSTRAINT ... PRIMARY KEY USING INDEX, which only
--   takes a brief ACCESS EXCLUSIVE lock. With no candidate key, add a bigint id filled from a
--   sequence in batches first.
--
-- Finds ordinary tables and partitioned parents (not their partitions) with no primary key.
-- The remediation uses, in order: a valid unique index whose columns are all NOT NULL; an
-- existing column named id; a new bigint id column backed by a sequence. Partitioned parents
-- cannot build indexes concurrently, so their remediation builds the index on each partition
-- first: the unique index of each partition concurrently, then each partition's primary key
-- USING that index, then the parent's, which adopts them without building an index (PostgreSQL
-- 15 builds a new one under lock for any partition without a key of its own, and leaves the
-- pre-built index as a duplicate). Returns the fixed finding aliases (queries/README.md).
with tables as (
  select t.oid, n.nspname, t.relname, t.relkind, t.reltuples
  from pg_catalog.pg_class t
  join pg_catalog.pg_namespace n on n.oid = t.relnamespace
  where t.relkind in ('r', 'p')
    and not t.relispartition
    and n.nspname not in ('pg_catalog', 'information_schema')
    and n.nspname !~ '^pg_(toast|temp_)'
    and not exists (select 1 from pg_catalog.pg_constraint k where k.conrelid = t.oid and k.contype = 'p')
    and not exists (select 1 from pg_catalog.pg_depend d
                    where d.classid = 'pg_catalog.pg_class'::regclass and d.objid = t.oid and d.deptype = 'e')
),
-- The narrowest valid, total, column-only unique index whose columns are all NOT NULL.
unique_key as (
  select distinct on (x.indrelid) x.indrelid, i.relname as index_name
  from pg_catalog.pg_index x
  join tables t on t.oid = x.indrelid
  join pg_catalog.pg_class i on i.oid = x.indexrelid
  where x.indisunique and x.indisvalid and x.indpred is null and x.indexprs is null
    and not exists (select 1 from pg_catalog.pg_attribute a
                    where a.attrelid = x.indrelid and a.attnum = any (x.indkey::int2[]) and not a.attnotnull)
  order by x.indrelid, x.indnkeyatts, i.relname
),
id_column as (
  select a.attrelid, a.attnotnull
  from pg_catalog.pg_attribute a
  join tables t on t.oid = a.attrelid
  where a.attname = 'id' and not a.attisdropped
),
-- the leaf partitions of partitioned parents, each with the name of its primary key: at most 63
-- bytes and free among the schema's relations and the partition's constraints, else cut to 54
-- bytes (on a character boundary) plus 8 hex digits of its md5
partitions as (
  select i.inhparent as parent, pn.nspname, c.relname,
         case when octet_length(c.relname || '_pkey') <= 63
               and not exists (select from pg_catalog.pg_class o where o.relnamespace = c.relnamespace and o.relname = c.relname || '_pkey')
               and not exists (select from pg_catalog.pg_constraint o where o.conrelid = c.oid and o.conname = c.relname || '_pkey')
              then c.relname || '_pkey'
              else (select left(c.relname || '_pkey', l) from generate_series(54, 1, -1) l
                    where octet_length(left(c.relname || '_pkey', l)) <= 54 limit 1)
                   || '_' || left(md5(c.relname || '_pkey'), 8) end as key_name
  from pg_catalog.pg_inherits i
  join tables t on t.oid = i.inhparent and t.relkind = 'p'
  join pg_catalog.pg_class c on c.oid = i.inhrelid
  join pg_catalog.pg_namespace pn on pn.oid = c.relnamespace
),
planned as materialized (
  select t.*, u.index_name, c.attrelid is not null as has_id, coalesce(c.attnotnull, false) as id_not_null,
         -- at most 63 bytes and free among the schema's relations and the table's constraints, else
         -- cut to 54 bytes (on a character boundary) plus 8 hex digits of its md5
         case when octet_length(t.relname || '_pkey') <= 63
               and not exists (select from pg_catalog.pg_class o join pg_catalog.pg_namespace ns on ns.oid = o.relnamespace
                               where ns.nspname = t.nspname and o.relname = t.relname || '_pkey')
               and not exists (select from pg_catalog.pg_constraint o where o.conrelid = t.oid and o.conname = t.relname || '_pkey')
              then t.relname || '_pkey'
              else (select left(t.relname || '_pkey', l) from generate_series(54, 1, -1) l
                    where octet_length(left(t.relname || '_pkey', l)) <= 54 limit 1)
                   || '_' || left(md5(t.relname || '_pkey'), 8) end as pkey
  from tables t
  left join unique_key u on u.indrelid = t.oid
  left join id_column c on c.attrelid = t.oid
)
select p.nspname as schema_name,
       p.relname as table_name,
       format('%I.%I', p.nspname, p.relname) as object,
       'table' as object_type,
       format('table %s.%s has no primary key: rows cannot be identified and logical replication cannot '
              'replicate its updates and deletes; %s', p.nspname, p.relname,
              case when p.index_name is not null then format('unique index %s can become the primary key', p.index_name)
                   when p.has_id then 'column id can become the primary key once it is unique and not null'
                   else 'add a bigint id column filled from a sequence' end) as message,
       json_build_object('rows_estimate', greatest(p.reltuples, 0)::bigint,
                         'partitioned', p.relkind = 'p',
                         'candidate_index', p.index_name,
                         'size_bytes', pg_catalog.pg_total_relation_size(p.oid)) as evidence,
       case
       when p.relkind = 'p' and p.index_name is null and not p.has_id then
         concat_ws(E'\n',
           '-- partitioned table with no candidate key: add a bigint id (the partition key columns join it in the key),',
           '-- fill it in batches partition by partition and make it not null, then audit again for the steps that',
           '-- build the key without locking:',
           'set lock_timeout = ''5s'';',
           format('alter table %I.%I add column if not exists id bigint;', p.nspname, p.relname))
       when p.relkind = 'p' then
         concat_ws(E'\n',
           '-- partitioned table: PostgreSQL 15 has no ADD PRIMARY KEY USING INDEX on it, and its ADD PRIMARY KEY',
           '-- builds the index of every partition under an exclusive lock unless each partition has its own',
           '-- primary key already: build those concurrently, one partition at a time, and the parent''s key',
           '-- adopts them (no index build, a brief exclusive lock on the parent and its partitions).',
           'set lock_timeout = ''5s'';',
           case when exists (select from pg_catalog.pg_attribute a
                             where a.attrelid = p.oid and a.attname = any (pk.cols) and not a.attnotnull) then
             '-- the key''s columns must be NOT NULL first: on each partition add a check (col is not null) NOT VALID, validate it, set not null; then set not null on the parent (no scan: its partitions prove it)'
           end,
           '-- 1. stop here if the key holds NULLs or duplicates',
           format(E'do $$\ndeclare\n  nulls bigint;\n  duplicated bigint;\nbegin\n'
                  '  select count(*) into nulls from %I.%I where %s;\n'
                  '  select count(*) into duplicated from (select from %I.%I group by %s having count(*) > 1) d;\n'
                  '  if nulls > 0 or duplicated > 0 then\n'
                  '    raise exception ''%%: %% rows have a NULL in (%%) and %% keys are duplicated: fill and deduplicate them, then run this script again'', %L, nulls, %L, duplicated;\n'
                  '  end if;\nend $$;',
                  p.nspname, p.relname, (select string_agg(format('%I is null', c), ' or ') from unnest(pk.cols) c),
                  p.nspname, p.relname, pk.col_list, format('%I.%I', p.nspname, p.relname), pk.col_list),
           '-- 2. each partition''s primary key, built concurrently; a failed build is dropped',
           (select string_agg(concat_ws(E'\n',
              format('create unique index concurrently if not exists %I on %I.%I (%s);', pp.key_name, pp.nspname, pp.relname, pk.col_list),
              format(E'do $$\nbegin\n'
                     '  if exists (select from pg_catalog.pg_index x where x.indexrelid = pg_catalog.to_regclass(%L) and not x.indisvalid) then\n'
                     '    drop index %I.%I;\n'
                     '    raise warning ''%% was left invalid and is dropped: fix the cause above, then run this script again'', %L;\n'
                     '  elsif pg_catalog.to_regclass(%L) is not null\n'
                     '        and not exists (select from pg_catalog.pg_constraint c where c.conrelid = %L::regclass and c.contype = ''p'') then\n'
                     '    alter table %I.%I add constraint %I primary key using index %I;\n'
                     '  end if;\nend $$;',
                     format('%I.%I', pp.nspname, pp.key_name), pp.nspname, pp.key_name, format('%I.%I', pp.nspname, pp.key_name),
                     format('%I.%I', pp.nspname, pp.key_name), format('%I.%I', pp.nspname, pp.relname),
                     pp.nspname, pp.relname, pp.key_name, pp.key_name)), E'\n' order by pp.relname)
            from partitions pp where pp.parent = p.oid),
           '-- 3. the parent''s key, only once every partition has its own (else it would build theirs under the lock)',
           format(E'do $$\nbegin\n'
                  '  if exists (select from pg_catalog.pg_inherits i where i.inhparent = %L::regclass\n'
                  '             and not exists (select from pg_catalog.pg_constraint c where c.conrelid = i.inhrelid and c.contype = ''p'')) then\n'
                  '    raise exception ''a partition of %% has no primary key yet: run step 2 for it first'', %L;\n'
                  '  end if;\n'
                  '  alter table %I.%I add constraint %I primary key (%s);\nend $$;',
                  format('%I.%I', p.nspname, p.relname), format('%I.%I', p.nspname, p.relname),
                  p.nspname, p.relname, p.pkey, pk.col_list))
       when p.index_name is not null then
         format(E'set lock_timeout = ''5s'';\nalter table %I.%I add constraint %I primary key using index %I;',
                p.nspname, p.relname, p.pkey, p.index_name)
       else
         concat_ws(E'\n',
           'set lock_timeout = ''5s'';',
           case when not p.has_id then concat_ws(E'\n',
             format('create sequence if not exists %I.%I as bigint;', p.nspname, p.relname || '_id_seq'),
             format('alter table %I.%I add column if not exists id bigint;', p.nspname, p.relname),
             format('alter table %I.%I alter column id set default pg_catalog.nextval(%L);', p.nspname, p.relname,
                    format('%I.%I', p.nspname, p.relname || '_id_seq')),
             format('alter sequence %I.%I owned by %I.%I.id;', p.nspname, p.relname || '_id_seq', p.nspname, p.relname),
             '-- fill existing rows in batches; repeat until it updates no row:',
             format('update %I.%I set id = pg_catalog.nextval(%L) where ctid = any (array(select ctid from %I.%I where id is null limit 10000));',
                    p.nspname, p.relname, format('%I.%I', p.nspname, p.relname || '_id_seq'), p.nspname, p.relname))
           end,
           case when p.has_id then concat_ws(E'\n',
             '-- stop here if id holds NULLs or duplicates (the unique build would fail on them)',
             format(E'do $$\ndeclare\n  nulls bigint;\n  duplicated bigint;\nbegin\n'
                    '  select count(*) into nulls from %I.%I where id is null;\n'
                    '  select count(*) into duplicated from (select from %I.%I group by id having count(*) > 1) d;\n'
                    '  if nulls > 0 or duplicated > 0 then\n'
                    '    raise exception ''%%: %% rows have a NULL id and %% ids are duplicated: fill and deduplicate them, then run this script again'', %L, nulls, duplicated;\n'
                    '  end if;\nend $$;',
                    p.nspname, p.relname, p.nspname, p.relname, format('%I.%I', p.nspname, p.relname)))
           end,
           case when not p.id_not_null then concat_ws(E'\n',
             format('alter table %I.%I add constraint %I check (id is not null) not valid;', p.nspname, p.relname, p.relname || '_id_not_null'),
             format('alter table %I.%I validate constraint %I;', p.nspname, p.relname, p.relname || '_id_not_null'),
             '-- set not null only once the check is validated (then it needs no scan under the exclusive lock)',
             format(E'do $$\nbegin\n'
                    '  if not exists (select from pg_catalog.pg_constraint c where c.conrelid = %L::regclass and c.conname = %L and c.convalidated) then\n'
                    '    raise exception ''check %% is not validated: fill the NULL ids, validate it, then run this script again'', %L;\n'
                    '  end if;\n'
                    '  alter table %I.%I alter column id set not null;\n'
                    '  alter table %I.%I drop constraint %I;\nend $$;',
                    format('%I.%I', p.nspname, p.relname), p.relname || '_id_not_null', p.relname || '_id_not_null',
                    p.nspname, p.relname, p.nspname, p.relname, p.relname || '_id_not_null'))
           end,
           format('create unique index concurrently if not exists %I on %I.%I (id);', p.pkey, p.nspname, p.relname),
           '-- the key, only from a valid index; a failed build (a duplicate written meanwhile) is dropped',
           format(E'do $$\nbegin\n'
                  '  if exists (select from pg_catalog.pg_index x where x.indexrelid = pg_catalog.to_regclass(%L) and not x.indisvalid) then\n'
                  '    drop index %I.%I;\n'
                  '    raise warning ''%% was left invalid and is dropped: deduplicate id, then run this script again'', %L;\n'
                  '  elsif pg_catalog.to_regclass(%L) is not null then\n'
                  '    alter table %I.%I add constraint %I primary key using index %I;\n'
                  '  end if;\nend $$;',
                  format('%I.%I', p.nspname, p.pkey), p.nspname, p.pkey, format('%I.%I', p.nspname, p.pkey),
                  format('%I.%I', p.nspname, p.pkey), p.nspname, p.relname, p.pkey, p.pkey))
       end as remediation,
       concat_ws(E'\n',
         '-- the primary key (its index goes with it; on a partitioned table, the partitions'' keys stay as their own):',
         'set lock_timeout = ''5s'';',
         format('alter table %I.%I drop constraint if exists %I;', p.nspname, p.relname, p.pkey),
         case when p.index_name is null and not p.has_id then
           regexp_replace(format('-- the added id column holds data written since: dropping it cannot be undone without a backup: '
                                 'alter table %I.%I drop column if exists id;', p.nspname, p.relname), '[\r\n]+', E'\n-- ', 'g') end) as undo,
       format('%I.%I', p.nspname, p.relname) as identity
from planned p
-- the key of a partitioned parent: the candidate index's columns, else id and the partition key
-- columns (a key of a partitioned table must include them)
left join lateral (
  select cols, (select string_agg(format('%I', c), ', ') from unnest(cols) c) as col_list
  from (select coalesce(
          (select array_agg(a.attname::text order by k.ord)
           from pg_catalog.pg_index x
           join pg_catalog.pg_class i on i.oid = x.indexrelid and i.relname = p.index_name
           cross join lateral unnest(x.indkey::int2[]) with ordinality k(attnum, ord)
           join pg_catalog.pg_attribute a on a.attrelid = x.indrelid and a.attnum = k.attnum
           where x.indrelid = p.oid),
          array['id'] || coalesce((select array_agg(a.attname::text order by k.ord)
                                   from pg_catalog.pg_partitioned_table pt
                                   cross join lateral unnest(pt.partattrs::int2[]) with ordinality k(attnum, ord)
                                   join pg_catalog.pg_attribute a on a.attrelid = pt.partrelid and a.attnum = k.attnum
                                   where pt.partrelid = p.oid and a.attname <> 'id'), '{}')) as cols) k
) pk on p.relkind = 'p'
order by p.nspname, p.relname
