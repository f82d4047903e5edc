-- id: cross_tenant_fk
-- category: cross_tenant_fk
-- area: integrity
-- title: Foreign keys that can cross tenants
-- severity: info..medium, default medium
-- effort: low
-- group: check
-- params: tenant_keys={tenant_id,org_id,organization_id,account_id,workspace_id}, small_rows=1000
-- grading: info on an empty child (analyzed empty, or an empty file never analyzed: no row can
--   cross tenants yet), low on a child below small_rows (1,000 rows; never analyzed, a file too
--   small to hold that many) or whose key ANALYZE saw NULL
--   in every row (no row references a parent yet), else medium.
-- rationale: When both tables of a foreign key carry a tenant key but the key does not include
--   it, a row of one tenant can reference a row of another, and nothing but application code
--   stops it. Make the tenant part of the reference: check that no row crosses tenants yet,
--   build a unique index on the parent's (tenant key, key) and an index on the child's
--   concurrently, add the composite foreign key NOT VALID with the original's actions,
--   VALIDATE it separately (SHARE UPDATE EXCLUSIVE), then drop the single-column one only once
--   the replacement is validated, and give the replacement its name.
--
-- Finds foreign keys whose child and parent tables both have a column named in `tenant_keys`
-- (the global tenant_keys of the config, a text[]; see README), the same name in both (a
-- workspace_id and an organization_id are two tenancies no key compares), while the key's columns include
-- none of the child's tenant columns (a key on (organization_id, account_id) is tenant-scoped
-- even though account_id is also a tenant key name). A parent whose tenant column is nullable
-- and, by pg_stats, holds NULLs has global rows shared by every tenant (predefined roles): a
-- composite key would refuse them to every tenant, so such a key is no finding. A name on one
-- table only, or unique on its own in every table, is no tenant (lib/tenant_columns.sql). A
-- nullable parent tenant ANALYZE has not read yet may hold global rows: the steps are advice
-- until it has (evidence.parent_tenant_unverified).
-- The remediation stops on rows that already cross tenants (a DO block that raises, with their
-- count and the query that lists them), builds the parent's unique (tenant, key) index and the
-- child's (tenant, key) index concurrently (so the fix creates no fk_without_index finding),
-- carries ON DELETE, ON UPDATE RESTRICT and deferrability over to the replacement (ON DELETE SET NULL
-- / SET DEFAULT only on the key columns, not the tenant; ON UPDATE CASCADE, SET NULL or SET
-- DEFAULT not at all, as the fix says: on the composite key it would also rewrite the child's
-- tenant when a parent's changed, evidence.update_action_dropped), and drops the original inside a DO
-- block that first checks that the replacement exists, is validated and has the same actions;
-- the replacement then takes the original's name and comment in the same block (an application
-- that maps constraint names to errors, or a later migration that drops the key by name, finds
-- it), and the undo gives it its own name back before it adds the original again.
-- The original stays when the child's tenant column is nullable (the composite key does not
-- check rows whose tenant is NULL) and when it is MATCH FULL (the same as SIMPLE on one
-- column; on the composite key it would refuse every row with a tenant and a NULL key).
-- The child's old single-column index on the key is left alone: it may still serve lookups by
-- the key alone, and the usage-based checks report it when it is unused. An index on the tenant
-- column alone (plain B-tree, nothing else redundant_index would keep) becomes a left prefix of
-- a (tenant, ...) index the fix builds, on the child or the parent: it is dropped last, inside a
-- DO block that first checks the new key is validated and the new index valid; the undo
-- recreates it.
-- Generated names: <base> if at most 63 bytes and free, else its first 54 bytes (on a
-- character boundary), "_" and 8 hex digits of md5(<base>). Returns the fixed finding aliases
-- (queries/README.md) and `undo`.
with fks as materialized (
  select k.oid, k.conname, k.conkey, k.confkey, k.conrelid, k.confrelid,
         k.confupdtype, k.confdeltype, k.confmatchtype, k.condeferrable, k.condeferred,
         n.oid as child_schema_oid, n.nspname, t.relname, t.relkind as child_kind,
         pn.oid as parent_schema_oid, pn.nspname as parent_schema, p.relname as parent_table, p.relkind as parent_kind
  -- include: user_foreign_keys
    and not t.relispartition
),
-- include: tenant_columns
crossing as (
  -- the child's tenant column, and the parent's of the same name: two different names are two
  -- different tenancies (coder: a build's workspace_id, its provisioner job's organization_id),
  -- which no composite key can compare
  select distinct on (f.oid) f.*, ct.attname as child_tenant, ct.attnotnull as child_tenant_not_null,
         ct.attnum as child_tenant_attnum, pt.attname as parent_tenant, pt.attnum as parent_tenant_attnum,
         -- a nullable parent tenant ANALYZE never read (a schema without data yet): whether the
         -- parent holds global rows is unknown (Kratos' identities.organization_id: the
         -- application writes children with an organization for identities without one, which
         -- the composite key refused), so the steps are advice
         case when not pt.attnotnull
              then not exists (select from pg_catalog.pg_stats st
                               where st.schemaname = f.parent_schema and st.tablename = f.parent_table
                                 and st.attname = pt.attname) else false end as parent_tenant_unverified
  from fks f
  join tenant_columns ct on ct.attrelid = f.conrelid
  join tenant_columns pt on pt.attrelid = f.confrelid and pt.attname = ct.attname
  where not ct.attnum = any (f.conkey)
    -- a key that carries one of the child's tenant columns is tenant-scoped already: a second
    -- tenant-named column (crm.contacts.account_id, a customer account next to organization_id)
    -- is then an ordinary reference, not the tenant
    -- (read from pg_attribute through its index: the same test on the tenant_columns CTE scanned
    -- all of it for every foreign key, 0.5 s of 0.8 s on 1,000 schemas)
    and not exists (select 1 from pg_catalog.pg_attribute k
                    where k.attrelid = f.conrelid and k.attnum = any (f.conkey) and k.attname = any ($1::text[]))
    -- a tenant-scoped key on the same columns beside it (the original a fix had to keep) does the job
    and not exists (select 1 from pg_catalog.pg_constraint s
                    where s.conrelid = f.conrelid and s.confrelid = f.confrelid and s.contype = 'f'
                      and s.conkey operator(pg_catalog.@>) (f.conkey || ct.attnum))
    and not (not pt.attnotnull
             and exists (select 1 from global_rows g where g.attrelid = f.confrelid and g.attname = pt.attname))
  order by f.oid, ct.rank
),
planned as (
  select c.*, k.*,
         -- a valid unique index on exactly the parent's (tenant, key) columns serves the new key as it is
         exists (select 1 from pg_catalog.pg_index x
                 where x.indrelid = c.confrelid and x.indisunique and x.indisvalid and x.indpred is null
                   and x.indexprs is null and x.indnkeyatts = cardinality(c.confkey) + 1
                   and (x.indkey::int2[])[0:x.indnkeyatts - 1] operator(pg_catalog.@>) (c.confkey || c.parent_tenant_attnum)
                   and (x.indkey::int2[])[0:x.indnkeyatts - 1] operator(pg_catalog.<@) (c.confkey || c.parent_tenant_attnum)) as parent_indexed,
         -- an index led by the child's (tenant, key) columns serves the new key's lookups, and so
         -- does one led by the key's columns alone, the original key's (fk_without_index's test,
         -- lib/fk_serving_index.sql: Lago's fees had one on each key column, and the fix built a
         -- second index for each of its ten keys)
         exists (select 1 from pg_catalog.pg_index x
                 where x.indrelid = c.conrelid and x.indisvalid and x.indpred is null
                   and ((x.indnkeyatts >= cardinality(c.conkey) + 1
                         and (x.indkey::int2[])[0:cardinality(c.conkey)] operator(pg_catalog.@>) (c.conkey || c.child_tenant_attnum)
                         and (x.indkey::int2[])[0:cardinality(c.conkey)] operator(pg_catalog.<@) (c.conkey || c.child_tenant_attnum))
                        or (x.indnkeyatts >= cardinality(c.conkey)
                            and (x.indkey::int2[])[0:cardinality(c.conkey) - 1] operator(pg_catalog.@>) c.conkey
                            and (x.indkey::int2[])[0:cardinality(c.conkey) - 1] operator(pg_catalog.<@) c.conkey))) as child_indexed,
         c.parent_table || '_' || c.parent_tenant || '_' || k.parent_names || '_key' as parent_index_base,
         c.relname || '_' || c.child_tenant || '_' || k.child_names || '_idx' as child_index_base,
         c.relname || '_' || c.child_tenant || '_' || k.child_names || '_fkey' as fkey_base,
         nullif(concat_ws(' ',
           -- ON UPDATE CASCADE / SET NULL / SET DEFAULT is not carried over (update_action_dropped)
           case c.confupdtype when 'r' then 'on update restrict' end,
           case c.confdeltype when 'r' then 'on delete restrict' when 'c' then 'on delete cascade'
                              when 'n' then format('on delete set null (%s)', k.child_columns)
                              when 'd' then format('on delete set default (%s)', k.child_columns) end,
           case when c.condeferred then 'deferrable initially deferred' when c.condeferrable then 'deferrable' end), '')
           as fkey_options,
         -- an ON DELETE SET NULL / SET DEFAULT that must leave the tenant column alone names the
         -- columns it clears, which PostgreSQL accepts from 15 on
         c.confdeltype in ('n', 'd') and pg_catalog.current_setting('server_version_num')::int < 150000
           as action_needs_15,
         -- the original's ON UPDATE CASCADE / SET NULL / SET DEFAULT, which the composite key leaves
         -- out: on (tenant, key) it would also act on the child's tenant when a parent's changed
         -- (Cal.com's users."movedToProfileId", Prisma's default ON UPDATE CASCADE: updating a
         -- profile's organization silently moved the user to it)
         case c.confupdtype when 'c' then 'CASCADE' when 'n' then 'SET NULL' when 'd' then 'SET DEFAULT' end
           as update_action_dropped
  from crossing c
  -- the key's columns on both sides, pair by pair in the key's order, each read by its key
  -- (attrelid, attnum)
  cross join lateral (
    select string_agg(format('%I', ca.attname), ', ' order by o.ord) as child_columns,
           string_agg(ca.attname, '_' order by o.ord) as child_names,
           string_agg(format('c.%I', ca.attname), ', ' order by o.ord) as child_join,
           string_agg(format('%I', pa.attname), ', ' order by o.ord) as parent_columns,
           string_agg(pa.attname, '_' order by o.ord) as parent_names,
           string_agg(format('p.%I', pa.attname), ', ' order by o.ord) as parent_join
    from unnest(c.conkey, c.confkey) with ordinality o(child_attnum, parent_attnum, ord)
    join pg_catalog.pg_attribute ca on ca.attrelid = c.conrelid and ca.attnum = o.child_attnum
    join pg_catalog.pg_attribute pa on pa.attrelid = c.confrelid and pa.attnum = o.parent_attnum) k
),
named as (
  select p.*, fitted.names[1] as parent_index, fitted.names[2] as child_index, fitted.names[3] as fkey,
         r.replaced,
         -- the new key is there and validated, under its own name or, once step 4 ran, the
         -- original's (lib/tenant_only_index_drops.sql)
         format(E'(exists (select 1 from pg_catalog.pg_constraint c where c.conrelid = %L::regclass and c.conname = %L and c.convalidated)\n'
                '      or %s)', format('%I.%I', p.nspname, p.relname), fitted.names[3], r.replaced) as key_ready
  from planned p
  -- whether the original's name holds the replacement already (step 4 ran): a key on the child's
  -- tenant column, which the original never is
  cross join lateral (
    select format(E'exists (select 1 from pg_catalog.pg_constraint c\n'
                  '                 join pg_catalog.pg_attribute a on a.attrelid = c.conrelid and a.attnum = any (c.conkey)\n'
                  '                 where c.conrelid = %L::regclass and c.conname = %L and c.contype = ''f'' and a.attname = %L)',
                  format('%I.%I', p.nspname, p.relname), p.conname, p.child_tenant) as replaced) r
  cross join lateral (
    select array[p.parent_index_base, p.child_index_base, p.fkey_base] as bases,
           array[exists (select 1 from pg_catalog.pg_class r
                         where r.relnamespace = p.parent_schema_oid and r.relname = p.parent_index_base),
                 exists (select 1 from pg_catalog.pg_class r
                         where r.relnamespace = p.child_schema_oid and r.relname = p.child_index_base),
                 exists (select 1 from pg_catalog.pg_constraint r
                         where r.conrelid = p.conrelid and r.conname = p.fkey_base)] as taken) fit
-- include: fitted_names
),
-- the index on the tenant column alone of a table whose (tenant, ...) index the fix builds: one
-- redundant_index would call a left prefix of it (a valid B-tree on that column only: no
-- expression, predicate or INCLUDE, neither unique nor a constraint's, the default operator
-- class, collation and order)
sides as (
  select n.oid as fk_oid, w.*
  from named n
  cross join lateral (
    select 'child' as side, n.conrelid as rel, n.child_tenant_attnum as tenant_attnum, n.child_tenant as tenant,
           n.nspname as schema_name, n.relname as table_name, format('%I.%I', n.nspname, n.child_index) as wider,
           array[n.child_tenant_attnum] || n.conkey as key_attnums
    where not n.child_indexed
    union all
    select 'parent', n.confrelid, n.parent_tenant_attnum, n.parent_tenant, n.parent_schema, n.parent_table,
           format('%I.%I', n.parent_schema, n.parent_index), array[n.parent_tenant_attnum] || n.confkey
    where not n.parent_indexed
  ) w
),
narrow as (
  select w.fk_oid, w.side, w.schema_name, w.table_name, w.tenant, w.wider, i.relname as index_name,
  -- include: tenant_only_indexes
),
-- the indexes on the tenant alone the new ones make redundant (found when the step runs),
-- dropped only once the new key is validated and while the new index is valid; grouped by
-- foreign key here, once (a lookup per key in narrow scanned all of it: 1.1 s on 1,000 schemas)
narrow_steps as (
  select r.fk_oid,
         string_agg(case when strpos(g.body, '$$') = 0 then format(E'do $$\n%s\n$$;', g.body)
                         else format('do %L;', g.body) end, E'\n' order by r.side) as narrow_drops
  from (select distinct fk_oid, side, schema_name, table_name, tenant, wider from narrow) r
  join named n on n.oid = r.fk_oid
  -- include: tenant_only_index_drops
  group by r.fk_oid
),
narrow_definitions as (
  select r.fk_oid, string_agg(r.definition, E'\n' order by r.side, r.index_name) as narrow_definitions,
         -- their labels, as redundant_index names them (one entry: the fix drops them)
         pg_catalog.array_agg(format('%I.%I', r.schema_name, r.index_name) order by r.side, r.index_name) as narrow_labels
  -- each index once: a key of a table to itself finds its tenant index from both sides
  from (select distinct on (r.fk_oid, r.definition) r.* from narrow r order by r.fk_oid, r.definition, r.side) r
  group by r.fk_oid
),
-- the columns ANALYZE saw NULL in every row, read once: one pass over pg_statistic filtered on its
-- own column, as fk_without_index's mostly_null (a pg_stats lookup per finding read the view's
-- joins for each)
all_null as materialized (
  select coalesce(pg_catalog.jsonb_object_agg(format('%I.%I.%I', st.schemaname, st.tablename, st.attname), true), '{}')
           as by_column
  from pg_catalog.pg_stats st
  where st.null_frac >= 1 and not st.inherited
),
-- the bodies of the DO blocks, wrapped below
steps as (
  select n.*,
         format(E'declare\n  crossing bigint;\nbegin\n'
                '  select count(*) into crossing from %I.%I c join %I.%I p on (%s) = (%s)\n'
                '   where c.%I is not null and c.%I is distinct from p.%I;\n'
                '  if crossing > 0 then\n'
                '    raise exception ''%% rows of %% reference a row of %% of another tenant (or a global row); '
                'give them the right reference before the foreign key is replaced, list them with: %%'',\n'
                '      crossing, %L, %L, %L;\n'
                '  end if;\nend',
                n.nspname, n.relname, n.parent_schema, n.parent_table, n.child_join, n.parent_join,
                n.child_tenant, n.child_tenant, n.parent_tenant,
                format('%I.%I', n.nspname, n.relname), format('%I.%I', n.parent_schema, n.parent_table),
                format('select c.* from %I.%I c join %I.%I p on (%s) = (%s) where c.%I is not null and c.%I is distinct from p.%I',
                       n.nspname, n.relname, n.parent_schema, n.parent_table, n.child_join, n.parent_join,
                       n.child_tenant, n.child_tenant, n.parent_tenant)) as precondition,
         -- the precondition again, so that nothing is added when it stopped the script
         format(E'begin\n'
                '  if exists (select 1 from %I.%I c join %I.%I p on (%s) = (%s)\n'
                '             where c.%I is not null and c.%I is distinct from p.%I) then\n'
                '    raise exception ''foreign key %% is not added: rows of %% cross tenants (see above)'', %L, %L;\n'
                '  end if;\n'
                '  if not exists (select 1 from pg_catalog.pg_constraint where conrelid = %L::regclass and conname = %L)\n'
                '     and not %s then\n'
                '%s'
                '    alter table %I.%I add constraint %I foreign key (%I, %s) references %I.%I (%I, %s)%s;\n'
                '  end if;\nend',
                n.nspname, n.relname, n.parent_schema, n.parent_table, n.child_join, n.parent_join,
                n.child_tenant, n.child_tenant, n.parent_tenant,
                n.fkey, format('%I.%I', n.nspname, n.relname),
                format('%I.%I', n.nspname, n.relname), n.fkey, n.replaced,
                case when n.child_kind = 'p'
                     then E'    -- partitioned table: before PostgreSQL 18 the key cannot be NOT VALID; this ADD checks every\n'
                          '    -- partition under a SHARE ROW EXCLUSIVE lock on the table and its partitions (blocks writes, not reads)\n'
                     else '' end,
                n.nspname, n.relname, n.fkey, n.child_tenant, n.child_columns,
                n.parent_schema, n.parent_table, n.parent_tenant, n.parent_columns,
                case when n.child_kind = 'p' then ' ' || n.fkey_options
                     else ' ' || concat_ws(' ', n.fkey_options, 'not valid') end) as add_fkey,
         -- a failed concurrent build leaves an invalid index: drop it, so that nothing relies on it
         -- (only for the indexes the fix builds: Formbricks' and Kong's fixes checked one that an
         -- index on the key's own columns made unneeded)
         format(E'begin\n%send',
                (select string_agg(format(E'  if exists (select 1 from pg_catalog.pg_index x join pg_catalog.pg_class i on i.oid = x.indexrelid\n'
                                          '             where not x.indisvalid and i.relnamespace = %L::regnamespace and i.relname = %L) then\n'
                                          '    drop index %I.%I;\n'
                                          '    raise warning ''index %% was left invalid by a failed build and is dropped: run the script again'', %L;\n'
                                          '  end if;\n',
                                          format('%I', b.schema_name), b.index_name, b.schema_name, b.index_name,
                                          format('%I.%I', b.schema_name, b.index_name)), '' order by b.side)
                 from (values (1, not n.parent_indexed, n.parent_schema, n.parent_index),
                              (2, not n.child_indexed, n.nspname, n.child_index)) b(side, built, schema_name, index_name)
                 where b.built)) as index_check,
         -- the replacement takes the original's name and comment (often why the reference exists):
         -- an application that maps constraint names to errors, or a migration that drops the key
         -- by name, finds it (Hoppscotch: the comment was lost; every fix: the name). Run again once
         -- the original's name holds the replacement, it says so and changes nothing (Hoppscotch: the
         -- second run said the original "is kept", as if the first had failed)
         format(E'declare\n'
                '  original_comment text := (select d.description from pg_catalog.pg_description d\n'
                '                            join pg_catalog.pg_constraint c on c.oid = d.objoid and d.classoid = ''pg_catalog.pg_constraint''::regclass\n'
                '                            where c.conrelid = %1$L::regclass and c.conname = %2$L);\n'
                'begin\n'
                '  if %4$s then\n'
                '    raise notice ''foreign key %% on %% includes its tenant already: nothing to do'', %2$L, %1$L;\n'
                '    return;\n'
                '  end if;\n'
                '  if exists (select 1 from pg_catalog.pg_constraint where conrelid = %1$L::regclass and conname = %2$L) then\n'
                '    if not exists (select 1 from pg_catalog.pg_constraint o\n'
                '                   join pg_catalog.pg_constraint r on r.conrelid = o.conrelid and r.confrelid = o.confrelid\n'
                '                   where o.conrelid = %1$L::regclass and o.conname = %2$L and r.conname = %3$L\n'
                '                     and r.contype = ''f'' and r.convalidated\n'
                '                     and r.conkey operator(pg_catalog.@>) o.conkey and r.confkey operator(pg_catalog.@>) o.confkey\n'
                '                     and (r.confupdtype, r.confdeltype, r.confmatchtype, r.condeferrable, r.condeferred)\n'
                '                       = (case when o.confupdtype in (''c'', ''n'', ''d'') then ''a'' else o.confupdtype end,\n'
                '                          o.confdeltype, o.confmatchtype, o.condeferrable, o.condeferred)) then\n'
                '      raise exception ''foreign key %% on %% is kept: its replacement %% is missing, not validated or has other actions; fix the errors above and run the script again'', %2$L, %1$L, %3$L;\n'
                '    end if;\n'
                '    alter table %1$s drop constraint %2$I;\n'
                '  elsif not exists (select 1 from pg_catalog.pg_constraint where conrelid = %1$L::regclass and conname = %3$L and convalidated) then\n'
                '    raise exception ''foreign key %% on %% is gone and its replacement %% is missing or not validated: run the undo'', %2$L, %1$L, %3$L;\n'
                '  end if;\n'
                '  alter table %1$s rename constraint %3$I to %2$I;\n'
                '  if original_comment is not null then\n'
                '    execute pg_catalog.format(''comment on constraint %%I on %%s is %%L'', %2$L, %1$L, original_comment);\n'
                '  end if;\nend',
                format('%I.%I', n.nspname, n.relname), n.conname, n.fkey, n.replaced) as drop_guard,
         -- the replacement under the original's name is given its own back, then the original is
         -- added again with the comment the replacement took; the definition names tables as seen
         -- from the audit's search_path: read it with that path
         format(E'declare\n'
                '  replacement_comment text;\n'
                'begin\n'
                '  if %4$s\n'
                '     and not exists (select 1 from pg_catalog.pg_constraint where conrelid = %1$L::regclass and conname = %3$L) then\n'
                '    alter table %1$s rename constraint %2$I to %3$I;\n'
                '  end if;\n'
                '  perform pg_catalog.set_config(''search_path'', %5$L, true);\n'
                '  if not exists (select 1 from pg_catalog.pg_constraint where conrelid = %1$L::regclass and conname = %2$L) then\n'
                '    select d.description into replacement_comment from pg_catalog.pg_description d\n'
                '    join pg_catalog.pg_constraint c on c.oid = d.objoid and d.classoid = ''pg_catalog.pg_constraint''::regclass\n'
                '    where c.conrelid = %1$L::regclass and c.conname = %3$L;\n'
                '    alter table %1$s add constraint %2$I %6$s not valid;\n'
                '    if replacement_comment is not null then\n'
                '      execute pg_catalog.format(''comment on constraint %%I on %%s is %%L'', %2$L, %1$L, replacement_comment);\n'
                '    end if;\n'
                '  end if;\nend',
                format('%I.%I', n.nspname, n.relname), n.conname, n.fkey, n.replaced,
                pg_catalog.current_setting('search_path'), pg_catalog.pg_get_constraintdef(n.oid)) as readd_original,
         ns.narrow_drops,
         nd.narrow_definitions, nd.narrow_labels
  from named n
  left join narrow_steps ns on ns.fk_oid = n.oid
  left join narrow_definitions nd on nd.fk_oid = n.oid
)
select s.nspname as schema_name,
       s.relname as table_name,
       format('%I.%I.%I', s.nspname, s.relname, s.conname) as object,
       'constraint' as object_type,
       -- one design choice repeated over many tables: medium where the child holds rows, low on
       -- an analyzed child below small_rows ($2), where fixing it now costs little, info on an
       -- empty one, where no row can cross tenants yet
       -- (a child never analyzed, reltuples -1, is empty when its file is: sized for the findings
       -- only, a stat of the file each)
       case when child.rows = 0 then 'info'
            when child.rows < 0 and s.child_kind = 'r' and pg_catalog.pg_relation_size(s.conrelid) = 0 then 'info'
            -- (never analyzed: as many rows as its file can hold, Sourcegraph's four seed prompts)
            when child.rows_at_most < $2::bigint then 'low'
            when nr.unreferenced then 'low'
       end as severity,
       format('foreign key %I on %I.%I references %I.%I without its tenant key %s: a row of one tenant can '
              'reference a row of another; rows that already do would make the validation of the fix fail', s.conname, s.nspname, s.relname, s.parent_schema, s.parent_table,
              s.child_tenant)
         || case when nr.unreferenced
                 then '; but ANALYZE saw its key NULL in every row: no row references a parent yet' else '' end
         || case when s.parent_tenant_unverified
                 then format('; but %I.%I.%I can be NULL and ANALYZE has not read it yet: rows shared by every tenant there would be refused by a composite key, so the steps are advice until it has',
                             s.parent_schema, s.parent_table, s.parent_tenant) else '' end as message,
       json_build_object('table', format('%I.%I', s.nspname, s.relname),
                         'rows_estimate', greatest(child.rows, 0)::bigint,
                         'references', format('%I.%I', s.parent_schema, s.parent_table),
                         'tenant_column', s.child_tenant, 'parent_tenant_column', s.parent_tenant,
                         -- whether the fix drops the original key (else it stays beside the new one)
                         'drops_original', not s.action_needs_15 and not s.parent_tenant_unverified and s.child_tenant_not_null
                                           and s.confmatchtype <> 'f',
                         'parent_tenant_unverified', s.parent_tenant_unverified,
                         -- the indexes on the tenant alone its last step drops
                         'drops_indexes', case when s.narrow_drops is not null then s.narrow_labels end,
                         -- the original's ON UPDATE action the composite key leaves out
                         'update_action_dropped', s.update_action_dropped) as evidence,
       case when s.action_needs_15 then concat_ws(E'\n',
         format('-- no fix on PostgreSQL %s: the ON DELETE %s of %I must clear %s only, never the tenant column %I,',
                pg_catalog.current_setting('server_version'), case s.confdeltype when 'n' then 'SET NULL' else 'SET DEFAULT' end,
                s.conname, s.child_columns, s.child_tenant),
         '-- and a foreign key can name the columns its action clears from PostgreSQL 15 on (ON DELETE SET NULL (columns)).',
         '-- Until the upgrade, the tenant check is the application''s; audit again after it for the fix.')
       when s.parent_tenant_unverified then concat_ws(E'\n',
         format('-- not printed as a script yet: %I.%I.%I can be NULL and ANALYZE has not read it, so whether %I.%I', s.parent_schema,
                s.parent_table, s.parent_tenant, s.parent_schema, s.parent_table),
         '-- holds rows shared by every tenant (NULL there) is unknown, and the composite key would refuse every reference to',
         format('-- them. Once it holds its data and ANALYZE shows no NULL in %I (or it is NOT NULL), audit again for the', s.parent_tenant),
         '-- script; if the application writes such rows, the tenant check stays the application''s.')
       else concat_ws(E'\n',
         'set lock_timeout = ''5s'';',
         '-- 1. stop if rows already cross tenants:',
         case when strpos(s.precondition, '$$') = 0 then format(E'do $$\n%s\n$$;', s.precondition)
              else format('do %L;', s.precondition) end,
         '-- 2. the indexes the composite key needs:',
         case when s.parent_indexed then null
              when s.parent_kind = 'p'
              then format(E'-- partitioned parent: no CONCURRENTLY; this blocks writes to %I.%I (SHARE lock) while it builds\n'
                          'create unique index if not exists %I on %I.%I (%I, %s);',
                          s.parent_schema, s.parent_table, s.parent_index, s.parent_schema, s.parent_table,
                          s.parent_tenant, s.parent_columns)
              else format('create unique index concurrently if not exists %I on %I.%I (%I, %s);',
                          s.parent_index, s.parent_schema, s.parent_table, s.parent_tenant, s.parent_columns) end,
         case when s.child_indexed then null
              when s.child_kind = 'p'
              then format(E'-- partitioned table: no CONCURRENTLY; this blocks writes to %I.%I (SHARE lock) while it builds\n'
                          'create index if not exists %I on %I.%I (%I, %s);',
                          s.nspname, s.relname, s.child_index, s.nspname, s.relname, s.child_tenant, s.child_columns)
              else format('create index concurrently if not exists %I on %I.%I (%I, %s);',
                          s.child_index, s.nspname, s.relname, s.child_tenant, s.child_columns) end,
         case when s.parent_indexed and s.child_indexed then null
              when strpos(s.index_check, '$$') = 0 then format(E'do $$\n%s\n$$;', s.index_check)
              else format('do %L;', s.index_check) end,
         case when s.update_action_dropped is null then '-- 3. the composite key, with the original''s actions, checked separately:'
              else concat_ws(E'\n',
                format('-- 3. the composite key, with the original''s actions but ON UPDATE %s, checked separately: on (%s, %s) it would',
                       s.update_action_dropped, s.child_tenant, s.child_columns),
                format('-- also rewrite %s when a parent''s changed, moving the child to the parent''s new tenant; an update of',
                       s.child_tenant),
                '-- a referenced parent''s key or tenant is refused instead (NO ACTION)') end,
         case when strpos(s.add_fkey, '$$') = 0 then format(E'do $$\n%s\n$$;', s.add_fkey)
              else format('do %L;', s.add_fkey) end,
         -- (run again after step 4 the key holds the original's name: nothing to validate)
         format(E'do $$\nbegin\n'
                '  if exists (select 1 from pg_catalog.pg_constraint where conrelid = %L::regclass and conname = %L and not convalidated) then\n'
                '    alter table %I.%I validate constraint %I;\n'
                '  end if;\nend\n$$;',
                format('%I.%I', s.nspname, s.relname), s.fkey, s.nspname, s.relname, s.fkey),
         case when s.child_tenant_not_null and s.confmatchtype <> 'f'
              then concat_ws(E'\n', '-- 4. drop the original only once its replacement is validated with the same actions; the replacement takes its name:',
                             case when strpos(s.drop_guard, '$$') = 0 then format(E'do $$\n%s\n$$;', s.drop_guard)
                                  else format('do %L;', s.drop_guard) end)
              when s.confmatchtype = 'f'
              then format('-- 4. keep %I: it is MATCH FULL, which on the composite key would refuse rows whose key is NULL',
                          s.conname)
              else format('-- 4. keep %I: %I.%I can be NULL, and the composite key does not check rows whose tenant is NULL',
                          s.conname, s.relname, s.child_tenant) end,
         case when s.narrow_drops is not null then concat_ws(E'\n',
           '-- 5. an index on the tenant column alone is a left prefix of a new one, and a plain one on its columns a',
           '-- duplicate: dropped once the new key is validated and while the new index is valid, each named in a NOTICE',
           '-- with its definition (drop index concurrently cannot run in this guard: the plain drop takes a brief exclusive',
           '-- lock, bounded by lock_timeout)',
           s.narrow_drops) end) end as remediation,
       case when not s.action_needs_15 and not s.parent_tenant_unverified then concat_ws(E'\n',
         'set lock_timeout = ''5s'';',
         case when s.narrow_definitions is not null
              then concat_ws(E'\n', '-- the indexes on the tenant column alone that step 5 dropped (each NOTICE gave its definition):',
                             s.narrow_definitions) end,
         '-- put the original foreign key back if it was dropped, then remove what the fix added:',
         case when strpos(s.readd_original, '$$') = 0 then format(E'do $$\n%s\n$$;', s.readd_original)
              else format('do %L;', s.readd_original) end,
         format('alter table %I.%I validate constraint %I;', s.nspname, s.relname, s.conname),
         format('alter table %I.%I drop constraint if exists %I;', s.nspname, s.relname, s.fkey),
         case when not s.child_indexed then
           format('drop index%s if exists %I.%I;', case when s.child_kind = 'p' then '' else ' concurrently' end,
                  s.nspname, s.child_index) end,
         -- the parent's index, while no other foreign key uses it (lib/parent_index_drop.sql)
         case when not s.parent_indexed then parent_index_drop.statement end) end as undo,
       format('%I.%I.%I', s.nspname, s.relname, s.conname) as identity
from steps s
-- the child's size, read for the keys reported only (for every foreign key of the database it was
-- a sixth of the query's time on the 1,000-schema benchmark); child.rows -1: no estimate. A
-- lateral subquery (offset 0): a join of pg_class here let the planner re-plan the CTEs above
cross join lateral (
  select size.rows, size.rows_at_most
  from pg_catalog.pg_class t
  -- include: table_size
  where t.oid = s.conrelid
  offset 0) child
-- a key column NULL in every row ANALYZE saw (Cal.com's users."movedToProfileId"): no row references
-- a parent yet, none crosses tenants; looked up only where it changes the grade, on a child of
-- small_rows or more
cross join lateral (
  select child.rows >= $2::bigint
         and exists (select from pg_catalog.unnest(s.conkey) k(attnum)
                     join pg_catalog.pg_attribute a on a.attrelid = s.conrelid and a.attnum = k.attnum
                     where (select an.by_column from all_null an) operator(pg_catalog.?) format('%I.%I.%I', s.nspname, s.relname, a.attname))
           as unreferenced
) nr
cross join lateral (select s.parent_schema, s.parent_index) p
-- include: parent_index_drop
order by s.nspname, s.relname, s.conname
