-- The CTEs of unused_index.sql and unused_index.pg16.sql before last_scans, which each file
-- reads its own way: con, fk_support, idx (every valid index outside the system schemas and
-- extensions, with its twins and its table's index scans), wider_of_scanned and, from
-- lib/not_null_partials.sql, not_null_partials and redundant_partials. Ends with a comma.
tenant_key_names as (
  -- the tenant columns' names ($6, tenant_keys), for lib/fk_serving_index.sql
  select $6::text[] as names
), con as (
  select distinct c.conindid
  from pg_catalog.pg_constraint c
  where c.contype in ('p', 'u', 'x') and c.conindid <> 0
), fk_support as (
  -- the index that serves a foreign key's lookups (fk_without_index's test): deleting or re-keying a
  -- parent row looks its children up through it, however rarely. One per key: a unique one first
  -- (no fix drops it), then a scanned one, then the widest (the cover redundant_index keeps of a
  -- prefix it drops); another that serves the key too is judged as any index (Supabase Storage's
  -- 13 MB objects (bucket_id, lower(name)), never scanned, beside the unique (bucket_id, name))
  select distinct s.indexrelid
  from (select distinct on (k.oid) x.indexrelid
        from pg_catalog.pg_constraint k
        join pg_catalog.pg_index x on x.indrelid = k.conrelid and x.indisvalid
        where k.contype = 'f'
        -- include: fk_serving_index
        order by k.oid, x.indisunique desc, pg_catalog.pg_stat_get_numscans(x.indexrelid) > 0 desc,
                 x.indnkeyatts desc, x.indexrelid) s
), idx as (
  select x.indexrelid, x.indrelid, x.indisunique, con.conindid is not null as backs_constraint,
         fk.indexrelid is not null as supports_fk,
         i.relname as index_name, i.relkind, i.relispartition, i.relpages, i.reltuples as index_rows, t.reltuples as table_rows,
         t.relname as table_name, n.nspname as schema_name,
         count(*) over (partition by x.indrelid, i.relam, x.indnkeyatts, x.indkey::text,
                                     x.indclass::text, x.indcollation::text, x.indoption::text,
                                     pg_catalog.pg_get_expr(x.indexprs, x.indrelid),
                                     pg_catalog.pg_get_expr(x.indpred, x.indrelid)) as twins,
         sum(pg_catalog.pg_stat_get_numscans(x.indexrelid)) over (partition by x.indrelid) as table_idx_scans,
         i.relam, x.indnkeyatts, x.indkey::text as keys, x.indclass::text as classes, x.indcollation::text as collations,
         x.indoption::text as options, pg_catalog.pg_get_expr(x.indpred, x.indrelid) as predicate,
         -- what redundant_index may drop (its idx.droppable)
         x.indnatts = x.indnkeyatts and not x.indisunique and con.conindid is null as droppable,
         x.indexprs is not null as has_exprs
  from pg_catalog.pg_index x
  join pg_catalog.pg_class i on i.oid = x.indexrelid
  join pg_catalog.pg_class t on t.oid = x.indrelid
  join pg_catalog.pg_namespace n on n.oid = t.relnamespace
  left join con on con.conindid = x.indexrelid
  left join fk_support fk on fk.indexrelid = x.indexrelid
  where x.indisvalid
    and n.nspname not in ('pg_catalog', 'information_schema')
    and n.nspname !~ '^pg_(toast|temp_)'
    and t.oid not in (
      -- include: extension_relations
    )
),
-- the index redundant_index names as the cover of a left prefix that queries scan and that it
-- drops (plain, not unique, backing no constraint; the same method, operator classes, collations,
-- order and predicate): once the prefix is dropped its queries move to the cover, whose usage is
-- judged then (called unused now, it would be dropped beside the prefix, leaving the column no
-- index). Only the cover: the prefix's other wider indexes (Umami's session (website_id,
-- created_at, x) for each x) are judged as any index is, the cover taking the prefix's queries
wider_of_scanned as (
  select distinct on (a.indexrelid) b.indexrelid
  from idx b
  join idx a on a.indrelid = b.indrelid
  where a.droppable
    -- include: left_prefix
    and pg_catalog.pg_stat_get_numscans(a.indexrelid) > 0
-- include: prefix_cover
),
-- include: not_null_partials
