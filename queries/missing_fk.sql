-- id: missing_fk
-- category: missing_fk
-- area: integrity
-- title: Columns that look like references but have no foreign key
-- severity: info..low, default low
-- effort: low
-- group: check
-- params: tenant_keys=(config)
-- input: sequence_values
-- grading: info when none of the values ANALYZE sampled from the column lies within the range of
--   the parent key's sampled values (Synapse's profiles.user_id holds user localparts, users.name
--   full user ids): it holds something else, or only orphans; info with the steps as advice on a
--   log by its name (audit, log(s), stats, statistics, journal at the end:
--   Coder's audit_logs.user_id; its rows outlive what they name, and a key would stop the parent's
--   deletes or erase the log); info too when its constant default is a "none" no parent row holds
--   (0 or -1 for a key a sequence fills, the all-zero uuid: Cal.com's avatars."teamId" default 0),
--   with or without rows; else low.
-- rationale: A column named after another table (orders.customer_id next to customers.id) with
--   no foreign key lets orphan rows in: deletes leave dangling ids and joins silently lose rows.
--   Build the child's index concurrently first (the key's lookups on parent deletes need it),
--   add the constraint NOT VALID (a brief lock, no scan), then VALIDATE CONSTRAINT separately,
--   which scans under SHARE UPDATE EXCLUSIVE and so does not block reads or writes. Between
--   tenant tables the key carries the tenant, so that it cannot cross tenants. Orphans already
--   present make the validation fail: find and fix them first. The key takes the ON DELETE
--   action every other key to the parent has (CASCADE or RESTRICT; SET NULL on a nullable column
--   of a key of one column): the application's deletes of the parent go on as they do for its
--   siblings. Otherwise it is ON DELETE NO ACTION: deleting a parent row that rows still reference
--   fails from then on, where it left orphans before, so the application must delete or detach
--   them first (or the key says CASCADE or SET NULL); the fix says so above its ADD.
--
-- Finds columns named <table>_id or <singular of table>_id (singular: trailing "ies" -> "y",
-- else without a trailing "es" or "s"), or in the camelCase of ORMs <table>Id or <singular>Id
-- with the first letter lower-cased ("User" or "users": "userId"), the same of a table's name without
-- a prefix most of its schema's tables share (AppFlowy's af_workspace: workspace_id; lower in the order
-- than a table named so without it), or those run together in lower case
-- as an ORM's unquoted UserId folds (<table>id, <singular>id: Mattermost's userid, of a name of three
-- letters or more, and then only with the key's type and length exactly), whose type equals (or for
-- integers, of any width: the message names both types) that of the other table's
-- single-column primary key or unique constraint, and that are in no foreign key, and that have no
-- <name>_type (<name>Type) sibling (a polymorphic reference), nor values of their own sequence
-- (an identity or a nextval default: the table's own key). A parent in the same schema wins over one elsewhere;
-- of a parent's single-column keys, the primary key, then one of the column's type and length.
-- Tenant tables, as cross_tenant_fk sees them: the child and the parent both have a column named
-- in `tenant_keys` (the global tenant_keys of the config, a text[]), the same in both (two
-- names are two tenancies; the list's order picks among several), the column is not itself one of them, and the parent's tenant is not
-- NULL on global rows (pg_stats). Then the key is the composite (tenant, column) -> (parent's
-- tenant, key), with the parent's unique index on (tenant, key) built concurrently when it has
-- none. When the child's tenant column is nullable, the composite key does not check rows whose
-- tenant is NULL: a key on the column alone is added beside it, as cross_tenant_fk's fix keeps
-- the original there (Keygen's tables, Rails references with a nullable account_id: the key on
-- the column alone made the next audit's cross_tenant_fk report it). It stays on the column
-- alone, with a comment that says why, when a partitioned parent has no such index (its unique
-- index cannot be built concurrently); the next audit's cross_tenant_fk then reports it.
-- The remediation first counts the orphans (rows whose reference, within their tenant for the
-- composite key, matches no parent row) in a DO block that raises with the count and the query
-- that lists them; builds the child's index on the key's columns concurrently (unless an index
-- led by them exists; a partitioned child has no CONCURRENTLY: the build, its lock stated) and
-- drops an invalid one a failed build leaves; the ADD runs in a DO block that looks for orphans
-- again, so nothing is added when the script was stopped. A partitioned child cannot take a NOT
-- VALID foreign key before PostgreSQL 18: its ADD checks every partition at once, with the lock
-- spelled out. An index on the tenant column alone (plain B-tree, nothing else redundant_index
-- would keep) becomes a left prefix of a (tenant, ...) index the fix builds: it is dropped last,
-- inside a DO block that first checks the new index is valid, and the undo recreates it. The key
-- of a tenant column itself, on a table where another fix builds such a (tenant, ...) index,
-- builds that same index (same name, if not exists) instead of one on the tenant alone, so that
-- no order of the two leaves a left prefix behind; its undo keeps it while the other key is there.
-- Generated names: the constraint <table>_<column>_fkey (free among the table's constraints),
-- the indexes <table>_[<tenant>_]<column>_idx and <parent>_<tenant>_<key>_key (free among the
-- schema's relations); each when at most 63 bytes and free, else its first 54 bytes (on a
-- character boundary), "_" and 8 hex digits of its md5.
-- The child's sampled values (pg_stats most common values and histogram bounds) are compared with
-- the range of the parent key's (evidence sampled_values, sampled_outside_parent_range): some
-- outside are named in the message as possible orphans (a sample's range need not hold the
-- parent's extremes; the top of an integer key fed by a sequence is the sequence's last value, so
-- that children of parents added since the parent's ANALYZE are no orphans), weighed by the most common values' frequencies (evidence outside_share); all
-- outside grade the finding info, and so does a "none" outside the key's range among the most
-- common values (0 or -1 for an integer key, the all-zero uuid, the column's constant default;
-- evidence none_sentinel, none_sentinel_share): a "none" the application writes, which needs NULL
-- before any key. The fix's first step also stops when the column's constant default
-- (evidence constant_default) is no row of the parent, with or without rows holding it: once the
-- key exists every insert that leaves the column out would be refused.
-- Returns the fixed finding aliases (queries/README.md) and `undo`.
with sequence_values as materialized (
  -- every sequence's last value by oid (the input sequence_values), built once when a candidate
  -- first asks and looked up by key, as int_overflow does: the input parsed for each candidate
  -- read all of it every time
  select pg_catalog.jsonb_object_agg(v.seqrelid, v.last_value) as by_oid
  from pg_catalog.jsonb_to_recordset($2::jsonb) as v(seqrelid oid, last_value bigint)
),
tables as (
  select t.oid, n.oid as schema_oid, n.nspname, t.relname, t.relkind
  from pg_catalog.pg_class t
  join pg_catalog.pg_namespace n on n.oid = t.relnamespace
  where t.relkind in ('r', 'p')
    and not t.relispartition
    and n.nspname not in ('pg_catalog', 'information_schema')
    and n.nspname !~ '^pg_(toast|temp_)'
    and not exists (select 1 from pg_catalog.pg_depend d
                    where d.classid = 'pg_catalog.pg_class'::regclass and d.objid = t.oid and d.deptype = 'e')
),
-- names the schema's own foreign keys teach: a column name that two or more tables of a schema
-- declare as a foreign key of one column, all to the same parent key (Hoppscotch's "userUid" ->
-- "User".uid on six tables; "TeamMember"."userUid" had none, and 29 of its rows pointed at
-- deleted users). One pass over the foreign keys
learned_names as materialized (
  select f.connamespace as schema_oid, a.attname::text as column_name,
         min(f.confrelid) as parent_oid, min(f.confkey[1]) as parent_attnum, count(*) as keys
  from pg_catalog.pg_constraint f
  join pg_catalog.pg_attribute a on a.attrelid = f.conrelid and a.attnum = f.conkey[1]
  where f.contype = 'f' and cardinality(f.conkey) = 1 and f.conparentid = 0
    -- names the name rules (child_columns) read already are not learned again
    and a.attname !~ '(_id|[a-z0-9]I[dD])$' and a.attname !~ '^[a-z0-9]{3,}id$'
  group by f.connamespace, a.attname
  having count(*) >= 2 and count(distinct (f.confrelid, f.confkey[1])) = 1
),
child_columns as materialized (
  select c.oid, c.schema_oid, c.nspname, c.relname, c.relkind, a.attnum, a.attname, a.atttypid, a.atttypmod, a.attnotnull,
         -- the name the parents' names are matched with: a trailing ID read as Id, as Prisma schemas
         -- spell it too (Hoppscotch's "teamID")
         pg_catalog.regexp_replace(a.attname, '([a-z0-9])ID$', '\1Id') as match_name
  from tables c
  join pg_catalog.pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
  where (a.attname like '%\_id' or (a.attname like '%I_' and a.attname ~ '[a-z0-9]I[dD]$')
         -- run together in lower case (Mattermost's userid): lib/reference_names.sql's loose names
         or (a.attname like '%id' and a.attname ~ '^[a-z0-9]{3,}id$')
         -- a name the schema's foreign keys teach (learned_names)
         or (c.schema_oid, a.attname::text) in (select l.schema_oid, l.column_name from learned_names l))
    and not exists (select 1 from pg_catalog.pg_constraint f
                    where f.conrelid = c.oid and f.contype = 'f' and a.attnum = any (f.conkey))
    -- a polymorphic reference (Rails' belongs_to polymorphic: <name>_id beside <name>_type naming the
    -- parent table per row; <name>Id beside <name>Type): no single parent, so no foreign key. Two
    -- lookups of (attrelid, attname) per column: offset 0 keeps the test a subplan, where an anti
    -- join hashed every column of the database (241,000 on the 1,000-schema benchmark: 100 ms)
    and not exists (select 1 from pg_catalog.pg_attribute s
                    where s.attrelid = c.oid and not s.attisdropped
                      and s.attname in (left(a.attname, -3) || '_type', left(a.attname, -2) || 'Type')
                    offset 0)
    -- a column whose own sequence makes its values (an identity, a serial's nextval default) is
    -- its table's key, not a reference: Harbor-like project2.project_id beside project.project_id
    and a.attidentity = ''
    and not (a.atthasdef and exists (select 1 from pg_catalog.pg_attrdef d
                                     where d.adrelid = c.oid and d.adnum = a.attnum
                                       and pg_catalog.pg_get_expr(d.adbin, d.adrelid) like 'nextval(%'))
),
-- a prefix most tables of a schema share (AppFlowy's af_: af_workspace, af_user, ...; two or three
-- letters or fewer and "_", on at least 5 tables and more than half of the schema's): a column names
-- such a table without it (workspace_id). Schemas without one make no second name.
schema_prefixes as materialized (
  select g.schema_oid, g.prefix
  from (select t.schema_oid, substring(t.relname from '^[a-z0-9]{1,3}_') as prefix, count(*) as tables_with,
               sum(count(*)) over (partition by t.schema_oid) as tables_in_schema
        from tables t
        group by t.schema_oid, 2) g
  where g.prefix is not null and g.tables_with >= 5 and g.tables_with * 2 > g.tables_in_schema
),
-- materialized: the name join below must be a hash join whatever the catalog statistics say. The
-- key column's attribute (its name and type) is read in candidates, for the keys a column's name
-- matches: read here, it cost a lookup for every key of the database
parent_keys as materialized (
  select t.oid, t.schema_oid, t.nspname, t.relname, t.relkind, k.conkey[1] as attnum, reference_names.column_name,
         reference_names.loose, named.unprefixed, k.contype = 'p' as primary_key, null::oid as learned_in
  from tables t
  join pg_catalog.pg_constraint k on k.conrelid = t.oid and k.contype in ('p', 'u') and cardinality(k.conkey) = 1
  -- the loose names (userid) only when some column is named so
  cross join (select exists (select from child_columns c where c.attname ~ '^[a-z0-9]{3,}id$') as wanted) lw
  -- the table's name, and without its schema's common prefix (schema_prefixes)
  cross join lateral (
    select t.relname::text as relname, false as unprefixed, lw.wanted as loose_wanted
    union all
    select substr(t.relname, length(sp.prefix) + 1), true, lw.wanted
    from schema_prefixes sp
    where sp.schema_oid = t.schema_oid and left(t.relname, length(sp.prefix)) = sp.prefix
      and length(t.relname) > length(sp.prefix) + 1
  ) named
  -- include: reference_names
  union all
  -- the parent keys learned_names teaches, for the child columns of their schema only
  select t.oid, t.schema_oid, t.nspname, t.relname, t.relkind, l.parent_attnum, l.column_name, false, false,
         exists (select from pg_catalog.pg_constraint k where k.conrelid = t.oid and k.contype = 'p' and k.conkey = array[l.parent_attnum]),
         l.schema_oid
  from learned_names l
  join tables t on t.oid = l.parent_oid
),
candidates as (
  select distinct on (c.oid, c.attnum)
         c.oid, c.schema_oid, c.nspname, c.relname, c.relkind, c.attnum, c.attname, c.attnotnull,
         p.oid as parent_oid, p.schema_oid as parent_schema_oid, p.nspname as parent_schema, p.relname as parent_table,
         p.relkind as parent_kind, p.attnum as parent_attnum, a.attname as parent_column,
         format_type(c.atttypid, c.atttypmod) as column_type,
         case when a.atttypid <> c.atttypid then format_type(a.atttypid, null) end as parent_column_type,
         c.atttypid in ('int2'::regtype, 'int4'::regtype, 'int8'::regtype, 'numeric'::regtype) as numeric_key,
         c.atttypid in ('int2'::regtype, 'int4'::regtype, 'int8'::regtype, 'numeric'::regtype,
                        'text'::regtype, 'varchar'::regtype, 'uuid'::regtype) as comparable_key,
         c.atttypid = 'uuid'::regtype as uuid_key
  from child_columns c
  join parent_keys p on p.column_name = c.match_name and p.oid <> c.oid
                      and (p.learned_in is null or p.learned_in = c.schema_oid)
  -- offset 0: the key's attribute is looked up after the name join, for its few pairs; joined
  -- freely, it was looked up for every key first
  -- the same type, or integers of another width (Rails 5.1 made keys bigint, older integer
  -- references stayed: Danbooru's ai_tags.media_asset_id), which a foreign key accepts
  cross join lateral (select a.attname, a.atttypid, a.atttypmod from pg_catalog.pg_attribute a
                      where a.attrelid = p.oid and a.attnum = p.attnum
                        and (a.atttypid = c.atttypid
                             or (a.atttypid in ('int2'::regtype, 'int4'::regtype, 'int8'::regtype)
                                 and c.atttypid in ('int2'::regtype, 'int4'::regtype, 'int8'::regtype)
                                 and not p.loose))
                        -- a loose name (userid) with the key's type and length exactly: varchar(26) for
                        -- varchar(26), not any text beside an id
                        and (not p.loose or a.atttypmod = c.atttypmod) offset 0) a
  -- a table the name names as it is before one it names without the schema's prefix (user before af_user)
  -- and of a table's keys its primary key, then one of the column's type and length (Logto's tenants:
  -- id varchar(21) the key, db_user varchar(128) unique; tenant_id varchar(21) went to db_user)
  order by c.oid, c.attnum, (p.nspname = c.nspname) desc, p.unprefixed, (a.atttypid = c.atttypid) desc,
           p.nspname, p.relname, p.primary_key desc, (a.atttypmod = c.atttypmod) desc
),
-- include: tenant_columns
-- the tenant columns of tenant tables (paired as cross_tenant_fk pairs them), else NULLs
tenancy as (
  select c.*, t.child_tenant, t.child_tenant_attnum, t.child_tenant_not_null, t.parent_tenant, t.parent_tenant_attnum,
         -- a valid unique index on exactly the parent's (tenant, key) columns serves the composite key as it is
         t.parent_tenant is not null
           and exists (select 1 from pg_catalog.pg_index x
                       where x.indrelid = c.parent_oid and x.indisunique and x.indisvalid and x.indpred is null
                         and x.indexprs is null and x.indnkeyatts = 2
                         and (x.indkey::int2[])[0:1] operator(pg_catalog.@>) array[c.parent_attnum, t.parent_tenant_attnum]
                         and (x.indkey::int2[])[0:1] operator(pg_catalog.<@) array[c.parent_attnum, t.parent_tenant_attnum]) as parent_indexed
  from candidates c
  left join lateral (
    select ct.attname as child_tenant, ct.attnum as child_tenant_attnum, ct.attnotnull as child_tenant_not_null,
           pt.attname as parent_tenant, pt.attnum as parent_tenant_attnum
    from tenant_columns ct
    join tenant_columns pt on pt.attrelid = c.parent_oid and pt.attname = ct.attname
    where ct.attrelid = c.oid
      and not c.attname = any ($1::text[])
      and not (not pt.attnotnull
               and exists (select 1 from global_rows g where g.attrelid = c.parent_oid and g.attname = pt.attname))
    order by ct.rank
    limit 1
  ) t on true
),
planned as (
  select t.*, c.composite,
         -- a nullable child tenant: the composite key, and one on the column alone beside it for
         -- the rows whose tenant is NULL
         c.composite and not t.child_tenant_not_null as beside,
         case when t.child_tenant is null then null
              when not c.composite
              then format('-- %I.%I is partitioned and has no unique index on (%s, %s), which cannot be built concurrently there: the key is on %s alone',
                          t.parent_schema, t.parent_table, t.parent_tenant, t.parent_column, t.attname)
              when not t.child_tenant_not_null
              then format('-- %I.%I.%I can be NULL, and the key on (%I, %I) does not check rows whose tenant is NULL: a key on %I alone goes beside it',
                          t.nspname, t.relname, t.child_tenant, t.child_tenant, t.attname, t.attname)
         end as key_note
  from tenancy t
  cross join lateral (select t.child_tenant is not null and (t.parent_indexed or t.parent_kind = 'r') as composite) c
),
keyed as (
  select p.*,
         -- the child's index: led by the key's columns, in any order, or by the column alone when
         -- the key adds the tenant (what fk_without_index asks for: lib/fk_serving_index.sql); led
         -- by the column when a key on it alone goes beside the composite one (beside)
         exists (select 1 from pg_catalog.pg_index x
                 where x.indrelid = p.oid and x.indisvalid and x.indpred is null
                   and ((not p.beside and x.indnkeyatts >= k.n
                         and (x.indkey::int2[])[0:k.n - 1] operator(pg_catalog.@>) k.attnums
                         and (x.indkey::int2[])[0:k.n - 1] operator(pg_catalog.<@) k.attnums)
                        or x.indkey[0] = p.attnum)) as child_indexed,
         k.key_columns, k.index_columns, k.base_columns
  from planned p
  cross join lateral (
    select case when p.composite then array[p.child_tenant_attnum, p.attnum] else array[p.attnum] end as attnums,
           case when p.composite then 2 else 1 end as n,
           case when p.composite then format('%I, %I', p.child_tenant, p.attname) else format('%I', p.attname) end as key_columns,
           -- the index the fix builds: the column first when a key on it alone goes beside (it
           -- serves both keys' lookups, and leaves an index on the tenant alone no left prefix)
           case when p.beside then format('%I, %I', p.attname, p.child_tenant)
                when p.composite then format('%I, %I', p.child_tenant, p.attname) else format('%I', p.attname) end as index_columns,
           case when p.beside then p.attname || '_' || p.child_tenant
                when p.composite then p.child_tenant || '_' || p.attname else p.attname end as base_columns
  ) k
),
named as (
  select k.*,
         fitted.names[1] as fkey, fitted.names[2] as child_index, fitted.names[3] as parent_index,
         case when k.beside then fitted.names[4] end as beside_fkey,
         -- ONLY on a plain table, as the key checks them: an inheritance parent's key neither
         -- covers the rows of its children nor takes its parent's children's rows as keys
         -- (Concourse's build_events: children of their own)
         -- (between tenant tables, within the tenant)
         format('%s%I.%I c where c.%I is not null and not exists (select 1 from %s%I.%I p where p.%I = c.%I%s)',
                case when k.relkind = 'r' then 'only ' else '' end, k.nspname, k.relname, k.attname,
                case when k.parent_kind = 'r' then 'only ' else '' end, k.parent_schema, k.parent_table,
                k.parent_column, k.attname,
                case when k.beside then format(' and (c.%I is null or p.%I = c.%I)', k.child_tenant, k.parent_tenant, k.child_tenant)
                     when k.composite then format(' and p.%I = c.%I', k.parent_tenant, k.child_tenant) else '' end) as orphans,
         -- the new key is there and validated (lib/tenant_only_index_drops.sql)
         format('exists (select 1 from pg_catalog.pg_constraint c where c.conrelid = %L::regclass and c.conname = %L and c.convalidated)',
                format('%I.%I', k.nspname, k.relname), fitted.names[1]) as key_ready
  from keyed k
  cross join lateral (select k.relname || '_' || k.attname || '_fkey' as fkey_base,
                             k.relname || '_' || k.base_columns || '_idx' as child_index_base,
                             k.parent_table || '_' || k.parent_tenant || '_' || k.parent_column || '_key' as parent_index_base,
                             k.relname || '_' || k.child_tenant || '_' || k.attname || '_fkey' as beside_fkey_base) b
  cross join lateral (
    select array[b.fkey_base, b.child_index_base, b.parent_index_base, b.beside_fkey_base] as bases,
           array[exists (select 1 from pg_catalog.pg_constraint r where r.conrelid = k.oid and r.conname = b.fkey_base),
                 exists (select 1 from pg_catalog.pg_class r where r.relnamespace = k.schema_oid and r.relname = b.child_index_base),
                 exists (select 1 from pg_catalog.pg_class r
                         where r.relnamespace = k.parent_schema_oid and r.relname = b.parent_index_base),
                 exists (select 1 from pg_catalog.pg_constraint r where r.conrelid = k.oid and r.conname = b.beside_fkey_base)] as taken) fit
-- include: fitted_names
),
-- the index on the tenant column alone of a table whose (tenant, ...) index the fix builds: one
-- redundant_index would call a left prefix of it (a valid B-tree on that column only: no
-- expression, predicate or INCLUDE, neither unique nor a constraint's, the default operator
-- class, collation and order); those there now, for the undo
sides as (
  select n.oid as child_oid, n.attnum as child_attnum, w.*
  from named n
  cross join lateral (
    select 'child' as side, n.oid as rel, n.child_tenant_attnum as tenant_attnum, n.child_tenant as tenant,
           n.nspname as schema_name, n.relname as table_name, format('%I.%I', n.nspname, n.child_index) as wider,
           array[n.child_tenant_attnum, n.attnum] as key_attnums
    where n.composite and not n.beside and not n.child_indexed
    union all
    select 'parent', n.parent_oid, n.parent_tenant_attnum, n.parent_tenant, n.parent_schema, n.parent_table,
           format('%I.%I', n.parent_schema, n.parent_index), array[n.parent_tenant_attnum, n.parent_attnum]
    where n.composite and not n.parent_indexed
  ) w
),
narrow as (
  select w.child_oid, w.child_attnum, w.side, i.relname as index_name,
  -- include: tenant_only_indexes
),
-- the sides whose drop step is printed: an index on the tenant alone is there, or, on the parent,
-- another fix of this audit builds one (the key of the tenant column itself, on a table with no
-- index on it) and may have run first; the step looks for them when it runs. (On the child, that
-- fix builds this one's (tenant, column) index instead: steps' shared index)
drops as (
  select w.*
  from sides w
  where exists (select 1 from narrow r where r.child_oid = w.child_oid and r.child_attnum = w.child_attnum and r.side = w.side)
     or (w.side = 'parent' and exists (select 1 from keyed k where k.oid = w.rel and k.attnum = w.tenant_attnum and not k.child_indexed))
),
-- the indexes on the tenant alone the new ones make redundant, found when the step runs,
-- dropped only once the key is validated and while the new index is valid; grouped by column
-- here, once (a lookup per finding in drops and narrow would scan all of them for each)
narrow_steps as (
  select r.child_oid, r.child_attnum,
         string_agg(case when strpos(g.body, '$$') = 0 then format(E'do $$\n%s\n$$;', g.body)
                         else format('do %L;', g.body) end, E'\n' order by r.side) as narrow_drops
  from drops r
  join named n on n.oid = r.child_oid and n.attnum = r.child_attnum
  -- include: tenant_only_index_drops
  group by r.child_oid, r.child_attnum
),
narrow_definitions as (
  select r.child_oid, r.child_attnum, string_agg(r.definition, E'\n' order by r.side, r.index_name) as narrow_definitions
  -- each index once: a reference of a table to itself finds its tenant index from both sides
  from (select distinct on (r.child_oid, r.child_attnum, r.definition) r.* from narrow r
        order by r.child_oid, r.child_attnum, r.definition, r.side) r
  group by r.child_oid, r.child_attnum
),
-- the ON DELETE action every other foreign key to a parent has, when there are two or more and it
-- is one action other than NO ACTION (Langfuse: every key to projects is ON DELETE CASCADE, and the
-- NO ACTION key proposed would make a project's delete fail; Trigger.dev's BatchTaskRun, whose key
-- pasted as printed made the application's project delete fail): the key takes it (steps). One
-- pass over pg_constraint (no index on confrelid), read only when there is a candidate
sibling_actions as materialized (
  select k.confrelid, case min(k.confdeltype) when 'c' then 'CASCADE' when 'n' then 'SET NULL' when 'd' then 'SET DEFAULT'
                                              when 'r' then 'RESTRICT' end as action,
         count(*) as keys
  from pg_catalog.pg_constraint k
  where k.contype = 'f' and k.conparentid = 0
  group by k.confrelid
  having count(*) >= 2 and count(distinct k.confdeltype) = 1 and min(k.confdeltype) <> 'a'
),
steps as (
  select n.*,
         -- an integer key's orphans that hold 0 or -1 are counted apart: a "none" the application
         -- writes (Harbor's registry_id), which wants NULL there and the application writing NULL,
         -- not a delete
         format(E'declare\n  orphans bigint;\n  nones bigint;\nbegin\n%s'
                '  select count(*), %s into orphans, nones from %s;\n'
                '  if orphans > 0 then\n'
                '    raise exception ''%% rows of %% reference no row of %%; %% before the '
                'foreign key is added, list them with: %%'',\n'
                '      orphans, %L, %L%s, %L, %L;\n'
                '  end if;\nend',
                -- a constant default that is no key of the parent: every insert that leaves the
                -- column out is refused once the key exists (Kong's ratelimiting_metrics.route_id,
                -- default the all-zero uuid: "no route"), whether or not a row holds it yet
                cd.default_check,
                -- (a NOT NULL column has no NULL to take instead: its orphans are only that)
                case when n.numeric_key and not n.attnotnull then format('count(*) filter (where c.%I in (0, -1))', n.attname) else '0' end,
                n.orphans, format('%I.%I', n.nspname, n.relname),
                format('%I.%I', n.parent_schema, n.parent_table)
                  || case when n.composite then format(' with the same %I', n.child_tenant) else '' end,
                case when n.numeric_key and not n.attnotnull
                     then ' || case when nones > 0 then format('' (%s of them hold 0 or -1, a "none" the application writes: '
                          'set those to NULL, and have it write NULL, before the key)'', nones) else '''' end' else '' end,
                -- a NOT NULL column cannot be set to NULL
                case when n.attnotnull then format('delete them or point %I at rows that exist', n.attname)
                     else format('delete them or set %I to NULL', n.attname) end,
                'select c.* from ' || n.orphans) as precondition,
         format(E'begin\n%s'
                '  if exists (select 1 from %s) then\n'
                '    raise exception ''foreign key %% is not added: %% has orphans (see above)'', %L, %L;\n'
                '  end if;\n'
                '%s'
                'end',
                cd.default_check, n.orphans, n.fkey, format('%I.%I', n.nspname, n.relname), ks.adds) as add_fkey,
         ks.validates, ks.drops,
         sib.action as siblings_on_delete, sib.keys as sibling_keys, od.on_delete,
         dk.all_deferred, cd.constant_default, cd.default_value,
         -- a failed concurrent build leaves an invalid index: drop it, so that nothing relies on it
         (select string_agg(format(E'  if exists (select 1 from pg_catalog.pg_index x where x.indexrelid = pg_catalog.to_regclass(%L) and not x.indisvalid) then\n'
                                   '    drop index %I.%I;\n'
                                   '    raise warning ''index %% was left invalid by a failed build and is dropped: run the script again'', %L;\n'
                                   '  end if;\n',
                                   format('%I.%I', b.schema_name, b.index_name), b.schema_name, b.index_name,
                                   format('%I.%I', b.schema_name, b.index_name)), '' order by b.ord)
          from (select 1 as ord, n.parent_schema as schema_name, n.parent_index as index_name where n.composite and not n.parent_indexed
                union all
                select 2, n.nspname, coalesce(sh.index_name, n.child_index) where not n.child_indexed) b) as index_check,
         coalesce(sh.index_name, n.child_index) as built_index, coalesce(sh.index_columns, n.index_columns) as built_columns,
         sh.index_name as shared_index, sh.attname as shared_with,
         ns.narrow_drops,
         nd.narrow_definitions
  from named n
  -- the column's default when it is a constant (no call, nothing to run: '...'::uuid, 0), and its value as text
  cross join lateral (select n.oid as relid, n.attnum) dc
  -- include: constant_default
  -- the stop on it, in the first step and again in the ADD's (a script pasted whole goes on after
  -- the first step's stop)
  cross join lateral (
    select cdf.constant as constant_default, cdf.literal as default_value,
           case when cdf.constant is not null then format(
             E'  if not exists (select 1 from %s%I.%I p where p.%I = (%s)) then\n'
             '    raise exception ''the default of %%, %%, is no row of %%: once the key exists, every insert that leaves '
             'the column out is refused (a "none" the application writes): make the default NULL, and have the '
             'application write NULL there, before the key'', %L, %L, %L;\n'
             '  end if;\n',
             case when n.parent_kind = 'r' then 'only ' else '' end, n.parent_schema, n.parent_table, n.parent_column,
             cdf.constant, format('%I.%I.%I', n.nspname, n.relname, n.attname), cdf.constant,
             format('%I.%I', n.parent_schema, n.parent_table)) else '' end as default_check) cd
  -- the key of a tenant column itself (Hatchet's QueueItem."tenantId" -> "Tenant") on a table where
  -- another fix of this audit builds a (tenant, column) index: that index serves this key too, so
  -- this fix builds the same one (same name, if not exists) rather than one on the tenant alone,
  -- which the other's index would make a left prefix, whichever ran first
  left join lateral (
    select n2.child_index as index_name, n2.index_columns, n2.attname
    from named n2
    where not n.child_indexed and n2.oid = n.oid and n2.attnum <> n.attnum and n2.child_tenant_attnum = n.attnum
      and n2.composite and not n2.beside and not n2.child_indexed
    order by n2.attname
    limit 1
  ) sh on true
  left join narrow_steps ns on ns.child_oid = n.oid and ns.child_attnum = n.attnum
  left join narrow_definitions nd on nd.child_oid = n.oid and nd.child_attnum = n.attnum
  left join sibling_actions sib on sib.confrelid = n.parent_oid
  -- the action the key takes from them: CASCADE or RESTRICT; SET NULL only on a nullable column of a
  -- key of one column (on a composite key it would clear the tenant too)
  cross join lateral (
    select case when sib.action in ('CASCADE', 'RESTRICT') or (sib.action = 'SET NULL' and not n.attnotnull and not n.composite)
                then sib.action end as on_delete
  ) od
  cross join lateral (
    select coalesce(bool_and(k.condeferrable and k.condeferred), false) as all_deferred
    from pg_catalog.pg_constraint k
    where k.contype = 'f' and k.connamespace = n.schema_oid
  ) dk
  -- the keys the fix adds (each where missing), validates and its undo drops: the composite one or
  -- the one on the column alone, or both (beside: a nullable child tenant)
  cross join lateral (
    select string_agg(format(E'  if not exists (select 1 from pg_catalog.pg_constraint where conrelid = %L::regclass and conname = %L) then\n'
                             '%s'
                             '    alter table %I.%I add constraint %I foreign key (%s) references %I.%I (%s)%s;\n'
                             '  end if;\n',
                             format('%I.%I', n.nspname, n.relname), y.name,
                             case when n.relkind = 'p'
                                  then E'    -- partitioned table: before PostgreSQL 18 the key cannot be NOT VALID; this ADD checks every\n'
                                       '    -- partition under a SHARE ROW EXCLUSIVE lock on the table and its partitions (blocks writes, not reads)\n'
                                  else '' end,
                             n.nspname, n.relname, y.name, y.columns, n.parent_schema, n.parent_table, y.parent_columns,
                             -- the schema's convention: when every foreign key of the child's schema is DEFERRABLE
                             -- INITIALLY DEFERRED (Danbooru's 93), so is this one (the application may rely on it)
                             coalesce(' on delete ' || lower(od.on_delete), '')
                               || case when dk.all_deferred then ' deferrable initially deferred' else '' end
                               || case when n.relkind = 'p' then '' else ' not valid' end), '' order by y.ord) as adds,
           string_agg(format('alter table %I.%I validate constraint %I;', n.nspname, n.relname, y.name), E'\n' order by y.ord) as validates,
           string_agg(format('alter table %I.%I drop constraint if exists %I;', n.nspname, n.relname, y.name), E'\n'
                      order by y.ord desc) as drops
    from (select 1 as ord, n.fkey as name,
                 case when n.composite and not n.beside then n.key_columns else format('%I', n.attname) end as columns,
                 case when n.composite and not n.beside then format('%I, %I', n.parent_tenant, n.parent_column)
                      else format('%I', n.parent_column) end as parent_columns
          union all
          select 2, n.beside_fkey, n.key_columns, format('%I, %I', n.parent_tenant, n.parent_column)
          where n.beside) y
  ) ks
),
-- The child's values ANALYZE sampled (most common values and histogram bounds) against the range
-- of the parent's key as ANALYZE saw it (fresh: under 10% of its rows changed since), compared as
-- numbers for integer keys and as text in byte order (collate "C") for text and uuid keys; other
-- types, or either side without statistics, are not compared. Looked up per candidate (few).
-- The most common values outside weigh by their frequencies (the share of the rows they stand
-- for: Harbor's project.registry_id holds 0, "no registry", in 98% of its rows, one value of four
-- outside); 0 or -1 outside an integer key's range, the all-zero uuid, or the column's constant
-- default outside the key's range is a "none" sentinel the application writes.
sampled as (
  select c.*, v.sampled_values, v.outside_parent, v.outside_share, v.sentinel, v.sentinel_share, e.parent_empty
  from steps c
  -- the child column's statistics, read once (its sampled values, their frequencies, its NULLs)
  left join lateral (
    select cs.histogram_bounds::text::text[] as bounds, cs.most_common_vals::text::text[] as mcv,
           cs.most_common_freqs as mcf, cs.null_frac
    from pg_catalog.pg_stats cs
    where cs.schemaname = c.nspname and cs.tablename = c.relname and cs.attname = c.attname and not cs.inherited) cst on true
  -- an ordinary parent whose file is empty while ANALYZE saw values in the child (Harbor's empty
  -- registry beside project rows): every one of them is an orphan, or something else
  cross join lateral (
    select c.parent_kind = 'r' and pg_catalog.pg_relation_size(c.parent_oid) = 0
           and coalesce(cst.null_frac < 1, false) as parent_empty) e
  left join lateral (
    select count(*) as sampled_values,
           count(*) filter (where o.outside) as outside_parent,
           round(sum(cv.freq) filter (where o.outside)::numeric, 3) as outside_share,
           min(cv.x) filter (where o.outside and cv.freq is not null and s.none) as sentinel,
           round(sum(cv.freq) filter (where o.outside and s.none)::numeric, 3) as sentinel_share
    from (select pg_catalog.min(p::numeric) filter (where c.numeric_key) as lo_num,
                 -- Concourse's build events: children of the newest builds, whose ids are above the
                 -- top of the parent's sample (or came after its ANALYZE), read as orphans; the key's
                 -- sequence (serial or identity) has given out every id up to its last value
                 greatest(pg_catalog.max(p::numeric) filter (where c.numeric_key),
                          (select pg_catalog.max(((select s.by_oid from sequence_values s) ->> d.objid::text)::bigint)
                           from pg_catalog.pg_depend d
                           where c.numeric_key and d.refobjid = c.parent_oid and d.refobjsubid = c.parent_attnum
                             and d.classid = 'pg_catalog.pg_class'::regclass
                             and d.refclassid = 'pg_catalog.pg_class'::regclass and d.deptype in ('a', 'i'))) as hi_num,
                 pg_catalog.min(p collate "C") filter (where not c.numeric_key) as lo_text,
                 pg_catalog.max(p collate "C") filter (where not c.numeric_key) as hi_text
          from pg_catalog.pg_stats ps
          cross join lateral unnest(coalesce(ps.histogram_bounds::text::text[], '{}') || coalesce(ps.most_common_vals::text::text[], '{}')) p
          where ps.schemaname = c.parent_schema and ps.tablename = c.parent_table and ps.attname = c.parent_column
            and not ps.inherited
            -- the pg_stat_get_* function pg_stat_all_tables reads, without the view's per-table joins
            and pg_catalog.pg_stat_get_mod_since_analyze(c.parent_oid)
                  <= 0.1 * greatest((select t.reltuples from pg_catalog.pg_class t where t.oid = c.parent_oid), 0)) r
    cross join lateral (
      -- the histogram's bounds (no frequency), then the most common values with theirs
      select h.x, null::real as freq from unnest(coalesce(cst.bounds, '{}')) h(x)
      union all
      select m.x, m.freq from unnest(coalesce(cst.mcv, '{}'), coalesce(cst.mcf, '{}')) m(x, freq)) cv
    cross join lateral (select case when c.numeric_key then cv.x::numeric < r.lo_num or cv.x::numeric > r.hi_num
                                    else cv.x collate "C" < r.lo_text or cv.x collate "C" > r.hi_text end as outside) o
    -- a "none": 0 or -1 for an integer key, the all-zero uuid (Kong's EMPTY_UUID), or the column's
    -- constant default
    cross join lateral (select (c.numeric_key and cv.x in ('0', '-1')) or cv.x = '00000000-0000-0000-0000-000000000000'
                               or cv.x = c.default_value as none) s
    where c.comparable_key and coalesce(r.lo_num::text, r.lo_text) is not null
  ) v on true
)
select c.nspname as schema_name,
       c.relname as table_name,
       format('%I.%I.%I', c.nspname, c.relname, c.attname) as object,
       'column' as object_type,
       format('column %I.%I.%I looks like a reference to %I.%I.%I but has no foreign key; orphan rows '
              'may already exist and would make the validation fail: check for them before validating%s',
              c.nspname, c.relname, c.attname, c.parent_schema, c.parent_table, c.parent_column,
              case when c.beside then format('; between tenant tables the key is (%I, %I), and one on %I alone beside it checks '
                                             'the rows whose %I is NULL', c.child_tenant, c.attname, c.attname, c.child_tenant)
                   when c.composite then format('; between tenant tables the key is (%I, %I)', c.child_tenant, c.attname)
                   else '' end)
         || case when c.parent_column_type is not null
                 then format('; it is %s where the key is %s (fk_type_mismatch asks for one type once the key exists)',
                             c.column_type, c.parent_column_type) else '' end
         -- Concourse's build_events: the parent's key was added, its children went on taking orphans
         || coalesce((select format('; a foreign key is not inherited: this one covers the rows of %I.%I alone, and each of its '
                                    '%s inheritance children needs its own (reported on their own)',
                                    c.nspname, c.relname, count(*))
                      from pg_catalog.pg_inherits i
                      where c.relkind = 'r' and i.inhparent = c.oid
                      having count(*) > 0), '')
         || case when dn.default_none
                 then format('; its default, %s, is a "none" no row of %I.%I holds (%s): what the application writes when it '
                             'gives none, which a key would refuse; it needs NULL there (and the application writing NULL) '
                             'before any key, and the fix stops on it',
                             c.constant_default, c.parent_schema, c.parent_table,
                             case when c.uuid_key then 'the all-zero uuid' else 'its key comes from a sequence' end)
                 when c.constant_default is not null and c.sentinel is null
                 then format('; its default, %s, is what the application writes when it gives none: the fix stops unless it is '
                             'a row of %I.%I', c.constant_default, c.parent_schema, c.parent_table) else '' end
         || case when c.sentinel is not null
                 then format('; %s, outside the range of %I.%I.%I, is in %s%% of its rows by ANALYZE''s sample: a "none" the '
                             'application writes, which a key would refuse; it needs NULL there (and the application writing '
                             'NULL) before any key',
                             c.sentinel, c.parent_schema, c.parent_table, c.parent_column, round(100 * c.sentinel_share, 1))
                 when c.parent_empty
                 then format('; %I.%I is empty while ANALYZE saw values in the column: each is an orphan, or something else '
                             '(no reference to that table), on which the fix stops', c.parent_schema, c.parent_table)
                 when c.outside_parent > 0 and c.outside_parent = c.sampled_values
                 then format('; none of the %s values ANALYZE kept from its sample lies within the range of %I.%I.%I: it holds '
                             'something else (no reference to that table), or only orphans, on which the fix stops',
                             c.sampled_values, c.parent_schema, c.parent_table, c.parent_column)
                 -- some outside: a sample's range need not hold the parent's extremes (Umami's random
                 -- uuids: one or two of a child's 101 values outside by chance, and no orphan), so
                 -- a possibility, which the fix's first step settles
                 -- random uuids spread over the whole range: a child's sample passes the parent's
                 -- sampled extremes by chance (Supabase Auth's flow_state.user_id, one run in six,
                 -- no orphan), so only all of them outside says anything
                 when c.outside_parent > 0 and not c.uuid_key
                 then format('; %s of the %s values ANALYZE kept from its sample lie outside the range of the values it kept from %I.%I.%I%s: '
                             'orphans if the parent''s sample holds its extremes (the fix''s first step counts them and stops on any)',
                             c.outside_parent, c.sampled_values, c.parent_schema, c.parent_table, c.parent_column,
                             case when c.outside_share > 0 then format(', among them common values in %s%% of its rows', round(100 * c.outside_share, 1)) else '' end)
                 else '' end
         || case when lg.log_like or c.siblings_on_delete is null then ''
                 when c.on_delete is not null
                 then format('; the other %s foreign keys to %I.%I are all ON DELETE %s, and so is the key (with NO ACTION, '
                             'deleting a row of %I.%I would fail while rows of %I.%I reference it)',
                             c.sibling_keys, c.parent_schema, c.parent_table, c.on_delete, c.parent_schema, c.parent_table,
                             c.nspname, c.relname)
                 else format('; the other %s foreign keys to %I.%I are all ON DELETE %s, which %I.%I cannot take (%s): the key is '
                             'NO ACTION, so deleting a row of %I.%I fails while rows of %I.%I reference it',
                             c.sibling_keys, c.parent_schema, c.parent_table, c.siblings_on_delete, c.relname, c.attname,
                             case when c.siblings_on_delete = 'SET NULL' and c.attnotnull then 'NOT NULL'
                                  when c.siblings_on_delete = 'SET NULL' then 'it would clear the tenant column too'
                                  else 'no default to set' end,
                             c.parent_schema, c.parent_table, c.nspname, c.relname) end
         || case when lg.log_like
                 then format('; but %I.%I reads as a log by its name, whose rows outlive what they name: a key would make deletes '
                             'of %I.%I fail (NO ACTION) or erase the log with them (CASCADE), so the steps are advice',
                             c.nspname, c.relname, c.parent_schema, c.parent_table) else '' end as message,
       case when c.sentinel is not null or c.parent_empty or (c.outside_parent > 0 and c.outside_parent = c.sampled_values)
                 or lg.log_like or dn.default_none
            then 'info' end as severity,
       json_build_object('references', format('%I.%I.%I', c.parent_schema, c.parent_table, c.parent_column),
                         'column_type', c.column_type,
                         'key_type', c.parent_column_type,
                         'tenant_column', case when c.composite then c.child_tenant end,
                         'sampled_values', c.sampled_values,
                         'sampled_outside_parent_range', c.outside_parent,
                         'outside_share', c.outside_share,
                         'parent_empty', c.parent_empty,
                         'none_sentinel', case when c.numeric_key then to_jsonb(c.sentinel::numeric) else to_jsonb(c.sentinel) end,
                         'none_sentinel_share', c.sentinel_share,
                         'constant_default', c.constant_default, 'log_table', lg.log_like,
                         'none_default', dn.default_none, 'siblings_on_delete', c.siblings_on_delete, 'on_delete', coalesce(c.on_delete, 'NO ACTION')) as evidence,
       case when lg.log_like then E'-- nothing to paste: a log keeps its rows after what they name is gone; should it need a key after all, the steps are:\n'
            else '' end
       || regexp_replace(concat_ws(E'\n',
         'set lock_timeout = ''5s'';',
         c.key_note,
         '-- 1. stop if orphans exist:',
         case when strpos(c.precondition, '$$') = 0 then format(E'do $$\n%s\n$$;', c.precondition)
              else format('do %L;', c.precondition) end,
         case when c.index_check is not null then '-- 2. the indexes the key needs, built concurrently; a failed build is dropped:'
              else '-- 2. the indexes the key needs are there: keep them (an unused index dropped now would leave the key without one)' end,
         case when c.composite and not c.parent_indexed
              then format('create unique index concurrently if not exists %I on %I.%I (%I, %I);',
                          c.parent_index, c.parent_schema, c.parent_table, c.parent_tenant, c.parent_column) end,
         case when c.shared_index is not null
              then format('-- (%I: the index the fix of %I builds too, led by %I: one index serves both keys)',
                          c.shared_index, c.shared_with, c.attname) end,
         case when c.child_indexed then null
              when c.relkind = 'p'
              then format(E'-- partitioned table: no CONCURRENTLY; this blocks writes to %I.%I (SHARE lock) while it builds\n'
                          'create index if not exists %I on %I.%I (%s);',
                          c.nspname, c.relname, c.built_index, c.nspname, c.relname, c.built_columns)
              else format('create index concurrently if not exists %I on %I.%I (%s);', c.built_index, c.nspname, c.relname,
                          c.built_columns) end,
         case when c.index_check is null then null
              when strpos(c.index_check, '$$') = 0 then format(E'do $$\nbegin\n%send $$;', c.index_check)
              else format('do %L;', E'begin\n' || c.index_check || 'end') end,
         case when c.on_delete = 'CASCADE' then concat_ws(E'\n',
                format('-- 3. the foreign key, checked separately. It is ON DELETE CASCADE, as the other %s keys to %I.%I are: from here on,',
                       c.sibling_keys, c.parent_schema, c.parent_table),
                format('-- deleting a row of %I.%I deletes the rows of %I.%I that reference it (today it leaves them behind); write',
                       c.parent_schema, c.parent_table, c.nspname, c.relname),
                '-- NO ACTION instead (the application then deletes or detaches them first) if they must outlive it:')
              when c.on_delete = 'SET NULL' then concat_ws(E'\n',
                format('-- 3. the foreign key, checked separately. It is ON DELETE SET NULL, as the other %s keys to %I.%I are: from here on,',
                       c.sibling_keys, c.parent_schema, c.parent_table),
                format('-- deleting a row of %I.%I clears %I in the rows that reference it (today it leaves them pointing at nothing):',
                       c.parent_schema, c.parent_table, c.attname))
              else concat_ws(E'\n',
                format('-- 3. the foreign key, checked separately. It is ON DELETE %s: from here on, deleting a row of %I.%I that rows',
                       coalesce(c.on_delete, 'NO ACTION'), c.parent_schema, c.parent_table),
                format('-- of %I.%I still reference fails (today it leaves them behind): the application deletes or detaches them first,',
                       c.nspname, c.relname),
                case when c.siblings_on_delete is not null and c.on_delete is null
                     then format('-- (the other %s keys to %I.%I are ON DELETE %s, which this column cannot take):',
                                 c.sibling_keys, c.parent_schema, c.parent_table, c.siblings_on_delete)
                     when c.on_delete is not null then format('-- as with the other %s keys to %I.%I:', c.sibling_keys, c.parent_schema, c.parent_table)
                     else '-- or write ON DELETE CASCADE or SET NULL into the ADD below if that is the rule:' end) end,
         case when c.all_deferred
              then '-- (DEFERRABLE INITIALLY DEFERRED, as every other foreign key of the schema is: checked at commit)' end,
         case when strpos(c.add_fkey, '$$') = 0 then format(E'do $$\n%s\n$$;', c.add_fkey)
              else format('do %L;', c.add_fkey) end,
         c.validates,
         case when c.narrow_drops is not null then concat_ws(E'\n',
           '-- 4. an index on the tenant column alone is a left prefix of a new one, and a plain one on its columns a',
           '-- duplicate: dropped once the key is validated and while the new index is valid, each named in a NOTICE with',
           '-- its definition (drop index concurrently cannot run in this guard: the plain drop takes a brief exclusive lock,',
           '-- bounded by lock_timeout)',
           c.narrow_drops) end), case when lg.log_like then '^(?!--)|(\n)(?!--)' else '^$.' end, '\1-- ', 'g') as remediation,
       case when lg.log_like then '-- nothing to undo: the advice runs nothing' else concat_ws(E'\n',
         'set lock_timeout = ''5s'';',
         case when c.narrow_drops is not null
              then concat_ws(E'\n', '-- first the indexes on the tenant column alone that step 4 dropped (each NOTICE gave its definition):',
                             c.narrow_definitions) end,
         c.drops,
         case when c.child_indexed then null
              -- the index shared with the fix of another column: kept while a foreign key on that column is there
              when c.shared_index is not null
              then format(E'do $$\nbegin\n'
                          '  if exists (select from pg_catalog.pg_constraint f join pg_catalog.pg_attribute a on a.attrelid = f.conrelid and a.attnum = any (f.conkey)\n'
                          '             where f.conrelid = %L::regclass and f.contype = ''f'' and a.attname = %L) then\n'
                          '    raise notice ''%%: kept, the foreign key on %%.%% uses it'', %L, %L, %L;\n'
                          '  else\n'
                          '    drop index if exists %I.%I;\n'
                          '  end if;\nend $$;',
                          format('%I.%I', c.nspname, c.relname), c.shared_with, format('%I.%I', c.nspname, c.shared_index),
                          format('%I.%I', c.nspname, c.relname), c.shared_with, c.nspname, c.shared_index)
              else format('drop index%s if exists %I.%I;', case when c.relkind = 'p' then '' else ' concurrently' end,
                          c.nspname, c.child_index) end,
         -- the parent's index, while no other foreign key uses it (lib/parent_index_drop.sql)
         case when c.composite and not c.parent_indexed then parent_index_drop.statement end) end as undo,
       format('%I.%I.%I', c.nspname, c.relname, c.attname) as identity
from sampled c
-- a log by its name (Coder's audit_logs, workspace_agent_stats; Langfuse's audit_logs):
-- its rows outlive the rows they name, by design
cross join lateral (
  -- (not a history: a status history goes with its row, CASCADE; nor activities, a CRM's calls)
  select c.relname ~* '(^|_)(audit|audits|audit_?logs?|log|logs|stats|statistics|journal)$'
           as log_like
) lg
-- a constant default that is a "none" no parent row holds, whatever the rows (Cal.com's
-- avatars."teamId" default 0, low on an empty table with a fix that could only stop): 0 or -1 for
-- a key a sequence fills (serial or identity, from 1), the all-zero uuid
cross join lateral (
  select c.sentinel is null and c.default_value is not null
         and ((c.numeric_key and c.default_value in ('0', '-1')
               and exists (select from pg_catalog.pg_depend d
                           where d.refobjid = c.parent_oid and d.refobjsubid = c.parent_attnum
                             and d.classid = 'pg_catalog.pg_class'::regclass
                             and d.refclassid = 'pg_catalog.pg_class'::regclass and d.deptype in ('a', 'i')))
              or (c.uuid_key and c.default_value = '00000000-0000-0000-0000-000000000000')) as default_none
) dn
cross join lateral (select c.parent_schema, c.parent_index) p
-- include: parent_index_drop
order by c.nspname, c.relname, c.attname
