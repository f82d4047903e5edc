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
-- first. Returns the fixed finding aliases (docs/contributing.md).
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
planned as (
  select t.*, u.index_name, c.attrelid is not null as has_id, coalesce(c.attnotnull, false) as id_not_null,
         format('%s_pkey', t.relname) as pkey
  from tables t
  left join unique_key u on u.indrelid = t.oid
  left join id_column c on c.attrelid = t.oid
)
select p.nspname as schema_name,
       p.relname as table_name,
       format('%s.%s', p.nspname, p.relname) as object,
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
       when p.relkind = 'p' then
         concat_ws(E'\n',
           '-- partitioned table: indexes cannot be built concurrently on the parent. Build the',
           '-- unique index concurrently on each partition, then attach it to an index created',
           '-- on only the parent (alter index ... attach partition). Then:',
           'set lock_timeout = ''5s'';',
           case when p.index_name is null and not p.has_id then format('alter table %I.%I add column if not exists id bigint;', p.nspname, p.relname) end,
           case when p.index_name is null then '-- fill id in batches and make it not null (see the non-partitioned remediation), then:' end,
           format('alter table %I.%I add constraint %I primary key (%s);', p.nspname, p.relname, p.pkey,
                  coalesce((select string_agg(format('%I', a.attname), ', ' order by k.ord)
                            from pg_catalog.pg_index x
                            join pg_catalog.pg_class i on i.oid = x.indexrelid and i.relname = p.index_name
                            cross join lateral unnest(x.indkey::int2[]) with ordinality k(attnum, ord)
                            join pg_catalog.pg_attribute a on a.attrelid = x.indrelid and a.attnum = k.attnum
                            where x.indrelid = p.oid),
                           -- a key of a partitioned table must include the partition key columns
                           'id' || coalesce(', ' || (
                             select string_agg(format('%I', a.attname), ', ' order by k.ord)
                             from pg_catalog.pg_partitioned_table pt
                             cross join lateral unnest(pt.partattrs::int2[]) with ordinality k(attnum, ord)
                             join pg_catalog.pg_attribute a on a.attrelid = pt.partrelid and a.attnum = k.attnum
                             where pt.partrelid = p.oid and a.attname <> 'id'), ''))))
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
           case when not p.id_not_null then concat_ws(E'\n',
             format('alter table %I.%I add constraint %I check (id is not null) not valid;', p.nspname, p.relname, p.relname || '_id_not_null'),
             format('alter table %I.%I validate constraint %I;', p.nspname, p.relname, p.relname || '_id_not_null'),
             format('alter table %I.%I alter column id set not null;', p.nspname, p.relname),
             format('alter table %I.%I drop constraint if exists %I;', p.nspname, p.relname, p.relname || '_id_not_null'))
           end,
           format('create unique index concurrently if not exists %I on %I.%I (id);', p.pkey, p.nspname, p.relname),
           format('alter table %I.%I add constraint %I primary key using index %I;', p.nspname, p.relname, p.pkey, p.pkey))
       end as remediation,
       format('%I.%I', p.nspname, p.relname) as identity
from planned p
order by p.nspname, p.relname
